"""Time every analytics command on the bundled example, start-up included, in fresh processes.

    python benchmarks/bench_startup.py --runs 10
    python benchmarks/bench_startup.py --runs 7 --baseline ../base/.venv/bin/python

Builds the example database (examples/community.jsonl) in a temporary folder, then runs each
command ``--runs`` times, each in a new interpreter, and prints the median wall time and the
median CPU time (user + system) of the process. Three baselines are measured in the same run,
interleaved with the commands: ``python -c pass`` (the interpreter alone), ``python -c 'import
sqlalchemy'`` (the floor of any command that opens the database) and ``python -c 'import
retweetring.cli.main'`` (registering the commands). The target (issue 10) is every analytics
command under 0.5 s; ``map``, ``weekly`` (which draw with matplotlib) and ``export`` are shown
for reference. On a machine shared with other work, wall time includes waiting for a core; CPU
time does not, so the load average at the start and end is printed too. ``--baseline PYTHON``
also times every command with the retweetring installed for another Python (a checkout of
``main``, say), interleaved with this one, and prints the ratio of their CPU times.
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


def cli_of(python: str) -> list[str]:
    """The installed ``retweetring`` script beside ``python``, as users run it."""
    script = Path(python).parent / "retweetring"
    if script.exists():
        return [str(script)]
    return [python, "-c", "from retweetring.cli.main import main; main()"]


def commands(python: str, db: Path, out: Path) -> dict[str, list[str]]:
    """Every command timed, by name, as an argument list (baselines first)."""
    base = cli_of(python)
    cli = [*base, "--db", str(db)]
    return {
        "python -c pass": [python, "-c", "pass"],
        "import sqlalchemy": [python, "-c", "import sqlalchemy"],
        "import retweetring.cli.main": [python, "-c", "import retweetring.cli.main"],
        "--help": [*base, "--help"],
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


def example_db(python: str, folder: Path) -> Path:
    """The bundled example imported into a new database in ``folder`` by ``python``'s
    retweetring."""
    db = folder / "example.db"
    subprocess.run(
        [*cli_of(python), "--db", str(db), "import", str(EXAMPLE)], check=True, capture_output=True
    )
    return db


def measure(
    suites: dict[str, dict[str, list[str]]], runs: int
) -> dict[str, dict[str, tuple[float, float]]]:
    """Median wall and CPU time of every command of every suite, the runs interleaved."""
    for timed in suites.values():
        timed_run(timed["mutual"])  # warm the page cache and the .pyc files
    samples = {key: {name: [] for name in timed} for key, timed in suites.items()}
    for _ in range(runs):  # interleaved, so load on the machine hits every command alike
        for name in next(iter(suites.values())):
            for key, timed in suites.items():
                samples[key][name].append(timed_run(timed[name]))
    return {
        key: {
            name: (
                statistics.median(wall for wall, _ in values),
                statistics.median(cpu for _, cpu in values),
            )
            for name, values in by_name.items()
        }
        for key, by_name in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="Fresh processes per command.")
    parser.add_argument(
        "--baseline",
        metavar="PYTHON",
        help="Also time the retweetring installed for this Python, interleaved.",
    )
    args = parser.parse_args()
    load_before = load()
    with tempfile.TemporaryDirectory() as tmp:
        pythons = {"this": sys.executable}
        if args.baseline:
            pythons["baseline"] = args.baseline
        suites = {}
        for key, python in pythons.items():
            folder = Path(tmp) / key
            folder.mkdir()
            suites[key] = commands(python, example_db(python, folder), folder)
        results = measure(suites, args.runs)
    this = results["this"]
    bare, floor = this["python -c pass"][0], this["import sqlalchemy"][0]
    print(
        f"median of {args.runs} fresh processes each (target: wall < {TARGET_S} s); "
        f"load average {load_before} at start, {load()} at end"
    )
    before = results.get("baseline")
    extra = f"  {'base wall':>9}  {'base cpu':>8}  {'cpu ratio':>9}" if before else ""
    print(f"  {'':30} {'wall':>7}  {'cpu':>7}  {'/bare':>6}  {'/sqlalchemy':>11}{extra}")
    for name, (wall, cpu) in this.items():
        verdict = "" if name in REFERENCE else ("  ok" if wall < TARGET_S else "  OVER")
        compared = ""
        if before:
            base_wall, base_cpu = before[name]
            compared = f"  {base_wall:8.3f}s  {base_cpu:7.3f}s  x{cpu / base_cpu:8.2f}"
        print(
            f"  {name:30} {wall:6.3f}s  {cpu:6.3f}s  x{wall / bare:5.1f}"
            f"  x{wall / floor:10.2f}{compared}{verdict}"
        )
    slowest = max(wall for name, (wall, _) in this.items() if name not in REFERENCE)
    print(f"slowest analytics command: {slowest:.3f} s wall")


if __name__ == "__main__":
    main()
