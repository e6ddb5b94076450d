"""The databases the benchmark runs the CLI against: an SQLite file or a PostgreSQL database.

``run.py --backend postgresql`` starts a throwaway PostgreSQL server with the test suite's
helper (``tests/postgres.py``: ``initdb`` and ``pg_ctl`` on a Unix socket, as ``nobody`` when
run as root), with ``fsync`` on as a real server would have it, and stops it at the end.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Protocol

HERE = Path(__file__).resolve().parent
BACKENDS = ("sqlite", "postgresql")


class Unavailable(Exception):
    """The backend cannot be used here (no PostgreSQL server could be started)."""


class Database(Protocol):
    """Where the benchmarked commands store and read."""

    backend: str
    cli_value: str
    """What ``retweetring --db`` is given."""
    url: str
    """The SQLAlchemy URL, for in-process reference computations."""
    measures_writes: bool
    """Whether the command's own bytes written are the database's (not so for a server)."""

    def fresh(self) -> None:
        """Make the database empty (no tables)."""

    def exists(self) -> bool:
        """Whether the database holds the retweetring tables."""

    def size(self) -> int:
        """Bytes the database takes."""

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of one read-only query."""


class SqliteFile:
    """An SQLite database file (with its WAL)."""

    backend = "sqlite"
    measures_writes = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cli_value = str(path)
        self.url = f"sqlite:///{path}"

    def fresh(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def exists(self) -> bool:
        return self.path.exists()

    def size(self) -> int:
        return sum(
            Path(f"{self.path}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{self.path}{suffix}").exists()
        )

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as conn:
            return conn.execute(sql).fetchall()


class PostgresDatabase:
    """A database on a PostgreSQL server, dropped and created again by :meth:`fresh`."""

    backend = "postgresql"
    measures_writes = False

    def __init__(self, server: Any, name: str = "retweetring_bench") -> None:
        self.server = server
        self.name = name
        self.url = f"postgresql+psycopg://postgres@/{name}?host={server.socket_dir}"
        self.cli_value = self.url

    def _admin(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.server.admin_dsn(), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return list(cursor.fetchall()) if cursor.description else []

    def fresh(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def exists(self) -> bool:
        if not self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'"):
            return False
        tables = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'retweets'"
        return bool(self.query(tables)[0][0])

    def size(self) -> int:
        return int(self.query(f"SELECT pg_database_size('{self.name}')")[0][0])

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        dsn = f"host={self.server.socket_dir} user=postgres dbname={self.name}"
        with psycopg.connect(dsn) as conn:
            return list(conn.execute(sql).fetchall())


@contextmanager
def open_database(backend: str, workdir: Path) -> Iterator[Database]:
    """The benchmark's database for ``backend``; a PostgreSQL server lives as long as this.

    Raises
    ------
    Unavailable
        No PostgreSQL server could be started.
    """
    if backend == "sqlite":
        yield SqliteFile(workdir / "bench.db")
        return
    sys.path.insert(0, str(HERE.parent / "tests"))
    import postgres  # tests/postgres.py

    with ExitStack() as stack:
        try:
            server = stack.enter_context(postgres.server(durable=True))
        except postgres.NoServer as exc:
            raise Unavailable(str(exc)) from None
        database = PostgresDatabase(server)
        database.fresh()
        yield database
