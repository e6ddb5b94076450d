"""Who to thank: the accounts that supported one account in one ISO week.

The definitions (README, "Who to thank"):

- The week is an ISO week, Monday 00:00 to the next Monday 00:00 in a time zone (UTC unless
  given). Retweet times are stored in UTC and compared with the week's two ends in UTC.
- A supporter of ``account`` in the week is every account X != ``account`` with at least one
  support event X -> ``account`` (see ``graph.support_condition``) whose retweet time is in the
  week. ``retweets`` is the number of distinct tweets of ``account`` that X retweeted that week.
- ``new``: X has no support event for ``account`` with a time before the week's start in the
  stored data (the week holds X's first support of ``account`` ever).
- ``returned``: ``account`` supported X at least once in the four ISO weeks that end with the
  week's end (the week itself and the three before it).
- ``thanked``: X is in the thanks ledger for ``account`` and the week.
- "Support them back": the supporters whose support was not returned (``returned`` is false).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine, and_, func, insert, select

from retweetring.errors import NoDataError
from retweetring.graph import Window, support_condition
from retweetring.records import (
    PLATFORM_X,
    PLATFORMS,
    account_label,
)
from retweetring.store.queries import find_account
from retweetring.store.session import connection, write_connection
from retweetring.store.tables import accounts, retweets, tweets
from retweetring.store.tables import thanks as ledger

__all__ = [
    "RETURN_WEEKS",
    "Handle",
    "Supporter",
    "ThankList",
    "Week",
    "as_week",
    "has_retweets_in",
    "last_complete_week",
    "mark_thanked",
    "returned_to",
    "support_received",
    "supported_before",
    "thank_list",
    "thanked_ids",
    "time_zone",
    "usernames",
]

RETURN_WEEKS = 4
"""How many ISO weeks, ending with the week's end, count for ``returned``."""

_WEEK_LABEL = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def time_zone(name: str) -> ZoneInfo:
    """Return the IANA time zone called ``name`` (``UTC``, ``Europe/London`` ...).

    Raises
    ------
    ValueError
        No such time zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as UTC or Europe/London"
        ) from None


@dataclass(frozen=True)
class Week:
    """An ISO week in a time zone: Monday 00:00 up to (not including) the next Monday 00:00.

    Examples
    --------
    >>> week = Week.parse("2026-W44", "Europe/London")
    >>> week.label, week.start.isoformat(), week.end.isoformat()
    ('2026-W44', '2026-10-26T00:00:00+00:00', '2026-11-02T00:00:00+00:00')
    >>> Week.parse("2026-W43", "Europe/London").start_utc  # British Summer Time: UTC+1
    datetime.datetime(2026, 10, 18, 23, 0)
    """

    year: int
    number: int
    tz: str = "UTC"

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.number, 1)
        except ValueError:
            raise ValueError(f"{self.year} has no ISO week {self.number}") from None
        time_zone(self.tz)

    @classmethod
    def parse(cls, label: str, tz: str = "UTC") -> Week:
        """Return the week written as ``2026-W46`` (or ``2026W46``) in time zone ``tz``."""
        match = _WEEK_LABEL.match(label)
        if match is None:
            raise ValueError(f"{label!r} is not an ISO week like 2026-W46")
        return cls(int(match.group(1)), int(match.group(2)), tz)

    @classmethod
    def containing(cls, moment: datetime, tz: str = "UTC") -> Week:
        """Return the week in ``tz`` that contains ``moment`` (a naive moment is UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        year, number, _ = moment.astimezone(time_zone(tz)).isocalendar()
        return cls(year, number, tz)

    @property
    def label(self) -> str:
        """The week as ``2026-W46``."""
        return f"{self.year:04d}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        """The week's first day."""
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        """The week's last day."""
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        """Monday 00:00 in the week's time zone (aware)."""
        return _local_midnight(self.monday, self.tz)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 in the week's time zone (aware); not part of the week."""
        return _local_midnight(self.monday + timedelta(days=7), self.tz)

    @property
    def start_utc(self) -> datetime:
        """``start`` as a naive UTC time, as the database stores times."""
        return _naive_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """``end`` as a naive UTC time, as the database stores times."""
        return _naive_utc(self.end)

    def shift(self, weeks: int) -> Week:
        """Return the week ``weeks`` weeks later (earlier when negative), same time zone."""
        year, number, _ = (self.monday + timedelta(weeks=weeks)).isocalendar()
        return Week(year, number, self.tz)

    def window(self) -> Window:
        """The week as a support-graph window (UTC)."""
        return Window(self.start_utc, self.end_utc)

    def describe(self) -> str:
        """Return the week in words, e.g. ``2026-W46 (Mon 9 Nov to Sun 15 Nov 2026, UTC)``."""
        days = f"{_day(self.monday)} to {_day(self.sunday)} {self.sunday.year}"
        return f"{self.label} ({days}, {self.tz})"

    def __str__(self) -> str:
        return self.label


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _local_midnight(day: date, tz: str) -> datetime:
    # A midnight that does not exist (a DST gap at 00:00) resolves to the moment the day begins.
    local = datetime.combine(day, time(), tzinfo=time_zone(tz))
    return local.astimezone(timezone.utc).astimezone(local.tzinfo)


def _naive_utc(moment: datetime) -> datetime:
    """``moment`` as a naive UTC time; a naive ``moment`` already is one."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def last_complete_week(now: datetime, tz: str = "UTC") -> Week:
    """Return the newest ISO week in ``tz`` that has ended by ``now`` (a naive ``now`` is UTC).

    Examples
    --------
    >>> last_complete_week(datetime(2026, 11, 20, 15, 0)).label  # a Friday in W47
    '2026-W46'
    >>> last_complete_week(datetime(2026, 11, 23, 0, 0)).label  # Monday 00:00: W47 just ended
    '2026-W47'
    >>> last_complete_week(datetime(2026, 11, 23, 0, 30), "America/New_York").label
    '2026-W46'
    """
    return Week.containing(now, tz).shift(-1)


def as_week(week: Week | str | None, tz: str = "UTC", now: datetime | None = None) -> Week:
    """``week`` as a Week: a label such as ``2026-W46`` is taken in ``tz``; None is the last
    complete week in ``tz`` at ``now`` (default: the current time)."""
    if isinstance(week, Week):
        return week
    if week is None:
        return last_complete_week(now or datetime.now(timezone.utc), tz)
    return Week.parse(week, tz)


@dataclass(frozen=True)
class Handle:
    """One account of a supporting person on one network: where to thank them there."""

    platform: str
    account_id: int
    username: str
    retweets: int
    """Distinct posts of the thanked person's accounts on this network it reposted that week."""
    supported: tuple[int, ...] = ()
    """The ids of the thanked person's accounts on this network that it supported that week."""

    @property
    def label(self) -> str:
        """The account as ``platform:handle``."""
        return f"{self.platform}:{self.username}"

    def to_dict(self) -> dict[str, Any]:
        """The account as a JSON object of ``thank --platform all``."""
        return {"platform": self.platform, "username": self.username, "retweets": self.retweets}


@dataclass(frozen=True)
class Supporter:
    """One account (or, across networks, one person) that supported the thanking account in
    the week."""

    username: str
    account_id: int
    retweets: int
    new: bool
    returned: bool
    thanked: bool
    handles: tuple[Handle, ...] = ()
    """Across networks: the person's accounts on the networks the thanked person posts on,
    in network order (the first on each network is the one to mention there)."""

    def to_dict(self) -> dict[str, Any]:
        """The supporter as the JSON object of the ``thank`` command."""
        data: dict[str, Any] = {
            "username": self.username,
            "retweets": self.retweets,
            "new": self.new,
            "returned": self.returned,
            "thanked": self.thanked,
        }
        if self.handles:
            data["accounts"] = [h.to_dict() for h in self.handles]
        return data

    def handle_on(self, platform: str) -> Handle | None:
        """The account to thank this supporter on ``platform``; None without one there."""
        return next((h for h in self.handles if h.platform == platform), None)


@dataclass(frozen=True)
class ThankList:
    """Who supported ``account`` in ``week``, most retweets first, then by username."""

    account: str
    account_id: int
    week: Week
    supporters: tuple[Supporter, ...]
    all_retweets: bool = False
    platform: str = PLATFORM_X
    """The network, or ``all``: a person across their linked accounts."""
    accounts: tuple[str, ...] = ()
    """With ``all``: the thanked person's accounts as ``platform:handle``, the first first."""

    @property
    def networks(self) -> tuple[str, ...]:
        """The networks the thanked account (or person) posts on, in network order."""
        if self.platform != "all":
            return (self.platform,)
        posted = {label.split(":", 1)[0] for label in self.accounts}
        return tuple(n for n in PLATFORMS if n in posted)

    def on(self, platform: str) -> ThankList:
        """The list as thanked on one network of a person's: the supporters with an account
        there, each named by that account (the whole list when it is of that network)."""
        if self.platform == platform:
            return self
        shown = [
            replace(s, username=h.username, account_id=h.account_id, handles=(h,))
            for s in self.supporters
            if (h := s.handle_on(platform)) is not None
        ]
        return replace(self, supporters=tuple(shown), platform=platform, accounts=())

    @cached_property
    def support_back(self) -> tuple[Supporter, ...]:
        """The supporters whose support ``account`` has not returned, in the same order."""
        return tuple(s for s in self.supporters if not s.returned)

    def to_dict(self) -> dict[str, Any]:
        """The list as the JSON document of the ``thank`` command (more keys than required)."""
        return {
            "account": self.account,
            "week": self.week.label,
            "timezone": self.week.tz,
            "start": self.week.start.isoformat(),
            "end": self.week.end.isoformat(),
            "all_retweets": self.all_retweets,
            "supporters": [s.to_dict() for s in self.supporters],
            "support_back": [s.username for s in self.support_back],
        } | ({"platform": "all", "accounts": list(self.accounts)} if self.platform == "all" else {})


def thank_list(
    db: Engine | Connection,
    username: str,
    week: Week | str | None = None,
    tz: str = "UTC",
    *,
    now: datetime | None = None,
    all_retweets: bool = False,
    platform: str = PLATFORM_X,
) -> ThankList:
    """Return who supported ``username`` in ``week``, with ``new``, ``returned`` and ``thanked``.

    Parameters
    ----------
    db : Engine or Connection
        The database to read.
    username : str
        The account to thank for (case-insensitive, ``@`` optional).
    week : Week, str or None
        The week; a label such as ``2026-W46`` is taken in ``tz``. Default: the last complete
        week in ``tz`` at ``now``.
    tz : str
        IANA time zone for a week given as a label or by default.
    now : datetime, optional
        The present, for the default week (default: the current time).
    all_retweets : bool
        Count every retweet of the account's tweets, not only of promotional ones.
    platform : str
        The network whose data to use.

    Raises
    ------
    UnknownAccountError
        No stored account is called ``username``.
    NoDataError
        No retweet at all is stored with a time in the week.

    Notes
    -----
    SQLite plans these per-account queries well only with ``ANALYZE`` statistics: on a million
    retweets this takes 0.03 s with them and 3.5 s without (``benchmarks/thank_list.py``).
    """
    week = as_week(week, tz, now)
    with connection(db) as conn:
        account_id = find_account(conn, username, platform)
        if not has_retweets_in(conn, week, platform):
            raise NoDataError(_no_data_message(conn, week, platform))
        label = conn.scalar(
            select(accounts.c.username).where(
                accounts.c.platform == platform, accounts.c.id == account_id
            )
        )
        counts = support_received(conn, account_id, week.window(), all_retweets, platform)
        ids = list(counts)
        earlier = supported_before(conn, account_id, ids, week, all_retweets, platform)
        returned = returned_to(conn, account_id, ids, week, all_retweets, platform)
        thanked = thanked_ids(conn, account_id, ids, week, platform)
        names = usernames(conn, ids, platform)
    supporters = [
        Supporter(
            username=account_label(sid, names.get(sid)),
            account_id=sid,
            retweets=n,
            new=sid not in earlier,
            returned=sid in returned,
            thanked=sid in thanked,
        )
        for sid, n in counts.items()
    ]
    supporters.sort(key=lambda s: (-s.retweets, s.username.lower(), s.username))
    return ThankList(
        account=account_label(account_id, label),
        account_id=account_id,
        week=week,
        supporters=tuple(supporters),
        all_retweets=all_retweets,
        platform=platform,
    )


def _support_select(*columns: Any, all_retweets: bool, window: Window, platform: str) -> Any:
    """SELECT ``columns`` FROM support events (retweets joined to their originals)."""
    return (
        select(*columns)
        .select_from(retweets)
        .join(
            tweets,
            and_(tweets.c.platform == retweets.c.platform, tweets.c.id == retweets.c.original_id),
        )
        .where(
            retweets.c.platform == platform, support_condition(window, all_retweets=all_retweets)
        )
    )


def has_retweets_in(conn: Connection, week: Week, platform: str) -> bool:
    query = select(retweets.c.id).where(
        retweets.c.platform == platform,
        retweets.c.created_at >= week.start_utc,
        retweets.c.created_at < week.end_utc,
    )
    return conn.execute(query.limit(1)).first() is not None


def _no_data_message(conn: Connection, week: Week, platform: str) -> str:
    first, last = conn.execute(
        select(func.min(retweets.c.created_at), func.max(retweets.c.created_at)).where(
            retweets.c.platform == platform
        )
    ).one()
    if first is None:
        held = "the database holds no retweets yet; import some first (retweetring import FILE)"
    else:
        held = f"the stored retweets run from {first:%Y-%m-%d} to {last:%Y-%m-%d} (UTC)"
    return f"no retweets stored in {week.describe()}: {held}"


def support_received(
    conn: Connection, account_id: int, window: Window, all_retweets: bool, platform: str
) -> dict[int, int]:
    query = (
        _support_select(
            retweets.c.retweeter_id,
            func.count(func.distinct(retweets.c.original_id)),
            all_retweets=all_retweets,
            window=window,
            platform=platform,
        )
        .where(tweets.c.author_id == account_id)
        .group_by(retweets.c.retweeter_id)
    )
    return {supporter: n for supporter, n in conn.execute(query)}


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def supported_before(
    conn: Connection,
    account_id: int,
    ids: list[int],
    week: Week,
    all_retweets: bool,
    platform: str,
) -> set[int]:
    """Those of ``ids`` with a support event for the account before the week's start."""
    found: set[int] = set()
    for chunk in _chunks(ids):
        query = _support_select(
            retweets.c.retweeter_id,
            all_retweets=all_retweets,
            window=Window(until=week.start_utc),
            platform=platform,
        ).where(tweets.c.author_id == account_id, retweets.c.retweeter_id.in_(chunk))
        found.update(conn.scalars(query.distinct()))
    return found


def returned_to(
    conn: Connection,
    account_id: int,
    ids: list[int],
    week: Week,
    all_retweets: bool,
    platform: str,
) -> set[int]:
    """Those of ``ids`` the account supported in the ``RETURN_WEEKS`` weeks ending with ``week``."""
    window = Window(week.shift(1 - RETURN_WEEKS).start_utc, week.end_utc)
    found: set[int] = set()
    for chunk in _chunks(ids):
        query = _support_select(
            tweets.c.author_id, all_retweets=all_retweets, window=window, platform=platform
        ).where(retweets.c.retweeter_id == account_id, tweets.c.author_id.in_(chunk))
        found.update(conn.scalars(query.distinct()))
    return found


def thanked_ids(
    conn: Connection, account_id: int, ids: list[int], week: Week, platform: str
) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(ids):
        query = select(ledger.c.supporter_id).where(
            ledger.c.platform == platform,
            ledger.c.account_id == account_id,
            ledger.c.week == week.label,
            ledger.c.supporter_id.in_(chunk),
        )
        found.update(conn.scalars(query))
    return found


def usernames(conn: Connection, ids: list[int], platform: str) -> dict[int, str | None]:
    names: dict[int, str | None] = {}
    for chunk in _chunks(ids):
        query = select(accounts.c.id, accounts.c.username).where(
            accounts.c.platform == platform, accounts.c.id.in_(chunk)
        )
        names.update({account_id: name for account_id, name in conn.execute(query)})
    return names


def mark_thanked(
    db: Engine | Connection,
    thanks: ThankList,
    *,
    supporters: Iterable[Supporter] | None = None,
    now: datetime | None = None,
) -> int:
    """Record ``thanks``'s supporters (or just ``supporters``) in the thanks ledger.

    Recording the same supporter for the same account and week again changes nothing.
    Returns how many supporters were newly recorded. Across networks (a list of ``platform``
    ``all``) each supporting account is recorded on its network for the thanked person's
    accounts it supported there. With a Connection, the caller's transaction decides when the
    rows are committed.
    """
    chosen = list(thanks.supporters if supporters is None else supporters)
    when = _naive_utc(now or datetime.now(timezone.utc))
    wanted: dict[tuple[str, int], dict[int, tuple[int, int]]] = {}
    for n, s in enumerate(chosen):
        entries = (
            [(h.platform, m, h.account_id, h.retweets) for h in s.handles for m in h.supported]
            if thanks.platform == "all"
            else [(thanks.platform, thanks.account_id, s.account_id, s.retweets)]
        )
        for platform, mine, supporter, count in entries:
            wanted.setdefault((platform, mine), {})[supporter] = (count, n)
    rows, recorded = [], set()
    with write_connection(db) as conn:
        for (platform, mine), found in wanted.items():
            already = thanked_ids(conn, mine, list(found), thanks.week, platform)
            for supporter, (count, n) in found.items():
                if supporter in already:
                    continue
                recorded.add(n)
                rows.append(
                    {
                        "platform": platform,
                        "account_id": mine,
                        "week": thanks.week.label,
                        "supporter_id": supporter,
                        "retweets": count,
                        "tz": thanks.week.tz,
                        "thanked_at": when,
                    }
                )
        if rows:
            conn.execute(insert(ledger), rows)
    return len(recorded)
