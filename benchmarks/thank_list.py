"""How long `retweetring thank` takes on a large database, with and without SQLite statistics.

Builds a synthetic database (default 100k accounts, 300k tweets, 1M retweets over 46 weeks;
about a minute) and times ``thank_list`` for the most retweeted account and an ordinary one,
first as imported, then after ``ANALYZE``. Prints medians of 5 runs and the ratio.

    python benchmarks/thank_list.py [--retweets 1000000] [--db /tmp/bench-thank.db]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from retweetring.store.session import open_database
from retweetring.thanks.lists import thank_list

START = datetime(2026, 1, 5)
WEEKS = 46


def build(path: Path, retweets: int) -> None:
    """Write a synthetic community: a few popular accounts and many ordinary ones."""
    open_database(str(path)).dispose()
    rnd = random.Random(1)
    accounts, tweets = retweets // 10, retweets * 3 // 10
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO accounts VALUES ('x', ?, ?, NULL, NULL, NULL)",
        ((i, f"user{i}") for i in range(accounts)),
    )
    con.executemany(
        "INSERT INTO tweets VALUES ('x', ?, ?, ?, 'Order now, 10% off', '[]', 1, 1.0, '', NULL)",
        (
            (
                10**9 + t,
                rnd.randrange(200) if t % 10 == 0 else rnd.randrange(accounts),
                (START + timedelta(minutes=t)).isoformat(" "),
            )
            for t in range(tweets)
        ),
    )
    seconds = WEEKS * 7 * 86400
    con.executemany(
        "INSERT INTO retweets VALUES ('x', ?, ?, ?, ?)",
        (
            (
                2 * 10**9 + r,
                rnd.randrange(accounts),
                10**9 + rnd.randrange(tweets),
                (START + timedelta(seconds=rnd.randrange(seconds))).isoformat(" ", "microseconds"),
            )
            for r in range(retweets)
        ),
    )
    con.commit()
    con.close()


def median_seconds(path: Path, username: str, week: str) -> float:
    """Median wall time of 5 ``thank_list`` calls."""
    engine = open_database(str(path))
    times = []
    for _ in range(5):
        began = time.perf_counter()
        thank_list(engine, username, week)
        times.append(time.perf_counter() - began)
    engine.dispose()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retweets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep the database here (default: temporary)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-thank-"))
    path = args.db or folder / "bench.db"
    try:
        if not path.exists():
            began = time.perf_counter()
            build(path, args.retweets)
            print(f"built {args.retweets:,} retweets in {time.perf_counter() - began:.1f} s")
        with sqlite3.connect(path) as con:
            busiest = con.execute(
                "SELECT t.author_id FROM retweets r JOIN tweets t"
                " ON t.platform = r.platform AND t.id = r.original_id"
                " GROUP BY t.author_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
        cases = [(f"user{busiest}", "busiest account"), ("user54321", "ordinary account")]
        before = {user: median_seconds(path, user, "2026-W30") for user, _ in cases}
        with sqlite3.connect(path) as con:
            con.execute("ANALYZE")
        after = {user: median_seconds(path, user, "2026-W30") for user, _ in cases}
        for user, what in cases:
            print(
                f"{what:17} without statistics {before[user]:.3f} s, after ANALYZE "
                f"{after[user]:.3f} s (x{before[user] / after[user]:.0f})"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
