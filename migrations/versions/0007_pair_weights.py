"""pair weights: the all-time support graph kept beside the rows it comes from

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

``pair_weights`` holds one row per support edge X -> Y of promotional tweets over all time
(weight, first and last retweet), so that the commands without a window read ~0.6M pairs
instead of joining ~1M retweets to their originals on every call. ``pair_weights_state`` says,
per platform, whether those rows are fresh. Triggers on ``tweets`` and ``retweets`` mark every
platform stale in the transaction of any change that can move a weight (SQLite: per row, with
a WHEN that skips the body once stale; PostgreSQL: per statement), so a writer that does not
rebuild the rows, or is killed before it does, leaves them unused rather than wrong. The
backfill computes every platform's rows from the stored tweets and retweets.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHANGES = {
    "retweets": ("platform", "retweeter_id", "original_id", "created_at"),
    "tweets": ("platform", "id", "author_id", "is_promotional", "promo_override"),
}
"""The columns whose change can move a pair weight, by table."""

_STALE = "UPDATE pair_weights_state SET fresh = false WHERE fresh"


def _sqlite_triggers() -> list[tuple[str, str]]:
    """``(name, event)`` of each SQLite trigger: one per table and kind of change."""
    found = []
    for table, columns in _CHANGES.items():
        for kind, event in (
            ("insert", "INSERT"),
            ("delete", "DELETE"),
            ("update", f"UPDATE OF {', '.join(columns)}"),
        ):
            found.append((f"pair_weights_stale_{table}_{kind}", f"{event} ON {table}"))
    return found


def _microseconds(value: str, sqlite: bool) -> str:
    """SQL: a stored time as microseconds since 1970 (as ``store.dialect.EpochMicroseconds``)."""
    if sqlite:
        return (
            f"(CAST(strftime('%s', {value}) AS INTEGER) * 1000000"
            f" + CAST(substr({value} || '000000', 21, 6) AS INTEGER))"
        )
    return f"CAST(extract(epoch FROM {value}) * 1000000 AS BIGINT)"


def _backfill(sqlite: bool) -> None:
    join = "CROSS JOIN" if sqlite else "JOIN"  # SQLite: originals first (see TweetsFirstJoin)
    first = _microseconds("min(r.created_at)", sqlite)
    last = _microseconds("max(r.created_at)", sqlite)
    op.execute(
        f"""INSERT INTO pair_weights
              (platform, supporter_id, supported_id, weight, first_us, last_us)
            SELECT r.platform, r.retweeter_id, t.author_id, count(DISTINCT r.original_id),
                   {first}, {last}
            FROM tweets AS t {join} retweets AS r
              ON r.platform = t.platform AND r.original_id = t.id
            WHERE r.retweeter_id <> t.author_id
              AND COALESCE(t.promo_override, t.is_promotional) = true
            GROUP BY r.platform, r.retweeter_id, t.author_id"""
    )
    op.execute(
        """INSERT INTO pair_weights_state (platform, fresh)
           SELECT platform, true FROM tweets GROUP BY platform
           UNION SELECT platform, true FROM retweets GROUP BY platform"""
    )


def upgrade() -> None:
    op.create_table(
        "pair_weights",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("supporter_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("supported_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("first_us", sa.BigInteger(), nullable=True),
        sa.Column("last_us", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint(
            "platform", "supporter_id", "supported_id", name=op.f("pk_pair_weights")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pair_weights_state",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("fresh", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("platform", name=op.f("pk_pair_weights_state")),
        sqlite_with_rowid=False,
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # without statistics SQLite scans all retweets for each original
        op.execute("PRAGMA analysis_limit=1000")
        op.execute("ANALYZE")
    _backfill(sqlite)
    if sqlite:
        for name, event in _sqlite_triggers():
            op.execute(
                f"""CREATE TRIGGER {name} AFTER {event}
                    WHEN EXISTS (SELECT 1 FROM pair_weights_state WHERE fresh)
                    BEGIN {_STALE}; END"""
            )
        return
    op.execute(
        f"""CREATE FUNCTION pair_weights_stale() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {_STALE}; RETURN NULL; END $$"""
    )
    for table, columns in _CHANGES.items():
        op.execute(
            f"""CREATE TRIGGER pair_weights_stale_{table}
                AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {", ".join(columns)} ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION pair_weights_stale()"""
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, _ in _sqlite_triggers():
            op.execute(f"DROP TRIGGER {name}")
    else:
        for table in _CHANGES:
            op.execute(f"DROP TRIGGER pair_weights_stale_{table} ON {table}")
        op.execute("DROP FUNCTION pair_weights_stale()")
    op.drop_table("pair_weights_state")
    op.drop_table("pair_weights")
