"""A process killed with SIGKILL mid-import loses nothing and duplicates nothing on rerun."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retweetring.ingest import import_file
from retweetring.store.session import open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")

TABLES = ("accounts", "tweets", "retweets")
IMPORTS_KEPT = "source, sha256, lines_read, lines_accepted, lines_rejected, tweets, retweets"

IMPORTER = """
import sys
from retweetring.ingest import import_file
from retweetring.store.session import open_database
engine = open_database(sys.argv[1])
print("ready", flush=True)
import_file(engine, sys.argv[2], batch_rows=int(sys.argv[3]))
print("done", flush=True)
"""


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every row of every data table, sorted; imports without their timestamps."""
    with sqlite3.connect(db) as conn:
        found = {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in TABLES}
        found["imports"] = sorted(conn.execute(f"SELECT {IMPORTS_KEPT} FROM imports"))
    return found


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """About 5,000 retweets among 80 accounts, in pages of 100 tweets."""
    from conftest import Community

    community = Community()
    rng = random.Random(5)
    names = [f"shop{i}" for i in range(80)]
    for _ in range(2_500):
        author, fan = rng.sample(names, 2)
        original = community.post(author, f"Order now, 10% off at {author} #{rng.random()}")
        community.retweet(fan, original)
        if rng.random() < 0.5:
            community.retweet(rng.choice(names), original)
    ids = community.timeline
    pages = [community.page(ids[i : i + 100]) for i in range(0, len(ids), 100)]
    return community.write(tmp_path_factory.mktemp("kill") / "big.jsonl", pages)


@pytest.fixture(scope="module")
def reference(big_file, tmp_path_factory) -> dict[str, list[tuple]]:
    """The tables after one uninterrupted import."""
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    import_file(open_database(str(db)), big_file, batch_rows=300)
    return contents(db)


def _start(db: Path, source: Path) -> subprocess.Popen[str]:
    """Start an import in a child process and wait until it has opened the database."""
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(db), str(source), "300"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


def _partial(db: Path) -> bool:
    """True when the import left some rows but did not finish (no imports row)."""
    with sqlite3.connect(db) as conn:
        retweets = conn.execute("SELECT COUNT(*) FROM retweets").fetchone()[0]
        imports = conn.execute("SELECT COUNT(*) FROM imports").fetchone()[0]
    return retweets > 0 and imports == 0


def test_import_killed_at_random_points_then_rerun_equals_an_uninterrupted_import(
    big_file, reference, tmp_path, soak
):
    # Time one child's import, then kill others at random moments within it.
    timing = _start(tmp_path / "timing.db", big_file)
    started = time.perf_counter()
    assert timing.communicate()[0].strip() == "done"
    duration = time.perf_counter() - started
    partial = 0
    for seed in range(40 if soak else 5):
        rng = random.Random(seed)
        db = tmp_path / f"killed-{seed}.db"
        child = _start(db, big_file)
        time.sleep(rng.uniform(0.1, 0.9) * duration)
        child.send_signal(signal.SIGKILL)
        child.wait()
        partial += _partial(db)
        import_file(open_database(str(db)), big_file, batch_rows=300)
        assert contents(db) == reference, f"seed {seed}"
        os.remove(db)
    assert partial >= 1, "no kill landed mid-import: the test proved nothing"
