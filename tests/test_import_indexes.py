"""A bulk import builds the secondary indexes after its rows; a kill in between leaves a
usable database whose next import builds them."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from children import contents, start_import, write_busy_file
from sqlalchemy import event

from retweetring.sources import ingest
from retweetring.sources.ingest import import_file
from retweetring.store import indexes
from retweetring.store.check import check_database
from retweetring.store.session import open_database

DEFERRED = sorted(str(index.name) for index in indexes.deferrable())


def index_names(db: Path) -> list[str]:
    """The names of every index of the database, sorted."""
    with sqlite3.connect(db) as conn:
        found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return sorted(row[0] for row in found)


def statements(engine) -> list[str]:
    """A list that receives every SQL statement ``engine`` runs from now on."""
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


@pytest.fixture(scope="module")
def busy_file(tmp_path_factory) -> Path:
    return write_busy_file(tmp_path_factory.mktemp("indexes") / "busy.jsonl")


def test_the_deferred_indexes_are_the_non_unique_ones_of_the_imported_tables():
    assert DEFERRED == [
        "ix_accounts_platform_username",
        "ix_retweets_platform_original_id",
        "ix_retweets_platform_retweeter_id",
        "ix_tweets_platform_author_id",
    ]


def test_import_into_an_empty_database_drops_the_indexes_and_ends_with_all_of_them(
    tmp_path, busy_file
):
    fresh = tmp_path / "fresh.db"
    open_database(str(fresh)).dispose()
    db = tmp_path / "loaded.db"
    engine = open_database(str(db))
    seen = statements(engine)
    import_file(engine, busy_file, batch_rows=300)
    engine.dispose()
    assert any(s.startswith("DROP INDEX") for s in seen)
    assert index_names(db) == index_names(fresh)
    assert check_database(open_database(str(db))).ok


def test_a_small_import_into_a_larger_database_keeps_its_indexes(tmp_path, busy_file, community):
    db = tmp_path / "big.db"
    engine = open_database(str(db))
    import_file(engine, busy_file)
    community.retweet("fan", community.post("shop"))
    small = community.write(tmp_path / "small.jsonl")
    seen = statements(engine)
    result = import_file(engine, small)
    assert result.counts.retweets_new == 1
    assert not any(s.startswith(("DROP INDEX", "CREATE INDEX")) for s in seen)


def test_a_forced_reimport_keeps_the_indexes(tmp_path, busy_file, monkeypatch):
    engine = open_database(str(tmp_path / "again.db"))
    import_file(engine, busy_file, batch_rows=300)
    monkeypatch.setattr(ingest, "BYTES_PER_RETWEET", 1)  # as if the file were huge
    seen = statements(engine)
    import_file(engine, busy_file, force=True)  # every line but the first is known: no bulk
    assert not any(s.startswith(("DROP INDEX", "CREATE INDEX")) for s in seen)


def test_a_failure_after_a_commit_without_the_indexes_builds_them_before_it_is_raised(
    tmp_path, busy_file, monkeypatch
):
    db = tmp_path / "failed.db"
    engine = open_database(str(db))
    commits = 0
    real_commit = type(engine.connect()).commit

    def commit_then_fail(conn):
        nonlocal commits
        real_commit(conn)
        commits += 1
        if commits == 2:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(type(engine.connect()), "commit", commit_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_file(engine, busy_file, batch_rows=300)
    monkeypatch.undo()
    assert [i for i in index_names(db) if i in DEFERRED] == DEFERRED


def _killed_between_commits(db: Path, source: Path) -> None:
    """Kill an import of ``source`` once it has committed rows without the deferred indexes."""
    child = start_import(db, source, batch_rows=300)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and child.poll() is None:
            with sqlite3.connect(db) as conn:
                retweets = conn.execute("SELECT COUNT(*) FROM retweets").fetchone()[0]
            if retweets and not set(DEFERRED) & set(index_names(db)):
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        child.kill()
        child.wait()


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
def test_a_kill_between_the_drop_and_the_build_leaves_a_usable_database_the_next_import_completes(
    tmp_path, busy_file, run
):
    reference = tmp_path / "reference.db"
    import_file(open_database(str(reference)), busy_file, batch_rows=300)
    want = contents(reference)

    db = tmp_path / "killed.db"
    _killed_between_commits(db, busy_file)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM imports").fetchone()[0] == 0, "kill too late"
    assert not set(DEFERRED) & set(index_names(db))

    # Usable: consistent, the rows committed so far answer queries, and check says what is off.
    report = check_database(open_database(str(db)))
    missing = sorted(p.split(" is missing")[0] for p in report.problems)
    assert missing == [f"index {name}" for name in DEFERRED]
    killed_rows = contents(db)
    assert set(killed_rows["retweets"]) <= set(want["retweets"])
    mutual = run("mutual", "--format", "json", db=db)
    assert mutual.exit_code == 0, mutual.output
    check = run("db", "check", db=db)
    assert check.exit_code == 1
    assert "ix_retweets_platform_original_id is missing" in check.output

    import_file(open_database(str(db)), busy_file, batch_rows=300)
    assert contents(db) == want
    assert index_names(db) == index_names(reference)
    assert check_database(open_database(str(db))).ok
    assert run("db", "check", db=db).exit_code == 0


def test_the_next_small_import_builds_indexes_an_interrupted_one_left_missing(
    tmp_path, busy_file, community
):
    db = tmp_path / "interrupted.db"
    import_file(open_database(str(db)), busy_file)
    with sqlite3.connect(db) as conn:  # as a kill between the drop and the build leaves it
        for name in DEFERRED:
            conn.execute(f"DROP INDEX {name}")
    community.retweet("fan", community.post("shop"))
    small = community.write(tmp_path / "small.jsonl")
    import_file(open_database(str(db)), small)
    assert set(DEFERRED) <= set(index_names(db))
