"""What the collector's per-page durability costs: one transaction per page (rows, checkpoint,
ledger) against writing the same pages in large import-style batches.

No network: a stub stands in for the X API and yields pages of 100 tweets (half of them
retweets, with their originals in ``includes``). Prints the median of 3 runs and the ratio.

    python benchmarks/collect_pages.py [MEMBERS] [PAGES_PER_MEMBER]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from retweetring.records import PLATFORM_X
from retweetring.sources.collect import Ledger, collect
from retweetring.sources.v2 import normalise_page
from retweetring.sources.x_api import ApiPage
from retweetring.store.models import Account, Member
from retweetring.store.session import open_database
from retweetring.store.writer import write_pages

SERVED = datetime(2026, 11, 26, 6, 0, 0)
BASE_ID = 2_000_000_000_000_000_000


def make_pages(members: int, pages: int) -> dict[int, list[dict[str, Any]]]:
    """Each member's timeline as API pages, newest first."""
    out: dict[int, list[dict[str, Any]]] = {}
    next_id = BASE_ID
    for m in range(members):
        uid = 1000 + m
        timeline = []
        for p in range(pages):
            data, originals = [], []
            for i in range(100):
                next_id += 1
                tweet: dict[str, Any] = {
                    "id": str(next_id),
                    "author_id": str(uid),
                    "created_at": "2026-11-20T10:00:00.000Z",
                    "text": f"20% off sourdough today, order now! #{p}-{i}",
                }
                if i % 2:
                    next_id += 1
                    author = 1000 + (m + 1 + i) % members
                    originals.append(
                        {
                            "id": str(next_id),
                            "author_id": str(author),
                            "text": "Christmas orders now open - book online",
                        }
                    )
                    tweet["referenced_tweets"] = [{"type": "retweeted", "id": str(next_id)}]
                data.append(tweet)
            users = [
                {"id": str(1000 + k), "username": f"shop{k}", "name": f"Shop {k}"}
                for k in range(members)
            ]
            meta: dict[str, Any] = {"result_count": 100}
            if p < pages - 1:
                meta["next_token"] = f"t{p + 1}"
            timeline.append(
                {"data": data, "includes": {"tweets": originals, "users": users}, "meta": meta}
            )
        out[uid] = timeline
    return out


class StubApi:
    """Yields prepared pages as the X API would; counts nothing, waits for nothing."""

    def __init__(self, timelines: dict[int, list[dict[str, Any]]]) -> None:
        self.timelines = timelines

    def user_tweets(self, user_id: int, **_: Any) -> Iterator[ApiPage]:
        for body in self.timelines[user_id]:
            yield ApiPage(body, SERVED)


def _fresh_db(tmp: Path, name: str, members: int) -> Any:
    engine = open_database(str(tmp / name))
    with engine.begin() as conn:
        conn.execute(
            insert(Account),
            [
                {"platform": PLATFORM_X, "id": 1000 + m, "username": f"shop{m}", "name": None}
                for m in range(members)
            ],
        )
        conn.execute(
            insert(Member),
            [
                {"platform": PLATFORM_X, "account_id": 1000 + m, "added_at": SERVED}
                for m in range(members)
            ],
        )
    return engine


def run_collect(tmp: Path, timelines: dict[int, list[dict[str, Any]]], n: int) -> float:
    engine = _fresh_db(tmp, f"collect{n}.db", len(timelines))
    start = time.perf_counter()
    collect(engine, StubApi(timelines), Ledger())  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def run_batched(tmp: Path, timelines: dict[int, list[dict[str, Any]]], n: int) -> float:
    engine = _fresh_db(tmp, f"batched{n}.db", len(timelines))
    bodies = [body for pages in timelines.values() for body in pages]
    start = time.perf_counter()
    for i in range(0, len(bodies), 200):
        records = [normalise_page(b, seen_at=SERVED) for b in bodies[i : i + 200]]
        with engine.begin() as conn:
            write_pages(conn, records)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    timelines = make_pages(members, pages)
    total = members * pages
    with tempfile.TemporaryDirectory() as tmp:
        per_page = [run_collect(Path(tmp), timelines, n) for n in range(3)]
        batched = [run_batched(Path(tmp), timelines, n) for n in range(3)]
    a, b = statistics.median(per_page), statistics.median(batched)
    print(f"{members} members x {pages} pages x 100 tweets = {total * 100:,} tweets")
    print(f"collect, one transaction per page : {a:.3f} s ({total / a:,.0f} pages/s)")
    print(f"same pages, batches of 200 pages  : {b:.3f} s ({total / b:,.0f} pages/s)")
    print(f"ratio per-page / batched          : {a / b:.2f}")


if __name__ == "__main__":
    main()
