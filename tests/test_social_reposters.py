"""`collect --retweeters` on Bluesky and Mastodon: who reposted members' promotional posts,
recorded as approximate events (no times), as X's ``retweeted_by``."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import responses
from fake_social import PERSONAL, FakeBluesky, FakeMastodon
from sqlalchemy import select

from retweetring.graph import support_graph
from retweetring.records import PLATFORM_BLUESKY, PLATFORM_MASTODON
from retweetring.sources import social_collect as social
from retweetring.sources.mastodon import MastodonSource
from retweetring.sources.social_reposters import collect_reposters
from retweetring.store.session import open_database
from retweetring.store.social import social_id
from retweetring.store.tables import approximate_retweets, retweeter_checks, retweets

BS, MA = PLATFORM_BLUESKY, PLATFORM_MASTODON
MONDAY = datetime(2026, 11, 9, 6, tzinfo=timezone.utc).timestamp()
"""The Monday after the fakes' week of posts (they start on Monday 2026-11-02)."""
WEEK_END = datetime(2026, 11, 8, 23, 59, 59)


def at(moment: float) -> Any:
    return lambda: moment


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    eng = open_database(str(tmp_path / "reposters.db"))
    yield eng
    eng.dispose()


def bakery() -> tuple[FakeBluesky, dict[str, Any]]:
    """Bea (a member) posts two promotional posts and a personal one; Cal (a member) and Ann
    and Bob (not members) repost them."""
    sky = FakeBluesky()
    bea, cal, ann, bob = (sky.account(f"{n}.bsky.social") for n in ("bea", "cal", "ann", "bob"))
    promo = [sky.post(bea), sky.post(bea)]
    chat = sky.post(bea, PERSONAL)
    for post in promo:
        for who in (cal, ann, bob):
            sky.repost(who, post)
    sky.repost(ann, chat)
    sky.page_cap = 2  # three reposters: two pages of getRepostedBy
    return sky, {"bea": bea, "cal": cal, "ann": ann, "bob": bob, "promo": promo}


def collect_bluesky(engine: Any, sky: FakeBluesky, clock: float = MONDAY, **kwargs: Any) -> Any:
    feed = social.BlueskyFeed(sky.client())
    ledger = social.SocialLedger(BS, at(clock))
    social.add_social_members(engine, feed, ledger, ["bea.bsky.social", "cal.bsky.social"])
    social.collect_social(engine, feed, ledger, clock=at(clock))
    return collect_reposters(engine, feed, ledger, clock=at(clock), **kwargs)


def approximate(engine: Any, platform: str) -> list[tuple[int, int, datetime, str]]:
    query = (
        select(
            retweets.c.retweeter_id,
            retweets.c.original_id,
            retweets.c.created_at,
            approximate_retweets.c.source,
        )
        .join(
            approximate_retweets,
            (approximate_retweets.c.platform == retweets.c.platform)
            & (approximate_retweets.c.id == retweets.c.id),
        )
        .where(retweets.c.platform == platform)
    )
    with engine.connect() as conn:
        return sorted(conn.execute(query).all())


def test_non_member_reposters_of_promotional_posts_become_approximate_support(
    engine: Any,
) -> None:
    sky, who = bakery()
    result = collect_bluesky(engine, sky)
    assert result.problems == [] and result.posts == 2 and result.approximate_new == 4
    ann, bob, bea = (social_id(BS, who[n]) for n in ("ann", "bob", "bea"))
    posts = [social_id(BS, p["uri"]) for p in who["promo"]]
    # Cal is a member (his reposts come, exact, from his records); the personal post is not
    # looked up; the reposts are dated no later than the end of the week of the posts.
    assert approximate(engine, BS) == sorted(
        (fan, post, WEEK_END, "getRepostedBy") for fan in (ann, bob) for post in posts
    )
    graph = support_graph(engine, platform=BS)
    assert graph[ann][bea]["weight"] == 2 and graph[bob][bea]["weight"] == 2
    looked_up = [r for r in sky.calls if r.url.path.endswith("getRepostedBy")]
    assert {r.url.params["uri"] for r in looked_up} == {p["uri"] for p in who["promo"]}
    assert len(looked_up) == 4  # two pages for each post


def test_a_post_is_looked_up_again_only_when_its_repost_count_grew(engine: Any) -> None:
    sky, who = bakery()
    collect_bluesky(engine, sky)
    before = approximate(engine, BS)
    sky.calls.clear()
    again = collect_reposters(
        engine, social.BlueskyFeed(sky.client()), social.SocialLedger(BS), clock=at(MONDAY)
    )
    assert again.posts == 0 and approximate(engine, BS) == before
    assert [r.url.path.rsplit("/", 1)[-1] for r in sky.calls] == ["app.bsky.feed.getPosts"]

    dee = sky.account("dee.bsky.social")
    sky.repost(dee, who["promo"][1])  # the count grows: the refresh sees it
    later = MONDAY + 7 * 86400
    grown = collect_reposters(
        engine, social.BlueskyFeed(sky.client()), social.SocialLedger(BS), clock=at(later)
    )
    assert grown.posts == 1 and grown.approximate_new == 1
    new = set(approximate(engine, BS)) - set(before)
    # the last complete lookup (Monday of W46) did not list Dee: dated in that week, not W45
    (event,) = new
    assert event[0] == social_id(BS, dee) and event[2] == datetime(2026, 11, 15, 23, 59, 59)


def test_reposters_stop_at_max_reads_and_the_next_run_finishes_them(
    engine: Any, tmp_path: Path
) -> None:
    sky, _ = bakery()
    whole = open_database(str(tmp_path / "whole.db"))
    collect_bluesky(whole, sky)
    with whole.connect() as conn:
        expected = sorted(conn.execute(select(retweets)).all())
    whole.dispose()

    # 2 counts refreshed, then 3 reposters of the first post, then the budget is spent
    stopped = collect_bluesky(engine, sky, budget=social.Budget(5))
    assert stopped.stopped is not None and "--max-reads 5" in stopped.stopped
    assert stopped.posts == 1
    with engine.connect() as conn:
        checked = conn.execute(select(retweeter_checks.c.checked_at)).scalars().all()
    # one post done; the other promotional one and the personal one (never looked up) not
    assert sorted(checked, key=str) == [datetime(2026, 11, 9, 6), None, None]
    feed = social.BlueskyFeed(sky.client())
    done = collect_reposters(
        engine, feed, social.SocialLedger(BS), budget=social.Budget(5), clock=at(MONDAY)
    )
    assert done.stopped is None and done.posts == 1
    with engine.connect() as conn:
        assert sorted(conn.execute(select(retweets)).all()) == expected


def test_reposter_requests_are_in_the_ledger(engine: Any) -> None:
    sky, _ = bakery()
    collect_bluesky(engine, sky)
    usage = {row["endpoint"]: row for row in social.social_usage(engine, BS)}
    assert usage["app.bsky.feed.getRepostedBy"]["requests"] == 4
    assert usage["app.bsky.feed.getRepostedBy"]["items"] == 6  # three reposters, two posts
    assert usage["app.bsky.feed.getPosts"]["requests"] == 1


@responses.activate
def test_mastodon_boosters_of_promotional_posts_are_approximate_and_paged_by_link(
    engine: Any,
) -> None:
    server = FakeMastodon()
    server.install(responses.mock)
    for name in ("eve", "fay", "gus", "hal"):
        server.account(name)
    promo = server.post("eve")
    for name in ("fay", "gus", "hal"):
        server.boost(name, promo)
    server.boost("gus", server.post("eve", PERSONAL))
    server.page_cap = 2
    feed = social.MastodonFeed(lambda host: MastodonSource(host, wait=lambda s: None))
    ledger = social.SocialLedger(MA, at(MONDAY))
    social.add_social_members(engine, feed, ledger, ["@eve@bakers.example", "@fay@bakers.example"])
    social.collect_social(engine, feed, ledger, budget=social.Budget(None), clock=at(MONDAY))
    result = collect_reposters(engine, feed, ledger, clock=at(MONDAY))
    assert result.problems == [] and result.posts == 1 and result.approximate_new == 2
    fans = {social_id(MA, server.accounts[n]["uri"]) for n in ("gus", "hal")}
    events = approximate(engine, MA)
    assert {e[0] for e in events} == fans
    assert {(e[1], e[2], e[3]) for e in events} == {
        (social_id(MA, promo["uri"]), WEEK_END, "reblogged_by")
    }
    boosters = [c.request.url for c in responses.calls if "reblogged_by" in c.request.url]
    assert len(boosters) == 2 and "max_id=2" in boosters[1]  # followed the Link header
    counted = [c.request.url for c in responses.calls if c.request.url.endswith(promo["id"])]
    assert counted  # the count was refreshed with GET /api/v1/statuses/:id


def test_collect_retweeters_on_bluesky_says_what_it_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import invoke

    import retweetring.sources.social_collect as library
    from retweetring.cli import collect as collect_cmd

    sky, _ = bakery()
    monkeypatch.setattr(
        library, "feed_for", lambda platform, **kw: social.BlueskyFeed(sky.client(**kw))
    )
    monkeypatch.setattr(collect_cmd, "_clock", at(MONDAY))
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    result = invoke(db, "collect", "--platform", "bluesky", "--retweeters", "--full-history")
    assert result.exit_code == 0, result.output
    assert "reposters of 2 posts (4 new approximate events)" in result.output
    plain = invoke(db, "collect", "--platform", "bluesky")
    assert "reposters" not in plain.output
