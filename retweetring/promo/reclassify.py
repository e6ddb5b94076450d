"""Classify every stored tweet again with the current classifier, and say what that changed.

The tweets are read in batches keyed by id and each batch is written in one transaction, so a
run stopped at any moment (even ``kill -9``) leaves every tweet with either its old or its new
decision, never half of one; running again finishes the job. Overrides set by the user are
never touched, and since they win over the classifier, a tweet with an override never counts
as changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Connection, Engine, bindparam, func, select, update

from retweetring.analytics import mutual_pairs
from retweetring.graph import support_graph
from retweetring.promo import Classifier
from retweetring.records import PLATFORM_X
from retweetring.store.models import Account, Tweet
from retweetring.store.pair_weights import fresh_platforms, keep_fresh, refresh
from retweetring.store.session import begin_write, connection, rolled_back_write

__all__ = ["BATCH_SIZE", "Reclassification", "reclassify"]

BATCH_SIZE = 5_000
"""Tweets classified and written per transaction."""


@dataclass(frozen=True)
class Reclassification:
    """What classifying every stored tweet again changed (or, in a dry run, would change).

    Attributes
    ----------
    tweets : int
        Stored tweets classified.
    changed : int
        Tweets without an override whose decision changed: ``became_promotional +
        became_personal``.
    became_promotional, became_personal : int
        Of those, how many the new decision counts as promotional, and as personal.
    support_events_before, support_events_after : int
        The sum of the support graph's weights (all time, promotional tweets only).
    mutual_pairs_before, mutual_pairs_after : int
        Mutual pairs of that graph at ``min_support`` 1.
    model : str
        The version of the classifier's model, recorded in every decision.
    dry_run : bool
        True when nothing was written.
    """

    tweets: int
    changed: int
    became_promotional: int
    became_personal: int
    support_events_before: int
    support_events_after: int
    mutual_pairs_before: int
    mutual_pairs_after: int
    model: str
    dry_run: bool = False


@dataclass
class _Decisions:
    """One batch's new decisions: the rows to write and the flips among them."""

    last_id: int | None = None
    tweets: int = 0
    rows: list[dict[str, object]] = field(default_factory=list)
    """Tweets whose stored decision differs from the new one, as ``_UPDATE`` parameters."""
    flips: list[dict[str, object]] = field(default_factory=list)
    """Override-less tweets whose decision changed, as ``_FLIP`` parameters."""
    authors: set[int] = field(default_factory=set)
    """The authors of the ``flips``: whose pair weights the batch moves."""


_UPDATE = (
    update(Tweet)
    .where(Tweet.platform == bindparam("p"), Tweet.id == bindparam("tid"))
    .values(
        is_promotional=bindparam("promo"),
        promo_score=bindparam("score"),
        promo_reason=bindparam("reason"),
        promo_model=bindparam("model"),
    )
)
_FLIP = (
    update(Tweet)
    .where(Tweet.platform == bindparam("p"), Tweet.id == bindparam("tid"))
    .values(is_promotional=bindparam("promo"))
)


def _support_totals(conn: Connection, platform: str) -> tuple[int, int]:
    """Return (support events, mutual pairs at k=1) of the all-time support graph."""
    graph = support_graph(conn, platform=platform)
    return int(graph.size(weight="weight")), len(mutual_pairs(graph, 1))


def _batch(
    conn: Connection, classifier: Classifier, after: int | None, size: int, platform: str
) -> _Decisions:
    """Classify the (up to ``size``) tweets after id ``after`` again; return what differs."""
    query = (
        select(
            Tweet.id,
            Tweet.author_id,
            Tweet.text,
            Tweet.urls,
            Tweet.is_promotional,
            Tweet.promo_score,
            Tweet.promo_reason,
            Tweet.promo_model,
            Tweet.promo_override,
            Account.username,
            Account.name,
            Account.url,
        )
        .outerjoin(Account, (Account.platform == Tweet.platform) & (Account.id == Tweet.author_id))
        .where(Tweet.platform == platform)
        .order_by(Tweet.id)
        .limit(size)
    )
    if after is not None:
        query = query.where(Tweet.id > after)
    found = _Decisions()
    rows = conn.execute(query).all()
    results = classifier.classify_many(
        (row.text, orjson.loads(row.urls), row.username, row.name, row.url) for row in rows
    )
    for row, result in zip(rows, results, strict=True):
        found.tweets += 1
        found.last_id = row.id
        promo, score, reason = result.stored
        new = {"promo": promo, "score": score, "reason": reason, "model": classifier.version}
        stored = {
            "promo": bool(row.is_promotional),
            "score": row.promo_score,
            "reason": row.promo_reason,
            "model": row.promo_model,
        }
        if new == stored:
            continue
        found.rows.append({"p": platform, "tid": row.id, **new})
        if row.promo_override is None and new["promo"] != stored["promo"]:
            found.flips.append({"p": platform, "tid": row.id, "promo": new["promo"]})
            found.authors.add(row.author_id)
    return found


def _batches(
    engine: Engine, classifier: Classifier, size: int, platform: str
) -> Iterator[_Decisions]:
    """Classify every stored tweet, one batch (and one read transaction) at a time."""
    after: int | None = None
    while True:
        with connection(engine) as conn:
            found = _batch(conn, classifier, after, size, platform)
        if not found.tweets:
            return
        yield found
        after = found.last_id


def reclassify(
    engine: Engine,
    classifier: Classifier,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
    platform: str = PLATFORM_X,
) -> Reclassification:
    """Classify every stored tweet with ``classifier`` and store the decisions.

    Each tweet's ``is_promotional``, ``promo_score``, ``promo_reason`` and ``promo_model``
    are replaced; ``promo_override`` is never touched. Tweets are classified outside any
    write transaction and written ``batch_size`` per transaction, in id order.

    Parameters
    ----------
    engine : Engine
        The database.
    classifier : Classifier
        The classifier to apply, as :func:`retweetring.promo.load_classifier` returns it.
    dry_run : bool
        Write nothing: the new support graph is measured inside a transaction that is rolled
        back, holding the write lock only while the graph is built.
    batch_size : int
        Tweets per transaction.
    on_progress : callable, optional
        Called as ``on_progress(done, total)`` after each batch.
    platform : str
        The network whose tweets to classify.

    Returns
    -------
    Reclassification
        How many decisions changed, and the support events and mutual pairs before and after.
    """
    with connection(engine) as conn:
        events_before, mutual_before = _support_totals(conn, platform)
        total = (
            conn.scalar(select(func.count()).select_from(Tweet).where(Tweet.platform == platform))
            or 0
        )
    done = changed = became_promotional = 0
    flips: list[dict[str, object]] = []
    for found in _batches(engine, classifier, batch_size, platform):
        if dry_run:
            flips.extend(found.flips)
        elif found.rows:
            with begin_write(engine) as conn:
                fresh = fresh_platforms(conn)
                conn.execute(_UPDATE, found.rows)
                keep_fresh(conn, fresh, platform, found.authors)
        done += found.tweets
        changed += len(found.flips)
        became_promotional += sum(1 for flip in found.flips if flip["promo"])
        if on_progress is not None:
            on_progress(done, max(total, done))
    if dry_run:
        with rolled_back_write(engine) as conn:
            if flips:
                conn.execute(_FLIP, flips)
            events_after, mutual_after = _support_totals(conn, platform)
    else:
        refresh(engine)
        with connection(engine) as conn:
            events_after, mutual_after = _support_totals(conn, platform)
    return Reclassification(
        tweets=done,
        changed=changed,
        became_promotional=became_promotional,
        became_personal=changed - became_promotional,
        support_events_before=events_before,
        support_events_after=events_after,
        mutual_pairs_before=mutual_before,
        mutual_pairs_after=mutual_after,
        model=classifier.version,
        dry_run=dry_run,
    )
