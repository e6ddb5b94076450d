"""Who reposted members' promotional posts on Bluesky and Mastodon: approximate events.

As X's ``collect --retweeters`` (:func:`retweetring.sources.collect.collect`): members' feeds
show whom *members* repost, exactly timed; this finds the supporters outside the community.

1. The repost counts of members' promotional posts of the last
   :data:`~retweetring.sources.collect.REFRESH_WINDOW` are refreshed (Bluesky
   ``app.bsky.feed.getPosts``, 25 posts a request; Mastodon ``GET /api/v1/statuses/:id``).
2. For each promotional post whose count grew since its last complete lookup (or that was never
   looked up), the reposters are listed (Bluesky ``app.bsky.feed.getRepostedBy``, Mastodon
   ``GET /api/v1/statuses/:id/reblogged_by``, both paged).

Neither list says when. Each reposter who is neither a member nor the author becomes an
approximate repost, dated as X's (:func:`~retweetring.sources.collect.approximate_time`) and
marked in ``approximate_retweets``. Every page is written in its own transaction with its
ledger rows; a post's lookup is marked complete with its last page, so a run stopped half-way
looks that post up again next time and changes nothing it already stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine, update

from retweetring.records import PLATFORM_BLUESKY, PLATFORM_MASTODON, SocialPage
from retweetring.sources.collect import (
    REFRESH_WINDOW,
    Candidate,
    approximate_time,
    recent_promotional,
    retweeter_candidates,
)
from retweetring.sources.social_collect import (
    MEMBER_PROBLEMS,
    Budget,
    BudgetSpent,
    Feed,
    SocialLedger,
    SocialMember,
    list_social_members,
    now_utc,
    within_budget,
)
from retweetring.store.pair_weights import refresh as refresh_pair_weights
from retweetring.store.session import begin_write
from retweetring.store.social import save_retweet_counts, social_id, write_social_page
from retweetring.store.tables import retweeter_checks

__all__ = ["REPOSTERS_SOURCE", "RepostersResult", "collect_reposters"]

REPOSTERS_SOURCE = {PLATFORM_BLUESKY: "getRepostedBy", PLATFORM_MASTODON: "reblogged_by"}
"""The ``approximate_retweets.source`` of the reposters found here."""
REFRESH_BATCH = 25
"""Posts whose counts are refreshed in one transaction (one Bluesky ``getPosts`` request)."""


@dataclass
class RepostersResult:
    """What a reposters lookup did on one network."""

    posts: int = 0
    """Members' posts whose reposters were read to the end."""
    approximate_new: int = 0
    """New approximate support events."""
    problems: list[str] = field(default_factory=list)
    """Posts (or count refreshes) that could not be read; the run went on."""
    stopped: str | None = None
    """Why the lookup stopped before the end (``--max-reads``), or None."""


def collect_reposters(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    *,
    budget: Budget | None = None,
    tz: str = "UTC",
    clock: Callable[[], float] = time.time,
) -> RepostersResult:
    """Record the non-member reposters of members' promotional posts on ``feed.platform``.

    Approximate events are dated in weeks of time zone ``tz``; ``budget`` (``--max-reads``,
    shared with the feeds' collection) stops the lookup cleanly (``stopped``).
    """
    budget = budget or Budget()
    result = RepostersResult()
    members = {m.account_id: m for m in list_social_members(engine, feed.platform)}
    try:
        try:
            _refresh(engine, feed, ledger, members, budget, clock)
        except MEMBER_PROBLEMS as exc:
            result.problems.append(f"repost counts: {exc}")
        for candidate in retweeter_candidates(engine, feed.platform):
            member = members.get(candidate.author_id)
            if member is None or candidate.key is None:
                continue
            try:
                result.approximate_new += _reposters(
                    engine, feed, ledger, candidate, member, members, budget, tz, clock
                )
            except MEMBER_PROBLEMS as exc:  # this post only
                result.problems.append(f"reposters of {candidate.key}: {exc}")
                continue
            result.posts += 1
    except BudgetSpent as exc:
        result.stopped = str(exc)
    finally:
        ledger.flush_now(engine)
    refresh_pair_weights(engine)
    return result


def _refresh(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    members: Mapping[int, SocialMember],
    budget: Budget,
    clock: Callable[[], float],
) -> None:
    """Store the current repost counts of members' recent promotional posts."""
    since = now_utc(clock) - REFRESH_WINDOW
    recent = [
        (post_id, key, members[author])
        for post_id, author, key in recent_promotional(engine, since, feed.platform)
        if key is not None and author in members
    ]
    for start in range(0, len(recent), REFRESH_BATCH):
        chunk = recent[start : start + REFRESH_BATCH]
        budget.check()
        counts = feed.repost_counts([(key, member) for _id, key, member in chunk], ledger)
        budget.read += len(counts)
        with begin_write(engine) as conn:
            found = {post_id: counts[key] for post_id, key, _m in chunk if key in counts}
            save_retweet_counts(conn, feed.platform, found)
            ledger.flush(conn)


def _reposters(
    engine: Engine,
    feed: Feed,
    ledger: SocialLedger,
    candidate: Candidate,
    member: SocialMember,
    members: Mapping[int, SocialMember],
    budget: Budget,
    tz: str,
    clock: Callable[[], float],
) -> int:
    """Record the non-member reposters of one post as approximate events; return new ones."""
    platform = feed.platform
    new = 0
    pages = feed.reposters(candidate.key or "", member, budget.left, ledger)
    for page, last in within_budget(budget, pages):
        budget.read += len(page.accounts)
        now = now_utc(clock)
        when = approximate_time(now, candidate.posted_at, candidate.checked_at, tz)
        kept = [
            r._replace(created_at=when)
            for r in page.reposts
            if social_id(platform, r.reposter_key) not in members
            and social_id(platform, r.reposter_key) != candidate.author_id
        ]
        reposters = {r.reposter_key for r in kept}
        accounts = [a for a in page.accounts if a.key in reposters]
        with begin_write(engine) as conn:
            counts = write_social_page(
                conn, SocialPage(accounts, [], kept), platform, source=REPOSTERS_SOURCE[platform]
            )
            new += counts.reposts_new
            if last:
                conn.execute(
                    update(retweeter_checks)
                    .where(
                        retweeter_checks.c.platform == platform,
                        retweeter_checks.c.tweet_id == candidate.tweet_id,
                    )
                    .values(checked_count=candidate.retweet_count, checked_at=now)
                )
            ledger.flush(conn)
        if last:  # before the budget is checked for a request that will not be made
            break
    return new
