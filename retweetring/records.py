"""The record types every source yields and the store writes.

Records are plain named tuples so that millions of them stay cheap and can be handed to the
database driver without conversion. Times are naive UTC ``datetime`` objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

PLATFORM_X = "x"


def account_label(account_id: int, username: str | None) -> str:
    """How an account is shown: its username, or ``id:N`` when only its id is known.

    >>> account_label(12, "hollys_bakery"), account_label(12, None)
    ('hollys_bakery', 'id:12')
    """
    return username or f"id:{account_id}"


class Account(NamedTuple):
    """An account seen in the data; ``username``/``name`` are None when only the id is known."""

    platform: str
    id: int
    username: str | None
    name: str | None
    seen_at: datetime | None
    url: str | None = None
    """The profile's website, when the data has it."""


class Tweet(NamedTuple):
    """An original tweet (not a retweet): something that can be supported by retweeting it."""

    platform: str
    id: int
    author_id: int
    created_at: datetime | None
    text: str
    urls: tuple[str, ...]


class Retweet(NamedTuple):
    """A retweet, keyed by the retweet's own tweet id."""

    platform: str
    id: int
    retweeter_id: int
    original_id: int
    created_at: datetime | None


class PageRecords(NamedTuple):
    """What one API page (or one line of a JSONL file) contributes to the database.

    Pages read by a second process (:mod:`retweetring.sources.pipeline`) hold plain tuples
    of the same fields in the same order, which is how the store reads every record.
    """

    accounts: list[Account]
    tweets: list[Tweet]
    retweets: list[Retweet]
    unattributed: int
    """Retweets whose original tweet is missing from the page, so they cannot be attributed."""
    repeated: int = 0
    """Original tweets of the page left out of ``tweets`` because the file gave them on an
    earlier page, where they were written; they count among the tweets the page offered."""

    @property
    def tweets_offered(self) -> int:
        """The page's original tweets, with those left out as repeated."""
        return len(self.tweets) + self.repeated


PLATFORM_BLUESKY = "bluesky"
PLATFORM_MASTODON = "mastodon"
PLATFORMS = (PLATFORM_X, PLATFORM_BLUESKY, PLATFORM_MASTODON)
"""Every network retweetring reads, in the order outputs list them."""


class SocialAccount(NamedTuple):
    """An account on a platform whose ids are strings (Bluesky DID, Mastodon account URI).

    ``handle`` is the name people type (``bea.bsky.social``, ``bea@mastodon.social``).
    """

    platform: str
    key: str
    handle: str | None
    name: str | None
    seen_at: datetime | None
    url: str | None = None


class SocialPost(NamedTuple):
    """An original post keyed by a string (Bluesky AT-URI, Mastodon status ``uri``)."""

    platform: str
    key: str
    author_key: str
    created_at: datetime | None
    text: str
    urls: tuple[str, ...]
    repost_count: int | None = None
    """How many times the server says it was reposted (``repostCount``, ``reblogs_count``)."""


class SocialRepost(NamedTuple):
    """A repost or boost of ``original_key`` by ``reposter_key``.

    ``exact`` is False when the platform gave no repost time of its own (``created_at`` is then
    when it was indexed, or None for reposter lists), as for X's ``retweeted_by``.
    """

    platform: str
    key: str
    reposter_key: str
    original_key: str
    created_at: datetime | None
    exact: bool


class SocialCheckpoint(NamedTuple):
    """Where the next collection of one member's feed stops: the newest item already seen."""

    platform: str
    member_key: str
    newest: str
    """Bluesky: the newest feed item's URI; Mastodon: the newest status id on the home server."""
    newest_at: datetime | None


class SocialPage(NamedTuple):
    """What one page of a Bluesky or Mastodon answer contributes to the database."""

    accounts: list[SocialAccount]
    posts: list[SocialPost]
    reposts: list[SocialRepost]
