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

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select

from retweetring.errors import BadRecordError, InputFileError, UnknownAccountError
from retweetring.graph import is_promotional
from retweetring.promo import Classifier, load_classifier
from retweetring.records import PLATFORM_X, PageRecords, Retweet
from retweetring.sources.v2 import normalise_page
from retweetring.sources.x_api import (
    ApiCall,
    ApiPage,
    BudgetReached,
    RateLimited,
    RequestRejected,
    XApi,
)
from retweetring.store.models import (
    Account,
    ApiRequest,
    CollectCheckpoint,
    Member,
    RetweeterCheck,
    Tweet,
)
from retweetring.store.session import begin_write, connection, refresh_statistics
from retweetring.store.writer import WriteCounts, write_pages

__all__ = [
    "AddResult",
    "CollectResult",
    "Ledger",
    "MemberRow",
    "PlanRow",
    "Usage",
    "add_members",
    "approximate_retweet_id",
    "collect",
    "list_members",
    "plan",
    "read_member_file",
    "remove_members",
    "snowflake_for",
    "usage",
    "valid_username",
]

TWITTER_EPOCH_MS = 1288834974657
"""Snowflake ids count milliseconds from this instant (2010-11-04 01:42:54.657 UTC)."""
APPROXIMATE_SOURCE = "retweeted_by"
REFRESH_WINDOW = timedelta(days=14)
"""With ``--retweeters``, members' promotional tweets this recent get fresh retweet counts."""
_USERNAME = re.compile(r"@?[A-Za-z0-9_]{1,15}")
_UTC = timezone.utc


def _now(clock: Callable[[], float]) -> datetime:
    return datetime.fromtimestamp(clock(), _UTC).replace(tzinfo=None, microsecond=0)


# --- the ledger ---------------------------------------------------------------------------------


class Ledger:
    """Collects the requests an :class:`XApi` makes and writes them with the next page."""

    def __init__(self) -> None:
        self.pending: list[ApiCall] = []

    def __call__(self, call: ApiCall) -> None:
        self.pending.append(call)

    def flush(self, conn: Connection) -> None:
        """Write the pending requests in ``conn``'s transaction."""
        if self.pending:
            conn.execute(insert(ApiRequest), [call._asdict() for call in self.pending])
            self.pending.clear()

    def flush_now(self, engine: Engine) -> None:
        """Write the pending requests in a transaction of their own."""
        if self.pending:
            with begin_write(engine) as conn:
                self.flush(conn)


@dataclass(frozen=True)
class Usage:
    """Requests made and objects read since ``since`` (the start of the month)."""

    since: datetime
    requests: int
    tweets: int
    users: int
    by_endpoint: list[dict[str, Any]]


def usage(engine: Engine, now: datetime) -> Usage:
    """Return this calendar month's (UTC) requests and reads from the ledger."""
    start = datetime(now.year, now.month, 1)
    query = (
        select(
            ApiRequest.endpoint,
            func.count(),
            func.coalesce(func.sum(ApiRequest.tweets), 0),
            func.coalesce(func.sum(ApiRequest.users), 0),
        )
        .where(ApiRequest.at >= start)
        .group_by(ApiRequest.endpoint)
        .order_by(ApiRequest.endpoint)
    )
    with engine.connect() as conn:
        rows = [
            {"endpoint": e, "requests": n, "tweets": int(t), "users": int(u)}
            for e, n, t, u in conn.execute(query)
        ]
    return Usage(
        start,
        sum(r["requests"] for r in rows),
        sum(r["tweets"] for r in rows),
        sum(r["users"] for r in rows),
        rows,
    )


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


def read_member_file(path: Path) -> list[str]:
    """Return the usernames of a file: one per line, ``#`` starts a comment.

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
        name = valid_username(entry)
        if name is None:
            raise BadRecordError(f"{path}:{number}: {entry[:40]!r} is not an X username")
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


@dataclass(frozen=True)
class PlanRow:
    """What a run would fetch for one member."""

    username: str | None
    account_id: int
    since_id: int | None
    until_id: int | None
    what: str


def plan(engine: Engine, since: date | None = None) -> list[PlanRow]:
    """Return what ``collect`` would request for each member, in the order it would."""
    rows = []
    for m in _ordered(list_members(engine)):
        since_id, until_id, _newest = _sweep_bounds(m, since)
        if m.sweep_until_id is not None:
            what = "resume the interrupted sweep: tweets older than until_id"
        elif m.since_id is not None:
            what = "tweets newer than since_id"
        elif since_id is not None:
            what = f"first sweep: tweets since {since}"
        else:
            what = "first sweep: the whole timeline the API keeps (up to 3,200 tweets)"
        rows.append(PlanRow(m.username, m.account_id, since_id, until_id, what))
    return rows


def retweeter_candidates(db: Engine | Connection) -> list[tuple[int, int, int]]:
    """Return (tweet id, author id, retweet count) of members' promotional tweets to check.

    A tweet is checked when its retweet count (as last collected) is above the count at its
    last retweeters lookup, or it was never looked up.
    """
    query = (
        select(RetweeterCheck.tweet_id, Tweet.author_id, RetweeterCheck.retweet_count)
        .join(
            Tweet,
            and_(Tweet.platform == RetweeterCheck.platform, Tweet.id == RetweeterCheck.tweet_id),
        )
        .join(Member, and_(Member.platform == Tweet.platform, Member.account_id == Tweet.author_id))
        .where(
            RetweeterCheck.platform == PLATFORM_X,
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
        return [(r[0], r[1], r[2]) for r in conn.execute(query)]


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
    resume_at: datetime | None = None
    """When the rate limit that stopped the run resets."""
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
) -> CollectResult:
    """Collect every member's new tweets and retweets, then (optionally) their retweeters.

    The rate limit (when ``api`` may not wait) and the read budget stop the run cleanly:
    everything fetched so far is stored and ``stopped`` says why. Other failures (the API
    refusing the token, failing after every retry) propagate, also after storing everything
    fetched. ``on_member`` is called after each member, even when the run stops there.
    New tweets are classified with ``classifier``, by default the one the database uses.
    """
    if classifier is None:
        classifier = load_classifier(engine)
    result = CollectResult()
    try:
        for member in _ordered(list_members(engine)):
            mres = MemberResult(member.username, member.account_id)
            result.members.append(mres)
            try:
                _sweep(engine, api, ledger, member, since, classifier, mres, on_page)
            except RequestRejected as exc:  # this member only: go on with the others
                mres.problems.append(str(exc))
            finally:
                on_member(mres)
        if retweeters:
            _refresh_retweet_counts(engine, api, ledger, _now(clock) - REFRESH_WINDOW)
            members = {m.account_id for m in list_members(engine)}
            for tweet_id, author_id, count in retweeter_candidates(engine):
                try:
                    result.approximate_new += _retweeters(
                        engine, api, ledger, tweet_id, author_id, count, members, on_page
                    )
                except RequestRejected as exc:  # this tweet only
                    result.problems.append(f"retweeters of tweet {tweet_id}: {exc}")
                    continue
                result.retweeter_tweets += 1
    except (RateLimited, BudgetReached) as exc:
        result.stopped = str(exc)
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
) -> None:
    """Read one member's timeline from the checkpoint on, storing page by page."""
    since_id, until_id, newest = _sweep_bounds(member, since)
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
                values |= {
                    "since_id": max(boundary) if boundary else None,
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
    rows = []
    for tweet in data:
        refs = tweet.get("referenced_tweets") or []
        if int(tweet["author_id"]) != author_id or any(
            isinstance(r, dict) and r.get("type") == "retweeted" for r in refs
        ):
            continue
        metrics = tweet.get("public_metrics")
        count = metrics.get("retweet_count") if isinstance(metrics, dict) else None
        if isinstance(count, int) and count > 0:
            rows.append((PLATFORM_X, int(tweet["id"]), count))
    if rows:
        conn.exec_driver_sql(
            "INSERT INTO retweeter_checks (platform, tweet_id, retweet_count) VALUES (?, ?, ?) "
            "ON CONFLICT (platform, tweet_id) DO UPDATE SET retweet_count = excluded.retweet_count",
            rows,
        )


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


def _refresh_retweet_counts(engine: Engine, api: XApi, ledger: Ledger, since: datetime) -> None:
    """Read the current retweet counts of members' promotional tweets made after ``since``."""
    query = (
        select(Tweet.id)
        .join(Member, and_(Member.platform == Tweet.platform, Member.account_id == Tweet.author_id))
        .where(Tweet.platform == PLATFORM_X, Tweet.created_at >= since, is_promotional())
        .order_by(Tweet.id)
    )
    with engine.connect() as conn:
        ids = list(conn.scalars(query))
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


def _retweeters(
    engine: Engine,
    api: XApi,
    ledger: Ledger,
    tweet_id: int,
    author_id: int,
    count: int,
    members: set[int],
    on_page: Callable[[PageEvent], None],
) -> int:
    """Record the non-member retweeters of one tweet as approximate events; return new ones."""
    new = 0
    for number, page in enumerate(api.retweeted_by(tweet_id), 1):
        records = _normalise(page)
        events = [
            Retweet(
                PLATFORM_X, approximate_retweet_id(a.id, tweet_id), a.id, tweet_id, page.served_at
            )
            for a in records.accounts
            if a.id not in members and a.id != author_id
        ]
        meta = page.body.get("meta")
        last = not (isinstance(meta, dict) and meta.get("next_token"))
        with begin_write(engine) as conn:
            counts = write_pages(conn, [PageRecords(records.accounts, [], events, 0)])
            new += counts.retweets_new
            if events:
                conn.exec_driver_sql(
                    "INSERT INTO approximate_retweets (platform, id, source) VALUES (?, ?, ?) "
                    "ON CONFLICT (platform, id) DO NOTHING",
                    [(PLATFORM_X, e.id, APPROXIMATE_SOURCE) for e in events],
                )
            if last:
                conn.execute(
                    RetweeterCheck.__table__.update()
                    .where(
                        RetweeterCheck.platform == PLATFORM_X, RetweeterCheck.tweet_id == tweet_id
                    )
                    .values(checked_count=count, checked_at=page.served_at)
                )
            ledger.flush(conn)
        on_page(PageEvent("retweeters", tweet_id, number, last))
    return new
