"""Upgrading a database filled at every earlier schema revision keeps every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from retweetring.sources.ingest import import_file
from retweetring.store.session import alembic_config, create_db_engine, head_revision, upgrade

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"
EARLIER = [
    rev.revision
    for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    if rev.revision != head_revision()
]


def _tables(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted), keyed by table name, with the column names first."""
    with sqlite3.connect(db) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'alembic_version'"
            )
        ]
        found = {}
        for name in names:
            cursor = conn.execute(f'SELECT * FROM "{name}"')
            columns = tuple(d[0] for d in cursor.description)
            found[name] = [columns, *sorted(cursor, key=repr)]
    return found


def _project(rows: list[tuple], columns: tuple[str, ...]) -> list[tuple]:
    """Rows of a table read at head, keeping only ``columns`` (those of the older revision)."""
    header, *data = rows
    index = [header.index(c) for c in columns]
    return sorted((tuple(row[i] for i in index) for row in data), key=repr)


@pytest.fixture(scope="module")
def filled_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at the newest revision with the example data imported."""
    db = tmp_path_factory.mktemp("head") / "head.db"
    engine = create_db_engine(str(db))
    upgrade(engine)
    import_file(engine, EXAMPLE)
    engine.dispose()
    return db


def _fill_like(db: Path, source: Path) -> None:
    """Copy the rows of ``source`` into the tables ``db`` has, in the columns ``db`` has.

    ``db`` is at an older revision, so this writes what a database of that revision could
    hold, whatever columns the importer fills today.
    """
    with sqlite3.connect(db) as conn:
        conn.execute("ATTACH DATABASE ? AS source", (str(source),))
        for (name,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
        ).fetchall():
            columns = ", ".join(
                f'"{row[1]}"' for row in conn.execute(f'PRAGMA table_info("{name}")')
            )
            conn.execute(
                f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM source."{name}"'
            )
    conn.close()


def _filled_at(db: Path, revision: str, source: Path) -> Engine:
    """A database at `revision` holding the rows of `source` its tables have."""
    engine = create_db_engine(str(db))
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    _fill_like(db, source)  # the 0001 tables, which every revision keeps
    return engine


@pytest.mark.parametrize("revision", EARLIER)
def test_database_filled_at_an_earlier_revision_upgrades_with_every_row(
    tmp_path, revision, filled_at_head
):
    db = tmp_path / "old.db"
    engine = _filled_at(db, revision, filled_at_head)
    before = _tables(db)
    for name in ("accounts", "tweets", "retweets", "imports"):
        assert before[name][1:], f"nothing was stored in {name} at the old revision"

    done = upgrade(engine)
    engine.dispose()
    assert (done.before, done.after) == (revision, head_revision())
    after = _tables(db)
    for name, (columns, *rows) in before.items():
        assert _project(after[name], columns) == sorted(rows, key=repr), name
        added = tuple(c for c in after[name][0] if c not in columns)
        assert all(value is None for row in _project(after[name], added) for value in row), name
    assert done.backup is not None and _tables(done.backup) == before


@pytest.mark.parametrize("revision", EARLIER)
def test_the_upgrade_fills_the_pair_weights_with_the_support_graph(
    tmp_path, revision, filled_at_head
):
    from test_pair_weights import assert_fresh_and_equal, stored_edges

    engine = _filled_at(tmp_path / "old.db", revision, filled_at_head)
    upgrade(engine)
    assert_fresh_and_equal(engine)
    assert stored_edges(engine), "the example has support"
    engine.dispose()
