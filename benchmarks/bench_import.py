"""Import throughput on synthetic twarc2 JSONL, against parsing the same file as a baseline.

    python benchmarks/bench_import.py --retweets 200000 --runs 3

Prints the median of several runs for: parsing every line with orjson (the floor), importing
into a fresh SQLite file, and re-importing with --force (everything already stored).

With ``--measure``, each import runs in a forked child so that its peak memory (ru_maxrss)
and bytes written (``/proc/self/io``: ``wchar``, what SQLite handed to write(), and
``write_bytes``, what reached the disk) are its own; the database size (with any -wal left
beside it) and a plain re-import of the same file (skipped as already imported) are shown too.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_jsonl  # noqa: E402

from retweetring.sources.ingest import import_file  # noqa: E402
from retweetring.store.session import open_database  # noqa: E402


def _timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - start


def _io() -> dict[str, int]:
    with open("/proc/self/io") as f:
        return {k: int(v) for k, v in (line.split(": ") for line in f)}


def _child(conn, db: str, source: Path, force: bool) -> None:
    engine = open_database(db)
    before = _io()
    start = time.perf_counter()
    import_file(engine, source, force=force)
    seconds = time.perf_counter() - start
    engine.dispose()
    after = _io()
    conn.send(
        (
            seconds,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            after["wchar"] - before["wchar"],
            after["write_bytes"] - before["write_bytes"],
        )
    )
    conn.close()


def _measured(db: str, source: Path, force: bool = False) -> tuple[float, int, int, int]:
    """Import in a forked child; return its seconds, peak RSS and bytes written."""
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_child, args=(theirs, db, source, force))
    child.start()
    result = ours.recv()
    child.join()
    return result


def _db_bytes(path: str) -> int:
    return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))


def measure(args: argparse.Namespace, tmp: str, source: Path, parse) -> None:
    rows = {"parse": [], "import": [], "again": [], "skip": []}
    mb = 1e6
    for run in range(args.runs):
        rows["parse"].append(_timed(parse))
        path = f"{tmp}/run{run}.db"
        open_database(f"sqlite:///{path}").dispose()
        created = _db_bytes(path)
        rows["import"].append((*_measured(f"sqlite:///{path}", source), _db_bytes(path) - created))
        rows["skip"].append(_measured(f"sqlite:///{path}", source)[0])
        rows["again"].append(_measured(f"sqlite:///{path}", source, force=True))
    parse_s = statistics.median(rows["parse"])
    med = statistics.median
    imports = rows["import"]
    wall = med(r[0] for r in imports)
    print(f"orjson parse only        median {parse_s:6.2f} s")
    print(
        f"import, new database     median {wall:6.2f} s  x{wall / parse_s:5.1f} of parse"
        f"  runs: {', '.join(f'{r[0]:.2f}' for r in imports)}"
    )
    db = med(r[4] for r in imports)
    print(
        f"  peak RSS {med(r[1] for r in imports) / mb:.0f} MB; written (wchar) "
        f"{med(r[2] for r in imports) / mb:.0f} MB, to disk {med(r[3] for r in imports) / mb:.0f}"
        f" MB; database {db / mb:.0f} MB: wchar x{med(r[2] for r in imports) / db:.1f} of it"
    )
    skip = med(rows["skip"])
    print(f"re-import (skipped)      median {skip:6.2f} s  x{skip / parse_s:5.2f} of parse")
    again = rows["again"]
    forced = med(r[0] for r in again)
    print(
        f"re-import --force        median {forced:6.2f} s  x{forced / parse_s:5.1f} of parse"
        f"  peak RSS {med(r[1] for r in again) / mb:.0f} MB,"
        f" wchar {med(r[2] for r in again) / mb:.0f} MB"
    )
    size = source.stat().st_size / mb
    print(f"file: {args.retweets:,} retweets, {size:.0f} MB, {args.runs} runs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retweets", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--measure", action="store_true", help="also peak memory, bytes written, plain re-import"
    )
    parser.add_argument("--accounts", type=int, default=None, help="accounts in the file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        extra = {} if args.accounts is None else {"accounts": args.accounts}
        source = write_jsonl(Path(tmp) / "synthetic.jsonl", args.retweets, **extra)
        size_mb = source.stat().st_size / 1e6

        def parse() -> None:
            with source.open("rb") as lines:
                for line in lines:
                    orjson.loads(line)

        if args.measure:
            measure(args, tmp, source, parse)
            return

        parse_times, import_times, again_times = [], [], []
        for run in range(args.runs):
            parse_times.append(_timed(parse))
            engine = open_database(f"sqlite:///{tmp}/run{run}.db")
            import_times.append(_timed(import_file, engine, source))
            again_times.append(_timed(import_file, engine, source, force=True))
            engine.dispose()
    parse_s = statistics.median(parse_times)
    for label, times in (
        ("orjson parse only (baseline)", parse_times),
        ("import into a new database", import_times),
        ("re-import, all rows present", again_times),
    ):
        median = statistics.median(times)
        print(
            f"{label:32} median {median:6.2f} s  {args.retweets / median:9,.0f} retweets/s"
            f"  x{median / parse_s:5.1f} of parse   runs: {', '.join(f'{t:.2f}' for t in times)}"
        )
    print(f"file: {args.retweets:,} retweets, {size_mb:.0f} MB, {args.runs} runs")


if __name__ == "__main__":
    main()
