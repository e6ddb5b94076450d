"""Opening the database: odd paths, in-memory, newer, read-only, foreign, locked and full files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from retweetring.cli.main import cli
from retweetring.store import session

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def one_line_error(result: object) -> str:
    """The single stderr line of a failed command (CliRunner mixes stderr into output)."""
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def make_db(path: Path) -> Path:
    result = run("--db", str(path), "import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    return path


def set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


# --- 1: paths with accents, % and spaces; in-memory databases ---------------------------------


@pytest.mark.parametrize("name", ["café.db", "50%.db", "my data.db", "100%25 off é.db"])
def test_database_paths_with_accents_percent_and_spaces_work(tmp_path, name):
    db = tmp_path / name
    result = run("--db", str(db), "import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    checked = run("--db", str(db), "db", "check")
    assert checked.exit_code == 0 and checked.output.strip().endswith("ok"), checked.output
    assert "up to date" in run("--db", str(db), "db", "current").output
    assert sorted(p.name for p in tmp_path.glob("*.db")) == [name]


def test_default_database_in_a_folder_with_an_accent_works(tmp_path, monkeypatch):
    folder = tmp_path / "Café 50%"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("RETWEETRING_DB", raising=False)
    result = run("db", "check")
    assert result.exit_code == 0, result.output
    assert (folder / "retweetring.db").stat().st_size > 4096


def test_in_memory_database_lasts_for_the_whole_command():
    checked = run("--db", "sqlite:///:memory:", "db", "check")
    assert checked.exit_code == 0, checked.output
    imported = run("--db", "sqlite:///:memory:", "import", str(EXAMPLE))
    assert imported.exit_code == 0, imported.output
    assert "835 new tweets" in imported.output


def test_a_database_that_cannot_be_set_up_leaves_no_file_behind(tmp_path, monkeypatch):
    def broken(engine):
        with engine.connect():  # the file now exists, as a failed migration leaves it
            pass
        raise session.DatabaseError("cannot migrate: broken on purpose")

    monkeypatch.setattr(session, "upgrade", broken)
    result = run("--db", str(tmp_path / "new.db"), "accounts")
    assert "broken on purpose" in one_line_error(result)
    assert list(tmp_path.iterdir()) == []


# --- 6: a database from a newer retweetring ---------------------------------------------------


@pytest.mark.parametrize("command", [["db", "current"], ["db", "upgrade"], ["accounts"]])
def test_database_from_a_newer_retweetring_is_named_and_fails(tmp_path, command):
    db = make_db(tmp_path / "rr.db")
    set_revision(db, "9999")
    line = one_line_error(run("--db", str(db), *command))
    assert "newer" in line and "upgrade retweetring" in line and str(db) in line
    assert "needs `retweetring db upgrade`" not in line


# --- 9: read-only files and folders -----------------------------------------------------------


def _deny_writes(monkeypatch, *paths: Path) -> None:
    """Make os.access say the paths cannot be written (root can write through chmod)."""
    denied = {str(p) for p in paths}
    real = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(path) in denied:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_read_only_database_at_the_newest_revision_opens_read_only(tmp_path, monkeypatch):
    db = make_db(tmp_path / "rr.db")
    with sqlite3.connect(db) as conn:  # rollback journal: a WAL switch would show
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = db.read_bytes()
    _deny_writes(monkeypatch, db, tmp_path)
    for command in (["accounts"], ["report"], ["db", "check"]):
        result = run("--db", str(db), *command)
        assert result.exit_code == 0, result.output
    assert journal_mode(db) == "delete"
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rr.db"]
    from retweetring.store.opening import open_store

    engine, done = open_store(str(db))
    try:
        assert engine.url.query.get("mode") == "ro" and engine.url.query.get("uri") == "true"
        assert done.before == done.after == session.HEAD_REVISION
    finally:
        engine.dispose()


def test_writing_to_a_read_only_database_is_one_line_naming_it(tmp_path, monkeypatch):
    db = make_db(tmp_path / "rr.db")
    before = db.read_bytes()
    _deny_writes(monkeypatch, db, tmp_path)
    line = one_line_error(run("--db", str(db), "import", "--force", str(EXAMPLE)))
    assert "read-only" in line and str(db) in line
    assert db.read_bytes() == before


def test_read_only_database_needing_an_upgrade_says_so(tmp_path, monkeypatch):
    from alembic import command

    db = tmp_path / "old.db"
    engine = session.create_db_engine(str(db))
    command.upgrade(session.alembic_config(engine), "0003")
    engine.dispose()
    before = db.read_bytes()
    _deny_writes(monkeypatch, db, tmp_path)
    line = one_line_error(run("--db", str(db), "accounts"))
    assert "read-only" in line and "0003" in line and "db upgrade" in line and str(db) in line
    assert db.read_bytes() == before


def test_new_database_in_a_read_only_folder_is_refused_without_a_stub(tmp_path, monkeypatch):
    _deny_writes(monkeypatch, tmp_path)
    line = one_line_error(run("--db", str(tmp_path / "new.db"), "accounts"))
    assert "read-only" in line and "new.db" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv",
)
def test_really_read_only_folder_and_file_as_another_user():
    """Root makes a read-only folder and file, then runs the CLI as nobody, without privileges."""
    folder = Path(tempfile.mkdtemp(prefix="rr-readonly-", dir="/tmp"))
    try:
        db = make_db(folder / "rr.db")
        db.chmod(0o444)
        folder.chmod(0o555)
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        exe = str(Path(sys.executable).parent / "retweetring")

        def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*drop, exe, "--db", str(db), *args],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=120,
            )

        denied = subprocess.run([*drop, "touch", str(db)], capture_output=True)
        assert denied.returncode != 0, "the file should really be read-only for nobody"
        for command in (["accounts"], ["report"], ["db", "check"], ["db", "current"]):
            done = as_nobody(*command)
            assert done.returncode == 0, done.stderr
        failed = as_nobody("import", "--force", str(EXAMPLE))
        assert failed.returncode == 1 and "Traceback" not in failed.stderr
        assert "read-only" in failed.stderr and str(db) in failed.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["rr.db"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _wal_database(path: Path, tables: str = "") -> Path:
    """An SQLite file in WAL mode, closed cleanly (no -wal or -shm beside it)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    if tables:
        conn.execute(tables)
        conn.commit()
    conn.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return path


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("current", ["db", "current"]),
        ("newer", ["db", "current"]),
        ("newer", ["accounts"]),
        ("foreign", ["accounts"]),
        ("foreign", ["db", "current"]),
    ],
)
def test_looking_at_a_database_leaves_no_files_beside_it(tmp_path, kind, command):
    db = tmp_path / "rr.db"
    if kind == "foreign":
        _wal_database(db, "CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    else:
        make_db(db)
        if kind == "newer":
            set_revision(db, "9999")
        _wal_database(db)
    before = db.read_bytes()
    run("--db", str(db), *command)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rr.db"]
    assert db.read_bytes() == before


# --- 18: messages name the database as given; locked and full databases ----------------------


def test_messages_show_the_database_as_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    make_db(Path("sub/rr.db"))
    set_revision(tmp_path / "sub" / "rr.db", "9999")
    line = one_line_error(run("--db", "sub/rr.db", "db", "upgrade"))
    assert "database sub/rr.db " in line and "sqlite:" not in line


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all " * 500)
    before = junk.read_bytes()
    line = one_line_error(run("--db", str(junk), "accounts"))
    assert str(junk) in line and "not a database" in line
    assert junk.read_bytes() == before


def test_a_full_disk_names_the_file(tmp_path, monkeypatch):
    db = tmp_path / "full.db"
    assert run("--db", str(db), "db", "upgrade").exit_code == 0
    original = session._sqlite_pragmas

    def tiny(dbapi_connection, record, *args):
        original(dbapi_connection, record, *args)
        dbapi_connection.execute("PRAGMA max_page_count=40")

    monkeypatch.setattr(session, "_sqlite_pragmas", tiny)
    result = run("--db", str(db), "import", str(EXAMPLE))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert any("full" in line and str(db) in line for line in result.output.splitlines())


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_locked_database_says_at_once_that_it_waits(tmp_path):
    db = make_db(tmp_path / "rr.db")
    holder = _hold_write_lock(db)
    release = threading.Timer(1.0, holder.rollback)
    release.start()
    try:
        result = run("--db", str(db), "import", "--force", str(EXAMPLE))
    finally:
        release.join()
        holder.close()
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "waiting for another process" in first and str(db) in first


def test_a_database_locked_too_long_is_one_line_naming_it(tmp_path, monkeypatch):
    db = make_db(tmp_path / "rr.db")
    monkeypatch.setattr(session, "BUSY_TIMEOUT_MS", 300)
    holder = _hold_write_lock(db)
    try:
        result = run("--db", str(db), "import", "--force", str(EXAMPLE))
    finally:
        holder.close()
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert "waiting for another process" in lines[0]
    assert any("locked" in line and str(db) in line for line in lines[1:]), result.output


def test_a_locked_database_names_the_process_that_holds_it(tmp_path, monkeypatch):
    db = make_db(tmp_path / "rr.db")
    monkeypatch.setattr(session, "BUSY_TIMEOUT_MS", 300)
    hold = (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = run("--db", str(db), "import", "--force", str(EXAMPLE))
    finally:
        holder.kill()
        holder.wait()
    first = result.output.splitlines()[0]
    assert f"waiting for process {holder.pid} (" in first and str(db) in first, first


# --- 19: another program's database -----------------------------------------------------------


@pytest.mark.parametrize("table", ["tweets", "recipes"])
@pytest.mark.parametrize("command", [["accounts"], ["db", "upgrade"], ["import", str(EXAMPLE)]])
def test_another_programs_database_is_refused_untouched(tmp_path, table, command):
    foreign = tmp_path / "theirs.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute(f"INSERT INTO {table} (body) VALUES ('keep me')")
    conn.close()
    before = foreign.read_bytes()
    line = one_line_error(run("--db", str(foreign), *command))
    assert str(foreign) in line and "not a retweetring database" in line
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]


def test_an_empty_sqlite_file_becomes_a_retweetring_database(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert run("--db", str(empty), "db", "check").exit_code == 0


# --- issue 10: no alembic on the way to an up-to-date database --------------------------------


def test_head_revision_constant_matches_the_migrations():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(session.alembic_config())
    assert script.get_current_head() == session.HEAD_REVISION
    oldest_first = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(oldest_first) == session.REVISIONS


def test_commands_on_an_up_to_date_database_do_not_import_alembic(tmp_path):
    db = make_db(tmp_path / "rr.db")
    code = (
        "import sys\n"
        "from retweetring.cli.main import cli\n"
        f"cli(['--db', {str(db)!r}, 'accounts', '--limit', '1'], standalone_mode=False)\n"
        "print('alembic' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False"
