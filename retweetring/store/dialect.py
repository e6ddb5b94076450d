"""What SQLite and PostgreSQL do differently, in one place, for the rest of the store.

Each database gets one :class:`Dialect`: how a statement marks its parameters, how two values
are compared with NULL equal to NULL, how a transaction begins (a writer takes the one write
lock at once: SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's transaction-scoped advisory lock;
a reader sees one snapshot), how many rows are loaded at once (SQLite: the driver's
``executemany``; PostgreSQL: ``COPY`` into a temporary table, then one ``INSERT ... SELECT``),
the settings of a bulk load's connection, refreshing the planner's statistics, and moving
the generated keys past the rows a copy brought in.

psycopg is imported only where a PostgreSQL connection is used, never for SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Connection, Engine, String, Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Join

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another writer before giving up."""

WRITE_LOCK_KEY = zlib.crc32(b"retweetring write lock")
"""PostgreSQL advisory lock taken by every writing transaction (one writer at a time, as in
SQLite); advisory locks are per database, so one key serves every database on a server."""

Notify = Callable[[str], None]
Row = Sequence[Any]


class Dialect:
    """The SQL and transaction behaviour of one database; see the module docstring."""

    name = ""
    mark = "?"
    """The parameter mark of statements run with ``exec_driver_sql``."""
    defers_indexes = False
    """Whether a bulk load drops secondary indexes and builds them after its rows (see
    :mod:`retweetring.store.indexes`). Not in PostgreSQL: there ``DROP INDEX`` locks the table
    against readers until the transaction commits."""

    def marks(self, n: int) -> str:
        """Return ``n`` parameter marks separated by commas."""
        return ", ".join([self.mark] * n)

    def distinct(self, left: str, right: str) -> str:
        """Return SQL that is true when ``left`` and ``right`` differ, NULL equal to NULL."""
        raise NotImplementedError

    def begin(self, conn: Connection, write: bool, on_wait: Notify | None, shown: str) -> None:
        """Start the transaction ``conn`` has just begun: a writer takes the write lock.

        ``on_wait`` is told at once when the writer has to wait for another one.
        """
        raise NotImplementedError

    def insert_rows(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row], conflict: str
    ) -> int:
        """Insert ``rows`` of ``columns`` into ``table`` with the clause ``conflict``
        (``ON CONFLICT ...``); return how many rows were inserted or updated.

        NUL characters are removed from the text columns first, on every database alike:
        PostgreSQL cannot store them in text (see :func:`without_nul`).
        """
        raise NotImplementedError

    @contextmanager
    def loading(self, conn: Connection, cache_kib: int) -> Iterator[None]:
        """Settings of a connection for a bulk load (SQLite: a ``cache_kib`` KiB page
        cache), restored on exit."""
        yield

    def limit_cache(self, conn: Connection, cache_kib: int) -> None:
        """Shrink the page cache of a bulk load's connection to ``cache_kib`` KiB (SQLite:
        its sorts for ``CREATE INDEX`` may use as much again); :meth:`loading` restores it."""

    def refresh_statistics(self, conn: Connection) -> None:
        """Refresh the query planner's statistics, in ``conn``'s transaction."""
        conn.exec_driver_sql("ANALYZE")

    def restart_keys(self, conn: Connection, table: Table) -> None:
        """Make the keys the database generates for ``table`` follow the rows copied into it
        with their keys (SQLite takes the largest key plus one by itself)."""

    def integrity_problems(self, conn: Connection) -> list[str]:
        """Return what the database's own consistency checks find wrong (empty: nothing)."""
        raise NotImplementedError


class SQLite(Dialect):
    """SQLite through the standard library's sqlite3."""

    name = "sqlite"
    defers_indexes = True

    def distinct(self, left: str, right: str) -> str:
        return f"({left}) IS NOT {right}"

    def begin(self, conn: Connection, write: bool, on_wait: Notify | None, shown: str) -> None:
        # The sqlite3 module never begins a transaction before a SELECT (see session), so
        # every transaction is begun here: a read then sees one snapshot throughout.
        if not write:
            conn.exec_driver_sql("BEGIN")
            return
        if on_wait is not None:
            raw = conn.connection.driver_connection
            assert raw is not None
            locked = False
            raw.execute("PRAGMA busy_timeout=0")
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
            finally:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if locked:
                on_wait(
                    f"waiting for {holder_of(conn.engine.url.database)} holding database "
                    f"{shown} (up to {BUSY_TIMEOUT_MS // 1000} s)..."
                )
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    def insert_rows(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row], conflict: str
    ) -> int:
        rows = without_nul(table, columns, rows)
        return conn.exec_driver_sql(_insert_values(table, tuple(columns), conflict), rows).rowcount

    @contextmanager
    def loading(self, conn: Connection, cache_kib: int) -> Iterator[None]:
        # A large page cache keeps the index pages a load touches in memory across its
        # transactions; the WAL is checkpointed once at the end instead of after each commit.
        raw = conn.connection.driver_connection
        assert raw is not None
        before = raw.execute("PRAGMA cache_size").fetchone()[0]
        checkpoint = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        raw.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        raw.execute("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        finally:
            with suppress(sqlite3.Error):
                raw.execute(f"PRAGMA cache_size={int(before)}")
                raw.execute(f"PRAGMA wal_autocheckpoint={int(checkpoint)}")
                if not raw.in_transaction:
                    raw.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def limit_cache(self, conn: Connection, cache_kib: int) -> None:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{int(cache_kib)}")

    def refresh_statistics(self, conn: Connection) -> None:
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")

    def integrity_problems(self, conn: Connection) -> list[str]:
        integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        problems = [] if integrity == ["ok"] else [f"integrity: {line}" for line in integrity]
        violations = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
        if violations:
            tables = sorted({str(row[0]) for row in violations})
            problems.append(
                f"foreign keys: {len(violations)} rows point at missing rows "
                f"(in {', '.join(tables)})"
            )
        return problems


class PostgreSQL(Dialect):
    """PostgreSQL through psycopg 3."""

    name = "postgresql"
    mark = "%s"

    def distinct(self, left: str, right: str) -> str:
        return f"({left}) IS DISTINCT FROM {right}"

    def begin(self, conn: Connection, write: bool, on_wait: Notify | None, shown: str) -> None:
        if not write:
            # A read sees one snapshot throughout, as in SQLite. A writer stays READ
            # COMMITTED: it must see what the writer before it committed while it waited.
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
        if on_wait is not None:
            free = conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY})")
            if free.scalar():
                return
            on_wait(
                f"waiting for another writer holding database {shown} "
                f"(up to {BUSY_TIMEOUT_MS // 1000} s)..."
            )
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    def insert_rows(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row], conflict: str
    ) -> int:
        # COPY takes the rows as text and the temporary table parses them into its columns'
        # types; INSERT ... SELECT then resolves conflicts for all of them in one statement.
        rows = without_nul(table, columns, rows)
        listed = ", ".join(columns)
        temp = f"load_{table}_{zlib.crc32(listed.encode()):08x}"
        conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} ON COMMIT DELETE ROWS AS "
            f"SELECT {listed} FROM {table} WITH NO DATA"
        )
        import psycopg

        raw = conn.connection.driver_connection
        assert raw is not None
        statement = f"COPY {temp} ({listed}) FROM STDIN"
        try:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise _wrapped(conn, statement, exc) from None
        inserted = conn.exec_driver_sql(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {temp} {conflict}"
        ).rowcount
        conn.exec_driver_sql(f"TRUNCATE {temp}")
        return inserted

    def restart_keys(self, conn: Connection, table: Table) -> None:
        # A SERIAL column's sequence does not move when rows arrive with their keys given.
        for column in table.primary_key.columns:
            sequence = conn.exec_driver_sql(
                "SELECT pg_get_serial_sequence(%s, %s)", (table.name, column.name)
            ).scalar()
            if sequence is not None:
                conn.exec_driver_sql(
                    f"SELECT setval(%s, COALESCE(MAX({column.name}), 0) + 1, false) "
                    f"FROM {table.name}",
                    (sequence,),
                )

    def integrity_problems(self, conn: Connection) -> list[str]:
        # Indexes left invalid (a failed concurrent build) and constraints added NOT VALID:
        # the catalog's own record of what PostgreSQL does not vouch for.
        invalid = conn.exec_driver_sql(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready) "
            "ORDER BY 1"
        ).scalars()
        problems = [f"integrity: index {name} is invalid" for name in invalid]
        unchecked = conn.exec_driver_sql(
            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY 1"
        ).scalars()
        problems += [f"constraint {name} is not validated" for name in unchecked]
        return problems


_DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLite(), PostgreSQL())}


class TweetsFirstJoin(Join):
    """An inner join that the database reads left side first.

    SQLite's planner otherwise walks a million retweets in retweeter order and looks up each
    original at random (measured on 1M retweets: 6.6 s for the per-pair GROUP BY against 3.1 s
    originals first); SQLite keeps the table order of a ``CROSS JOIN``. Other databases get a
    plain ``JOIN``.
    """

    inherit_cache = True


@compiles(TweetsFirstJoin, "sqlite")
def _sqlite_cross_join(join: TweetsFirstJoin, compiler: Any, **kw: Any) -> str:
    return str(compiler.visit_join(join, **kw)).replace(" JOIN ", " CROSS JOIN ", 1)


class EpochMicroseconds(FunctionElement[int]):
    """SQL: a naive UTC ``DateTime`` value as integer microseconds since 1970 (NULL stays NULL).

    numpy reads integers as ``datetime64[us]`` without parsing text (measured: 0.13 s against
    0.66 s for 618k times).
    """

    type = BigInteger()
    inherit_cache = True
    name = "epoch_us"


@compiles(EpochMicroseconds, "sqlite")
def _sqlite_epoch_us(element: EpochMicroseconds, compiler: Any, **kw: Any) -> str:
    # SQLAlchemy stores 'YYYY-MM-DD HH:MM:SS.ffffff'; the padding reads a shorter fraction
    # (or none) as the microseconds it stands for
    value = compiler.process(element.clauses, **kw)
    return (
        f"(CAST(strftime('%s', {value}) AS INTEGER) * 1000000"
        f" + CAST(substr({value} || '000000', 21, 6) AS INTEGER))"
    )


@compiles(EpochMicroseconds, "postgresql")
def _postgresql_epoch_us(element: EpochMicroseconds, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"CAST(extract(epoch FROM {value}) * 1000000 AS BIGINT)"


def dialect_of(db: Engine | Connection) -> Dialect:
    """Return the :class:`Dialect` of the database ``db`` is connected to."""
    return _DIALECTS[db.dialect.name]


def supported(backend: str) -> bool:
    """True when retweetring can store its data in databases of ``backend`` (``sqlite``...)."""
    return backend in _DIALECTS


@cache
def _insert_values(table: str, columns: tuple[str, ...], conflict: str) -> str:
    marks = SQLite().marks(len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {conflict}"


NUL = "\x00"


@cache
def _text_positions(table: str, columns: tuple[str, ...]) -> tuple[int, ...]:
    """Positions among ``columns`` of ``table``'s text columns that hold data, not keys."""
    from retweetring.store.tables import metadata

    known = metadata.tables.get(table)
    if known is None:
        return ()
    return tuple(
        i
        for i, name in enumerate(columns)
        if name in known.c
        and not known.c[name].primary_key
        and isinstance(known.c[name].type, String)
    )


def without_nul(table: str, columns: Sequence[str], rows: list[Row]) -> list[Row]:
    """Return ``rows`` with NUL characters removed from ``table``'s text columns.

    A JSON ``\\u0000`` in a name or a tweet's text is a NUL character, which PostgreSQL refuses
    in text (the whole batch would fail); it is removed on every database, so that both
    store the same rows. ``rows`` is returned as it is when none has one, which is checked
    only in the text columns (a table of ids and times costs nothing).
    """
    positions = _text_positions(table, tuple(columns))
    if not positions:
        return rows
    dirty = [
        i
        for i, row in enumerate(rows)
        if any(type(v := row[p]) is str and NUL in v for p in positions)
    ]
    if not dirty:
        return rows
    cleaned = list(rows)
    for i in dirty:
        row = list(rows[i])
        for p in positions:
            if isinstance(row[p], str):
                row[p] = row[p].replace(NUL, "")
        cleaned[i] = tuple(row)
    return cleaned


def _wrapped(conn: Connection, statement: str, exc: Exception) -> DBAPIError:
    """``exc`` from the driver as SQLAlchemy wraps driver errors, naming the database."""
    from retweetring.store.session import shown_name

    error = DBAPIError.instance(statement, None, exc, type(exc))
    error.retweetring_database = shown_name(conn)  # type: ignore[attr-defined]
    return error


def holder_of(database: str | None) -> str:
    """Return who holds a lock on an SQLite file, in words: ``process 4242 (retweetring
    import ...)``, or ``another process`` when the system does not say (Linux's
    ``/proc/locks`` names the process holding a lock on the file or its ``-wal``/``-shm``).
    """
    if not database or database.startswith("file:"):
        return "another process"
    inodes = set()
    for suffix in ("", "-wal", "-shm"):
        try:
            inodes.add(os.stat(database + suffix).st_ino)
        except OSError:
            continue
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        return "another process"
    pids = []
    for line in table.splitlines():
        fields = line.split()
        if "->" in fields or len(fields) < 6:
            continue  # a process waiting for the lock, not holding it
        pid, where = fields[4], fields[5].split(":")
        on_file = len(where) == 3 and where[2].isdigit() and int(where[2]) in inodes
        if on_file and pid.isdigit() and int(pid) != os.getpid() and pid not in pids:
            pids.append(pid)
    if not pids:
        return "another process"
    return ", ".join(f"process {pid}{_command_of(pid)}" for pid in pids)


def _command_of(pid: str) -> str:
    """`` (the command line)`` of a process, shortened; empty when it cannot be read."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    command = " ".join(w.decode(errors="replace") for w in words if w)
    return f" ({command[:60]}{'...' if len(command) > 60 else ''})" if command else ""
