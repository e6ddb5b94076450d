"""Opening the database for a command: refusing what is not retweetring's, read-only files.

A plain SQLite file is looked at first through a connection that only reads, which changes
nothing in it and leaves no file beside it, so a file that is not retweetring's, was made by a
newer retweetring, or cannot be written is refused or opened read-only before anything is
written to it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine

from retweetring.errors import DatabaseError
from retweetring.store import session
from retweetring.store.dialect import BUSY_TIMEOUT_MS, holder_of
from retweetring.store.session import (
    HEAD_REVISION,
    REVISIONS,
    Target,
    Upgrade,
    create_db_engine,
    resolve_db,
    too_new,
)

Notify = Callable[[str], None]


@dataclass(frozen=True)
class Probe:
    """What a look at a database file found, without changing it."""

    exists: bool
    writable: bool
    """The file and its folder can be written (WAL needs files beside it)."""
    revision: str | None = None
    tables: list[str] = field(default_factory=list)
    """Tables other than Alembic's and SQLite's own."""
    immutable: bool = False
    """The file can be read only as ``immutable=1`` (no one can write it or its folder)."""


def probe_file(path: Path, shown: str, on_wait: Notify | None = None) -> Probe:
    """Look at the SQLite file ``path`` without changing it or leaving files beside it.

    Raises
    ------
    DatabaseError
        The file is not an SQLite database, cannot be read, or stayed locked too long.
    """
    if not path.exists():
        return Probe(exists=False, writable=os.access(path.parent, os.W_OK))
    if path.is_dir():
        raise DatabaseError(f"cannot open database {shown}: it is a folder")
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    try:
        return _read_schema(path, shown, writable, immutable=False, on_wait=on_wait)
    except sqlite3.OperationalError as exc:
        if writable or not any(word in str(exc) for word in ("unable to open", "readonly")):
            raise _named(exc, shown) from None
    try:  # a WAL file in a folder no one can write: SQLite cannot make its shared memory
        return _read_schema(path, shown, writable, immutable=True, on_wait=on_wait)
    except sqlite3.Error as exc:
        raise _named(exc, shown) from None


def _read_schema(
    path: Path, shown: str, writable: bool, immutable: bool, on_wait: Notify | None
) -> Probe:
    # A read-only connection to a WAL database leaves a -shm and an empty -wal behind, as it
    # may not remove them on closing; a read-write one (which only reads here) removes them,
    # and with no pending WAL frames its closing checkpoint changes no byte of the file.
    wal = Path(f"{path}-wal")
    read_write = writable and not immutable and (not wal.exists() or wal.stat().st_size == 0)
    mode = "rw" if read_write else "ro"
    uri = f"file:{quote(str(path))}?mode={mode}" + ("&immutable=1" if immutable else "")
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=0)) as conn:
            try:
                names = _tables(conn)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if on_wait is not None:
                    on_wait(f"waiting for {holder_of(shown)} holding database {shown}...")
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                names = _tables(conn)
            revision = None
            if "alembic_version" in names:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = revision[0] if revision else None
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not writable:
            raise  # perhaps only readable as immutable: see probe_file
        raise _named(exc, shown) from None
    tables = [name for name in names if name != "alembic_version"]
    return Probe(True, writable, revision, tables, immutable)


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in rows]


def _named(exc: sqlite3.Error, shown: str) -> DatabaseError:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return DatabaseError(
            f"database {shown} is locked: another process held it for over "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished"
        )
    if "not a database" in message:
        return DatabaseError(f"{shown}: file is not a database (not an SQLite file)")
    return DatabaseError(f"cannot open database {shown}: {message}")


def check_probe(probe: Probe, shown: str) -> None:
    """Refuse a database that is not retweetring's or that a newer retweetring made.

    Raises
    ------
    DatabaseError
        Tables but no schema revision: another program's database.
    SchemaTooNewError
        A revision this version does not know.
    """
    if probe.revision is None and probe.tables:
        listed = ", ".join(probe.tables[:5]) + (", ..." if len(probe.tables) > 5 else "")
        raise DatabaseError(
            f"{shown} is not a retweetring database (it has other tables: {listed}); "
            "refusing to add to it: give --db a new file"
        )
    if probe.revision is not None and probe.revision not in REVISIONS:
        raise too_new(shown, probe.revision)


def open_store(db: str | None = None, on_wait: Notify | None = None) -> tuple[Engine, Upgrade]:
    """Open ``db`` for a command: at the newest schema, or read-only when it cannot be written.

    A file at the newest revision that cannot be written is opened read-only (no migration,
    journal mode untouched): reading commands work, a write fails naming the file. A file
    created here is removed again if it could not be set up.

    Raises
    ------
    DatabaseError
        Not retweetring's database, made by a newer retweetring, not an SQLite file, or
        needing an upgrade (or creating) where it cannot be written.
    """
    target = resolve_db(db)
    if target.path is None:
        return _open_and_upgrade(target, on_wait, created=None)
    probe = probe_file(target.path, target.shown, on_wait)
    check_probe(probe, target.shown)
    if probe.writable:
        return _open_and_upgrade(target, on_wait, created=None if probe.exists else target.path)
    if not probe.exists:
        raise DatabaseError(
            f"cannot create database {target.shown}: its folder {target.path.parent} is read-only"
        )
    if probe.revision != HEAD_REVISION:
        what = "is empty" if probe.revision is None else f"is at revision {probe.revision}"
        raise DatabaseError(
            f"database {target.shown} is read-only and {what}, but needs revision "
            f"{HEAD_REVISION}: make it and its folder writable, then run "
            "`retweetring db upgrade`"
        )
    engine = create_db_engine(target, read_only=True, immutable=probe.immutable, on_wait=on_wait)
    return engine, Upgrade(HEAD_REVISION, HEAD_REVISION)


def _open_and_upgrade(
    target: Target, on_wait: Notify | None, created: Path | None
) -> tuple[Engine, Upgrade]:
    engine = create_db_engine(target, on_wait=on_wait)
    try:
        return engine, session.upgrade(engine)
    except BaseException:
        engine.dispose()
        if created is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{created}{suffix}").unlink(missing_ok=True)
        raise


def inspect_revision(db: str | None = None) -> str | None:
    """Return the schema revision of ``db`` without creating, changing or migrating it.

    Raises
    ------
    DatabaseError
        As ``open_store`` for a database that is not retweetring's or is too new.
    """
    target = resolve_db(db)
    if target.path is not None:
        probe = probe_file(target.path, target.shown)
        check_probe(probe, target.shown)
        return probe.revision
    from retweetring.store.session import current_revision

    engine = create_db_engine(target)
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    if revision is not None and revision not in REVISIONS:
        raise too_new(target.shown, revision)
    return revision
