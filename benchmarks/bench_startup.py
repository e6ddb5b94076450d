"""Time every analytics command on the bundled example, start-up included, in fresh processes.

    python benchmarks/bench_startup.py --runs 10

Builds the example database (examples/community.jsonl) in a temporary folder, then runs each
command ``--runs`` times, each in a new interpreter, and prints the median wall time. Two
baselines are measured in the same run, interleaved with the commands: ``python -c pass`` (the
interpreter alone) and ``python -c 'import retweetring.cli.main'`` (registering the commands).
The target (issue 10) is every analytics command under 0.5 s; ``map`` is shown for reference.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "community.jsonl"
TARGET_S = 0.5
ACCOUNT = "hollys_bakery"
WEEK = "2026-W46"
"""A week of the example data, so ``thank`` has supporters to list."""

SCRIPT = Path(sys.executable).parent / "retweetring"
CLI = (
    [str(SCRIPT)]
    if SCRIPT.exists()
    else [sys.executable, "-c", "from retweetring.cli.main import main; main()"]
)
"""The installed ``retweetring`` script beside this Python, as users run it."""


def commands(db: Path, out: Path) -> dict[str, list[str]]:
    """Every command timed, by name, as an argument list (baselines first)."""
    cli = [*CLI, "--db", str(db)]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import retweetring.cli.main": [sys.executable, "-c", "import retweetring.cli.main"],
        "--help": [*CLI, "--help"],
        "accounts": [*cli, "accounts"],
        "report": [*cli, "report"],
        "mutual": [*cli, "mutual"],
        "one-sided": [*cli, "one-sided"],
        "introductions": [*cli, "introductions"],
        "balance": [*cli, "balance"],
        f"thank {ACCOUNT}": [*cli, "thank", ACCOUNT, "--week", WEEK],
        "map (reference)": [*cli, "map", "-o", str(out)],
    }


REFERENCE = ("python -c pass", "import retweetring.cli.main", "--help", "map (reference)")


def wall_time(argv: list[str]) -> float:
    """Run ``argv`` once, output discarded; return its wall time; a failure stops the run."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="Fresh processes per command.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "example.db"
        subprocess.run(
            [*CLI, "--db", str(db), "import", str(EXAMPLE)], check=True, capture_output=True
        )
        timed = commands(db, Path(tmp) / "map.png")
        wall_time(timed["mutual"])  # warm the page cache and the .pyc files
        times: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(args.runs):  # interleaved, so load on the machine hits every command
            for name, argv in timed.items():
                times[name].append(wall_time(argv))
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians["python -c pass"]
    print(f"median wall time of {args.runs} fresh processes each (target: < {TARGET_S} s)")
    for name, value in medians.items():
        verdict = "" if name in REFERENCE else ("  ok" if value < TARGET_S else "  OVER")
        print(f"  {name:30} {value:6.3f} s  x{value / bare:5.1f} of bare python{verdict}")
    slowest = max(value for name, value in medians.items() if name not in REFERENCE)
    print(f"slowest analytics command: {slowest:.3f} s")


if __name__ == "__main__":
    main()
