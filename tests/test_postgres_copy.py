"""``db copy``: a whole history moves from SQLite to PostgreSQL and back, row for row."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke
from sqlalchemy import Engine, select

from retweetring.errors import DatabaseError
from retweetring.store import dialect
from retweetring.store.copying import copy_database
from retweetring.store.opening import open_store
from retweetring.store.session import begin_write, open_database
from retweetring.store.tables import metadata

SEEN = datetime(2026, 11, 20, 9, 30, 15, 123456)


def _fill_collection_tables(db: Path) -> None:
    """A row in each live-collection table (X and the social networks' checkpoints) and a
    person's account link."""
    engine = open_database(str(db))
    t = metadata.tables
    try:
        with begin_write(engine) as conn:
            author, tweet = conn.execute(
                select(t["tweets"].c.author_id, t["tweets"].c.id).order_by("id").limit(1)
            ).one()
            retweet = conn.scalar(select(t["retweets"].c.id).order_by("id").limit(1))
            key = {"platform": "x"}
            for table, row_id in (("tweets", tweet), ("retweets", retweet)):  # social keys
                rows = t[table]
                keyed = rows.update().where(rows.c.id == row_id)
                conn.execute(keyed.values(key=f"at://did:plc:bea/app.bsky.feed.post/{row_id}"))
            conn.execute(t["members"].insert(), {**key, "account_id": author, "added_at": SEEN})
            conn.execute(
                t["collect_checkpoints"].insert(),
                {**key, "account_id": author, "since_id": tweet, "updated_at": SEEN},
            )
            conn.execute(
                t["retweeter_checks"].insert(),
                {**key, "tweet_id": tweet, "retweet_count": 3, "checked_at": SEEN},
            )
            conn.execute(
                t["approximate_retweets"].insert(),
                {**key, "id": retweet, "source": "retweeted_by"},
            )
            conn.execute(
                t["social_checkpoints"].insert(),
                {**key, "account_id": author, "newest": "at://example/post/3k", "newest_at": SEEN,
                 "sweep_cursor": "cursor\u00e9", "updated_at": SEEN},
            )  # fmt: skip
            conn.execute(
                t["account_links"].insert(),
                {**key, "account_id": author, "person_platform": "x", "person_id": author},
            )
            conn.execute(
                t["api_requests"].insert(),
                [
                    {"at": SEEN, "endpoint": "tweets", "status": s, "tweets": 5, "users": 2}
                    for s in (200, 429)
                ],
            )
    finally:
        engine.dispose()


@pytest.fixture
def history(example_db: Path, tmp_path: Path) -> Path:
    """The example with overrides, a community model, a thanks ledger and collection rows."""
    db = tmp_path / "history.db"
    shutil.copy(example_db, db)
    tweets = json.loads(invoke(db, "tweets", "list", "--limit", "400", "--format", "json").stdout)
    promo = [t["id"] for t in tweets if t["promotional"]][:6]
    personal = [t["id"] for t in tweets if not t["promotional"]][:6]
    assert invoke(db, "tweets", "mark-promo", *promo).exit_code == 0
    assert invoke(db, "tweets", "mark-personal", *personal).exit_code == 0
    assert invoke(db, "promo", "fit").exit_code == 0
    assert invoke(db, "tweets", "reclassify").exit_code == 0
    thanked = invoke(db, "thank", "hollys_bakery", "--week", "2026-W46", "--mark-thanked")
    assert thanked.exit_code == 0, thanked.output
    _fill_collection_tables(db)
    return db


def _rows(db: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (Alembic's too), as Python values, sorted."""
    engine = open_database(str(db))
    try:
        with engine.connect() as conn:
            found = {
                table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for table in metadata.sorted_tables
            }
            found["alembic_version"] = list(conn.exec_driver_sql("SELECT * FROM alembic_version"))
    finally:
        engine.dispose()
    return found


def _sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of an SQLite file as stored (text times, 0/1 booleans)."""
    with sqlite3.connect(path) as conn:
        names = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr) for (name,) in names
        }


def _outputs(db: str | Path) -> dict[str, Any]:
    commands = [("report",), ("mutual",), ("balance",), ("promo", "show"), ("accounts",)]
    found = {}
    for command in commands:
        result = invoke(db, *command, "--format", "json")
        assert result.exit_code == 0, result.output
        found[" ".join(command)] = json.JSONDecoder().raw_decode(result.stdout)[0]
    thank = invoke(db, "thank", "hollys_bakery", "--week", "2026-W46", "--format", "json")
    found["thank"] = json.loads(thank.stdout)
    return found


def test_a_history_copied_to_postgresql_and_back_keeps_every_row_and_report(
    history: Path, pg_url: str, tmp_path: Path
) -> None:
    before = _sqlite_rows(history)
    assert all(before[table.name] for table in metadata.sorted_tables), "every table has rows"
    to_pg = invoke(history, "db", "copy", "--to", pg_url, "--batch-rows", "100")
    assert to_pg.exit_code == 0, to_pg.output
    assert f"copied {sum(map(len, before.values())) - 1:,} rows to {pg_url}" in to_pg.stdout
    assert _rows(pg_url) == _rows(history)
    back = tmp_path / "back.db"
    to_sqlite = invoke(pg_url, "db", "copy", "--to", str(back))
    assert to_sqlite.exit_code == 0, to_sqlite.output
    assert _sqlite_rows(back) == before
    assert _outputs(pg_url) == _outputs(history) == _outputs(back)


def test_db_copy_prints_each_tables_row_count(example_db: Path, tmp_path: Path) -> None:
    result = invoke(example_db, "db", "copy", "--to", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.output
    counts = dict(line.split() for line in result.stdout.splitlines()[1:])
    assert counts["accounts"] == "47" and counts["tweets"] == "835"
    assert counts["retweets"] == "776" and counts["alembic_version"] == "1"
    assert set(counts) == {t.name for t in metadata.sorted_tables} | {"alembic_version"}


def test_after_a_copy_to_postgresql_new_rows_get_new_keys(example_db: Path, pg_url: str) -> None:
    assert invoke(example_db, "db", "copy", "--to", pg_url).exit_code == 0
    source = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"
    again = invoke(pg_url, "import", str(source), "--force")
    assert again.exit_code == 0, again.output
    check = invoke(pg_url, "db", "check", "--format", "json")
    assert check.exit_code == 0 and json.loads(check.stdout)["imports"] == 2


def test_db_copy_refuses_a_target_with_rows_in_one_line(example_db: Path, any_db: str) -> None:
    source = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"
    assert invoke(any_db, "import", str(source)).exit_code == 0
    before = _rows(any_db)
    result = invoke(example_db, "db", "copy", "--to", any_db)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: refusing to copy into {any_db}: it is not empty (47 rows in accounts); "
        "give --to a new file or an empty database"
    ]
    assert _rows(any_db) == before


def test_db_copy_refuses_to_copy_a_database_onto_itself(any_db: str, tmp_path: Path) -> None:
    assert invoke(any_db, "db", "upgrade").exit_code == 0  # empty, so only sameness can refuse
    shown = any_db
    if "://" not in any_db:
        (tmp_path / "here").mkdir()
        shown = str(tmp_path / "here" / ".." / Path(any_db).name)  # another spelling, same file
    result = invoke(any_db, "db", "copy", "--to", shown)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot copy {any_db} onto itself: give --to another database"
    ]


def test_db_copy_never_shows_the_targets_password(
    example_db: Path, postgres_server: Any, tmp_path: Path
) -> None:
    url = postgres_server.url().replace("postgres@", "postgres:s3cret@")
    copied = invoke(example_db, "db", "copy", "--to", url)
    refused = invoke(example_db, "db", "copy", "--to", url)
    assert copied.exit_code == 0 and refused.exit_code == 1
    for result in (copied, refused):
        assert "s3cret" not in result.output and "postgres:***@" in result.output


def test_a_copy_that_fails_part_way_leaves_the_target_empty(
    example_db: Path, any_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, _ = open_store(str(example_db))
    target, _ = open_store(any_db)
    calls = []
    kind = type(dialect.dialect_of(target))
    insert = kind.insert_rows

    def failing(self: Any, *args: Any, **kwargs: Any) -> int:
        calls.append(args[1])
        if len(calls) == 5:
            raise DatabaseError("disk full (simulated)")
        return insert(self, *args, **kwargs)

    monkeypatch.setattr(kind, "insert_rows", failing)
    try:
        with pytest.raises(DatabaseError, match="simulated"):
            copy_database(source, target, batch_rows=100)
        assert "accounts" in calls and len(calls) == 5
        monkeypatch.setattr(kind, "insert_rows", insert)
        assert not any(rows for name, rows in _engine_rows(target).items())
        progress: list[tuple[int, int]] = []
        copied = copy_database(
            source, target, batch_rows=500, on_progress=lambda *seen: progress.append(seen)
        )
        assert copied.counts["tweets"] == 835
        assert progress[0] == (0, copied.rows) and progress[-1] == (copied.rows, copied.rows)
        assert [done for done, _ in progress] == sorted(done for done, _ in progress)
        assert len(progress) > 4  # a report after each batch
    finally:
        source.dispose()
        target.dispose()


def _engine_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: len(conn.execute(select(t)).all()) for t in metadata.sorted_tables}


def test_an_sqlite_history_with_nul_characters_copies_to_postgresql_without_them(
    example_db: Path, tmp_path: Path, pg_url: str
) -> None:
    old = tmp_path / "old.db"
    shutil.copy(example_db, old)
    with sqlite3.connect(old) as conn:  # stored by a version that kept NUL characters
        conn.execute(
            "UPDATE accounts SET name = 'Holly' || char(0) || 's' WHERE username = ?",
            ("hollys_bakery",),
        )
    result = invoke(old, "db", "copy", "--to", pg_url)
    assert result.exit_code == 0, result.output
    accounts = json.loads(invoke(pg_url, "accounts", "--format", "json").stdout)
    assert {a["username"]: a["name"] for a in accounts}["hollys_bakery"] == "Hollys"
