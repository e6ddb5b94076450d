"""benchmarks/run.py runs its database steps on SQLite and PostgreSQL and checks the fast paths
against the reference on each (a tiny size: this checks the harness, not the speed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import postgres

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
