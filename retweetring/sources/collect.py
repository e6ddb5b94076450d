"""Live collection from the X API: the tracked community, resumable timelines, retweeters, usage.

Every page the API returns is written in its own transaction together with the member's
checkpoint and the ledger rows of the requests made for it, so a run stopped at any moment
(killed, rate limited, out of budget, network down) leaves a database that the next run
continues from without gaps and without duplicates.

How a member's timeline is read (``GET /2/users/:id/tweets`` returns newest tweets first):

- ``since_id`` is the completed boundary: every tweet above it is stored, except while a
  sweep is under way the ones between ``since_id`` and ``sweep_until_id``.
- A sweep asks for tweets newer than ``since_id``. After each page, ``sweep_until_id`` (the
  oldest id stored by the sweep) and ``sweep_newest_id`` (the newest) are saved with the rows.
- A resumed sweep asks for tweets newer than ``since_id`` and older than ``sweep_until_id``, so
  resuming never depends on a pagination token that may have expired.
- When the last page is stored, ``since_id`` becomes ``sweep_newest_id`` and the sweep is over.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select

from retweetring.config import Prices
from retweetring.defaults import FIRST_RUN_DAYS, TIMELINE_CAP
from retweetring.errors import (
    BadRecordError,
    InputFileError,
    RetweetringError,
    UnknownAccountError,
)
from retweetring.graph import is_promotional
from retweetring.promo import Classifier, load_classifier
from retweetring.records import PLATFORM_X, PageRecords, Retweet
from retweetring.sources.v2 import normalise_page
from retweetring.sources.x_api import (
    ApiCall,
    ApiPage,
    BudgetReached,
    OutOfCredits,
    RateLimited,
    RequestRejected,
    UsageCapped,
    XApi,
)
from retweetring.store.dialect import dialect_of
from retweetring.store.models import (
    Account,
    ApiRequest,
    CollectCheckpoint,
    Member,
    RetweeterCheck,
    Tweet,
)
from retweetring.store.models import Retweet as RetweetRow
from retweetring.store.session import begin_write, connection, refresh_statistics
from retweetring.store.social import save_retweet_counts
from retweetring.store.writer import WriteCounts, write_pages
from retweetring.thanks.lists import Week

__all__ = [
    "AddResult",
    "Candidate",
    "CollectResult",
    "Estimate",
    "Ledger",
    "MemberRow",
    "PlanRow",
    "Reads",
    "Usage",
    "add_members",
    "approximate_retweet_id",
    "approximate_time",
    "billing_period",
    "collect",
    "default_since",
    "estimate",
    "list_members",
    "plan",
    "read_member_file",
    "recent_promotional",
    "remove_members",
    "snowflake_for",
    "tweet_time",
    "usage",
    "valid_username",
]

TWITTER_EPOCH_MS = 1288834974657
"""Snowflake ids count milliseconds from this instant (2010-11-04 01:42:54.657 UTC)."""
APPROXIMATE_SOURCE = "retweeted_by"
REFRESH_WINDOW = timedelta(days=14)
"""With ``--retweeters``, members' promotional tweets this recent get fresh retweet counts."""
ACTIVITY_DAYS = 28
"""The days of a member's past activity that estimate how much a run will read."""
ASSUMED_PER_DAY = 2.0
"""Tweets and retweets a day assumed of a member when no member's activity is known yet
(about 15 a week)."""
_USERNAME = re.compile(r"@?[A-Za-z0-9_]{1,15}")
_UTC = timezone.utc


def _now(clock: Callable[[], float]) -> datetime:
    return datetime.fromtimestamp(clock(), _UTC).replace(tzinfo=None, microsecond=0)


# --- the ledger ---------------------------------------------------------------------------------


class Ledger:
    """Collects the requests an :class:`XApi` makes and writes them with the next page."""

    platform: str | None = None
    """The network the requests went to, as ``api_requests.platform`` (None: the X API)."""

    def __init__(self) -> None:
        self.pending: list[ApiCall] = []

    def __call__(self, call: ApiCall) -> None:
        self.pending.append(call)

    def flush(self, conn: Connection) -> None:
        """Write the pending requests in ``conn``'s transaction."""
        if self.pending:
            rows = [{**call._asdict(), "platform": self.platform} for call in self.pending]
            conn.execute(insert(ApiRequest), rows)
            self.pending.clear()

    def flush_now(self, engine: Engine) -> None:
        """Write the pending requests in a transaction of their own."""
        if self.pending:
            with begin_write(engine) as conn:
                self.flush(conn)


@dataclass(frozen=True)
class Reads:
    """Requests made and objects read over some time, and what X charges for them."""

    start: date
    """The first day (UTC)."""
    end: date
    """The last day (UTC), included."""
    requests: int
    tweets: int
    users: int
    dollars: float


@dataclass(frozen=True)
class Usage:
    """The ledger's requests and reads: the billing period containing ``now`` (from ``since``),
    by endpoint and by day, and every billing period in the ledger, newest first."""

    since: datetime
    requests: int
    tweets: int
    users: int
    by_endpoint: list[dict[str, Any]]
    dollars: float
    days: list[Reads]
    periods: list[Reads]
    prices: Prices


def billing_period(day: date, billing_day: int = 1) -> tuple[date, date]:
    """Return the first and last day of the billing period that contains ``day``.

    A period starts on ``billing_day`` of a month (the month's last day when it is shorter).

    >>> billing_period(date(2026, 11, 20), 15)
    (datetime.date(2026, 11, 15), datetime.date(2026, 12, 14))
    >>> billing_period(date(2026, 3, 1), 31)
    (datetime.date(2026, 2, 28), datetime.date(2026, 3, 30))
    """

    def start_in(year: int, month: int) -> date:
        return date(year, month, min(billing_day, calendar.monthrange(year, month)[1]))

    def next_month(year: int, month: int) -> tuple[int, int]:
        return (year + 1, 1) if month == 12 else (year, month + 1)

    year, month = day.year, day.month
    if day < start_in(year, month):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return start_in(year, month), start_in(*next_month(year, month)) - timedelta(days=1)


_X_REQUEST = ApiRequest.platform.is_(None)
"""Ledger rows of the X API (Bluesky and Mastodon rows name their platform)."""


def usage(engine: Engine, now: datetime, prices: Prices | None = None) -> Usage:
    """Return the ledger's requests, reads and estimated dollars (see :class:`Usage`)."""
    prices = prices or Prices()
    start, _end = billing_period(now.date(), prices.billing_day)
    since = datetime.combine(start, dtime())
    by_endpoint = (
        select(
            ApiRequest.endpoint,
            func.count(),
            func.coalesce(func.sum(ApiRequest.tweets), 0),
            func.coalesce(func.sum(ApiRequest.users), 0),
        )
        .where(ApiRequest.at >= since, _X_REQUEST)
        .group_by(ApiRequest.endpoint)
        .order_by(ApiRequest.endpoint)
    )
    day = func.date(ApiRequest.at)
    by_day = (
        select(
            day,
            func.count(),
            func.coalesce(func.sum(ApiRequest.tweets), 0),
            func.coalesce(func.sum(ApiRequest.users), 0),
        )
        .where(_X_REQUEST)
        .group_by(day)
        .order_by(day)
    )
    with engine.connect() as conn:
        rows = [
            {"endpoint": e, "requests": n, "tweets": int(t), "users": int(u)}
            for e, n, t, u in conn.execute(by_endpoint)
        ]
        days = [
            _reads(prices, date.fromisoformat(str(d)), date.fromisoformat(str(d)), n, t, u)
            for d, n, t, u in conn.execute(by_day)
        ]
    periods: dict[tuple[date, date], list[Reads]] = {}
    for d in days:
        periods.setdefault(billing_period(d.start, prices.billing_day), []).append(d)
    tweets = sum(r["tweets"] for r in rows)
    users = sum(r["users"] for r in rows)
    return Usage(
        since,
        sum(r["requests"] for r in rows),
        tweets,
        users,
        rows,
        prices.cost(tweets, users),
        [d for d in days if d.start >= start],
        [
            _reads(
                prices,
                first,
                last,
                sum(d.requests for d in ds),
                sum(d.tweets for d in ds),
                sum(d.users for d in ds),
            )
            for (first, last), ds in sorted(periods.items(), reverse=True)
        ],
        prices,
    )


def _reads(prices: Prices, start: date, end: date, requests: int, tweets: int, users: int) -> Reads:
    tweets, users = int(tweets), int(users)
    return Reads(start, end, requests, tweets, users, prices.cost(tweets, users))


# --- members --------------------------------------------------------------------------------


def valid_username(value: str) -> str | None:
    """Return ``value`` as a username without ``@``, or None when it cannot be one.

    >>> valid_username("@hollys_bakery")
    'hollys_bakery'
    >>> valid_username("not a name") is None
    True
    """
    value = value.strip()
    return value.lstrip("@") if _USERNAME.fullmatch(value) else None


def read_member_file(
    path: Path,
    valid: Callable[[str], str | None] = valid_username,
    what: str = "an X username",
) -> list[str]:
    """Return the usernames of a file: one per line, ``#`` starts a comment.

    ``valid`` turns a line into a name, or None when it is not ``what`` (by default X
    usernames; Bluesky and Mastodon handles with :func:`retweetring.sources.social.valid_handle`).

    Raises
    ------
    InputFileError
        The file cannot be read.
    BadRecordError
        A line is not a username; the message names the file and line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not a UTF-8 text file") from None
    names: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        name = valid(entry)
        if name is None:
            raise BadRecordError(f"{path}:{number}: {entry[:40]!r} is not {what}")
        names.append(name)
    return names


@dataclass
class AddResult:
    """What ``members add`` did."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def add_members(
    engine: Engine,
    api: XApi,
    ledger: Ledger,
    usernames: Sequence[str],
    *,
    clock: Callable[[], float] = time.time,
) -> AddResult:
    """Resolve usernames to accounts through the API and track them as members."""
    result = AddResult()
    wanted = list(dict.fromkeys(u.lower() for u in usernames))
    for start in range(0, len(wanted), 100):
        chunk = wanted[start : start + 100]
        page = api.users_by_username(chunk)
        records = normalise_page(page.body, seen_at=page.served_at)
        found = {a.username.lower(): a for a in records.accounts if a.username}
        with begin_write(engine) as conn:
            write_pages(conn, [records])
            members = _member_ids(conn)
            for name in chunk:
                account = found.get(name)
                if account is None:
                    result.not_found.append(name)
                elif account.id in members:
                    result.already.append(account.username or name)
                else:
                    conn.execute(
                        insert(Member).values(
                            platform=PLATFORM_X, account_id=account.id, added_at=_now(clock)
                        )
                    )
                    members.add(account.id)
                    result.added.append(account.username or name)
            ledger.flush(conn)
    return result


def remove_members(engine: Engine, usernames: Sequence[str]) -> list[str]:
    """Stop tracking these members; their stored data stays. Returns the names removed.

    Raises
    ------
    UnknownAccountError
        A username is not a member; nothing is removed.
    """
    rows = {m.username.lower(): m for m in list_members(engine) if m.username}
    missing = [u for u in usernames if u.lower() not in rows]
    if missing:
        raise UnknownAccountError(
            "not a member: " + ", ".join(f"@{u}" for u in missing) + " (see `members list`)"
        )
    chosen = [rows[u.lower()] for u in usernames]
    with begin_write(engine) as conn:
        conn.execute(
            delete(Member).where(
                Member.platform == PLATFORM_X,
                Member.account_id.in_([m.account_id for m in chosen]),
            )
        )
    return [m.username or str(m.account_id) for m in chosen]


@dataclass(frozen=True)
class MemberRow:
    """A member and how far their timeline has been collected."""

    account_id: int
    username: str | None
    name: str | None
    added_at: datetime
    since_id: int | None
    sweep_until_id: int | None
    sweep_newest_id: int | None
    completed_at: datetime | None


def list_members(db: Engine | Connection) -> list[MemberRow]:
    """Return the members, by username."""
    query = (
        select(
            Member.account_id,
            Account.username,
            Account.name,
            Member.added_at,
            CollectCheckpoint.since_id,
            CollectCheckpoint.sweep_until_id,
            CollectCheckpoint.sweep_newest_id,
            CollectCheckpoint.completed_at,
        )
        .join(
            Account,
            and_(Account.platform == Member.platform, Account.id == Member.account_id),
        )
        .outerjoin(
            CollectCheckpoint,
            and_(
                CollectCheckpoint.platform == Member.platform,
                CollectCheckpoint.account_id == Member.account_id,
            ),
        )
        .where(Member.platform == PLATFORM_X)
        .order_by(func.lower(Account.username), Member.account_id)
    )
    with connection(db) as conn:
        return [MemberRow(*row) for row in conn.execute(query)]


def _member_ids(conn: Connection) -> set[int]:
    return set(conn.scalars(select(Member.account_id).where(Member.platform == PLATFORM_X)))


# --- planning -------------------------------------------------------------------------------


def snowflake_for(moment: date | datetime) -> int | None:
    """Return the smallest tweet id X could give a tweet made at ``moment`` (UTC), if any.

    >>> snowflake_for(date(2026, 11, 1))
    2116681624581046272
    """
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, dtime())
    ms = int(moment.replace(tzinfo=_UTC).timestamp() * 1000) - TWITTER_EPOCH_MS
    return ms << 22 if ms > 0 else None


def tweet_time(tweet_id: int) -> datetime:
    """Return when X made the tweet with this snowflake id (naive UTC); ``snowflake_for`` reversed.

    >>> tweet_time(2116681624581046272)
    datetime.datetime(2026, 11, 1, 0, 0)
    """
    ms = (tweet_id >> 22) + TWITTER_EPOCH_MS
    return datetime(1970, 1, 1) + timedelta(milliseconds=ms)


def default_since(now: datetime) -> date:
    """The first day a member's first run reads when neither ``--since`` nor ``--full-history``
    is given: :data:`FIRST_RUN_DAYS` before ``now``."""
    return (now - timedelta(days=FIRST_RUN_DAYS)).date()


@dataclass(frozen=True)
class PlanRow:
    """What a run would fetch for one member, and how many tweets it would read."""

    username: str | None
    account_id: int
    since_id: int | None
    until_id: int | None
    what: str
    reads: int
    """The tweets and retweets the run is expected to read, from the member's past activity."""
    most: int
    """The most it could read: X serves only the newest :data:`TIMELINE_CAP` of a timeline."""


def plan(engine: Engine, since: date | None = None, now: datetime | None = None) -> list[PlanRow]:
    """Return what ``collect`` would request for each member, in the order it would.

    ``reads`` assumes each member tweets and retweets as often as in the
    :data:`ACTIVITY_DAYS` days before their last collection, or, for a member never collected,
    as the collected members do on average (:data:`ASSUMED_PER_DAY` when none is).
    """
    now = now or datetime.now(_UTC).replace(tzinfo=None)
    members = _ordered(list_members(engine))
    with engine.connect() as conn:
        rates = {
            m.account_id: _activity(conn, m.account_id, m.completed_at) / ACTIVITY_DAYS
            for m in members
            if m.completed_at is not None
        }
    assumed = sum(rates.values()) / len(rates) if rates else ASSUMED_PER_DAY
    rows = []
    for m in members:
        since_id, until_id, newest = _sweep_bounds(m, since)
        if m.sweep_until_id is not None:
            what = "resume the interrupted sweep (tweets older than until_id), then newer tweets"
            spans = [(since_id, until_id), (newest, None)]
        elif m.since_id is not None:
            what = "tweets newer than since_id"
            spans = [(since_id, None)]
        elif since_id is not None:
            what = f"first sweep: tweets since {since}"
            spans = [(since_id, None)]
        else:
            what = f"first sweep: the whole timeline the API keeps (up to {TIMELINE_CAP:,} tweets)"
            spans = [(None, None)]
        days = sum(_days(low, high, now) for low, high in spans)
        rate = rates.get(m.account_id, assumed)
        reads = TIMELINE_CAP if days == float("inf") else min(TIMELINE_CAP, round(rate * days))
        rows.append(
            PlanRow(m.username, m.account_id, since_id, until_id, what, reads, TIMELINE_CAP)
        )
    return rows


def _days(low: int | None, high: int | None, now: datetime) -> float:
    """Days between two tweet ids (``high`` None: now); unbounded below counts as forever."""
    if low is None:
        return float("inf")
    end = tweet_time(high) if high is not None else now
    return max(0.0, (end - tweet_time(low)).total_seconds() / 86400)


def _activity(conn: Connection, account_id: int, until: datetime | None) -> int:
    """The account's stored tweets and retweets in the :data:`ACTIVITY_DAYS` days to ``until``."""
    if until is None:
        return 0
    start = until - timedelta(days=ACTIVITY_DAYS)
    kinds = (  # approximate retweets (negative ids) are not on the member's timeline
        (Tweet, Tweet.author_id == account_id),
        (RetweetRow, and_(RetweetRow.retweeter_id == account_id, RetweetRow.id > 0)),
    )
    return sum(
        int(
            conn.scalar(
                select(func.count())
                .select_from(model)
                .where(
                    model.platform == PLATFORM_X,
                    whose,
                    model.created_at >= start,
                    model.created_at < until,
                )
            )
            or 0
        )
        for model, whose in kinds
    )


@dataclass(frozen=True)
class Estimate:
    """What a run is expected to read and cost, and the most it could."""

    tweets: int
    users: int
    dollars: float
    most_tweets: int
    most_users: int
    most_dollars: float


def estimate(
    engine: Engine,
    rows: Sequence[PlanRow],
    *,
    retweeters: bool,
    now: datetime,
    prices: Prices,
    max_reads: int | None = None,
) -> Estimate:
    """Add up the reads of a planned run (and of ``--retweeters``) and price them.

    ``--retweeters`` reads the members' promotional tweets of the last
    :data:`REFRESH_WINDOW` again (posts) and lists the retweeters of those whose count grew
    (users, as many as their retweet counts known now). ``max_reads`` caps both figures.
    """
    tweets = sum(r.reads for r in rows)
    most_tweets = sum(r.most for r in rows)
    users = 0
    if retweeters:
        recent = len(recent_promotional(engine, now - REFRESH_WINDOW))
        tweets += recent
        most_tweets += recent
        users = sum(c.retweet_count for c in retweeter_candidates(engine))
    most_users = users
    if max_reads is not None:
        tweets, most_tweets = min(tweets, max_reads), min(most_tweets, max_reads)
        users = min(users, max_reads - tweets)
        most_users = min(most_users, max_reads - most_tweets)
    return Estimate(
        tweets,
        users,
        prices.cost(tweets, users),
        most_tweets,
        most_users,
        prices.cost(most_tweets, most_users),
    )


class Candidate(NamedTuple):
    """A member's promotional tweet whose retweeters are to be read."""

    tweet_id: int
    author_id: int
    retweet_count: int
    posted_at: datetime | None
    checked_at: datetime | None
    """When its retweeters were last read to the end, or None."""
    key: str | None = None
    """Its string key on Bluesky and Mastodon (AT-URI, status URI); None on X."""


def retweeter_candidates(db: Engine | Connection, platform: str = PLATFORM_X) -> list[Candidate]:
    """Return the members' promotional tweets (posts, on ``platform``) whose retweeters (or
    reposters) are to be read.

    A tweet is checked when its retweet count (as last collected) is above the count at its
    last retweeters lookup, or it was never looked up.
    """
    query = (
        select(
            RetweeterCheck.tweet_id,
            Tweet.author_id,
            RetweeterCheck.retweet_count,
            Tweet.created_at,
            RetweeterCheck.checked_at,
            Tweet.key,
        )
        .join(
            Tweet,
            and_(Tweet.platform == RetweeterCheck.platform, Tweet.id == RetweeterCheck.tweet_id),
        )
        .join(Member, and_(Member.platform == Tweet.platform, Member.account_id == Tweet.author_id))
        .where(
            RetweeterCheck.platform == platform,
            RetweeterCheck.retweet_count > 0,
            or_(
                RetweeterCheck.checked_count.is_(None),
                RetweeterCheck.retweet_count > RetweeterCheck.checked_count,
            ),
            is_promotional(),
        )
        .order_by(RetweeterCheck.tweet_id)
    )
    with connection(db) as conn:
        return [Candidate(*row) for row in conn.execute(query)]


def _ordered(members: Iterable[MemberRow]) -> list[MemberRow]:
    """Interrupted sweeps first, then never collected, then least recently completed."""

    def key(m: MemberRow) -> tuple[int, datetime, int]:
        if m.sweep_until_id is not None:
            return (0, datetime.min, m.account_id)
        if m.completed_at is None:
            return (1, datetime.min, m.account_id)
        return (2, m.completed_at, m.account_id)

    return sorted(members, key=key)


def _sweep_bounds(m: MemberRow, since: date | None) -> tuple[int | None, int | None, int | None]:
    """Return (since_id, until_id, newest so far) of the member's next requests."""
    if m.sweep_until_id is not None:
        return m.since_id, m.sweep_until_id, m.sweep_newest_id
    if m.since_id is not None or since is None:
        return m.since_id, None, None
    first = snowflake_for(since)  # since_id is exclusive: start one below the first possible id
    return (first - 1 if first is not None else None), None, None


# --- collecting -----------------------------------------------------------------------------


@dataclass
class MemberResult:
    """What a run did for one member."""

    username: str | None
    account_id: int
    pages: int = 0
    tweets_read: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)
    complete: bool = False
    problems: list[str] = field(default_factory=list)
    """What the API said instead of tweets (a protected or suspended account, ...)."""


@dataclass
class CollectResult:
    """What a collect run did."""

    members: list[MemberResult] = field(default_factory=list)
    retweeter_tweets: int = 0
    """Tweets whose retweeters were read to the end."""
    approximate_new: int = 0
    """New approximate support events (retweeters seen through ``retweeted_by``)."""
    stopped: str | None = None
    """Why the run stopped before the end, or None."""
    stopped_by: RetweetringError | None = None
    """What stopped the run before the end (:class:`RateLimited`, :class:`DailyLimited`,
    :class:`BudgetReached`, :class:`OutOfCredits` or :class:`UsageCapped`), or None."""
    resume_at: datetime | None = None
    """When the rate limit (or daily app limit) that stopped the run resets."""
    problems: list[str] = field(default_factory=list)
    """Requests the API refused outside members' timelines; the run went on."""


@dataclass(frozen=True)
class PageEvent:
    """One page stored (passed to ``on_page`` right after its transaction commits)."""

    kind: str
    """``timeline`` or ``retweeters``."""
    subject: int
    """The member's account id, or the tweet id whose retweeters were read."""
    number: int
    last: bool


def collect(
    engine: Engine,
    api: XApi,
    ledger: Ledger,
    *,
    since: date | None = None,
    retweeters: bool = False,
    classifier: Classifier | None = None,
    on_page: Callable[[PageEvent], None] = lambda event: None,
    on_member: Callable[[MemberResult], None] = lambda result: None,
    clock: Callable[[], float] = time.time,
    tz: str = "UTC",
) -> CollectResult:
    """Collect every member's new tweets and retweets, then (optionally) their retweeters.

    A member whose last sweep was interrupted has its older part read first and then, in the
    same run, the tweets newer than that sweep. The rate limit (when ``api`` may not wait), the
    daily app limit, the read budget, missing credits and the usage cap stop the run cleanly:
    everything fetched so far is stored, ``stopped`` says why and ``stopped_by`` is the
    reason. Other failures (the API refusing the token, failing after every retry) propagate,
    also after storing everything fetched. ``on_member`` is called after each member, even
    when the run stops there. New tweets are classified with ``classifier``, by default the
    one the database uses. Approximate retweeter events are dated in weeks of time zone
    ``tz`` (see :func:`approximate_time`).
    """
    if classifier is None:
        classifier = load_classifier(engine)
    result = CollectResult()
    try:
        for member in _ordered(list_members(engine)):
            mres = MemberResult(member.username, member.account_id)
            result.members.append(mres)
            try:
                done = _sweep(engine, api, ledger, member, since, classifier, mres, on_page)
                if member.sweep_until_id is not None and done is not None:
                    caught_up = replace(
                        member, since_id=done, sweep_until_id=None, sweep_newest_id=None
                    )
                    _sweep(engine, api, ledger, caught_up, None, classifier, mres, on_page)
            except RequestRejected as exc:  # this member only: go on with the others
                mres.problems.append(str(exc))
            finally:
                on_member(mres)
        if retweeters:
            _refresh_retweet_counts(engine, api, ledger, _now(clock) - REFRESH_WINDOW)
            members = {m.account_id for m in list_members(engine)}
            for candidate in retweeter_candidates(engine):
                try:
                    result.approximate_new += _retweeters(
                        engine, api, ledger, candidate, members, tz, on_page
                    )
                except RequestRejected as exc:  # this tweet only
                    result.problems.append(f"retweeters of tweet {candidate.tweet_id}: {exc}")
                    continue
                result.retweeter_tweets += 1
    except (RateLimited, BudgetReached, OutOfCredits, UsageCapped) as exc:
        result.stopped = str(exc)
        result.stopped_by = exc
        result.resume_at = exc.resume_at if isinstance(exc, RateLimited) else None
    finally:
        ledger.flush_now(engine)
    refresh_statistics(engine)
    return result


def _sweep(
    engine: Engine,
    api: XApi,
    ledger: Ledger,
    member: MemberRow,
    since: date | None,
    classifier: Classifier,
    mres: MemberResult,
    on_page: Callable[[PageEvent], None],
) -> int | None:
    """Read one member's timeline from the checkpoint on, storing page by page.

    Returns the member's new ``since_id`` when the sweep reached its end, else None.
    """
    since_id, until_id, newest = _sweep_bounds(member, since)
    done = None
    for page in api.user_tweets(member.account_id, since_id=since_id, until_id=until_id):
        records = _normalise(page)
        data = page.body.get("data")
        ids = [int(t["id"]) for t in data] if isinstance(data, list) else []
        if ids:
            newest = max(ids) if newest is None else max(newest, max(ids))
            until_id = min(ids) if until_id is None else min(until_id, min(ids))
        meta = page.body.get("meta")
        last = not (isinstance(meta, dict) and meta.get("next_token"))
        if data is None:
            mres.problems.extend(_problems(page.body))
        with begin_write(engine) as conn:
            mres.counts.add(write_pages(conn, [records], classifier))
            _save_retweet_counts(conn, data if isinstance(data, list) else [], member.account_id)
            values: dict[str, Any] = {"updated_at": page.served_at}
            if last:
                boundary = [i for i in (since_id, newest) if i is not None]
                done = max(boundary) if boundary else None
                values |= {
                    "since_id": done,
                    "sweep_until_id": None,
                    "sweep_newest_id": None,
                    "completed_at": page.served_at,
                }
            else:
                values |= {
                    "since_id": since_id,
                    "sweep_until_id": until_id,
                    "sweep_newest_id": newest,
                }
            _upsert_checkpoint(conn, member.account_id, values)
            ledger.flush(conn)
        mres.pages += 1
        mres.tweets_read += len(ids)
        mres.complete = last
        on_page(PageEvent("timeline", member.account_id, mres.pages, last))
    return done


def _problems(body: dict[str, Any]) -> list[str]:
    """The ``errors`` of an answer without data, as short texts."""
    errors = body.get("errors")
    if not isinstance(errors, list):
        return []
    return [
        str(e.get("detail") or e.get("title") or e)[:200] if isinstance(e, dict) else str(e)[:200]
        for e in errors
    ]


def _normalise(page: ApiPage) -> PageRecords:
    try:
        return normalise_page(page.body, seen_at=page.served_at)
    except BadRecordError as exc:
        raise RequestRejected(f"the X API sent a page retweetring cannot read: {exc}") from None


def _save_retweet_counts(conn: Connection, data: list[Any], author_id: int) -> None:
    """Remember the retweet counts of the member's own original tweets in ``data``."""
    rows: dict[int, int] = {}
    for tweet in data:
        refs = tweet.get("referenced_tweets") or []
        if int(tweet["author_id"]) != author_id or any(
            isinstance(r, dict) and r.get("type") == "retweeted" for r in refs
        ):
            continue
        metrics = tweet.get("public_metrics")
        count = metrics.get("retweet_count") if isinstance(metrics, dict) else None
        if isinstance(count, int) and count > 0:
            rows[int(tweet["id"])] = count
    save_retweet_counts(conn, PLATFORM_X, rows)


def _upsert_checkpoint(conn: Connection, account_id: int, values: dict[str, Any]) -> None:
    key = {"platform": PLATFORM_X, "account_id": account_id}
    exists = conn.scalar(
        select(func.count())
        .select_from(CollectCheckpoint)
        .where(CollectCheckpoint.platform == PLATFORM_X, CollectCheckpoint.account_id == account_id)
    )
    if exists:
        conn.execute(
            CollectCheckpoint.__table__.update()
            .where(
                CollectCheckpoint.platform == PLATFORM_X,
                CollectCheckpoint.account_id == account_id,
            )
            .values(**values)
        )
    else:
        conn.execute(insert(CollectCheckpoint).values(**key, **values))


def recent_promotional(
    engine: Engine, since: datetime, platform: str = PLATFORM_X
) -> list[tuple[int, int, str | None]]:
    """``(id, author id, key)`` of the members' promotional tweets (posts, on ``platform``)
    made after ``since``."""
    query = (
        select(Tweet.id, Tweet.author_id, Tweet.key)
        .join(Member, and_(Member.platform == Tweet.platform, Member.account_id == Tweet.author_id))
        .where(Tweet.platform == platform, Tweet.created_at >= since, is_promotional())
        .order_by(Tweet.id)
    )
    with engine.connect() as conn:
        return [(i, a, k) for i, a, k in conn.execute(query)]


def _refresh_retweet_counts(engine: Engine, api: XApi, ledger: Ledger, since: datetime) -> None:
    """Read the current retweet counts of members' promotional tweets made after ``since``."""
    ids = [tweet_id for tweet_id, _author, _key in recent_promotional(engine, since)]
    for start in range(0, len(ids), 100):
        page = api.tweets_by_id(ids[start : start + 100])
        records = _normalise(page)
        data = page.body.get("data")
        with begin_write(engine) as conn:
            write_pages(conn, [records])
            for tweet in data if isinstance(data, list) else []:
                _save_retweet_counts(conn, [tweet], int(tweet["author_id"]))
            ledger.flush(conn)


def approximate_retweet_id(retweeter_id: int, original_id: int) -> int:
    """Return the negative id that stands for "retweeter retweeted original", time unknown.

    The same pair always gives the same id, so recording a retweet seen twice changes nothing,
    and it can never be a real tweet id (those are positive).

    >>> approximate_retweet_id(1, 2) == approximate_retweet_id(1, 2) < 0
    True
    """
    digest = hashlib.blake2b(f"{retweeter_id}:{original_id}".encode(), digest_size=8).digest()
    return -(int.from_bytes(digest, "big") >> 1) - 1


def approximate_time(
    seen: datetime, posted: datetime | None, checked: datetime | None, tz: str = "UTC"
) -> datetime:
    """Return the time given to a retweet seen through ``retweeted_by`` (which has none).

    It is ``seen``, but no later than the last second of the ISO week (in ``tz``) in which the
    retweet could first have happened: the week the original was ``posted`` in or, when an
    earlier complete lookup at ``checked`` did not list this retweeter yet, the week of that
    lookup. So a Monday-morning collection dates last week's retweets in last week.

    >>> approximate_time(datetime(2026, 11, 9, 6, 0), datetime(2026, 11, 4, 12, 0), None)
    datetime.datetime(2026, 11, 8, 23, 59, 59)
    """
    known = [t for t in (posted, checked) if t is not None]
    if not known:
        return seen
    week_end = Week.containing(max(known), tz).end_utc - timedelta(seconds=1)
    return min(seen, week_end)


def _retweeters(
    engine: Engine,
    api: XApi,
    ledger: Ledger,
    candidate: Candidate,
    members: set[int],
    tz: str,
    on_page: Callable[[PageEvent], None],
) -> int:
    """Record the non-member retweeters of one tweet as approximate events; return new ones."""
    new = 0
    tweet_id = candidate.tweet_id
    for number, page in enumerate(api.retweeted_by(tweet_id), 1):
        records = _normalise(page)
        when = approximate_time(page.served_at, candidate.posted_at, candidate.checked_at, tz)
        events = [
            Retweet(PLATFORM_X, approximate_retweet_id(a.id, tweet_id), a.id, tweet_id, when)
            for a in records.accounts
            if a.id not in members and a.id != candidate.author_id
        ]
        meta = page.body.get("meta")
        last = not (isinstance(meta, dict) and meta.get("next_token"))
        with begin_write(engine) as conn:
            counts = write_pages(conn, [PageRecords(records.accounts, [], events, 0)])
            new += counts.retweets_new
            if events:
                dialect_of(conn).insert_rows(
                    conn,
                    "approximate_retweets",
                    ("platform", "id", "source"),
                    [(PLATFORM_X, e.id, APPROXIMATE_SOURCE) for e in events],
                    "ON CONFLICT (platform, id) DO NOTHING",
                )
            if last:
                conn.execute(
                    RetweeterCheck.__table__.update()
                    .where(
                        RetweeterCheck.platform == PLATFORM_X, RetweeterCheck.tweet_id == tweet_id
                    )
                    .values(checked_count=candidate.retweet_count, checked_at=page.served_at)
                )
            ledger.flush(conn)
        on_page(PageEvent("retweeters", tweet_id, number, last))
    return new
