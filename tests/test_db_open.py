"""Opening a database: odd paths, in memory, newer or foreign files, and what messages name."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import invoke

from retweetring.store.session import open_database


@pytest.mark.parametrize("folder", ["Café", "100% local", "two words", "ünïcödé 50%"])
def test_a_database_in_a_folder_with_odd_characters_works(tmp_path, monkeypatch, folder):
    home = tmp_path / folder
    home.mkdir()
    monkeypatch.chdir(home)
    monkeypatch.delenv("RETWEETRING_DB", raising=False)
    for db in (None, "café.db", f"{home}/50%.db"):
        result = invoke(db, "db", "check")
        assert result.exit_code == 0, result.output
        assert result.output.endswith("ok\n")
    assert sorted(p.name for p in home.glob("*.db")) == ["50%.db", "café.db", "retweetring.db"]


def test_an_in_memory_database_works_for_the_life_of_the_command():
    result = invoke("sqlite:///:memory:", "db", "check")
    assert result.exit_code == 0, result.output
    demo = invoke("sqlite:///:memory:", "demo", "--format", "json")
    assert demo.exit_code == 0, demo.output
    assert '"mutual_pairs"' in demo.stdout


def _newer(path):
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfacefeed'")


def test_db_current_on_a_newer_database_says_so_and_fails(tmp_path):
    db = tmp_path / "newer.db"
    _newer(db)
    result = invoke(db, "db", "current")
    assert result.exit_code == 1
    assert "made by a newer retweetring than this one (schema f00dfacefeed)" in result.output
    assert "needs `retweetring db upgrade`" not in result.output


@pytest.mark.parametrize("args", [["db", "upgrade"], ["accounts"], ["report"]])
def test_every_command_refuses_a_newer_database_in_one_line(tmp_path, args):
    db = tmp_path / "newer.db"
    _newer(db)
    result = invoke(db, *args)
    assert result.exit_code == 1
    assert "made by a newer retweetring" in result.output
    assert len(result.output.splitlines()) == 1


def _foreign(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE tweets (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO tweets VALUES (1, 'mine')")


@pytest.mark.parametrize("args", [["db", "check"], ["accounts"], ["db", "current"]])
def test_another_programs_database_is_refused_and_left_untouched(tmp_path, args):
    db = tmp_path / "theirs.db"
    _foreign(db)
    before = db.read_bytes()
    result = invoke(db, *args)
    assert result.exit_code == 1
    assert "is another program's SQLite database" in result.output
    assert "theirs.db" in result.output
    assert db.read_bytes() == before
    assert not (tmp_path / "theirs.db-wal").exists()


def test_a_file_that_is_not_a_database_is_named_and_left_untouched(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("shopping list: flour, yeast\n" * 200)
    before = db.read_bytes()
    result = invoke(db, "accounts")
    assert result.exit_code == 1
    assert "notes.db" in result.output and "not an SQLite database" in result.output
    assert db.read_bytes() == before


def test_messages_name_the_file_as_typed_not_as_a_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _newer(tmp_path / "shop.db")
    result = invoke("shop.db", "accounts")
    assert "database shop.db has schema revision" in result.output
    assert "sqlite://" not in result.output


def test_a_failed_first_open_leaves_no_stub_file(tmp_path, monkeypatch):
    import retweetring.store.session as session

    def broken(engine):
        with engine.connect():  # the file now exists, as it does once SQLite opened it
            pass
        raise session.DatabaseError("cannot migrate (simulated)")

    monkeypatch.setattr(session, "upgrade", broken)
    result = invoke(tmp_path / "new.db", "accounts")
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []
