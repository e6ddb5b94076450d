"""The support graph's pair weights kept in the database, and when they can be used.

``pair_weights`` holds, per platform, one row per edge of the all-time support graph of
promotional tweets (:func:`retweetring.graph.support_graph` with no window): weight, first and
last retweet. It is derived data: triggers (migration 0007) mark every platform stale in the
transaction of any change to the tweets or retweets that could move a weight, and a platform's
rows are read only while its ``pair_weights_state`` row says ``fresh``. Writers rebuild the rows
after they write: all of a platform's rows after a bulk load (:func:`refresh`, measured at
3.3 s for 1M retweets), or the rows of the few supported accounts a small change touched
(:func:`rebuild_supported`), in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from retweetring.graph import Window, support_condition
from retweetring.records import PLATFORMS
from retweetring.store.dialect import EpochMicroseconds, TweetsFirstJoin
from retweetring.store.tables import pair_weights, pair_weights_state, retweets, tweets

__all__ = [
    "PLATFORMS",
    "fresh_platforms",
    "keep_fresh",
    "mark_fresh",
    "read_pairs",
    "rebuild",
    "rebuild_supported",
    "refresh",
]

MOST_REBUILT = 1_000
"""Supported accounts whose rows :func:`keep_fresh` rebuilds in place; beyond, it leaves the
platform stale for one :func:`refresh` (which reads every retweet once)."""

_CHUNK = 500
"""Accounts per ``IN (...)`` list, well under SQLite's bound-parameter limit."""


def fresh_platforms(conn: Connection) -> set[str]:
    """The platforms whose stored pair weights equal the support graph, in this transaction."""
    query = select(pair_weights_state.c.platform).where(pair_weights_state.c.fresh == True)  # noqa: E712
    return set(conn.scalars(query))


def mark_fresh(conn: Connection, platforms: Iterable[str]) -> None:
    """Record that the pair weights of `platforms` equal the support graph again.

    Only for a caller that has just made them so (:func:`rebuild`), or whose writes since the
    platforms were last fresh changed no pair weight of theirs.
    """
    for platform in platforms:
        done = conn.execute(
            update(pair_weights_state)
            .where(pair_weights_state.c.platform == platform)
            .values(fresh=True)
        ).rowcount
        if not done:
            conn.execute(insert(pair_weights_state).values(platform=platform, fresh=True))


def _computed(platform: str, supported: Sequence[int] | None = None) -> Any:
    """SELECT the support graph's edges of `platform` as ``pair_weights`` rows."""
    events = TweetsFirstJoin(
        tweets,
        retweets,
        and_(tweets.c.platform == retweets.c.platform, tweets.c.id == retweets.c.original_id),
    )
    conditions = [retweets.c.platform == platform, support_condition(Window())]
    if supported is not None:
        conditions.append(tweets.c.author_id.in_(supported))
    return (
        select(
            retweets.c.platform,
            retweets.c.retweeter_id,
            tweets.c.author_id,
            func.count(func.distinct(retweets.c.original_id)),
            EpochMicroseconds(func.min(retweets.c.created_at)),
            EpochMicroseconds(func.max(retweets.c.created_at)),
        )
        .select_from(events)
        .where(*conditions)
        .group_by(retweets.c.platform, retweets.c.retweeter_id, tweets.c.author_id)
    )


_COLUMNS = ["platform", "supporter_id", "supported_id", "weight", "first_us", "last_us"]


def rebuild(conn: Connection, platform: str) -> None:
    """Compute every pair weight of `platform` again and mark them fresh (caller's transaction)."""
    conn.execute(delete(pair_weights).where(pair_weights.c.platform == platform))
    conn.execute(insert(pair_weights).from_select(_COLUMNS, _computed(platform)))
    mark_fresh(conn, [platform])


def rebuild_supported(conn: Connection, platform: str, supported: Iterable[int]) -> None:
    """Compute again the pair weights of `platform` whose supported account is in `supported`.

    For a change that can only have moved those weights (a tweet's decision or override), in
    the caller's transaction; it does not mark anything fresh.
    """
    ids = sorted(set(supported))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        conn.execute(
            delete(pair_weights).where(
                pair_weights.c.platform == platform, pair_weights.c.supported_id.in_(chunk)
            )
        )
        conn.execute(insert(pair_weights).from_select(_COLUMNS, _computed(platform, chunk)))


def keep_fresh(
    conn: Connection, fresh_before: set[str], platform: str, supported: Iterable[int]
) -> None:
    """After a change in `conn`'s transaction that can only have moved the pair weights of the
    `supported` accounts of `platform` (tweets' decisions or overrides), rebuild those and mark
    fresh again the platforms that were fresh before it (`fresh_before`, read in the same
    transaction before the change). A platform that was stale stays stale, and so does
    `platform` when more than :data:`MOST_REBUILT` accounts moved: :func:`refresh` rebuilds it
    whole, once, when the writer is done."""
    ids = set(supported)
    if platform in fresh_before and len(ids) <= MOST_REBUILT:
        rebuild_supported(conn, platform, ids)
    else:
        fresh_before = fresh_before - {platform}
    mark_fresh(conn, fresh_before)


def refresh(engine: Engine) -> list[str]:
    """Rebuild the pair weights of every platform whose rows are stale; return those platforms.

    One write transaction, so an interrupted refresh leaves them stale (and unused), never
    half-written.
    """
    from retweetring.store.session import begin_write, connection

    with connection(engine) as conn:
        if not set(PLATFORMS) - fresh_platforms(conn):
            return []
    with begin_write(engine) as conn:
        stale = [p for p in PLATFORMS if p not in fresh_platforms(conn)]
        for platform in stale:
            rebuild(conn, platform)
    return stale


NAT = -(2**63)
"""numpy's ``NaT`` as an int64: what :func:`read_pairs` gives for an unknown time."""


def read_pairs(conn: Connection, platform: str, times: bool = False) -> list[Any] | None:
    """The stored ``(supporter, supported, weight[, first, last])`` rows of `platform`, or
    None when they are stale. Times are microseconds since 1970 (:data:`NAT`: unknown). Read
    in `conn`'s transaction, so they match the tables it sees."""
    if platform not in fresh_platforms(conn):
        return None
    columns = [pair_weights.c.supporter_id, pair_weights.c.supported_id, pair_weights.c.weight]
    if times:
        columns += [
            func.coalesce(pair_weights.c.first_us, literal(NAT, BigInteger())),
            func.coalesce(pair_weights.c.last_us, literal(NAT, BigInteger())),
        ]
    query = select(*columns).where(pair_weights.c.platform == platform)
    return conn.execute(query).cursor.fetchall()
