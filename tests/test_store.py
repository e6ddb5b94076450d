"""Storage: migrations, the database settings, and idempotent writing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, event, select, text

from retweetring.errors import SchemaTooNewError
from retweetring.sources.ingest import import_file
from retweetring.store.models import Base
from retweetring.store.session import create_db_engine, current_revision, head_revision, upgrade
from retweetring.store.tables import metadata

DATA_TABLES = ("accounts", "tweets", "retweets")


def _dump(db: Path | str, tables=DATA_TABLES) -> dict[str, list[tuple]]:
    """The rows of ``tables``, sorted, as Python values (the same on SQLite and PostgreSQL)."""
    engine = create_db_engine(str(db))
    try:
        with engine.connect() as conn:
            return {
                t: sorted(tuple(row) for row in conn.execute(select(metadata.tables[t])))
                for t in tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def any_engine(any_db: str) -> Iterator[Engine]:
    """An SQLite file, then a PostgreSQL database, at the newest schema revision."""
    engine = create_db_engine(any_db)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_empty_database_upgrades_to_head(db_path):
    engine = create_db_engine(str(db_path))
    assert current_revision(engine) is None
    done = upgrade(engine)
    assert (done.before, done.after, done.backup) == (None, head_revision(), None)
    assert current_revision(engine) == head_revision()


def test_migrations_match_the_models(any_engine):
    with any_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


PARTIAL_INDEX_DDL = """
import retweetring.store.models
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex
from retweetring.store.tables import metadata
for table in ("accounts", "tweets"):
    (index,) = [i for i in metadata.tables[table].indexes if i.name.endswith("_platform_key")]
    print(CreateIndex(index).compile(dialect=postgresql.dialect()))
"""


def test_the_models_give_the_key_indexes_their_postgresql_where():
    # the Core tables leave PostgreSQL's options out (so reading SQLite never loads that
    # dialect); importing the models, as Alembic does, completes them: fresh interpreter
    done = subprocess.run(
        [sys.executable, "-c", PARTIAL_INDEX_DDL], capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.endswith("WHERE key IS NOT NULL") for line in lines), lines


def test_sqlite_uses_wal_foreign_keys_and_a_busy_timeout(engine):
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
        assert conn.scalar(text("PRAGMA busy_timeout")) > 0


def test_database_from_a_newer_version_is_refused(any_engine, any_db):
    with any_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    with pytest.raises(SchemaTooNewError, match="newer retweetring"):
        upgrade(create_db_engine(str(any_db)))


def test_importing_the_same_file_twice_changes_nothing(any_engine, any_db, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    path = community.write(tmp_path / "a.jsonl")
    first = import_file(any_engine, path)
    snapshot = _dump(any_db, DATA_TABLES + ("imports",))
    second = import_file(any_engine, path)
    assert second.already_imported and not first.already_imported
    assert _dump(any_db, DATA_TABLES + ("imports",)) == snapshot


def test_forced_reimport_adds_no_rows(any_engine, any_db, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    path = community.write(tmp_path / "a.jsonl")
    import_file(any_engine, path)
    snapshot = _dump(any_db)
    again = import_file(any_engine, path, force=True)
    assert (again.counts.tweets_new, again.counts.retweets_new) == (0, 0)
    assert again.counts.retweets == 1
    assert _dump(any_db) == snapshot


def _account_rows_written(engine) -> list[int]:
    """Collect the rows each accounts upsert of ``engine`` inserted or updated."""
    written: list[int] = []

    @event.listens_for(engine, "after_cursor_execute")
    def _count(_conn, cursor, statement, _params, _context, _executemany):
        if statement.lstrip().startswith("INSERT INTO accounts"):
            written.append(cursor.rowcount)

    return written


def test_reimport_rewrites_no_unchanged_account(any_engine, any_db, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    import_file(any_engine, community.write(tmp_path / "a.jsonl", [_seen_at(page, "2026-10-01Z")]))
    written = _account_rows_written(any_engine)
    import_file(any_engine, tmp_path / "a.jsonl", force=True)
    assert written == [0]  # both accounts offered again, neither changed, so none rewritten
    renamed = _seen_at(page, "2026-11-01Z")
    renamed["includes"]["users"][0]["username"] = "bakery_renamed"
    import_file(any_engine, community.write(tmp_path / "b.jsonl", [renamed]))
    assert written == [0, 2]  # a newer sighting: last_seen moves for both, one is renamed
    assert {row[2] for row in _dump(any_db)["accounts"]} == {"bakery_renamed", "florist"}


def _sizes(engine: Engine, start: str, size: Callable[[Any, bool], int]) -> list[int]:
    """Collect ``size(params, executemany)`` of each statement of ``engine`` that begins so."""
    found: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, params, _context, executemany):
        if statement.lstrip().startswith(start):
            found.append(size(params, executemany))

    return found


def _account_rows_offered(engine) -> list[int]:
    """Collect how many rows each accounts upsert of ``engine`` was given."""
    return _sizes(engine, "INSERT INTO accounts", lambda params, many: len(params) if many else 1)


@pytest.mark.parametrize("remembered", [1_000, 1])
def test_an_import_offers_an_unchanged_account_once_and_a_changed_one_again(
    engine, db_path, community, tmp_path, monkeypatch, remembered
):
    monkeypatch.setattr("retweetring.sources.ingest.ACCOUNTS_REMEMBERED", remembered)
    monkeypatch.setattr("retweetring.sources.ingest.BULK_GROWTH", 0)  # a transaction per page
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    renamed = _seen_at(page, "2026-11-01Z")
    renamed["includes"]["users"][0]["username"] = "bakery_renamed"
    pages = [_seen_at(page, "2026-10-01Z")] * 3 + [renamed, _seen_at(page, "2026-10-01Z")]
    path = community.write(tmp_path / "a.jsonl", pages)
    offered = _account_rows_offered(engine)
    import_file(engine, path, batch_rows=1)  # a transaction per page
    if remembered > 2:  # each row offered the first time and when it changed
        assert offered == [2, 2, 2]
    else:  # too many to remember: every row offered, as before
        assert offered == [2, 2, 2, 2, 2]
    assert {row[2] for row in _dump(db_path)["accounts"]} == {"bakery_renamed", "florist"}


@pytest.mark.parametrize("pending", [1_000, 0])
def test_accounts_seen_again_in_a_transaction_are_written_once_at_its_commit(
    engine, db_path, community, tmp_path, monkeypatch, pending
):
    monkeypatch.setattr("retweetring.sources.ingest.FLUSH_ROWS", 1)  # a write per page
    monkeypatch.setattr("retweetring.sources.ingest.ACCOUNTS_PENDING", pending)
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    renamed = _seen_at(page, "2026-10-05Z")
    renamed["includes"]["users"][0]["username"] = "bakery_renamed"
    times = ("2026-10-01Z", "2026-10-02Z", "2026-10-04Z", "2026-10-03Z")  # one out of order
    pages = [*(_seen_at(page, t) for t in times), renamed]
    path = community.write(tmp_path / "a.jsonl", pages)
    offered = _account_rows_offered(engine)
    result = import_file(engine, path)  # one transaction of five writes
    assert result.counts.accounts == sum(offered)  # the rows written at the commit count too
    if pending:  # new at the first write; every later sighting folded into one upsert
        assert offered == [2, 2]
    else:  # none may wait: each write offers both again
        assert offered == [2, 2, 2, 2, 2]
    rows = {row[2]: row[5:7] for row in _dump(db_path)["accounts"]}
    first, last = datetime(2026, 10, 1), datetime(2026, 10, 5)
    assert rows == {"bakery_renamed": (first, last), "florist": (first, last)}


def test_file_repeating_a_page_stores_each_retweet_once(any_engine, any_db, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    result = import_file(any_engine, community.write(tmp_path / "a.jsonl", [page, page]))
    assert result.pages == 2 and result.counts.retweets_new == 1
    assert len(_dump(any_db)["retweets"]) == 1


def test_small_batches_store_the_same_rows_as_one_batch(community, tmp_path):
    for n in range(30):
        tweet = community.post(f"shop{n % 7}", f"Order now, {n}% off everything!")
        community.retweet(f"shop{(n + 1) % 7}", tweet)
    pages = [community.page([i]) for i in community.timeline]
    path = community.write(tmp_path / "many.jsonl", pages)
    dumps = []
    for batch_rows in (1, 10_000):
        db = tmp_path / f"b{batch_rows}.db"
        engine = create_db_engine(str(db))
        upgrade(engine)
        import_file(engine, path, batch_rows=batch_rows)
        engine.dispose()
        dumps.append(_dump(db))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["retweets"]) == 30


def test_newer_username_replaces_older_but_not_the_reverse(any_engine, any_db, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    old = json.loads(json.dumps(page))
    new = json.loads(json.dumps(page))
    old["__twarc"] = {"retrieved_at": "2026-10-01T00:00:00+00:00"}
    new["__twarc"] = {"retrieved_at": "2026-11-01T00:00:00+00:00"}
    new["includes"]["users"][0]["username"] = "bakery_renamed"
    import_file(any_engine, community.write(tmp_path / "new.jsonl", [new]))
    import_file(any_engine, community.write(tmp_path / "old.jsonl", [old]))
    usernames = {row[2] for row in _dump(any_db)["accounts"]}
    assert "bakery_renamed" in usernames and "bakery" not in usernames


def _seen_at(page: dict, retrieved_at: str) -> dict:
    """A copy of ``page`` as twarc retrieved it at ``retrieved_at``."""
    copy = json.loads(json.dumps(page))
    copy["__twarc"] = {"retrieved_at": retrieved_at}
    return copy


def _sightings(db: str) -> dict[str, tuple[datetime, datetime]]:
    accounts = metadata.tables["accounts"]
    engine = create_db_engine(db)
    try:
        with engine.connect() as conn:
            query = select(accounts.c.username, accounts.c.first_seen, accounts.c.last_seen)
            return {username: (first, last) for username, first, last in conn.execute(query)}
    finally:
        engine.dispose()


def test_an_older_file_imported_after_a_newer_one_keeps_the_newer_last_seen(
    any_engine, any_db, community, tmp_path
):
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    newer = community.write(tmp_path / "newer.jsonl", [_seen_at(page, "2026-11-01T00:00:00+00:00")])
    older = community.write(tmp_path / "older.jsonl", [_seen_at(page, "2026-10-01T00:00:00+00:00")])
    import_file(any_engine, newer)
    import_file(any_engine, older)
    seen = (datetime(2026, 10, 1), datetime(2026, 11, 1))
    assert _sightings(any_db) == {"bakery": seen, "florist": seen}


def test_an_older_page_after_a_newer_one_in_one_file_keeps_the_newer_last_seen(
    any_engine, any_db, community, tmp_path
):
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    pages = [_seen_at(page, "2026-11-01T00:00:00+00:00"), _seen_at(page, "2026-10-01T00:00:00Z")]
    import_file(any_engine, community.write(tmp_path / "both.jsonl", pages))
    seen = (datetime(2026, 10, 1), datetime(2026, 11, 1))
    assert _sightings(any_db) == {"bakery": seen, "florist": seen}


def test_progress_reports_bytes_read_up_to_the_file_size(engine, community, tmp_path):
    for n in range(200):
        community.retweet(f"shop{n % 5}", community.post(f"shop{(n + 1) % 5}"))
    path = community.write(
        tmp_path / "many.jsonl", [community.page([i]) for i in community.timeline]
    )
    seen: list[tuple[int, int]] = []
    import_file(engine, path, on_progress=lambda done, total: seen.append((done, total)))
    size = path.stat().st_size
    assert len(seen) > 2
    assert all(total == size for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (size, size)


def test_a_load_connection_has_a_big_cache_writes_at_once_then_restores_and_checkpoints(engine):
    from retweetring.store.session import loading_connection

    def settings(conn) -> tuple[int, int]:
        raw = conn.connection.driver_connection
        return tuple(raw.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS)

    PRAGMAS = ("cache_size", "wal_autocheckpoint")
    with engine.connect() as conn:
        default = settings(conn)
    with loading_connection(engine, cache_kib=4096) as conn:
        assert settings(conn) == (-4096, 0)  # the WAL is checkpointed once, at the end
        with conn.begin():  # BEGIN IMMEDIATE: the write lock is taken at once
            raw = conn.connection.driver_connection
            assert raw.in_transaction
            other = sqlite3.connect(engine.url.database, timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()
        conn.exec_driver_sql("CREATE TABLE filler (x)")
        for _ in range(2):  # each over the 1000 pages that make a commit checkpoint by default
            conn.exec_driver_sql("INSERT INTO filler VALUES (zeroblob(5000000))")
            conn.commit()
        assert os.path.getsize(engine.url.database) < 5_000_000  # all still in the WAL
    with engine.connect() as conn:
        assert settings(conn) == default
    assert os.path.getsize(engine.url.database) > 10_000_000  # checkpointed at the end


def test_a_transaction_spans_several_flushes_and_a_failure_loses_only_the_open_one(
    any_engine, any_db, community, tmp_path, monkeypatch
):
    import retweetring.sources.ingest as ingest

    for n in range(6):
        community.retweet(f"shop{n}", community.post(f"shop{n + 1}", f"Order now #{n}"))
    pages = [community.page([i]) for i in community.timeline]
    path = community.write(tmp_path / "six.jsonl", pages)
    reference = tmp_path / "reference.db"
    reference_engine = create_db_engine(str(reference))
    upgrade(reference_engine)
    import_file(reference_engine, path)
    monkeypatch.setattr(ingest, "FLUSH_ROWS", 4)  # each page: 2 accounts, a tweet, a retweet
    calls = []
    real_write = ingest.write_pages

    def failing_write(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("disk on fire")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(ingest, "write_pages", failing_write)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_file(any_engine, path, batch_rows=8)  # a transaction per two pages
    assert len(calls) == 4
    assert len(_dump(any_db)["retweets"]) == 2  # page 3 was in the open transaction: gone
    assert _dump(any_db, ("imports",))["imports"] == []
    monkeypatch.setattr(ingest, "write_pages", real_write)
    commits: list[int] = []
    event.listen(any_engine, "commit", lambda _conn: commits.append(1))
    import_file(any_engine, path, batch_rows=8)
    # Page 2's line was committed: skipped unread. Pages 1 and 3, 4-5, 6 with the imports row;
    # then ANALYZE and the pair weights.
    assert len(commits) == 3 + 1 + 1
    assert _dump(any_db) == _dump(reference)


def _tweets_looked_up(engine: Engine) -> list[int]:
    """Collect how many tweet ids each stored-tweets lookup of ``engine`` asked for."""
    lookup = "SELECT platform, id FROM tweets WHERE"
    return _sizes(engine, lookup, lambda params, _: len(params) - 1)


@pytest.mark.parametrize("remembered", [1_000, 0])
def test_an_import_looks_up_a_tweet_it_stored_only_when_it_forgot_it(
    engine, db_path, community, tmp_path, monkeypatch, remembered
):
    monkeypatch.setattr("retweetring.sources.ingest.TWEETS_REMEMBERED", remembered)
    monkeypatch.setattr("retweetring.sources.ingest.FLUSH_ROWS", 1)  # a write per page
    # the reader forgets every page's tweets, so page b brings the first tweet to the writer again
    monkeypatch.setattr("retweetring.sources.pipeline.REPEATS_REMEMBERED", -1)
    first, second = community.post("bakery"), community.post("florist")
    page_a = community.page([community.retweet("florist", first)])
    # repeats the first tweet, brings the second
    page_b = community.page([community.retweet("cafe", first), community.retweet("cafe", second)])
    asked = _tweets_looked_up(engine)
    import_file(engine, community.write(tmp_path / "a.jsonl", [page_a, page_b]))
    if remembered:  # the first tweet is known from page a: only the second is looked up
        assert asked == [1, 1]
    else:  # nothing remembered: both looked up
        assert asked == [1, 2]
    assert len(_dump(db_path)["tweets"]) == 2 and len(_dump(db_path)["retweets"]) == 3
