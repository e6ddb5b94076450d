"""Synthetic twarc2 JSONL in the real X API v2 shape, at any size, for benchmarks.

Accounts retweet originals of other accounts with a heavy-tailed popularity; about half of
the originals read as promotional. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

PROMO = "Christmas orders now open! 20% off with code XMAS20, order online {url}"
PERSONAL = "Lovely walk on the beach this morning with the dog {url}"
START = datetime(2026, 1, 5, tzinfo=timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def pages(
    retweets: int,
    accounts: int = 10_000,
    originals: int = 100_000,
    seed: int = 1,
    returned: float = 0.3,
) -> Iterator[dict]:
    """Yield API v2 pages of 100 retweets each, with their originals and users included.

    A retweet is returned with probability ``returned``: the next retweet is the original
    author retweeting one of the retweeter's originals, which makes mutual pairs.
    """
    rng = random.Random(seed)
    users = [
        {"id": str(10_000 + i), "username": f"shop{i}", "name": f"Shop {i}"}
        for i in range(accounts)
    ]
    authors = [int(rng.paretovariate(1.1)) % accounts for _ in range(originals)]
    by_author: dict[int, list[int]] = {}
    for original, author in enumerate(authors):
        by_author.setdefault(author, []).append(original)
    made = 0
    favour: tuple[int, int] | None = None  # (original, retweeter) owed in return
    while made < retweets:
        data, included, people = [], {}, {}
        for _ in range(min(100, retweets - made)):
            if favour is not None:
                original, retweeter = favour
                favour = None
            else:
                original = int(rng.paretovariate(1.05)) % originals
                retweeter = rng.randrange(accounts)
                if rng.random() < returned and retweeter in by_author:
                    favour = (rng.choice(by_author[retweeter]), authors[original])
            author = authors[original]
            when = START + timedelta(seconds=made * 17)
            oid = str(1_000_000_000 + original)
            site = f"https://shop{author}.example/"
            text = (PROMO if original % 2 else PERSONAL).format(url="https://t.co/x")
            included[oid] = {
                "id": oid,
                "author_id": users[author]["id"],
                "created_at": _stamp(START),
                "text": text,
                "entities": {"urls": [{"url": "https://t.co/x", "expanded_url": site}]},
            }
            data.append(
                {
                    "id": str(5_000_000_000 + made),
                    "author_id": users[retweeter]["id"],
                    "created_at": _stamp(when),
                    "text": f"RT @{users[author]['username']}: {text}",
                    "referenced_tweets": [{"type": "retweeted", "id": oid}],
                }
            )
            people[author] = users[author]
            people[retweeter] = users[retweeter]
            made += 1
        yield {
            "data": data,
            "includes": {"users": list(people.values()), "tweets": list(included.values())},
            "meta": {"result_count": len(data)},
        }


def write_jsonl(path: Path, retweets: int, **kwargs: int) -> Path:
    """Write ``pages(retweets, ...)`` to ``path`` as JSON Lines and return the path."""
    with path.open("wb") as out:
        for page in pages(retweets, **kwargs):
            out.write(orjson.dumps(page) + b"\n")
    return path
