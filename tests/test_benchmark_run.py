"""benchmarks/run.py runs its database steps on SQLite and PostgreSQL and checks the fast paths
against the reference on each (a tiny size: this checks the harness, not the speed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import postgres
import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_benchmark_runs_both_backends_and_their_results_equal_the_reference(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--size", "1k", "--runs", "1", "--backend", "both",
         "--steps", "import,mutual,one-sided,check-equal", "--workdir", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    backends = report["backends"]
    if os.environ.get(postgres.REQUIRE_ENV) == "1":
        assert set(backends) == {"sqlite", "postgresql"}, report["info"]["notes"]
    else:
        assert "sqlite" in backends
    for name, found in backends.items():
        equal = [t for t in found["targets"] if t["step"] == "check-equal"]
        assert [t["passed"] for t in equal] == [True, True], name
        steps = {s["step"]: s for s in found["steps"]}
        assert {"import", "mutual", "one-sided", "check-mutual", "check-one-sided"} <= set(steps)
    assert report["info"]["dataset"]["retweets"] == 1000


ALLOCATE = (
    "x = bytearray({mb} << 20); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep(0.1)"
)
"""A Python child that holds ``mb`` MiB resident for a moment."""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_peak_memory_counts_the_command_and_its_children_not_the_benchmark() -> None:
    sys.path.insert(0, str(RUN.parent))
    import run

    held = bytearray(300 << 20)  # the benchmark's own memory, which a fork starts from
    held[::4096] = b"1" * len(held[::4096])
    alone = run.measure([sys.executable, "-c", ALLOCATE.format(mb=60)])
    inner = ALLOCATE.format(mb=60)
    grandchild = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {inner!r}])"
    nested = run.measure([sys.executable, "-c", ALLOCATE.format(mb=40) + "; " + grandchild])
    assert 60 < alone.rss_mb < 120
    assert 100 < nested.rss_mb < 200  # 40 MiB and the grandchild's 60, each with Python's own
    del held
