"""A process killed with SIGKILL mid-import loses nothing and duplicates nothing on rerun."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from children import TABLES, contents, start_import, write_busy_file

from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")

KEPT = (*TABLES, "pair_weights", "pair_weights_state")
"""The rows compared, the stored pair weights and whether they are fresh included."""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    return write_busy_file(tmp_path_factory.mktemp("kill") / "big.jsonl")


@pytest.fixture(scope="module")
def reference(big_file, tmp_path_factory) -> dict[str, list[tuple]]:
    """The tables after one uninterrupted import."""
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    import_file(open_database(str(db)), big_file, batch_rows=300)
    return contents(db, KEPT)


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
    timing = start_import(tmp_path / "timing.db", big_file)
    started = time.perf_counter()
    assert timing.communicate()[0].strip() == "done"
    duration = time.perf_counter() - started
    partial = 0
    for seed in range(40 if soak else 5):
        rng = random.Random(seed)
        db = tmp_path / f"killed-{seed}.db"
        child = start_import(db, big_file)
        time.sleep(rng.uniform(0.1, 0.9) * duration)
        child.send_signal(signal.SIGKILL)
        child.wait()
        partial += _partial(db)
        import_file(open_database(str(db)), big_file, batch_rows=300)
        assert contents(db, KEPT) == reference, f"seed {seed}"
        os.remove(db)
    assert partial >= 1, "no kill landed mid-import: the test proved nothing"
