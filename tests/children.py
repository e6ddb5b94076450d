"""Child processes that import into a shared database, for kill and concurrency tests."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from conftest import Community

TABLES = ("accounts", "tweets", "retweets")
IMPORTS_KEPT = "source, sha256, lines_read, lines_accepted, lines_rejected, tweets, retweets"

IMPORTER = """
import sys
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database
engine = open_database(sys.argv[1])
print("ready", flush=True)
import_file(engine, sys.argv[2], batch_rows=int(sys.argv[3]), force=True)
print("done", flush=True)
"""


def start_import(db: Path | str, source: Path, batch_rows: int = 300) -> subprocess.Popen[str]:
    """Start importing ``source`` in a child process; return once it has opened the database."""
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(db), str(source), str(batch_rows)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "ready", child.stderr.read() if child.stderr else line
    return child


def start_collect(db: Path | str, shared_fixtures: Path, cwd: Path) -> subprocess.Popen[str]:
    """Start a replayed ``members add`` and ``collect --retweeters`` in a child process
    (tests/killed_collect.py, never killed); no request leaves the machine."""
    tests = Path(__file__).resolve().parent
    return subprocess.Popen(
        [sys.executable, str(tests / "killed_collect.py"), str(db), str(shared_fixtures), "none",
         "0"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(tests)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def start_social_collect(db: Path | str, cwd: Path) -> subprocess.Popen[str]:
    """Start a replayed Bluesky and Mastodon ``members add`` and ``collect --platform all
    --retweeters`` in a child process (tests/killed_social_collect.py, never killed, on a
    stopped clock); no request leaves the machine."""
    tests = Path(__file__).resolve().parent
    return subprocess.Popen(
        [sys.executable, str(tests / "killed_social_collect.py"), str(db), "none", "0"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(tests)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def contents(db: Path | str, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple]]:
    """Every row of ``tables``, sorted, as Python values (the same on SQLite and PostgreSQL);
    imports without their ids and timestamps."""
    from sqlalchemy import select

    from retweetring.store.session import create_db_engine
    from retweetring.store.tables import metadata

    engine = create_db_engine(str(db))
    try:
        with engine.connect() as conn:
            found = {
                t: sorted((tuple(r) for r in conn.execute(select(metadata.tables[t]))), key=repr)
                for t in tables
            }
            kept = conn.exec_driver_sql(f"SELECT {IMPORTS_KEPT} FROM imports")
            found["imports"] = sorted(tuple(row) for row in kept)
    finally:
        engine.dispose()
    return found


def write_busy_file(path: Path, seed: int = 5, originals: int = 2_500) -> Path:
    """About twice ``originals`` retweets among 80 accounts, in pages of 100 tweets."""
    community = Community()
    community._next += seed * 10_000_000  # distinct tweet ids per seed
    rng = random.Random(seed)
    names = [f"shop{i}" for i in range(80)]
    for _ in range(originals):
        author, fan = rng.sample(names, 2)
        original = community.post(author, f"Order now, 10% off at {author} #{rng.random()}")
        community.retweet(fan, original)
        if rng.random() < 0.5:
            community.retweet(rng.choice(names), original)
    ids = community.timeline
    pages = [community.page(ids[i : i + 100]) for i in range(0, len(ids), 100)]
    return community.write(path, pages)
