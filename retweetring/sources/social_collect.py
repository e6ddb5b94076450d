"""Collecting Bluesky reposts and Mastodon boosts: members, resumable feeds, the ledger.

As for X (:mod:`retweetring.sources.collect`), every page is written in its own transaction
together with the member's checkpoint and the ledger row of its request, so a run stopped at
any moment leaves a database the next run continues from, without gaps or duplicates:

- ``newest``/``newest_at`` is the completed boundary: everything of the member newer than it
  is stored, except, while a sweep is under way, what lies below ``sweep_cursor``.
- A sweep reads the feed newest first down to the boundary; after each page it saves
  ``sweep_cursor`` (where the next page starts: Bluesky's cursor, Mastodon's ``max_id``) and
  ``sweep_newest`` (the sweep's newest item).
- An interrupted sweep resumes at ``sweep_cursor``; once its last page is stored the boundary
  becomes ``sweep_newest``, and a new sweep reads what came since, in the same run.

For a Bluesky member the repost records of their own repository are read after the feed,
down to the same boundary, as part of the sweep (see :class:`BlueskyFeed`). Every request,
answered or failed, goes to the ledger with its HTTP status (0 when no answer came).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from datetime import time as dtime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select

from retweetring.errors import (
    AccountGoneError,
    RetweetringError,
    ServerUnreachableError,
    UnknownAccountError,
    UnknownHandleError,
    UnresolvedDidError,
)
from retweetring.promo import Classifier, load_classifier
from retweetring.records import (
    PLATFORM_BLUESKY,
    PLATFORM_MASTODON,
    SocialAccount,
    SocialCheckpoint,
    SocialPage,
)
from retweetring.sources.collect import AddResult, Ledger
from retweetring.sources.social import FeedPage, PageSize
from retweetring.sources.x_api import ApiCall
from retweetring.store.pair_weights import refresh
from retweetring.store.session import begin_write, connection
from retweetring.store.social import (
    SocialCounts,
    save_checkpoint,
    save_retweet_counts,
    social_id,
    write_social_page,
)
from retweetring.store.tables import accounts, api_requests, members, social_checkpoints

__all__ = [
    "MEMBER_PROBLEMS",
    "PLATFORMS",
    "BlueskyFeed",
    "BudgetSpent",
    "MastodonFeed",
    "feed_for",
    "Budget",
    "Feed",
    "SocialLedger",
    "SocialMember",
    "SocialResult",
    "add_social_members",
    "collect_social",
    "list_social_members",
    "now_utc",
    "remove_social_members",
    "social_usage",
    "within_budget",
]

PLATFORMS = (PLATFORM_BLUESKY, PLATFORM_MASTODON)
MEMBER_PROBLEMS = (UnknownHandleError, AccountGoneError, ServerUnreachableError, UnresolvedDidError)
"""What stops the reading of one member (or one post's reposters) and not the run."""
FEED_SOURCE = {PLATFORM_BLUESKY: "bluesky-feed", PLATFORM_MASTODON: "mastodon-statuses"}
"""The ``approximate_retweets.source`` of reposts seen in a member's feed without exact time."""
_UTC = timezone.utc


def now_utc(clock: Callable[[], float]) -> datetime:
    """``clock()`` as a naive UTC time, to the second."""
    return datetime.fromtimestamp(clock(), _UTC).replace(tzinfo=None, microsecond=0)


class BudgetSpent(RetweetringError):
    """The run has read ``--max-reads`` items."""


class Budget:
    """The items a run may still read (``--max-reads``), across members and platforms."""

    def __init__(self, most: int | None = None) -> None:
        self.most = most
        self.read = 0

    def left(self) -> int:
        """Items the next request may ask for (a very large number without a budget)."""
        return 10**9 if self.most is None else self.most - self.read

    def check(self) -> None:
        """Raise :class:`BudgetSpent` when nothing more may be read."""
        if self.left() <= 0:
            raise BudgetSpent(f"--max-reads {self.most:,} reached; run again to continue")


class SocialLedger(Ledger):
    """Requests made to Bluesky and Mastodon servers, written with the page they fetched."""

    def __init__(self, platform: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.platform = platform
        self.clock = clock
        self.requests = 0
        self.items = 0

    def record(self, endpoint: str, status: int, items: int = 0, users: int = 0) -> None:
        """Note one request: its HTTP status (0: no answer came) and what its answer held."""
        self.requests += 1
        self.items += items + users
        self(ApiCall(now_utc(self.clock), endpoint, status, items, users))


@dataclass(frozen=True)
class SocialMember:
    """A Bluesky or Mastodon member and how far their feed has been collected."""

    platform: str
    account_id: int
    key: str
    handle: str | None
    name: str | None
    added_at: datetime
    newest: str | None
    newest_at: datetime | None
    sweep_cursor: str | None
    sweep_newest: str | None
    sweep_newest_at: datetime | None
    completed_at: datetime | None
    pds: str | None = None
    """Bluesky: the member's personal data server, as last resolved from their DID."""

    @property
    def interrupted(self) -> bool:
        """A sweep was stopped before its end and continues next run."""
        return self.sweep_cursor is not None


class Feed(Protocol):
    """What the collector needs of a platform's source (:class:`BlueskyFeed`, ...)."""

    platform: str

    def close(self) -> None:
        """Release the HTTP connections."""
        ...

    def profile(self, handle: str, ledger: SocialLedger) -> SocialAccount:
        """The account a handle names (raises UnknownHandleError, AccountGoneError)."""
        ...

    def repost_counts(
        self, posts: Sequence[tuple[str, SocialMember]], ledger: SocialLedger
    ) -> dict[str, int]:
        """The current repost counts of these posts ``(key, author member)``, by key."""
        ...

    def reposters(
        self, key: str, member: SocialMember, size: PageSize, ledger: SocialLedger
    ) -> Iterator[tuple[SocialPage, bool]]:
        """Who reposted the member's post ``key``, page by page, each with whether it is last."""
        ...

    def pages(
        self,
        member: SocialMember,
        boundary: SocialCheckpoint | None,
        cursor: str | None,
        size: PageSize,
        ledger: SocialLedger,
    ) -> Iterator[FeedPage]:
        """The member's feed newest first from ``cursor`` down to ``boundary``."""
        ...


# --- members --------------------------------------------------------------------------------


def add_social_members(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    handles: Sequence[str],
    *,
    clock: Callable[[], float] = time.time,
) -> AddResult:
    """Resolve handles to accounts on their servers and track them as members.

    Unknown handles and suspended accounts are reported in ``not_found`` (``handle: why``)
    and skipped; an
    unreachable server stops the command (ServerUnreachableError).
    """
    result = AddResult()
    platform = feed.platform
    for handle in dict.fromkeys(handles):
        try:
            account = feed.profile(handle, ledger)
        except (UnknownHandleError, AccountGoneError) as exc:
            result.not_found.append(str(exc))
            continue
        account = account._replace(seen_at=now_utc(clock))
        account_id = social_id(platform, account.key)
        shown = account.handle or handle
        with begin_write(engine) as conn:
            write_social_page(conn, SocialPage([account], [], []), platform, source="members")
            known = conn.scalar(
                select(func.count())
                .select_from(members)
                .where(members.c.platform == platform, members.c.account_id == account_id)
            )
            if known:
                result.already.append(shown)
            else:
                conn.execute(
                    insert(members).values(
                        platform=platform, account_id=account_id, added_at=now_utc(clock)
                    )
                )
                result.added.append(shown)
            ledger.flush(conn)
    return result


def list_social_members(db: Engine | Connection, platform: str | None = None) -> list[SocialMember]:
    """The Bluesky and Mastodon members (of ``platform`` only, when given), by handle."""
    query = (
        select(
            members.c.platform,
            members.c.account_id,
            accounts.c.key,
            accounts.c.username,
            accounts.c.name,
            members.c.added_at,
            social_checkpoints.c.newest,
            social_checkpoints.c.newest_at,
            social_checkpoints.c.sweep_cursor,
            social_checkpoints.c.sweep_newest,
            social_checkpoints.c.sweep_newest_at,
            social_checkpoints.c.completed_at,
            social_checkpoints.c.pds,
        )
        .join(
            accounts,
            and_(accounts.c.platform == members.c.platform, accounts.c.id == members.c.account_id),
        )
        .outerjoin(
            social_checkpoints,
            and_(
                social_checkpoints.c.platform == members.c.platform,
                social_checkpoints.c.account_id == members.c.account_id,
            ),
        )
        .where(members.c.platform.in_([platform] if platform else PLATFORMS))
        .order_by(members.c.platform, func.lower(accounts.c.username), accounts.c.key)
    )
    with connection(db) as conn:
        return [SocialMember(*row) for row in conn.execute(query)]


def remove_social_members(engine: Engine, platform: str, handles: Sequence[str]) -> list[str]:
    """Stop tracking these members; their stored data stays. Returns the handles removed.

    Raises
    ------
    UnknownAccountError
        A handle is not a member of ``platform``; nothing is removed.
    """
    rows = {(m.handle or "").lower(): m for m in list_social_members(engine, platform)}
    wanted = [h.lstrip("@").lower() for h in handles]
    missing = [h for h, w in zip(handles, wanted, strict=True) if w not in rows]
    if missing:
        raise UnknownAccountError(
            f"not a {platform} member: {', '.join(missing)} (see `members list`)"
        )
    chosen = [rows[w] for w in wanted]
    with begin_write(engine) as conn:
        conn.execute(
            delete(members).where(
                members.c.platform == platform,
                members.c.account_id.in_([m.account_id for m in chosen]),
            )
        )
    return [m.handle or m.key for m in chosen]


# --- collecting -----------------------------------------------------------------------------


@dataclass
class SocialMemberResult:
    """What a run did for one member."""

    platform: str
    handle: str
    pages: int = 0
    read: int = 0
    counts: SocialCounts = field(default_factory=SocialCounts)
    complete: bool = False
    problems: list[str] = field(default_factory=list)
    """Why the member could not be read (unknown, suspended, server unreachable)."""


@dataclass
class SocialResult:
    """What a Bluesky or Mastodon collect run did."""

    members: list[SocialMemberResult] = field(default_factory=list)
    stopped: str | None = None
    """Why the run stopped before the end (``--max-reads``), or None."""


def _ordered(found: list[SocialMember]) -> list[SocialMember]:
    """Interrupted sweeps first, then never collected, then least recently completed."""

    def key(m: SocialMember) -> tuple[int, datetime, str]:
        if m.interrupted:
            return (0, datetime.min, m.key)
        if m.completed_at is None:
            return (1, datetime.min, m.key)
        return (2, m.completed_at, m.key)

    return sorted(found, key=key)


def _boundary(
    member: SocialMember, newest: str | None, newest_at: datetime | None, since: date | None
) -> SocialCheckpoint | None:
    """Where the member's next sweep stops: the completed boundary, else ``since``."""
    if newest is not None or newest_at is not None:
        return SocialCheckpoint(member.platform, member.key, newest or "", newest_at)
    if since is not None:
        return SocialCheckpoint(member.platform, member.key, "", datetime.combine(since, dtime()))
    return None


def _sweep(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    member: SocialMember,
    boundary: SocialCheckpoint | None,
    cursor: str | None,
    newest: SocialCheckpoint | None,
    classifier: Classifier,
    budget: Budget,
    mres: SocialMemberResult,
    clock: Callable[[], float],
) -> SocialCheckpoint | None:
    """Read one sweep of the member's feed, page by page; return the new boundary."""
    pages = feed.pages(member, boundary, cursor, budget.left, ledger)
    for found in within_budget(budget, pages):
        budget.read += found.read
        newest = newest or found.newest
        now = now_utc(clock)
        values: dict[str, Any] = {"updated_at": now}
        if found.home is not None and found.home != member.pds:
            values["pds"] = found.home
        if found.last:
            done = newest or boundary
            values |= {
                "newest": done.newest if done else None,
                "newest_at": done.newest_at if done else None,
                "sweep_cursor": None,
                "sweep_newest": None,
                "sweep_newest_at": None,
                "completed_at": now,
            }
        else:
            values |= {
                "sweep_cursor": found.cursor,
                "sweep_newest": newest.newest if newest else None,
                "sweep_newest_at": newest.newest_at if newest else None,
            }
        with begin_write(engine) as conn:
            mres.counts.add(
                write_social_page(
                    conn,
                    found.page,
                    member.platform,
                    classifier,
                    source=FEED_SOURCE[member.platform],
                )
            )
            own = {
                social_id(member.platform, p.key): p.repost_count
                for p in found.page.posts
                if p.author_key == member.key and p.repost_count
            }
            save_retweet_counts(conn, member.platform, own)
            save_checkpoint(conn, member.platform, member.account_id, values)
            ledger.flush(conn)
        mres.pages += 1
        mres.read += found.read
        mres.complete = found.last
        if found.last:
            return newest or boundary
    return boundary


def within_budget(budget: Budget, pages: Iterator[Any]) -> Iterator[Any]:
    """``pages`` one by one, checking the budget before each (the next request)."""
    while True:
        budget.check()
        found = next(pages, None)
        if found is None:
            return
        yield found


def _collect_member(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    member: SocialMember,
    since: date | None,
    classifier: Classifier,
    budget: Budget,
    mres: SocialMemberResult,
    clock: Callable[[], float],
) -> None:
    boundary = _boundary(member, member.newest, member.newest_at, since)
    if member.interrupted:
        resumed = SocialCheckpoint(
            member.platform, member.key, member.sweep_newest or "", member.sweep_newest_at
        )
        newest = resumed if member.sweep_newest else None
        boundary = _sweep(
            engine, feed, ledger, member, boundary, member.sweep_cursor, newest,
            classifier, budget, mres, clock,
        )  # fmt: skip
    _sweep(engine, feed, ledger, member, boundary, None, None, classifier, budget, mres, clock)


def collect_social(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    *,
    since: date | None = None,
    classifier: Classifier | None = None,
    budget: Budget | None = None,
    on_member: Callable[[SocialMemberResult], None] = lambda result: None,
    clock: Callable[[], float] = time.time,
) -> SocialResult:
    """Collect every member of ``feed.platform``: new posts and reposts, resuming where stopped.

    ``since`` bounds the first sweep of members never collected. A member that cannot be read
    (unknown handle, suspended account, unreachable server) is reported in its result's
    ``problems`` and the run goes on with the others; the read budget stops the run cleanly
    (``stopped``). ``on_member`` is called after each member, even when the run stops there.
    """
    classifier = classifier or load_classifier(engine)
    budget = budget or Budget()
    result = SocialResult()
    try:
        for member in _ordered(list_social_members(engine, feed.platform)):
            mres = SocialMemberResult(member.platform, member.handle or member.key)
            result.members.append(mres)
            try:
                _collect_member(
                    engine, feed, ledger, member, since, classifier, budget, mres, clock
                )
            except MEMBER_PROBLEMS as exc:
                mres.problems.append(str(exc))
            finally:
                on_member(mres)
    except BudgetSpent as exc:
        result.stopped = str(exc)
    finally:
        ledger.flush_now(engine)
    refresh(engine)
    return result


def social_usage(engine: Engine, platform: str) -> list[dict[str, Any]]:
    """The ledger of ``platform``: requests and items (posts and accounts) read per day and
    endpoint, oldest first."""
    day = func.date(api_requests.c.at)
    query = (
        select(
            day,
            api_requests.c.endpoint,
            func.count(),
            func.coalesce(func.sum(api_requests.c.tweets + api_requests.c.users), 0),
        )
        .where(api_requests.c.platform == platform)
        .group_by(day, api_requests.c.endpoint)
        .order_by(day, api_requests.c.endpoint)
    )
    with engine.connect() as conn:
        return [
            {"day": str(d), "endpoint": e, "requests": n, "items": int(items)}
            for d, e, n, items in conn.execute(query)
        ]


# --- the platforms ----------------------------------------------------------------------------


RECORDS_CURSOR = "records:"
"""Prefix of a Bluesky sweep's cursor once its feed is read and its repost records are next."""


class BlueskyFeed:
    """Bluesky through the public AppView (:class:`retweetring.sources.bluesky.Bluesky`).

    A sweep reads the member's author feed, then their own repost records down to the same
    boundary: the records give the exact repost times, which replace the feed's indexing
    times. The sweep completes after the records, so an interrupted one resumes in them. The
    records are asked of the member's own PDS: the one stored with their checkpoint, else the
    one their DID document names (asked again when the stored one no longer has them).
    """

    platform = PLATFORM_BLUESKY

    def __init__(self, client: Any) -> None:
        self.client = client
        self._homes: dict[str, str] = {}

    def profile(self, handle: str, ledger: SocialLedger) -> SocialAccount:
        self.client.on_request = ledger.record
        account: SocialAccount = self.client.profile(handle.lstrip("@"))
        return account

    def pages(
        self,
        member: SocialMember,
        boundary: SocialCheckpoint | None,
        cursor: str | None,
        size: PageSize,
        ledger: SocialLedger,
    ) -> Iterator[FeedPage]:
        self.client.on_request = ledger.record
        if cursor is None or not cursor.startswith(RECORDS_CURSOR):
            for found in self.client.feed_pages(member.key, boundary, cursor, size):
                if not found.last:
                    yield found
                    continue
                yield found._replace(last=False, cursor=RECORDS_CURSOR)
                newest = found.newest
            cursor = RECORDS_CURSOR
        else:
            newest = None
        yield from self._records(member, boundary, cursor, newest, size)

    def _record_pages(
        self, member: SocialMember, start: str | None, size: PageSize
    ) -> Iterator[tuple[list[Any], str | None, str]]:
        """The member's repost record pages from their own PDS, with the PDS."""
        from retweetring.sources.bluesky import RECORDS

        stored = self._homes.get(member.key) or member.pds
        pds = stored or self.client.pds_of(member.key)
        pages = self.client.repost_record_pages(member.key, start, size, pds)
        try:
            first = next(pages, None)
        except (UnknownHandleError, ServerUnreachableError):
            if stored is None or (moved := self.client.pds_of(member.key)) == stored:
                raise
            pds = moved  # the member moved to another server since it was stored
            pages = self.client.repost_record_pages(member.key, start, size, pds)
            first = next(pages, None)
        self._homes[member.key] = pds
        if first is None:
            raise ServerUnreachableError(f"{RECORDS} for {member.key}: no answer")
        yield (*first, pds)
        for reposts, after in pages:
            yield reposts, after, pds

    def _records(
        self,
        member: SocialMember,
        boundary: SocialCheckpoint | None,
        cursor: str,
        newest: SocialCheckpoint | None,
        size: PageSize,
    ) -> Iterator[FeedPage]:
        """The member's repost records newer than the boundary: their exact times."""
        from retweetring.sources.bluesky import RECORDS

        since = boundary.newest_at if boundary is not None else None
        start = cursor[len(RECORDS_CURSOR) :] or None
        for reposts, after, pds in self._record_pages(member, start, size):
            kept = [
                r for r in reposts if since is None or r.created_at is None or r.created_at > since
            ]
            last = after is None or len(kept) < len(reposts)
            page = SocialPage([], [], kept)
            cursor = RECORDS_CURSOR + (after or "")
            yield FeedPage(page, newest, cursor, last, len(reposts), RECORDS, pds)
            if last:
                return

    def repost_counts(
        self, posts: Sequence[tuple[str, SocialMember]], ledger: SocialLedger
    ) -> dict[str, int]:
        self.client.on_request = ledger.record
        counts: dict[str, int] = self.client.repost_counts([key for key, _member in posts])
        return counts

    def reposters(
        self, key: str, member: SocialMember, size: PageSize, ledger: SocialLedger
    ) -> Iterator[tuple[SocialPage, bool]]:
        self.client.on_request = ledger.record
        yield from self.client.reposted_by(key, size)

    def close(self) -> None:
        self.client.close()


class MastodonFeed:
    """Mastodon through each member's home server (:class:`MastodonSource`, one per server)."""

    platform = PLATFORM_MASTODON

    def __init__(self, source_for: Callable[[str], Any]) -> None:
        self._source_for = source_for
        self._sources: dict[str, Any] = {}

    def _source(self, server: str, ledger: SocialLedger) -> Any:
        if server not in self._sources:
            self._sources[server] = self._source_for(server)
        self._sources[server].on_request = ledger.record
        return self._sources[server]

    def _home(self, member: SocialMember, ledger: SocialLedger) -> tuple[str, Any]:
        """The member's ``@user@server`` and the source of their server."""
        from retweetring.sources.mastodon import home_handle, split_handle

        handle = home_handle(member.handle, member.key)
        return handle, self._source(split_handle(handle)[1], ledger)

    def profile(self, handle: str, ledger: SocialLedger) -> SocialAccount:
        from retweetring.sources.mastodon import split_handle

        _user, server = split_handle(handle)
        account: SocialAccount = self._source(server, ledger).profile(handle)
        return account

    def pages(
        self,
        member: SocialMember,
        boundary: SocialCheckpoint | None,
        cursor: str | None,
        size: PageSize,
        ledger: SocialLedger,
    ) -> Iterator[FeedPage]:
        handle, source = self._home(member, ledger)
        account = source.lookup(handle)
        since: str | datetime | None = None
        if boundary is not None:
            since = boundary.newest or boundary.newest_at
        yield from source.status_pages(account, since, cursor, size)

    def _local_id(self, key: str, source: Any) -> str:
        from retweetring.sources.mastodon import status_id

        local = status_id(key, source.server)
        if local is None:
            raise ServerUnreachableError(
                f"{source.server}: cannot tell the id of status {key} on its home server"
            )
        return local

    def repost_counts(
        self, posts: Sequence[tuple[str, SocialMember]], ledger: SocialLedger
    ) -> dict[str, int]:
        from retweetring.sources.mastodon import status_id

        counts: dict[str, int] = {}
        for key, member in posts:
            _handle, source = self._home(member, ledger)
            local = status_id(key, source.server)
            if local is None:  # its reposters cannot be asked for either
                continue
            found = source.repost_counts([local])
            if local in found:  # else it was deleted
                counts[key] = found[local]
        return counts

    def reposters(
        self, key: str, member: SocialMember, size: PageSize, ledger: SocialLedger
    ) -> Iterator[tuple[SocialPage, bool]]:
        _handle, source = self._home(member, ledger)
        yield from source.reblogged_by({"id": self._local_id(key, source), "uri": key}, size)

    def close(self) -> None:
        for source in self._sources.values():
            source.session.close()


def feed_for(
    platform: str,
    *,
    wait: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> BlueskyFeed | MastodonFeed:
    """The reader of ``platform`` (``bluesky`` or ``mastodon``) on the real servers."""
    if platform == PLATFORM_BLUESKY:
        from retweetring.sources.bluesky import Bluesky

        return BlueskyFeed(Bluesky(wait=wait, clock=clock))
    from retweetring.sources.mastodon import MastodonSource

    return MastodonFeed(lambda server: MastodonSource(server, wait=wait, clock=clock))
