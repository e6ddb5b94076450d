"""What happens when things go wrong: damaged, read-only and full databases, hostile names."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import invoke
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from retweetring.errors import DatabaseError
from retweetring.sources.ingest import import_file
from retweetring.store import session
from retweetring.store.check import check_database
from retweetring.store.session import create_db_engine, open_database

TABLES = ("accounts", "tweets", "retweets", "imports")


def rows(db_path: Path, table: str) -> list[tuple]:
    """Every row of ``table``, sorted, read with the plain sqlite3 driver."""
    with sqlite3.connect(db_path) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table}"), key=repr)


@pytest.fixture
def busy_page(community, tmp_path) -> Path:
    """Forty accounts, each retweeting the next one's promotion: one page, 120 rows."""
    names = [f"shop{i}" for i in range(40)]
    for i, name in enumerate(names):
        community.retweet(name, community.post(names[(i + 1) % 40]))
    return community.write(tmp_path / "busy.jsonl")


def test_db_check_passes_on_a_healthy_database(db_path, busy_page):
    assert invoke(str(db_path), "import", str(busy_page)).exit_code == 0
    result = invoke(str(db_path), "db", "check", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == {
        "ok": True,
        "problems": [],
        "accounts": 40,
        "tweets": 40,
        "retweets": 40,
        "imports": 1,
    }


def test_db_check_finds_orphaned_retweets_and_exits_1(db_path, busy_page):
    invoke(str(db_path), "import", str(busy_page))
    with sqlite3.connect(db_path) as conn:  # foreign keys are off in a plain connection
        conn.execute("DELETE FROM tweets WHERE id = (SELECT MIN(original_id) FROM retweets)")
    result = invoke(str(db_path), "db", "check")
    assert result.exit_code == 1
    assert "1 retweets whose original tweet is missing" in result.output
    assert "foreign keys: 1 rows point at missing rows (in retweets)" in result.output


def test_db_check_on_a_damaged_file_is_one_line_and_exit_1(db_path, busy_page):
    invoke(str(db_path), "import", str(busy_page))
    data = bytearray(db_path.read_bytes())
    data[4096:8192] = b"\xde\xad\xbe\xef" * 1024  # overwrite the second page
    db_path.write_bytes(data)
    result = invoke(str(db_path), "db", "check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "problem: integrity" in result.output or "malformed" in result.output


def test_read_only_database_is_a_clear_error_and_changes_nothing(
    db_path, busy_page, community, tmp_path
):
    invoke(str(db_path), "import", str(busy_page))
    before = {table: rows(db_path, table) for table in TABLES}
    community.retweet("newcomer", community.post("shop1"))
    more = community.write(tmp_path / "more.jsonl")
    read_only = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    result = invoke(read_only, "import", str(more))
    assert result.exit_code == 1
    assert "readonly" in result.output and "Traceback" not in result.output
    assert {table: rows(db_path, table) for table in TABLES} == before
    assert check_database(open_database(str(db_path))).ok


def _limit_pages(engine, pages: int) -> None:
    """Make the database 'full' at ``pages`` pages, as a full disk would."""

    @event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")


def test_full_disk_rolls_back_the_batch_and_a_rerun_completes(tmp_path, community):
    names = [f"shop{i}" for i in range(60)]
    for i, name in enumerate(names):
        for j in range(1, 31):
            community.retweet(name, community.post(names[(i + j) % 60], "x" * 300 + " order now"))
    source = community.write(tmp_path / "big.jsonl", [community.page()])
    reference = tmp_path / "reference.db"
    import_file(open_database(str(reference)), source, batch_rows=500)

    full = tmp_path / "full.db"
    engine = create_db_engine(str(full))
    session.upgrade(engine)
    _limit_pages(engine, 60)
    engine.dispose()  # the listener applies to new connections
    with pytest.raises(OperationalError, match="full"):
        import_file(engine, source, batch_rows=500)
    engine.dispose()
    healthy = open_database(str(full))
    assert check_database(healthy).ok
    assert rows(full, "imports") == []  # the import did not finish, so it is not recorded
    import_file(healthy, source, batch_rows=500)
    for table in ("accounts", "tweets", "retweets"):
        assert rows(full, table) == rows(reference, table)


def test_full_disk_through_the_cli_is_one_line(db_path, busy_page, monkeypatch):
    original = session._sqlite_pragmas

    def tiny(dbapi_connection, record):
        original(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA max_page_count=12")

    monkeypatch.setattr(session, "_sqlite_pragmas", tiny)
    result = invoke(str(db_path), "import", str(busy_page))
    assert result.exit_code == 1
    assert "full" in result.output and "Traceback" not in result.output


HOSTILE = [
    "o'brien\"s",
    "x; DROP TABLE accounts; --",
    "100%_off",
    "nul\x00byte",
    "[bold red]markup[/]",
    "Robert'); DELETE FROM tweets;--",
]


def test_hostile_names_are_stored_and_printed_literally(db_path, community, tmp_path):
    for i, name in enumerate(HOSTILE):
        other = HOSTILE[(i + 1) % len(HOSTILE)]
        community.user(name, name=f"{name} & co")
        community.user(other, name=f"{other} & co")
        community.retweet(name, community.post(other))
        community.retweet(other, community.post(name))
    source = community.write(tmp_path / "hostile.jsonl")
    assert invoke(str(db_path), "import", str(source)).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        stored = {row[0] for row in conn.execute("SELECT username FROM accounts")}
    kept = {name.replace("\x00", "") for name in HOSTILE}  # NUL: removed, as PostgreSQL must
    assert stored == kept
    pairs = json.loads(invoke(str(db_path), "mutual", "--format", "json").stdout)
    assert {p["a"] for p in pairs} | {p["b"] for p in pairs} == kept
    listed = invoke(str(db_path), "accounts", "--format", "csv")
    assert {row["username"] for row in csv.DictReader(io.StringIO(listed.stdout))} == kept
    text = invoke(str(db_path), "introductions", "--account", "[bold red]markup[/]")
    assert text.exit_code == 0 and "[bold red]markup[/]" in text.output
    one_sided = invoke(str(db_path), "one-sided", "--account", "x; DROP TABLE accounts; --")
    assert one_sided.exit_code == 0


def test_backup_is_refused_cleanly_when_it_cannot_be_written(tmp_path, monkeypatch):
    engine = open_database(str(tmp_path / "a.db"))
    monkeypatch.setattr(session.sqlite3, "connect", _raise_disk_full)
    with pytest.raises(DatabaseError, match="cannot back up"):
        session.backup_sqlite(engine, "0001")


def _raise_disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def test_overlong_line_is_rejected_without_holding_it_in_memory(
    engine, community, tmp_path, monkeypatch
):
    import tracemalloc

    from retweetring.sources import files

    monkeypatch.setattr(files, "MAX_LINE_BYTES", 1 << 20)
    community.retweet("florist", community.post("bakery"))
    good = json.dumps(community.page())
    source = tmp_path / "long.jsonl"
    with source.open("w") as out:
        out.write(good + "\n")
        out.write('{"data": [{"text": "' + "x" * (24 << 20) + '"}]}\n')  # 24 MiB line
        out.write(good + "\n")
    tracemalloc.start()
    try:
        result = import_file(engine, source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.errors == [f"{source}:2: line longer than 1 MiB, skipped"]
    assert result.pages == 2 and result.counts.retweets_new == 1
    assert peak < 8 << 20, f"peak {peak >> 20} MiB: the long line was held in memory"


TOKEN = "AAAAAAAAAAAAAAAAAAAAAtest%2Fsecret%2Ftoken"


def _crash_with_the_token(*_args, **_kwargs):
    raise RuntimeError(f"boom while sending Bearer {TOKEN}")


@pytest.mark.parametrize("debug", [True, False], ids=["--debug", "no --debug"])
def test_a_crash_never_shows_the_token(db_path, monkeypatch, debug):
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    monkeypatch.setattr("retweetring.store.pairs.mutual_rows", _crash_with_the_token)
    args = ["--db", str(db_path), *(["--debug"] if debug else []), "mutual"]
    result = invoke(None, *args)
    assert result.exit_code == 1
    assert TOKEN not in result.output and "Bearer ***" in result.output
    if debug:
        assert "Traceback (most recent call last)" in result.output
    else:
        assert "Traceback" not in result.output
        assert "unexpected error: boom while sending Bearer ***" in result.output


@pytest.mark.parametrize("url", ["mysql://me:pw@db/shop", "oracle://me:pw@db/shop"])
def test_a_database_other_than_sqlite_or_postgresql_is_refused_in_one_line(url):
    result = invoke(url, "mutual")
    assert result.exit_code == 1
    assert "retweetring stores its data in SQLite or PostgreSQL only" in result.output
    assert "pw" not in result.output and "Traceback" not in result.output
