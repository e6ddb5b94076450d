"""Import throughput on synthetic twarc2 JSONL, against parsing the same file as a baseline.

    python benchmarks/bench_import.py --retweets 200000 --runs 3

Prints the median of several runs for: parsing every line with orjson (the floor), importing
into a fresh SQLite file, and re-importing with --force (everything already stored).
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retweets", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(Path(tmp) / "synthetic.jsonl", args.retweets)
        size_mb = source.stat().st_size / 1e6

        def parse() -> None:
            with source.open("rb") as lines:
                for line in lines:
                    orjson.loads(line)

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
