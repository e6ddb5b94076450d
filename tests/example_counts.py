"""The bundled example's support events, counted from its JSONL with the standard library.

The count applies the definitions with plain dicts: no normaliser, store, SQL, graph or
thank-list code is shared with the product. Only the promotional classifier is shared, because
it is part of the definition of support.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from retweetring.promo import shipped_classifier

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"


@dataclass(frozen=True)
class Event:
    """``supporter`` retweeted ``supported``'s promotional tweet ``tweet`` at ``at`` (UTC)."""

    supporter: str
    supported: str
    tweet: str
    at: datetime


@cache
def support_events() -> tuple[Event, ...]:
    """Every support event of the example: each stored retweet once, self-retweets left out."""
    users: dict[str, dict] = {}
    tweets: dict[str, dict] = {}
    retweets: dict[str, tuple[str, str, str]] = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        for user in page["includes"]["users"]:
            users[user["id"]] = user
        for tweet in page["data"] + page["includes"].get("tweets", []):
            kinds = {ref["type"]: ref["id"] for ref in tweet.get("referenced_tweets", [])}
            if "retweeted" in kinds:
                retweet = (tweet["author_id"], kinds["retweeted"], tweet["created_at"])
                retweets[tweet["id"]] = retweet
            else:
                tweets[tweet["id"]] = tweet
    classifier = shipped_classifier()
    events = []
    for retweeter, original_id, created_at in retweets.values():
        original = tweets[original_id]
        author = users[original["author_id"]]
        urls = [
            u.get("expanded_url") or u["url"] for u in original.get("entities", {}).get("urls", [])
        ]
        promotional = classifier.classify(
            original["text"], urls, author["username"], author["name"], author.get("url")
        ).promotional
        if retweeter != original["author_id"] and promotional:
            at = datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%S.%fZ")
            events.append(Event(users[retweeter]["username"], author["username"], original_id, at))
    return tuple(events)


def authors() -> set[str]:
    """The usernames of everyone who wrote an original tweet in the example."""
    users: dict[str, str] = {}
    found: set[str] = set()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        users.update({u["id"]: u["username"] for u in page["includes"]["users"]})
        for tweet in page["data"] + page["includes"].get("tweets", []):
            if not any(r["type"] == "retweeted" for r in tweet.get("referenced_tweets", [])):
                found.add(tweet["author_id"])
    return {users[i] for i in found}


def weights(
    since: datetime | None = None, until: datetime | None = None
) -> dict[tuple[str, str], int]:
    """w(X -> Y): the distinct tweets of Y that X retweeted in ``[since, until)``."""
    tweets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in support_events():
        if (since is None or e.at >= since) and (until is None or e.at < until):
            tweets[(e.supporter, e.supported)].add(e.tweet)
    return {pair: len(ids) for pair, ids in tweets.items()}


def accounts(w: dict[tuple[str, str], int]) -> set[str]:
    """The accounts that give or receive support in ``w``."""
    return {name for pair in w for name in pair}


def mutual_pairs(w: dict[tuple[str, str], int], k: int = 1) -> set[frozenset[str]]:
    """The pairs {X, Y} with w(X -> Y) >= k and w(Y -> X) >= k."""
    return {frozenset((a, b)) for (a, b), n in w.items() if n >= k and w.get((b, a), 0) >= k}


def week_start(label: str, tz: str) -> datetime:
    """Monday 00:00 in ``tz`` of the ISO week ``label`` (``2026-W47``), as naive UTC."""
    year, week = label.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    local = datetime.combine(monday, time(), ZoneInfo(tz))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def thank_rows(username: str, label: str, tz: str) -> dict[str, tuple[int, bool, bool]]:
    """``username``'s supporters in the week: {supporter: (retweets, new, returned)}."""
    start = week_start(label, tz)
    end = week_start(_next_week(label), tz)
    four_weeks = week_start(_next_week(label, -3), tz)
    this_week = weights(start, end)
    before = weights(until=start)
    returned = weights(four_weeks, end)
    return {
        x: (n, (x, username) not in before, (username, x) in returned)
        for (x, y), n in this_week.items()
        if y == username
    }


def _next_week(label: str, weeks: int = 1) -> str:
    year, week = label.split("-W")
    moved = date.fromisocalendar(int(year), int(week), 1) + timedelta(weeks=weeks)
    iso = moved.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"
