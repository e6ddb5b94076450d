"""Time importing a synthetic X archive: parse only, records only, and the whole import.

Usage: python benchmarks/archive_import.py [TWEETS]   (default 100,000; half are retweets)

Prints the median of 3 runs of each step, the ratio of the whole import to the JSON parse, and
the time the promotional classifier alone takes on the same tweets.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import orjson

from retweetring.promo import classify
from retweetring.sources.archive import open_archive
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database

OWNER = {"accountId": "900100", "username": "harbour_cafe", "accountDisplayName": "Harbour"}
TEXTS = [
    "Fresh sourdough today, 20% off all loaves - order now at the shop! https://t.co/abc",
    "What a beautiful sunrise over the harbour this morning, thanks everyone for coming by.",
]


def build(path: Path, n: int) -> None:
    entries = []
    for i in range(n):
        text = TEXTS[i % 2] + f" #{i}"
        mentions = []
        if i % 2:
            author = 700_000 + i % 500
            text = f"RT @user{author}: " + text
            mentions = [{"screen_name": f"user{author}", "name": "U", "id_str": str(author)}]
        entries.append(
            {
                "tweet": {
                    "id_str": str(1_800_000_000_000_000_000 + i),
                    "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                    "full_text": text[:140],
                    "entities": {"user_mentions": mentions, "urls": [], "hashtags": []},
                    "retweeted": False,
                    "favorite_count": "0",
                    "source": '<a href="https://mobile.twitter.com">Twitter Web App</a>',
                }
            }
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "data/account.js", "window.YTD.account.part0 = " + json.dumps([{"account": OWNER}])
        )
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(entries, indent=2))


def median(step: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.zip"
        build(path, n)
        raw = zipfile.ZipFile(path).read("data/tweets.js")
        prefix = len("window.YTD.tweets.part0 = ")
        runs = iter(range(100))

        def whole() -> None:
            engine = open_database(str(Path(tmp) / f"db{next(runs)}.sqlite"))
            import_file(engine, path)
            engine.dispose()

        parse = median(lambda: orjson.loads(raw[prefix:]))
        records = median(lambda: open_archive(path).read())  # type: ignore[union-attr]
        read = open_archive(path).read()  # type: ignore[union-attr]
        texts = [t.text for _, page in read.entries for t in getattr(page, "tweets", ())]
        del read
        classifying = median(lambda: [classify(text) for text in texts])
        total = median(whole)
        zipped = path.stat().st_size / 2**20
        print(f"{n:,} tweets, tweets.js {len(raw) / 2**20:.1f} MiB, zip {zipped:.1f} MiB")
        print(f"orjson parse only       {parse:7.2f} s")
        print(f"unzip + parse + records {records:7.2f} s  ({records / parse:.1f}x parse)")
        share = classifying / total
        print(f"classify every tweet    {classifying:7.2f} s  ({share:.0%} of the import)")
        rate = n / total
        print(
            f"whole import            {total:7.2f} s  ({total / parse:.1f}x parse, {rate:,.0f}/s)"
        )


if __name__ == "__main__":
    main()
