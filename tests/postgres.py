"""A throwaway PostgreSQL server for the test session: initdb, pg_ctl start on a socket dir.

The server runs as the current user, or as ``nobody`` when the tests run as root (PostgreSQL
refuses to run as root). Tests that need it skip with the reason when it cannot be started,
unless ``RETWEETRING_REQUIRE_POSTGRES=1`` (CI), where that fails them instead.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REQUIRE_ENV = "RETWEETRING_REQUIRE_POSTGRES"


class NoServer(Exception):
    """Why no PostgreSQL server could be started."""


def _bin_dir() -> Path:
    on_path = shutil.which("pg_ctl")
    if on_path is not None:
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise NoServer("the PostgreSQL binaries (initdb, pg_ctl) are not installed")
    return Path(found[-1]).parent


class Server:
    """A running server; ``url(name)`` is a URL of a new empty database on it."""

    def __init__(self, socket_dir: Path, password: str | None = None) -> None:
        self.socket_dir = socket_dir
        self.password = password
        """The superuser's password when the server asks for one (its URLs never hold it)."""
        self._names = itertools.count(1)

    def url(self, name: str | None = None) -> str:
        """Create a new database (a fresh name unless ``name``) and return its URL."""
        import psycopg

        name = name or f"rr_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket_dir}"

    def admin_dsn(self) -> str:
        dsn = f"host={self.socket_dir} user=postgres dbname=postgres"
        return dsn if self.password is None else f"{dsn} password={self.password}"


@contextmanager
def server(durable: bool = False, password: str | None = None) -> Iterator[Server]:
    """Start a server in a new temporary folder, and stop and remove it on exit.

    The tests' server runs without ``fsync`` (faster, and nothing it holds must survive a
    crash of the machine); ``durable`` keeps PostgreSQL's default, for benchmarks. With a
    ``password`` every connection must give it (``scram-sha-256``); without, none is asked.

    Raises
    ------
    NoServer
        The binaries are missing or the server did not start.
    """
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="rr-pg-"))
    user = "nobody" if os.geteuid() == 0 else None
    if user is not None:
        shutil.chown(root, user)
    root.chmod(0o755)
    data = root / "data"

    def run(*args: str) -> None:
        done = subprocess.run(
            [str(bin_dir / args[0]), *args[1:]],
            user=user,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=root,
        )
        if done.returncode != 0:
            raise NoServer(f"{args[0]} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    auth = ["-A", "trust"]
    if password is not None:
        secret = root / "pwfile"
        secret.write_text(password + "\n")
        if user is not None:
            shutil.chown(secret, user)
        auth = ["-A", "scram-sha-256", f"--pwfile={secret}"]
    try:
        run("initdb", "-D", str(data), *auth, "-U", "postgres", "-E", "UTF8")
        options = f"-k {root} -c listen_addresses=''" + ("" if durable else " -c fsync=off")
        run("pg_ctl", "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "start")
    except (OSError, subprocess.SubprocessError, NoServer) as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise NoServer(f"cannot start a PostgreSQL server: {exc}") from None
    try:
        yield Server(root, password)
    finally:
        try:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(root, ignore_errors=True)
