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
from retweetring.store.models import Account, Member, Retweet, Tweet
from retweetring.store.session import begin_write, connection


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
                select(func.count()).select_from(Account).where(Account.platform == platform)
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
            select(Account.id)
            .where(Account.platform == platform, func.lower(Account.username) == wanted.lower())
            .order_by(Account.last_seen.desc())
            .limit(1)
        )
    if found is None:
        raise UnknownAccountError(f"no account @{wanted} in the database")
    return found


def list_accounts(
    db: Engine | Connection, *, limit: int | None = None, platform: str = PLATFORM_X
) -> list[AccountRow]:
    """Return accounts with their tweet and retweet counts, most active first."""
    tweets = (
        select(
            Tweet.author_id.label("account"),
            func.count().label("tweets"),
            func.sum(case((is_promotional(), 1), else_=0)).label("promo"),
        )
        .where(Tweet.platform == platform)
        .group_by(Tweet.author_id)
        .subquery()
    )
    retweets = (
        select(Retweet.retweeter_id.label("account"), func.count().label("retweets"))
        .where(Retweet.platform == platform)
        .group_by(Retweet.retweeter_id)
        .subquery()
    )
    n_tweets = func.coalesce(tweets.c.tweets, 0)
    n_retweets = func.coalesce(retweets.c.retweets, 0)
    query = (
        select(
            Account.id,
            Account.username,
            Account.name,
            n_tweets,
            func.coalesce(tweets.c.promo, 0),
            n_retweets,
            Account.first_seen,
            Account.last_seen,
        )
        .outerjoin(tweets, tweets.c.account == Account.id)
        .outerjoin(retweets, retweets.c.account == Account.id)
        .where(Account.platform == platform)
        .order_by((n_tweets + n_retweets).desc(), func.lower(Account.username), Account.id)
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
            Tweet.author_id.label("account"),
            func.count().label("originals"),
            func.sum(case((is_promotional(), 1), else_=0)).label("promotional"),
        )
        .where(Tweet.platform == platform, in_window(Tweet.created_at, window or Window()))
        .group_by(Tweet.author_id)
        .subquery()
    )
    member = exists().where(Member.platform == Account.platform, Member.account_id == Account.id)
    wrote = exists().where(Tweet.platform == Account.platform, Tweet.author_id == Account.id)
    query = (
        select(
            Account.id,
            Account.username,
            func.coalesce(posted.c.originals, 0),
            func.coalesce(posted.c.promotional, 0),
        )
        .outerjoin(posted, posted.c.account == Account.id)
        .where(Account.platform == platform, or_(member, wrote))
        .order_by(Account.id)
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
    retweets = (
        select(Retweet.original_id, func.count().label("n"))
        .where(Retweet.platform == platform)
        .group_by(Retweet.original_id)
        .subquery()
    )
    query = (
        select(
            Tweet.id,
            Account.username,
            Tweet.created_at,
            Tweet.text,
            Tweet.urls,
            is_promotional(),
            Tweet.promo_score,
            Tweet.promo_reason,
            Tweet.promo_override,
            func.coalesce(retweets.c.n, 0),
            Tweet.author_id,
        )
        .join(Account, (Account.platform == Tweet.platform) & (Account.id == Tweet.author_id))
        .outerjoin(retweets, retweets.c.original_id == Tweet.id)
        .where(Tweet.platform == platform)
        .order_by(Tweet.created_at.desc(), Tweet.id.desc())
        .limit(limit)
    )
    if author_id is not None:
        query = query.where(Tweet.author_id == author_id)
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
    with begin_write(engine) as conn:
        changed = conn.execute(
            update(Tweet)
            .where(Tweet.platform == platform, Tweet.id == tweet_id)
            .values(promo_override=value)
        ).rowcount
    if not changed:
        raise UnknownTweetError(
            f"no original tweet {tweet_id} in the database (retweets themselves cannot be marked)"
        )


def _stale(version: str, platform: str) -> ColumnElement[bool]:
    """SQL: the tweet's decision counts and was made by another model than ``version``."""
    return and_(
        Tweet.platform == platform,
        Tweet.promo_override.is_(None),
        or_(Tweet.promo_model.is_(None), Tweet.promo_model != version),
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
        return conn.scalar(select(func.count()).select_from(Tweet).where(stale)) or 0


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
        select(func.count(func.distinct(Retweet.retweeter_id)))
        .where(
            Retweet.platform == Tweet.platform,
            Retweet.original_id == Tweet.id,
            Retweet.retweeter_id != Tweet.author_id,
        )
        .correlate(Tweet)
        .scalar_subquery()
    )
    distance = func.abs(Tweet.promo_score - threshold)
    candidates = (
        select(
            Tweet.id,
            Account.username,
            Tweet.created_at,
            Tweet.text,
            Tweet.urls,
            Tweet.is_promotional,
            Tweet.promo_score,
            Tweet.promo_reason,
            distance.label("distance"),
            retweeters.label("retweets"),
            Tweet.author_id,
        )
        .outerjoin(Account, (Account.platform == Tweet.platform) & (Account.id == Tweet.author_id))
        .where(
            Tweet.platform == platform,
            Tweet.promo_override.is_(None),
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
