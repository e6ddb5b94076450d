"""Bluesky and Mastodon: string keys beside the X ids, social checkpoints, ledger, links

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Accounts, posts and reposts keep their ``(platform, id)`` integer keys: an X row's key is its
id, as before, and its new ``key`` column stays NULL. A Bluesky or Mastodon row gets a negative
id derived from its string key (DID, AT-URI, status URI; see ``retweetring.store.social``) and
the string itself in ``key``, unique per platform. Every existing row is kept in place: the
columns are added with ADD COLUMN (no table copy) and filled only for new rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_KEY = sa.text("key IS NOT NULL")


def upgrade() -> None:
    for table in ("accounts", "tweets"):
        op.add_column(table, sa.Column("key", sa.Text(), nullable=True))
        op.create_index(
            op.f(f"ix_{table}_platform_key"),
            table,
            ["platform", "key"],
            unique=True,
            sqlite_where=_HAS_KEY,
            postgresql_where=_HAS_KEY,
        )
    op.add_column("retweets", sa.Column("key", sa.Text(), nullable=True))
    op.add_column("api_requests", sa.Column("platform", sa.String(length=16), nullable=True))
    op.create_table(
        "social_checkpoints",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("newest", sa.Text(), nullable=True),
        sa.Column("newest_at", sa.DateTime(), nullable=True),
        sa.Column("sweep_newest", sa.Text(), nullable=True),
        sa.Column("sweep_newest_at", sa.DateTime(), nullable=True),
        sa.Column("sweep_cursor", sa.Text(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform", "account_id"],
            ["accounts.platform", "accounts.id"],
            name=op.f("fk_social_checkpoints_platform_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("platform", "account_id", name=op.f("pk_social_checkpoints")),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "account_links",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("person_platform", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform", "account_id"],
            ["accounts.platform", "accounts.id"],
            name=op.f("fk_account_links_platform_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("platform", "account_id", name=op.f("pk_account_links")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("account_links")
    op.drop_table("social_checkpoints")
    with op.batch_alter_table("api_requests") as batch:
        batch.drop_column("platform")
    with op.batch_alter_table("retweets") as batch:
        batch.drop_column("key")
    for table in ("tweets", "accounts"):
        op.drop_index(op.f(f"ix_{table}_platform_key"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("key")
