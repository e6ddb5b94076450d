"""What an import must do beyond parsing, each part alone: SQLite's work and the classifier's.

    python benchmarks/import_floor.py --db benchmarks/.work/1m/bench.db --file FILE --runs 3

Takes a database that ``retweetring import FILE`` filled (``benchmarks/run.py`` leaves one in
its work folder) and times, in one process on one core, medians of ``--runs``:

- parse-only: ``orjson.loads`` of every line of FILE, the baseline of the import's target;
- SQLite: the stored accounts, tweets and retweets inserted again into a new database with
  the import's own statements (``ON CONFLICT`` clauses, foreign keys and triggers on, the
  non-unique indexes dropped), in key order and one transaction, then the indexes built and
  the statistics and pair weights refreshed, each part timed;
- the classifier: ``classify_many`` on every stored tweet with its author's username, name
  and website, as the import classifies new tweets.

No row is built, looked up or folded in Python here, so the sum is a floor for the process
that writes, whatever the rest of the import does in another process. The garbage collector
is off throughout, as in the import.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from retweetring.promo import shipped_classifier
from retweetring.store import indexes, writer
from retweetring.store.dialect import dialect_of
from retweetring.store.pair_weights import refresh
from retweetring.store.session import loading_connection, open_database


def parse_only(path: Path) -> None:
    """Parse every line of ``path``."""
    loads = orjson.loads
    with path.open("rb", buffering=1 << 20) as lines:
        for line in lines:
            loads(line)


def stored_rows(db: Path) -> dict[str, list[tuple]]:
    """The rows of the tables an import writes, in the import's column order and key order."""
    columns = {
        "accounts": writer._ACCOUNT_COLUMNS,
        "tweets": writer._TWEET_COLUMNS,
        "retweets": writer._RETWEET_COLUMNS,
    }
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(
                f"SELECT {', '.join(names)} FROM {table} ORDER BY platform, id"
            ).fetchall()
            for table, names in columns.items()
        }


def load(rows: dict[str, list[tuple]]) -> dict[str, float]:
    """Insert ``rows`` into a new database as an import does; seconds per part."""
    parts: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(str(Path(folder) / "floor.db"))
        try:
            with loading_connection(engine) as conn:
                conn.begin()
                indexes.drop(conn)
                dialect = dialect_of(conn)
                for table, names, conflict in (
                    ("accounts", writer._ACCOUNT_COLUMNS, writer._account_conflict(dialect)),
                    ("tweets", writer._TWEET_COLUMNS, writer._KEEP_STORED),
                    ("retweets", writer._RETWEET_COLUMNS, writer._KEEP_STORED),
                ):
                    start = time.perf_counter()
                    for first in range(0, len(rows[table]), 100_000):
                        chunk = rows[table][first : first + 100_000]
                        dialect.insert_rows(conn, table, names, chunk, conflict)
                    parts[f"insert {table}"] = time.perf_counter() - start
                start = time.perf_counter()
                indexes.build_missing(conn, indexes.BUILD_CACHE_KIB)
                parts["build indexes"] = time.perf_counter() - start
                start = time.perf_counter()
                conn.commit()
                parts["commit"] = time.perf_counter() - start
            start = time.perf_counter()
            with engine.begin() as conn:
                dialect_of(conn).refresh_statistics(conn)
            refresh(engine)
            parts["ANALYZE and pair weights"] = time.perf_counter() - start
        finally:
            engine.dispose()
    return parts


def classify(db: Path) -> Callable[[], None]:
    """Classifying every stored tweet with its author, as the import does new ones."""
    with sqlite3.connect(db) as conn:
        calls = [
            (text, tuple(orjson.loads(urls)), username, name, url)
            for text, urls, username, name, url in conn.execute(
                "SELECT t.text, t.urls, a.username, a.name, a.url FROM tweets t "
                "JOIN accounts a ON a.platform = t.platform AND a.id = t.author_id"
            )
        ]
    classifier = shipped_classifier()
    return lambda: classifier.classify_many(calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database the import filled")
    parser.add_argument("--file", type=Path, required=True, help="the file it imported")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as the import does: with millions of rows held, collections dominate
    rows = stored_rows(args.db)
    classify_all = classify(args.db)
    timings: dict[str, list[float]] = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        parse_only(args.file)
        timings.setdefault("parse-only", []).append(time.perf_counter() - start)
        for part, seconds in load(rows).items():
            timings.setdefault(part, []).append(seconds)
        start = time.perf_counter()
        classify_all()
        timings.setdefault(f"classify {len(rows['tweets']):,} tweets", []).append(
            time.perf_counter() - start
        )
    medians = {part: statistics.median(values) for part, values in timings.items()}
    counts = ", ".join(f"{len(found):,} {table}" for table, found in rows.items())
    print(f"{counts}; medians of {args.runs} runs")
    for part, seconds in medians.items():
        print(f"  {part:34s} {seconds:7.2f} s")
    floor = sum(seconds for part, seconds in medians.items() if part != "parse-only")
    parse = medians["parse-only"]
    print(
        f"  {'SQLite and classifier together':34s} {floor:7.2f} s = {floor / parse:.2f}x parse-only"
    )
    print(f"  {'the target, 3x parse-only':34s} {3 * parse:7.2f} s")


if __name__ == "__main__":
    main()
