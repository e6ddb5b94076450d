"""Time every analytics command on the bundled example, start-up included, in fresh processes.

    python benchmarks/bench_startup.py --runs 10

Builds the example database (examples/community.jsonl) in a temporary folder, then runs each
command ``--runs`` times, each in a new interpreter, and prints the median wall time and the
median CPU time (user + system) of the process. Three baselines are measured in the same run,
interleaved with the commands: ``python -c pass`` (the interpreter alone), ``python -c 'import
sqlalchemy'`` (the floor of any command that opens the database) and ``python -c 'import
retweetring.cli.main'`` (registering the commands). The target (issue 10) is every analytics
command under 0.5 s; ``map``, ``weekly`` (which draw with matplotlib) and ``export`` are shown
for reference. On a machine shared with other work, wall time includes waiting for a core; CPU
time does not, so the load average at the start and end is printed too.
"""

from __future__ import annotations

import argparse
import os
import resource
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
        "import sqlalchemy": [sys.executable, "-c", "import sqlalchemy"],
        "import retweetring.cli.main": [sys.executable, "-c", "import retweetring.cli.main"],
        "--help": [*CLI, "--help"],
        "accounts": [*cli, "accounts"],
        "report": [*cli, "report"],
        "mutual": [*cli, "mutual"],
        "one-sided": [*cli, "one-sided"],
        "introductions": [*cli, "introductions"],
        "balance": [*cli, "balance"],
        f"thank {ACCOUNT}": [*cli, "thank", ACCOUNT, "--week", WEEK],
        "map (reference)": [*cli, "map", "-o", str(out / "map.png")],
        "weekly (reference)": [*cli, "weekly", ACCOUNT, "--week", WEEK, "-o", str(out)],
        "export (reference)": [
            *cli,
            "export",
            "--format",
            "graphml",
            "-o",
            str(out / "graph.graphml"),
        ],
    }


REFERENCE = (
    "python -c pass",
    "import sqlalchemy",
    "import retweetring.cli.main",
    "--help",
    "map (reference)",
    "weekly (reference)",
    "export (reference)",
)


def timed_run(argv: list[str]) -> tuple[float, float]:
    """Run ``argv`` once, output discarded; return its wall and CPU time; a failure stops the
    run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def load() -> str:
    """The 1-minute load average, for the record."""
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="Fresh processes per command.")
    args = parser.parse_args()
    load_before = load()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "example.db"
        subprocess.run(
            [*CLI, "--db", str(db), "import", str(EXAMPLE)], check=True, capture_output=True
        )
        timed = commands(db, Path(tmp))
        timed_run(timed["mutual"])  # warm the page cache and the .pyc files
        walls: dict[str, list[float]] = {name: [] for name in timed}
        cpus: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(args.runs):  # interleaved, so load on the machine hits every command
            for name, argv in timed.items():
                wall, cpu = timed_run(argv)
                walls[name].append(wall)
                cpus[name].append(cpu)
    wall = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    bare, floor = wall["python -c pass"], wall["import sqlalchemy"]
    print(
        f"median of {args.runs} fresh processes each (target: wall < {TARGET_S} s); "
        f"load average {load_before} at start, {load()} at end"
    )
    print(f"  {'':30} {'wall':>7}  {'cpu':>7}  {'/bare':>6}  {'/sqlalchemy':>11}")
    for name in timed:
        verdict = "" if name in REFERENCE else ("  ok" if wall[name] < TARGET_S else "  OVER")
        print(
            f"  {name:30} {wall[name]:6.3f}s  {cpu[name]:6.3f}s  x{wall[name] / bare:5.1f}"
            f"  x{wall[name] / floor:10.2f}{verdict}"
        )
    slowest = max(value for name, value in wall.items() if name not in REFERENCE)
    print(f"slowest analytics command: {slowest:.3f} s wall")


if __name__ == "__main__":
    main()
