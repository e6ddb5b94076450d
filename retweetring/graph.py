"""The support graph of a time window, built from SQL aggregates.

An edge X -> Y means X supported Y: X retweeted at least one promotional original tweet that Y
wrote, X != Y, with the retweet's time in ``[since, until)``. Its ``weight`` is the number of
distinct such tweets; ``first`` and ``last`` are the earliest and latest of those retweets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, and_, func, select, true
from sqlalchemy.sql.elements import ColumnElement

from retweetring.records import PLATFORM_X, account_label
from retweetring.store.session import connection
from retweetring.store.tables import accounts, retweets, tweets

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Window:
    """A half-open UTC window ``[since, until)``; either end may be open."""

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError(f"--since {self.since} must be before --until {self.until}")

    def describe(self) -> str:
        """Return the window in words, e.g. ``2026-10-01 to 2026-11-01 (exclusive)``."""
        if self.since is None and self.until is None:
            return "all time"
        since = self.since.isoformat() if self.since else "the beginning"
        until = f"{self.until.isoformat()} (exclusive)" if self.until else "now"
        return f"{since} to {until}"


def _start(day: date | datetime) -> datetime:
    return day if isinstance(day, datetime) else datetime.combine(day, time())


def is_promotional() -> ColumnElement[bool]:
    """SQL: the tweet counts as promotional (the user's override wins over the classifier)."""
    return func.coalesce(tweets.c.promo_override, tweets.c.is_promotional) == True  # noqa: E712


def in_window(column: ColumnElement[datetime | None], window: Window) -> ColumnElement[bool]:
    """SQL: the time in ``column`` lies in ``[since, until)``; an open end does not bound.

    A row whose time is NULL is only in a window open at both ends.
    """
    conditions = []
    if window.since is not None:
        conditions.append(column >= _start(window.since))
    if window.until is not None:
        conditions.append(column < _start(window.until))
    return and_(true(), *conditions)


def support_condition(
    window: Window = Window(), *, all_retweets: bool = False
) -> ColumnElement[bool]:
    """SQL: a ``retweets`` row joined to its original ``tweets`` row is a support event."""
    conditions = [
        retweets.c.retweeter_id != tweets.c.author_id,
        in_window(retweets.c.created_at, window),
    ]
    if not all_retweets:
        conditions.append(is_promotional())
    return and_(*conditions)


def support_graph(
    db: Engine | Connection,
    window: Window = Window(),
    *,
    all_retweets: bool = False,
    platform: str = PLATFORM_X,
) -> nx.DiGraph:
    """Return the weighted support graph of ``window``.

    Parameters
    ----------
    db : Engine or Connection
        The database to read.
    window : Window
        Only retweets made in ``[since, until)`` count.
    all_retweets : bool
        Count every retweet of someone else's tweet, promotional or not.
    platform : str
        The network whose data to use.

    Returns
    -------
    networkx.DiGraph
        Nodes are account ids with ``username`` and ``name`` attributes; edges carry
        ``weight``, ``first`` and ``last``. Only accounts with at least one edge are nodes.
    """
    edges = (
        select(
            retweets.c.retweeter_id,
            tweets.c.author_id,
            func.count(func.distinct(retweets.c.original_id)),
            func.min(retweets.c.created_at),
            func.max(retweets.c.created_at),
        )
        .join(
            tweets,
            and_(tweets.c.platform == retweets.c.platform, tweets.c.id == retweets.c.original_id),
        )
        .where(
            retweets.c.platform == platform, support_condition(window, all_retweets=all_retweets)
        )
        .group_by(retweets.c.retweeter_id, tweets.c.author_id)
    )
    import networkx as nx

    graph = nx.DiGraph()
    with connection(db) as conn:
        for supporter, supported, weight, first, last in conn.execute(edges):
            graph.add_edge(supporter, supported, weight=weight, first=first, last=last)
        _label_nodes(conn, graph, platform)
    return graph


def _label_nodes(conn: Connection, graph: nx.DiGraph, platform: str) -> None:
    """Set ``username`` and ``name`` on every node from the accounts table."""
    ids = list(graph.nodes)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            select(accounts.c.id, accounts.c.username, accounts.c.name).where(
                accounts.c.platform == platform, accounts.c.id.in_(chunk)
            )
        )
        for account_id, username, name in rows:
            graph.nodes[account_id]["username"] = account_label(account_id, username)
            graph.nodes[account_id]["name"] = name or ""
