"""Reading and correcting stored data: accounts, tweets and their promotional overrides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Connection, Engine, and_, case, exists, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from retweetring.defaults import REVIEW_MARGIN
from retweetring.errors import UnknownAccountError, UnknownTweetError
from retweetring.graph import Window, in_window, is_promotional
from retweetring.records import PLATFORM_X, account_label
from retweetring.store.session import begin_write, connection
from retweetring.store.tables import accounts, members, retweets, tweets


@dataclass(frozen=True)
class AccountRow:
    """An account with what it wrote and retweeted."""

    id: int
    username: str | None
    name: str | None
    tweets: int
    promotional_tweets: int
    retweets: int
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True)
class TweetRow:
    """A stored original tweet and its classification."""

    id: int
    author: str
    """The author's username, or ``id:N`` when only the id is known."""
    created_at: datetime | None
    text: str
    urls: list[str]
    promotional: bool
    score: float
    reasons: str
    override: bool | None
    retweets: int


@dataclass(frozen=True)
class PostingRow:
    """How many original tweets an account posted in a window, and how many were promotional."""

    id: int
    username: str | None
    originals: int
    promotional: int


def normalise_username(username: str) -> str:
    """Return ``username`` without a leading ``@`` and surrounding spaces."""
    return username.strip().lstrip("@").strip()


def count_accounts(db: Engine | Connection, platform: str = PLATFORM_X) -> int:
    """Return how many accounts are stored."""
    with connection(db) as conn:
        return (
            conn.scalar(
                select(func.count()).select_from(accounts).where(accounts.c.platform == platform)
            )
            or 0
        )


def find_account(db: Engine | Connection, username: str, platform: str = PLATFORM_X) -> int:
    """Return the id of the account called ``username`` (case-insensitive, ``@`` optional).

    Raises
    ------
    UnknownAccountError
        No stored account has that username.
    """
    wanted = normalise_username(username)
    with connection(db) as conn:
        found = conn.scalar(
            select(accounts.c.id)
            .where(
                accounts.c.platform == platform, func.lower(accounts.c.username) == wanted.lower()
            )
            .order_by(accounts.c.last_seen.desc())
            .limit(1)
        )
    if found is None:
        raise UnknownAccountError(f"no account @{wanted} in the database")
    return found


def list_accounts(
    db: Engine | Connection, *, limit: int | None = None, platform: str = PLATFORM_X
) -> list[AccountRow]:
    """Return accounts with their tweet and retweet counts, most active first."""
    tweeted = (
        select(
            tweets.c.author_id.label("account"),
            func.count().label("tweets"),
            func.sum(case((is_promotional(), 1), else_=0)).label("promo"),
        )
        .where(tweets.c.platform == platform)
        .group_by(tweets.c.author_id)
        .subquery()
    )
    retweeted = (
        select(retweets.c.retweeter_id.label("account"), func.count().label("retweets"))
        .where(retweets.c.platform == platform)
        .group_by(retweets.c.retweeter_id)
        .subquery()
    )
    n_tweets = func.coalesce(tweeted.c.tweets, 0)
    n_retweets = func.coalesce(retweeted.c.retweets, 0)
    query = (
        select(
            accounts.c.id,
            accounts.c.username,
            accounts.c.name,
            n_tweets,
            func.coalesce(tweeted.c.promo, 0),
            n_retweets,
            accounts.c.first_seen,
            accounts.c.last_seen,
        )
        .outerjoin(tweeted, tweeted.c.account == accounts.c.id)
        .outerjoin(retweeted, retweeted.c.account == accounts.c.id)
        .where(accounts.c.platform == platform)
        .order_by((n_tweets + n_retweets).desc(), func.lower(accounts.c.username), accounts.c.id)
        .limit(limit)
    )
    with connection(db) as conn:
        return [AccountRow(*row) for row in conn.execute(query)]


def posting_counts(
    db: Engine | Connection, window: Window | None = None, *, platform: str = PLATFORM_X
) -> list[PostingRow]:
    """Return each account's original tweets in ``window`` and how many are promotional.

    An original tweet is in the window when its ``created_at`` is in ``[since, until)``;
    promotional means the user's override, else the classifier's decision. Every member and
    every account with at least one stored tweet (at any time) has a row, with zeros when it
    posted nothing in the window; accounts that only retweeted, and are not members, have none.
    Rows are in account id order. ``window`` None: all time.
    """
    posted = (
        select(
            tweets.c.author_id.label("account"),
            func.count().label("originals"),
            func.sum(case((is_promotional(), 1), else_=0)).label("promotional"),
        )
        .where(tweets.c.platform == platform, in_window(tweets.c.created_at, window or Window()))
        .group_by(tweets.c.author_id)
        .subquery()
    )
    member = exists().where(
        members.c.platform == accounts.c.platform, members.c.account_id == accounts.c.id
    )
    wrote = exists().where(
        tweets.c.platform == accounts.c.platform, tweets.c.author_id == accounts.c.id
    )
    query = (
        select(
            accounts.c.id,
            accounts.c.username,
            func.coalesce(posted.c.originals, 0),
            func.coalesce(posted.c.promotional, 0),
        )
        .outerjoin(posted, posted.c.account == accounts.c.id)
        .where(accounts.c.platform == platform, or_(member, wrote))
        .order_by(accounts.c.id)
    )
    with connection(db) as conn:
        return [PostingRow(*row) for row in conn.execute(query)]


def list_tweets(
    db: Engine | Connection,
    *,
    author_id: int | None = None,
    promotional: bool | None = None,
    limit: int | None = 50,
    platform: str = PLATFORM_X,
) -> list[TweetRow]:
    """Return stored original tweets, newest first, optionally by one author or kind."""
    retweet_counts = (
        select(retweets.c.original_id, func.count().label("n"))
        .where(retweets.c.platform == platform)
        .group_by(retweets.c.original_id)
        .subquery()
    )
    query = (
        select(
            tweets.c.id,
            accounts.c.username,
            tweets.c.created_at,
            tweets.c.text,
            tweets.c.urls,
            is_promotional(),
            tweets.c.promo_score,
            tweets.c.promo_reason,
            tweets.c.promo_override,
            func.coalesce(retweet_counts.c.n, 0),
            tweets.c.author_id,
        )
        .join(
            accounts,
            (accounts.c.platform == tweets.c.platform) & (accounts.c.id == tweets.c.author_id),
        )
        .outerjoin(retweet_counts, retweet_counts.c.original_id == tweets.c.id)
        .where(tweets.c.platform == platform)
        .order_by(tweets.c.created_at.desc(), tweets.c.id.desc())
        .limit(limit)
    )
    if author_id is not None:
        query = query.where(tweets.c.author_id == author_id)
    if promotional is not None:
        query = query.where(is_promotional() == promotional)
    with connection(db) as conn:
        return [
            TweetRow(
                id=row[0],
                author=account_label(row[10], row[1]),
                created_at=row[2],
                text=row[3],
                urls=orjson.loads(row[4]),
                promotional=bool(row[5]),
                score=row[6],
                reasons=row[7],
                override=row[8],
                retweets=row[9],
            )
            for row in conn.execute(query)
        ]


def set_promo_override(
    engine: Engine, tweet_id: int, value: bool | None, platform: str = PLATFORM_X
) -> None:
    """Mark a tweet promotional (True) or personal (False), or clear the mark (None).

    Raises
    ------
    UnknownTweetError
        No original tweet with that id is stored.
    """
    from retweetring.store.pair_weights import fresh_platforms, keep_fresh

    with begin_write(engine) as conn:
        fresh = fresh_platforms(conn)
        author = conn.execute(
            update(tweets)
            .where(tweets.c.platform == platform, tweets.c.id == tweet_id)
            .values(promo_override=value)
            .returning(tweets.c.author_id)
        ).scalar()
        changed = author is not None
        if changed:
            keep_fresh(conn, fresh, platform, [author])
    if not changed:
        raise UnknownTweetError(
            f"no original tweet {tweet_id} in the database (retweets themselves cannot be marked)"
        )


def _stale(version: str, platform: str) -> ColumnElement[bool]:
    """SQL: the tweet's decision counts and was made by another model than ``version``."""
    return and_(
        tweets.c.platform == platform,
        tweets.c.promo_override.is_(None),
        or_(tweets.c.promo_model.is_(None), tweets.c.promo_model != version),
    )


def count_stale_decisions(db: Engine | Connection, version: str, platform: str = PLATFORM_X) -> int:
    """Return how many stored decisions without an override another model than ``version`` made.

    Tweets whose ``promo_model`` is NULL (decided before decisions recorded their model)
    count as stale. An ``EXISTS`` query comes first, so the usual answer, 0 once everything is
    reclassified, costs no count.
    """
    stale = _stale(version, platform)
    with connection(db) as conn:
        if not conn.scalar(select(exists().where(stale))):
            return 0
        return conn.scalar(select(func.count()).select_from(tweets).where(stale)) or 0


_EPSILON = 1e-9
"""Scores this close to the margin's edge count as inside it (0.7 - 0.5 is not 0.2 in floats)."""


def review_tweets(
    db: Engine | Connection,
    threshold: float,
    *,
    margin: float = REVIEW_MARGIN,
    limit: int | None = 20,
    platform: str = PLATFORM_X,
) -> list[TweetRow]:
    """Return the tweets whose decision matters most and is least certain, most important first.

    A tweet is listed when it has no override, someone other than its author retweeted it,
    and its score is within ``margin`` of ``threshold`` (inclusive). ``retweets`` counts the
    accounts other than the author that retweeted it: the support events its decision
    decides. The order is ``retweets`` descending, then distance from the threshold, then id.

    Parameters
    ----------
    db : Engine or Connection
        The database to read.
    threshold : float
        The classifier's threshold: a tweet is promotional when its score reaches it.
    margin : float
        How far from ``threshold`` a score may be.
    limit : int or None
        List at most this many; None lists all.
    platform : str
        The network whose tweets to list.

    Returns
    -------
    list of TweetRow
        With ``override`` always None.
    """
    retweeters = (
        select(func.count(func.distinct(retweets.c.retweeter_id)))
        .where(
            retweets.c.platform == tweets.c.platform,
            retweets.c.original_id == tweets.c.id,
            retweets.c.retweeter_id != tweets.c.author_id,
        )
        .correlate(tweets)
        .scalar_subquery()
    )
    distance = func.abs(tweets.c.promo_score - threshold)
    candidates = (
        select(
            tweets.c.id,
            accounts.c.username,
            tweets.c.created_at,
            tweets.c.text,
            tweets.c.urls,
            tweets.c.is_promotional,
            tweets.c.promo_score,
            tweets.c.promo_reason,
            distance.label("distance"),
            retweeters.label("retweets"),
            tweets.c.author_id,
        )
        .outerjoin(
            accounts,
            (accounts.c.platform == tweets.c.platform) & (accounts.c.id == tweets.c.author_id),
        )
        .where(
            tweets.c.platform == platform,
            tweets.c.promo_override.is_(None),
            distance <= margin + _EPSILON,
        )
        .subquery()
    )
    c = candidates.c
    query = (
        select(candidates)
        .where(c.retweets > 0)
        .order_by(c.retweets.desc(), c.distance, c.id)
        .limit(limit)
    )
    with connection(db) as conn:
        return [
            TweetRow(
                id=row.id,
                author=account_label(row.author_id, row.username),
                created_at=row.created_at,
                text=row.text,
                urls=orjson.loads(row.urls),
                promotional=bool(row.is_promotional),
                score=row.promo_score,
                reasons=row.promo_reason,
                override=None,
                retweets=row.retweets,
            )
            for row in conn.execute(query)
        ]
