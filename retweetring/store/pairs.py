"""Mutual and one-sided pairs computed in SQL, without building the support graph.

Each function returns exactly the rows of its networkx reference in
:mod:`retweetring.reports.summary` (``mutual_rows``, ``one_sided_rows``) run on
:func:`retweetring.graph.support_graph`: same rows, same order, same labels. The per-pair
weights are one ``GROUP BY (retweeter, author)`` over the support events of the window
(:func:`retweetring.graph.support_condition`), or, for all time and promotional tweets only,
the stored ``pair_weights`` when they are fresh (:mod:`retweetring.store.pair_weights`); the
pairs are a self-join of those weights.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, and_, func, literal, or_, select

from retweetring.graph import Window, in_window, is_promotional, support_condition
from retweetring.records import PLATFORM_X, account_label
from retweetring.store.dialect import TweetsFirstJoin
from retweetring.store.pair_weights import fresh_platforms, read_pairs
from retweetring.store.session import connection
from retweetring.store.tables import accounts, pair_weights, retweets, tweets

if TYPE_CHECKING:
    from retweetring.analytics.weights import SupportWeights

__all__ = ["mutual_rows", "one_sided_rows", "support_weights"]

SortKey = tuple[str, str]


def _weights(window: Window, all_retweets: bool, platform: str) -> Any:
    """The CTE ``(supporter, supported, weight)``: w(supporter->supported) >= 1 in `window`."""
    events = TweetsFirstJoin(
        tweets,
        retweets,
        and_(tweets.c.platform == retweets.c.platform, tweets.c.id == retweets.c.original_id),
    )
    return (
        select(
            retweets.c.retweeter_id.label("supporter"),
            tweets.c.author_id.label("supported"),
            func.count(func.distinct(retweets.c.original_id)).label("weight"),
        )
        .select_from(events)
        .where(
            retweets.c.platform == platform, support_condition(window, all_retweets=all_retweets)
        )
        .group_by(retweets.c.retweeter_id, tweets.c.author_id)
        .cte("weights")
    )


def _check(min_support: int) -> int:
    if isinstance(min_support, bool) or not isinstance(min_support, int) or min_support < 1:
        raise ValueError(f"min_support must be an integer >= 1, got {min_support!r}")
    return min_support


class _Labels:
    """Usernames of the accounts in a result, and the order the analytics sort them in.

    A node's sort key is ``(label, str(id))`` with ``label`` its ``username`` attribute in
    the support graph (``account_label``), or ``str(id)`` for an id with no account row;
    it is shown as ``account_label`` either way (see :mod:`retweetring.analytics.labels`).
    The accounts table is read once (99k accounts: 0.07 s), not joined to every pair.
    """

    def __init__(self, conn: Connection, platform: str, names: bool = False) -> None:
        columns = [accounts.c.id, accounts.c.username] + ([accounts.c.name] if names else [])
        query = select(*columns).where(accounts.c.platform == platform)
        rows = conn.execute(query).cursor.fetchall()  # ids and text: nothing to convert
        self.usernames: dict[int, str | None] = {row[0]: row[1] for row in rows}
        self.names: dict[int, str] = {row[0]: row[2] or "" for row in rows} if names else {}
        self.keys: dict[int, SortKey] = {}
        self.shown: dict[int, str] = {}

    def add(self, account_id: int) -> None:
        if account_id in self.keys:
            return
        found = account_id in self.usernames
        shown = account_label(account_id, self.usernames.get(account_id))
        self.shown[account_id] = shown
        self.keys[account_id] = (shown if found else str(account_id), str(account_id))

    def key(self, account_id: int) -> SortKey:
        found = self.keys.get(account_id)
        if found is None:
            self.add(account_id)
            found = self.keys[account_id]
        return found


def support_weights(
    db: Engine | Connection,
    window: Window | None = None,
    *,
    all_retweets: bool = False,
    platform: str = PLATFORM_X,
    times: bool = False,
) -> SupportWeights:
    """The support graph's weighted pairs as :class:`~retweetring.analytics.weights.SupportWeights`.

    The same accounts, pairs, weights, labels and names as
    :func:`retweetring.graph.support_graph`, and with `times` its ``first`` and ``last``
    (as numpy ``datetime64[us]``, NaT for none). The two tables are read in one scan each
    (the originals that count, the retweets in the window) and joined with numpy: on 1M
    retweets that takes 2-3 s against 3-7 s for the join and GROUP BY in SQLite, whose
    per-retweet index lookups dominate.
    """
    import numpy as np

    from retweetring.analytics.weights import SupportWeights

    window = window or Window()
    if window == Window() and not all_retweets:
        with connection(db) as conn:
            stored = read_pairs(conn, platform, times)
            if stored is not None:
                labels = _Labels(conn, platform, names=True)
                return _stored_weights(np, stored, labels, times)
    originals = select(tweets.c.id, tweets.c.author_id).where(tweets.c.platform == platform)
    if not all_retweets:
        originals = originals.where(is_promotional())
    columns = [retweets.c.retweeter_id, retweets.c.original_id]
    if times:
        columns.append(retweets.c.created_at)
    events = select(*columns).where(
        retweets.c.platform == platform, in_window(retweets.c.created_at, window)
    )
    with connection(db) as conn:
        labels = _Labels(conn, platform, names=True)
        written = np.array(conn.execute(originals).cursor.fetchall(), dtype=np.int64)
        rows = conn.execute(events).cursor.fetchall()
    written = written.reshape(len(written), 2)
    if times:
        listed = list(zip(*rows, strict=True)) or [(), (), ()]
        retweeted = np.array(listed[:2], dtype=np.int64).T.reshape(len(rows), 2)
        when = np.array(listed[2], dtype="datetime64[us]")
    else:
        retweeted = np.array(rows, dtype=np.int64).reshape(len(rows), 2)
        when = None
    pairs = _pair_weights(np, written, retweeted, when)
    return SupportWeights.of_ids(
        *pairs[:3],
        labels.key,
        labels.shown.__getitem__,
        labels.names.get,
        first=pairs[3],
        last=pairs[4],
    )


def _stored_weights(np: Any, rows: list[Any], labels: _Labels, times: bool) -> SupportWeights:
    """:class:`SupportWeights` of the rows of ``pair_weights`` (:func:`read_pairs`)."""
    from retweetring.analytics.weights import SupportWeights

    width = 5 if times else 3
    flat = itertools.chain.from_iterable(rows)  # half the time of np.array(rows)
    columns = np.fromiter(flat, dtype=np.int64, count=width * len(rows)).reshape(-1, width).T
    first = last = None
    if times:
        first, last = columns[3].view("datetime64[us]"), columns[4].view("datetime64[us]")
    return SupportWeights.of_ids(
        columns[0],
        columns[1],
        columns[2],
        labels.key,
        labels.shown.__getitem__,
        labels.names.get,
        first=first,
        last=last,
    )


def _pair_weights(np: Any, written: Any, retweeted: Any, when: Any) -> tuple[Any, ...]:
    """``(supporter, supported, weight, first, last)`` arrays: the distinct originals of the
    supported that the supporter retweeted, from ``(tweet, author)`` and ``(retweeter,
    original)`` rows, and (when `when` holds each retweet's time) the earliest and latest
    retweet of each pair (None without `when`)."""
    order = np.argsort(written[:, 0], kind="stable")
    tweet_ids, authors = written[order, 0], written[order, 1]
    retweeter, original = retweeted[:, 0], retweeted[:, 1]
    at = np.minimum(np.searchsorted(tweet_ids, original), max(len(tweet_ids) - 1, 0))
    found = tweet_ids[at] == original if len(tweet_ids) else np.zeros(len(original), bool)
    retweeter, original, author = retweeter[found], original[found], authors[at[found]]
    other = retweeter != author
    retweeter, original, author = retweeter[other], original[other], author[other]
    # compact numbers, so that (retweeter, author, original) fits one int64 key
    people, person = np.unique(np.concatenate([retweeter, author]), return_inverse=True)
    tweet_set, tweet = np.unique(original, return_inverse=True)
    m = len(retweeter)
    pair = person[:m].astype(np.int64) * len(people) + person[m:]
    distinct = np.unique(pair * max(len(tweet_set), 1) + tweet) // max(len(tweet_set), 1)
    pairs, weight = np.unique(distinct, return_counts=True)
    first = last = None
    if when is not None and len(pairs):
        when = when[found][other]
        by_pair = np.argsort(pair, kind="stable")
        starts = np.searchsorted(pair[by_pair], pairs)
        first = np.fmin.reduceat(when[by_pair], starts)
        last = np.fmax.reduceat(when[by_pair], starts)
    elif when is not None:
        first = last = np.zeros(0, dtype="datetime64[us]")
    return people[pairs // len(people)], people[pairs % len(people)], weight, first, last


def _weights_of(conn: Connection, window: Window | None, all_retweets: bool, platform: str) -> Any:
    """The ``(supporter, supported, weight)`` rows to self-join: the stored pair weights when
    they answer the question (all time, promotional tweets only) and are fresh in `conn`'s
    transaction (a primary-key lookup per pair), else the ``GROUP BY`` over the events."""
    window = window or Window()
    if window == Window() and not all_retweets and platform in fresh_platforms(conn):
        return (
            select(
                pair_weights.c.supporter_id.label("supporter"),
                pair_weights.c.supported_id.label("supported"),
                pair_weights.c.weight,
            )
            .where(pair_weights.c.platform == platform)
            .subquery("weights")
        )
    return _weights(window, all_retweets, platform)


def mutual_rows(
    db: Engine | Connection,
    window: Window | None = None,
    min_support: int = 1,
    *,
    all_retweets: bool = False,
    platform: str = PLATFORM_X,
) -> list[dict[str, Any]]:
    """Mutual pairs as ``{"a", "b", "a_to_b", "b_to_a"}`` rows, strongest first.

    The same rows as ``summary.mutual_rows(support_graph(db, window, ...), min_support)``.
    """
    k = _check(min_support)
    pairs = []
    with connection(db) as conn:
        weights = _weights_of(conn, window, all_retweets, platform)
        there, back = weights.alias("there"), weights.alias("back")
        query = (
            select(there.c.supporter, there.c.supported, there.c.weight, back.c.weight)
            .select_from(there)
            .join(
                back,
                and_(back.c.supporter == there.c.supported, back.c.supported == there.c.supporter),
            )
            .where(
                there.c.supporter < there.c.supported,
                there.c.weight >= literal(k),
                back.c.weight >= literal(k),
            )
        )
        labels = _Labels(conn, platform)
        for u, v, w_uv, w_vu in conn.execute(query):
            labels.add(u)
            labels.add(v)
            pairs.append(
                (u, v, w_uv, w_vu) if labels.keys[u] < labels.keys[v] else (v, u, w_vu, w_uv)
            )
    keys = labels.keys
    pairs.sort(key=lambda p: (-(p[2] + p[3]), keys[p[0]], keys[p[1]]))
    shown = labels.shown
    return [{"a": shown[a], "b": shown[b], "a_to_b": ab, "b_to_a": ba} for a, b, ab, ba in pairs]


def one_sided_rows(
    db: Engine | Connection,
    window: Window | None = None,
    min_support: int = 1,
    account: int | None = None,
    *,
    all_retweets: bool = False,
    platform: str = PLATFORM_X,
) -> list[dict[str, Any]]:
    """One-sided relationships as ``{"supporter", "supported", "count", "returned"}`` rows.

    The same rows as ``summary.one_sided_rows(support_graph(db, window, ...), min_support,
    account=account)``: sorted by ``count`` descending, then by the supporter's and the
    supported account's labels.
    """
    k = _check(min_support)
    found = []
    with connection(db) as conn:
        weights = _weights_of(conn, window, all_retweets, platform)
        there, back = weights.alias("there"), weights.alias("back")
        returned = func.coalesce(back.c.weight, 0)
        conditions = [there.c.weight >= literal(k), returned < literal(k)]
        if account is not None:
            conditions.append(or_(there.c.supporter == account, there.c.supported == account))
        query = (
            select(there.c.supporter, there.c.supported, there.c.weight, returned)
            .select_from(there)
            .outerjoin(
                back,
                and_(back.c.supporter == there.c.supported, back.c.supported == there.c.supporter),
            )
            .where(*conditions)
        )
        labels = _Labels(conn, platform)
        for u, v, count, back_weight in conn.execute(query):
            labels.add(u)
            labels.add(v)
            found.append((u, v, count, back_weight))
    keys = labels.keys
    found.sort(key=lambda r: (-r[2], keys[r[0]], keys[r[1]]))
    shown = labels.shown
    return [
        {"supporter": shown[u], "supported": shown[v], "count": count, "returned": back_weight}
        for u, v, count, back_weight in found
    ]
