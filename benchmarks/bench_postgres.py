"""Import, mutual, one-sided and report on PostgreSQL against SQLite, in the same run.

    python benchmarks/bench_postgres.py --size 100k --runs 3
    python benchmarks/bench_postgres.py --size 1m --runs 1 --steps import,mutual

Generates (once, cached like benchmarks/run.py) the synthetic twarc2 file of the size, then
times the installed ``retweetring`` CLI as a subprocess on an SQLite file and on a database of
a throwaway PostgreSQL server (tests/postgres.py: initdb and pg_ctl on a Unix socket, with
``fsync=off``, so PostgreSQL's commits cost less than on a real server). ``import`` starts
from a new database each run; the other steps read the database the last import left. The
table shows medians, peak RSS of the CLI process (not the server's), and PostgreSQL's time as
a multiple of SQLite's; the JSON of ``mutual`` and ``one-sided`` is checked to be the same
bytes on both.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import postgres  # noqa: E402
import run  # noqa: E402

STEPS = ("import", "mutual", "one-sided", "report")
CHECKED = ("mutual", "one-sided")
"""Steps whose output must be the same bytes on both databases."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="100k, 1m, 5m or N[k|m] retweets")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (median shown)")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="cache of data files and databases")
    args = parser.parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {', '.join(STEPS)}")
    retweets, accounts = run.parse_size(args.size)
    workdir = (args.workdir or HERE / ".work" / args.size).resolve()
    workdir.mkdir(parents=True, exist_ok=True)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    data = run.ensure_data(workdir, retweets, accounts, args.seed, say)
    bindir = Path(sys.executable).parent
    cli = str(bindir / "retweetring") if (bindir / "retweetring").exists() else "retweetring"
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    env.pop("RETWEETRING_DB", None)
    walls: dict[tuple[str, str], list[float]] = {}
    rss: dict[tuple[str, str], float] = {}
    digests: dict[tuple[str, str], str] = {}
    try:
        server_cm = postgres.server()
        server = server_cm.__enter__()
    except postgres.NoServer as exc:
        say(f"no PostgreSQL server: {exc}")
        return 1
    try:
        sqlite_db = workdir / "bench-pg-compare.db"
        new_db = {
            "sqlite": lambda: (run.remove_db(sqlite_db), str(sqlite_db))[1],
            "postgresql": server.url,
        }
        for backend in ("sqlite", "postgresql"):
            db = new_db[backend]()
            if "import" not in steps:
                say(f"{backend}: importing {data.name} (untimed) ...")
                run.measure([cli, "--db", db, "import", str(data)], env=env)
            for step in steps:
                for i in range(args.runs):
                    if step == "import":
                        db = new_db[backend]()
                        argv = [cli, "--db", db, "import", str(data)]
                    else:
                        argv = [cli, "--db", db, step, "--format", "json"]
                    out = workdir / f"out-{backend}-{step}.json"
                    sample = run.measure(argv, stdout=out, env=env)
                    walls.setdefault((backend, step), []).append(sample.wall)
                    rss[(backend, step)] = max(rss.get((backend, step), 0.0), sample.rss_mb)
                    say(f"{backend} {step} run {i + 1}/{args.runs}: {sample.wall:.2f} s")
                    if step in CHECKED:
                        digests[(backend, step)] = hashlib.sha256(out.read_bytes()).hexdigest()
    finally:
        server_cm.__exit__(None, None, None)
    print(f"size {args.size}: {retweets:,} retweets among {accounts:,} accounts; "
          f"medians of {args.runs} run(s)")  # fmt: skip
    print("| step | SQLite | PostgreSQL | PostgreSQL / SQLite | peak RSS (SQLite / PG) |")
    print("|---|---|---|---|---|")
    for step in steps:
        lite = statistics.median(walls[("sqlite", step)])
        pg = statistics.median(walls[("postgresql", step)])
        print(
            f"| {step} | {lite:.2f} s | {pg:.2f} s | {pg / lite:.2f}x | "
            f"{rss[('sqlite', step)]:,.0f} / {rss[('postgresql', step)]:,.0f} MB |"
        )
    same = True
    for step in CHECKED:
        if step in steps:
            equal = digests[("sqlite", step)] == digests[("postgresql", step)]
            same = same and equal
            print(f"{step} JSON: {'the same bytes' if equal else 'DIFFERENT'} on both")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
