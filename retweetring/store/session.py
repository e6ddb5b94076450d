"""Opening the database: engine settings and bringing the schema to the newest revision."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from retweetring.config import DB_ENV, DEFAULT_DB_FILE
from retweetring.errors import DatabaseError, SchemaTooNewError
from retweetring.store.dialect import BUSY_TIMEOUT_MS, dialect_of, supported

if TYPE_CHECKING:
    from alembic.config import Config

CONNECT_TIMEOUT_S = 10
"""Seconds to wait for a PostgreSQL server to answer before saying it cannot be reached."""

WRITE_OPTION = "retweetring_write"
"""Execution option marking a connection whose transactions will write (see ``begin_write``)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, read_only: bool = False) -> None:
    # Let SQLAlchemy's "begin" event start transactions (see dialect.SQLite.begin) instead of the
    # sqlite3 module, which never begins one before a SELECT: reads would see no snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if not read_only:  # a read-only file keeps the journal mode it has
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@dataclass(frozen=True)
class Target:
    """Where a ``--db`` value points: the URL to open, the name to show, and the file if any."""

    url: URL
    shown: str
    """The database as the user gave it (a password in a URL hidden), for messages."""
    path: Path | None
    """The SQLite file, when the value names one plainly (not in-memory, not a ``file:`` URI)."""
    memory: bool = False


def resolve_db(db: str | None = None) -> Target:
    """Return where ``db`` (a path, a URL, or None for the default) points.

    Raises
    ------
    DatabaseError
        The value is not a valid URL, or names a database other than SQLite.
    """
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB_FILE
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        return Target(URL.create("sqlite", database=str(path)), value, path)
    try:
        url = make_url(value)
        backend = url.get_backend_name()
    except ArgumentError as exc:
        raise DatabaseError(f"cannot use database {safe_url(value)}: {exc}") from None
    shown = safe_url(value) if url.password else value
    if not supported(backend):
        raise DatabaseError(
            f"cannot use database {shown}: retweetring stores its data in SQLite or "
            "PostgreSQL only (give a file path, a sqlite:/// or a postgresql+psycopg:// URL)"
        )
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        elif url.get_driver_name() != "psycopg":
            raise DatabaseError(
                f"cannot use database {shown}: retweetring reaches PostgreSQL through "
                "psycopg 3 only: write the URL as postgresql+psycopg://USER@HOST/DBNAME"
            )
        return Target(url, shown, None)
    database = url.database or ""
    if database in ("", ":memory:"):
        return Target(url, shown, None, memory=True)
    if database.startswith("file:") or "uri" in url.query:
        return Target(url, shown, None)
    return Target(url, shown, Path(database).expanduser().resolve())


_SHOWN: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()


def shown_name(engine: Engine | Connection) -> str:
    """Return the database of ``engine`` as the user gave it, for messages."""
    base = engine.engine
    return _SHOWN.get(base) or safe_url(base.url.render_as_string(hide_password=False))


def create_db_engine(
    db: str | Target | None = None,
    *,
    read_only: bool = False,
    immutable: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Engine:
    """Return an engine for ``db`` (path, URL or Target); SQLite gets foreign keys, a busy timeout.

    A writable file also gets WAL. ``read_only`` opens a plain file with SQLite's ``mode=ro``
    (``immutable`` adds ``immutable=1``, for a file no one can write). An in-memory database is
    one database for the engine's life. ``on_wait`` is told, once, when a write has to wait for
    another process holding the database. Errors from the database carry the name shown
    (see ``describe_database_error``).
    """
    target = db if isinstance(db, Target) else resolve_db(db)
    url = target.url
    options: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        from retweetring.store.tables import add_postgresql_options

        add_postgresql_options()
        if "connect_timeout" not in url.query:
            options = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}
    if target.memory:
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    if read_only and target.path is not None:
        query = {"uri": "true", "mode": "ro", **({"immutable": "1"} if immutable else {})}
        url = URL.create("sqlite", database="file:" + quote(str(target.path)), query=query)
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"cannot use database {target.shown}: {exc}") from None
    _SHOWN[engine] = target.shown
    shown = target.shown

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        _sqlite_pragmas(dbapi_connection, _record, read_only or url.query.get("mode") == "ro")

    dialect = dialect_of(engine)

    def on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        dialect.begin(conn, write, on_wait, shown)

    def on_error(context: Any) -> None:
        if context.sqlalchemy_exception is not None:
            context.sqlalchemy_exception.retweetring_database = shown

    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "handle_error", on_error)
    return engine


def describe_database_error(exc: BaseException) -> str:
    """Return one line for an error the database raised, naming the database when known."""
    orig = getattr(exc, "orig", exc)
    shown = getattr(exc, "retweetring_database", None)
    message = one_line(str(orig))
    if shown is None:
        return f"database error: {message}"
    if any(word in message for word in ("locked", "busy", "lock timeout")):
        return (
            f"database {shown} is locked: another process held it for over "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished"
        )
    if "readonly" in message:
        return f"database {shown} is read-only (attempt to write a readonly database)"
    return f"database error in {shown}: {message}"


def refresh_statistics(engine: Engine) -> None:
    """Refresh what reads rely on after many rows arrived: the query planner's statistics
    (``ANALYZE``), then the stored pair weights of every platform whose rows went stale
    (:func:`retweetring.store.pair_weights.refresh`, whose join needs those statistics).

    Without statistics SQLite scans the whole retweets table for per-account queries, since
    every index starts with ``platform``, the same in every row (measured: 3.5 s against
    0.03 s for a thank-you list on 1M retweets, and 0.7 s against 0.02 s to rebuild the pair
    weights of 7,500 retweets). ``analysis_limit`` keeps this to a sample. Both only speed
    queries up (stale pair weights are not read), so a failure here is ignored.
    """
    from retweetring.store.pair_weights import refresh

    try:
        with begin_write(engine) as conn:
            dialect_of(conn).refresh_statistics(conn)
        refresh(engine)
    except SQLAlchemyError:
        pass


def begin_write(engine: Engine) -> Any:
    """Return ``engine.begin()`` for a transaction that writes: it takes the write lock first
    (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock)."""
    return engine.execution_options(**{WRITE_OPTION: True}).begin()


LOAD_CACHE_KIB = 128 * 1024
"""Page cache of a bulk load's connection (SQLite's default is 2 MiB).

Measured on 1M retweets (100k accounts) in 200k-row transactions: 40.6 s and 5.3 GB written
with the default cache against 24.9 s and 0.49 GB with 128 MiB (256 MiB: no faster). The
cache only grows as pages are read, and it is set back when the load ends."""


@contextmanager
def loading_connection(engine: Engine, cache_kib: int = LOAD_CACHE_KIB) -> Iterator[Connection]:
    """Return a connection for a bulk load: each ``conn.begin()`` is a writing transaction.

    The connection keeps a page cache of ``cache_kib`` KiB across its transactions, so the
    index pages a load touches stay in memory instead of being read and written again for
    every batch. It does not checkpoint the WAL after each commit: new retweets change pages
    all over the secondary indexes in every batch, and a checkpoint at the end copies each
    page into the database once, not once per batch. Both settings are restored on exit,
    then the WAL is checkpointed (``PASSIVE``: it never waits for readers).
    """
    writing = engine.execution_options(**{WRITE_OPTION: True})
    with writing.connect() as conn, dialect_of(conn).loading(conn, cache_kib):
        yield conn


def one_line(message: str) -> str:
    """Return a driver's message on one line (PostgreSQL's span several, with hints)."""
    return "; ".join(part.strip() for part in message.splitlines() if part.strip())


_PASSWORD = re.compile(r"^([^:/?#]+://[^:/?#@]*):[^?#]*@")
"""The password of ``scheme://user:password@host...``, up to the last ``@`` before any query
(a password with an unescaped ``@`` is hidden whole)."""


def safe_url(url: str) -> str:
    """Return ``url`` with any password hidden, for messages; the rest as it was written.

    >>> safe_url("postgresql+psycopg://team:s3cret@db.example/rr?host=/run/pg")
    'postgresql+psycopg://team:***@db.example/rr?host=/run/pg'
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "<invalid database URL>"
    if parsed.password is None:
        return url
    hidden, found = _PASSWORD.subn(r"\1:***@", url, count=1)
    return hidden if found else parsed.render_as_string(hide_password=True)


HEAD_REVISION = "0008"
"""The newest schema revision this version knows; a test checks it against the migrations."""

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", HEAD_REVISION)
"""Every schema revision this version knows, oldest first."""


def alembic_config(engine: Engine | None = None) -> Config:
    """Return an Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("retweetring.migrations")))
    if engine is not None:  # configparser reads "%" as interpolation
        url = engine.url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """Return the newest schema revision this version of retweetring knows."""
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    """Return the database's schema revision, or None for an empty database."""
    try:
        with engine.connect() as conn:
            if not conn.dialect.has_table(conn, "alembic_version"):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except OperationalError as exc:
        where = shown_name(engine)
        raise DatabaseError(f"cannot open database {where}: {one_line(str(exc.orig))}") from None


def sqlite_file(engine: Engine) -> Path | None:
    """Return the file of an SQLite database, or None (other databases, in-memory SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def backup_sqlite(engine: Engine, revision: str) -> Path | None:
    """Copy an SQLite database file beside itself before its schema changes; return the copy.

    The copy is made with SQLite's online backup, so it is consistent even in WAL mode. It is
    named ``NAME.before-REVISION-YYYYmmddTHHMMSS.db``. Nothing is copied for other databases.
    """
    path = sqlite_file(engine)
    if path is None or not path.exists():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.db")
    try:
        with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        raise DatabaseError(f"cannot back up {path} before upgrading it: {exc}") from None
    return target


@dataclass
class Upgrade:
    """What ``upgrade`` did: the revisions before and after, and any backup it made."""

    before: str | None
    after: str
    backup: Path | None = None


def upgrade(engine: Engine) -> Upgrade:
    """Bring the database to the newest revision, backing up an SQLite file first.

    Raises
    ------
    SchemaTooNewError
        The database has a revision this version does not know: it was made by a newer one.
    """
    before = current_revision(engine)
    if before is not None and before not in REVISIONS:
        raise too_new(shown_name(engine), before)
    head = HEAD_REVISION
    result = Upgrade(before, head)
    if before != head:
        from alembic import command

        if before is not None:
            result.backup = backup_sqlite(engine, before)
        cfg = alembic_config()
        try:
            with begin_write(engine) as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            where = shown_name(engine)
            raise DatabaseError(
                f"cannot migrate database {where}: {one_line(str(exc.orig))}"
            ) from None
    return result


def too_new(shown: str, revision: str) -> SchemaTooNewError:
    """The error for a database whose schema revision a newer retweetring made."""
    return SchemaTooNewError(
        f"database {shown} has schema revision {revision}, newer than this retweetring knows "
        f"(newest {HEAD_REVISION}): it was made by a newer retweetring; upgrade retweetring "
        "(pip install -U retweetring)"
    )


def open_database(db: str | None = None) -> Engine:
    """Return an engine for ``db`` with its schema at the newest revision."""
    engine = create_db_engine(db)
    upgrade(engine)
    return engine


@contextmanager
def connection(db: Engine | Connection) -> Iterator[Connection]:
    """Use a Connection as it is, or open one from an Engine for the duration."""
    if isinstance(db, Connection):
        yield db
    else:
        with db.connect() as conn:
            yield conn


@contextmanager
def write_connection(db: Engine | Connection) -> Iterator[Connection]:
    """Use a Connection as it is (the caller's transaction), or a writing transaction."""
    if isinstance(db, Connection):
        yield db
    else:
        with begin_write(db) as conn:
            yield conn


@contextmanager
def rolled_back_write(engine: Engine) -> Iterator[Connection]:
    """A writing transaction that is always rolled back: for dry runs, which write to read.

    Other writers wait for it as for any writer, so keep it short.
    """
    with engine.execution_options(**{WRITE_OPTION: True}).connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        finally:
            transaction.rollback()
