"""Collecting Bluesky and Mastodon members: checkpoints, resuming, the budget, the ledger."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import responses
from fake_social import PERSONAL, FakeBluesky, FakeMastodon
from sqlalchemy import select

import retweetring.sources.social_collect as library
from retweetring.errors import ServerUnreachableError
from retweetring.graph import support_graph
from retweetring.records import PLATFORM_BLUESKY, PLATFORM_MASTODON
from retweetring.sources.mastodon import MastodonSource
from retweetring.sources.social_collect import (
    BlueskyFeed,
    Budget,
    MastodonFeed,
    SocialLedger,
    add_social_members,
    collect_social,
    list_social_members,
    social_usage,
)
from retweetring.store.session import open_database
from retweetring.store.social import social_id
from retweetring.store.tables import api_requests, approximate_retweets, retweets, tweets

BS = PLATFORM_BLUESKY


def town() -> tuple[FakeBluesky, dict[str, str]]:
    """Bea and Cal on Bluesky support each other's promotional posts; Dee reposts Bea."""
    sky = FakeBluesky()
    bea, cal, dee = (
        sky.account(h) for h in ("bea.bsky.social", "cal.bsky.social", "dee.bsky.social")
    )
    posts = {}
    for n in range(3):
        posts[f"bea{n}"] = sky.post(bea)
        posts[f"cal{n}"] = sky.post(cal)
    chat = sky.post(cal, PERSONAL)
    for n in range(3):
        sky.repost(cal, posts[f"bea{n}"])
        sky.repost(bea, posts[f"cal{n}"])
    sky.repost(bea, chat)
    sky.repost(dee, posts["bea0"])
    return sky, {"bea": bea, "cal": cal, "dee": dee}


def dump(engine: Any) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (tweets, retweets, approximate_retweets)
        }


def add_and_collect(engine: Any, sky: FakeBluesky, handles: list[str], **kwargs: Any) -> Any:
    feed = BlueskyFeed(sky.client())
    ledger = SocialLedger(BS)
    add_social_members(engine, feed, ledger, handles)
    return collect_social(engine, feed, ledger, **kwargs)


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    eng = open_database(str(tmp_path / "social.db"))
    yield eng
    eng.dispose()


def test_bluesky_members_reposts_become_support_with_exact_times(engine: Any) -> None:
    sky, did = town()
    result = add_and_collect(engine, sky, ["bea.bsky.social", "cal.bsky.social"])
    assert [m.problems for m in result.members] == [[], []]
    graph = support_graph(engine, platform=BS)
    bea, cal = social_id(BS, did["bea"]), social_id(BS, did["cal"])
    # Bea's repost of Cal's personal post is not support; Dee is no member (not read).
    assert sorted(graph.edges(data="weight")) == sorted([(bea, cal, 3), (cal, bea, 3)])
    with engine.connect() as conn:
        approximate = conn.execute(select(approximate_retweets)).all()
        times = conn.execute(select(retweets.c.created_at)).scalars().all()
    assert approximate == []  # every feed repost was replaced by its exact record
    assert all(t.second == 0 for t in times)  # record times, not the feed's indexing (+30 s)


def test_a_second_run_reads_only_down_to_the_checkpoint_and_changes_nothing(engine: Any) -> None:
    sky, _ = town()
    add_and_collect(engine, sky, ["bea.bsky.social", "cal.bsky.social"])
    before, calls = dump(engine), len(sky.calls)
    feed = BlueskyFeed(sky.client())
    again = collect_social(engine, feed, SocialLedger(BS))
    assert dump(engine) == before
    assert sum(m.counts.reposts_new for m in again.members) == 0
    assert len(sky.calls) - calls == 4  # one feed page and one records page per member


def test_new_items_after_a_run_are_collected_by_the_next(engine: Any) -> None:
    sky, did = town()
    add_and_collect(engine, sky, ["bea.bsky.social", "cal.bsky.social"])
    sky.repost(did["bea"], sky.post(did["cal"]))
    again = collect_social(engine, BlueskyFeed(sky.client()), SocialLedger(BS))
    assert sum(m.counts.reposts_new for m in again.members) == 1
    bea, cal = social_id(BS, did["bea"]), social_id(BS, did["cal"])
    assert support_graph(engine, platform=BS)[bea][cal]["weight"] == 4


def test_a_run_stopped_mid_feed_resumes_at_the_stored_cursor_without_gaps(
    engine: Any, tmp_path: Path
) -> None:
    sky, _ = town()
    whole = open_database(str(tmp_path / "whole.db"))
    add_and_collect(whole, sky, ["bea.bsky.social"], budget=Budget(None))
    expected = dump(whole)
    whole.dispose()

    sky.calls.clear()
    feed = BlueskyFeed(sky.client())
    ledger = SocialLedger(BS)
    add_social_members(engine, feed, ledger, ["bea.bsky.social"])
    stopped = collect_social(engine, feed, ledger, budget=Budget(3))
    assert stopped.stopped is not None and "--max-reads 3" in stopped.stopped
    (member,) = list_social_members(engine)
    assert member.interrupted and member.sweep_cursor == "3"  # the feed's next page
    assert all(int(r.url.params["limit"]) <= 3 for r in sky.calls[1:])
    for _ in range(6):  # 7 feed items and 4 records, 3 a run
        collect_social(engine, feed, ledger, budget=Budget(3))
    assert dump(engine) == expected


def test_a_crash_inside_a_page_transaction_loses_nothing_on_the_next_run(
    engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sky, _ = town()
    whole = open_database(str(tmp_path / "whole.db"))
    add_and_collect(whole, sky, ["bea.bsky.social", "cal.bsky.social"])
    expected = dump(whole)
    whole.dispose()

    feed = BlueskyFeed(sky.client())
    add_social_members(engine, feed, SocialLedger(BS), ["bea.bsky.social", "cal.bsky.social"])
    written = library.write_social_page
    pages = [0]

    def crashing(*args: Any, **kwargs: Any) -> Any:
        counts = written(*args, **kwargs)
        pages[0] += 1
        if pages[0] == 2:
            raise KeyboardInterrupt  # after the rows, before the commit
        return counts

    monkeypatch.setattr(library, "write_social_page", crashing)
    with pytest.raises(KeyboardInterrupt):
        collect_social(engine, feed, SocialLedger(BS), budget=Budget(None))
    monkeypatch.setattr(library, "write_social_page", written)
    collect_social(engine, feed, SocialLedger(BS))
    assert dump(engine) == expected


def test_each_page_is_in_the_ledger_of_its_platform(engine: Any) -> None:
    sky, _ = town()
    add_and_collect(engine, sky, ["bea.bsky.social"])
    usage = social_usage(engine, BS)
    endpoints = {row["endpoint"]: row for row in usage}
    assert set(endpoints) == {
        "app.bsky.actor.getProfile",
        "app.bsky.feed.getAuthorFeed",
        "com.atproto.repo.listRecords",
        "did document",  # where Bea's repository lives, asked once
    }
    assert endpoints["did document"]["requests"] == 1
    assert endpoints["app.bsky.feed.getAuthorFeed"]["items"] == len(sky.feeds["did:plc:bea"])
    assert social_usage(engine, PLATFORM_MASTODON) == []
    with engine.connect() as conn:
        assert conn.scalar(select(api_requests.c.platform).distinct()) == BS


def test_unknown_and_suspended_accounts_are_reported_and_the_others_collected(
    engine: Any,
) -> None:
    sky, did = town()
    feed = BlueskyFeed(sky.client())
    ledger = SocialLedger(BS)
    added = add_social_members(
        engine, feed, ledger, ["bea.bsky.social", "nobody.bsky.social", "cal.bsky.social"]
    )
    assert added.added == ["bea.bsky.social", "cal.bsky.social"]
    assert len(added.not_found) == 1 and "nobody.bsky.social" in added.not_found[0]
    sky.gone.add(did["cal"])
    result = collect_social(engine, feed, ledger)
    problems = {m.handle: m.problems for m in result.members}
    assert problems["bea.bsky.social"] == []
    assert "suspended" in problems["cal.bsky.social"][0]


@responses.activate
def test_mastodon_boosts_are_exact_support_and_html_is_stripped(engine: Any) -> None:
    server = FakeMastodon()
    server.install(responses.mock)
    bea, cal = server.account("bea"), server.account("cal")
    promo = [server.post("cal") for _ in range(3)]
    chat = server.post("cal", PERSONAL)
    for original in [*promo, chat]:
        server.boost("bea", original)
    waits: list[float] = []
    feed = MastodonFeed(lambda host: MastodonSource(host, wait=waits.append))
    ledger = SocialLedger(PLATFORM_MASTODON)
    added = add_social_members(engine, feed, ledger, ["@bea@bakers.example", "@cal@bakers.example"])
    assert added.added == ["bea@bakers.example", "cal@bakers.example"]
    result = collect_social(engine, feed, ledger, budget=Budget(None))
    assert [m.problems for m in result.members] == [[], []]
    graph = support_graph(engine, platform=PLATFORM_MASTODON)
    b, c = social_id(PLATFORM_MASTODON, bea["uri"]), social_id(PLATFORM_MASTODON, cal["uri"])
    assert list(graph.edges(data="weight")) == [(b, c, 3)]
    with engine.connect() as conn:
        texts = conn.execute(select(tweets.c.text)).scalars().all()
        assert conn.execute(select(approximate_retweets)).all() == []
    assert texts and not any("<p>" in t for t in texts)
    assert list_social_members(engine)[0].newest is not None


def ledger_rows(engine: Any, platform: str) -> list[tuple[str, int]]:
    """``(endpoint, status)`` of the platform's ledger, in the order the requests were made."""
    query = (
        select(api_requests.c.endpoint, api_requests.c.status)
        .where(api_requests.c.platform == platform)
        .order_by(api_requests.c.id)
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def test_failed_bluesky_requests_are_in_the_ledger_with_their_status(engine: Any) -> None:
    sky, did = town()
    feed = BlueskyFeed(sky.client())
    ledger = SocialLedger(BS)
    added = add_social_members(
        engine, feed, ledger, ["nobody.bsky.social", "bea.bsky.social", "cal.bsky.social"]
    )
    assert added.not_found == ["Bluesky: no account nobody.bsky.social (Profile not found)"]
    sky.gone.add(did["cal"])
    sky.fail_at = lambda request: request.url.host == "plc.directory"
    result = collect_social(engine, feed, ledger)
    problems = {m.handle: m.problems for m in result.members}
    assert problems["cal.bsky.social"] == [
        "Bluesky account did:plc:cal is suspended or deactivated (AccountTakedown)"
    ]
    assert problems["bea.bsky.social"] == [
        "Bluesky: cannot find the server of did:plc:bea: plc.directory cannot be reached"
    ]
    rows = ledger_rows(engine, BS)
    assert rows[:3] == [
        ("app.bsky.actor.getProfile", 400),  # unknown handle
        ("app.bsky.actor.getProfile", 200),
        ("app.bsky.actor.getProfile", 200),
    ]
    assert ("app.bsky.feed.getAuthorFeed", 400) in rows  # suspended
    assert ("did document", 0) in rows  # no answer came


def test_a_bluesky_429_is_waited_out_and_in_the_ledger(engine: Any) -> None:
    sky, _ = town()
    answer = sky.handle
    limited = [True]

    def once(request: Any) -> Any:
        if limited[0] and "getAuthorFeed" in str(request.url):
            limited[0] = False
            import httpx

            return httpx.Response(429, headers={"ratelimit-reset": "1000"}, json={})
        return answer(request)

    sky.handle = once  # type: ignore[method-assign]
    waits: list[float] = []
    feed = BlueskyFeed(sky.client(wait=waits.append, clock=lambda: 970.0))
    ledger = SocialLedger(BS)
    add_social_members(engine, feed, ledger, ["bea.bsky.social"])
    result = collect_social(engine, feed, ledger)
    assert result.members[0].problems == [] and result.members[0].complete
    assert waits == [30.0]
    rows = ledger_rows(engine, BS)
    assert rows[1:3] == [("app.bsky.feed.getAuthorFeed", 429), ("app.bsky.feed.getAuthorFeed", 200)]


def mastodon_town() -> FakeMastodon:
    server = FakeMastodon()
    for name in ("bea", "cal"):
        server.account(name)
    for _ in range(3):
        server.boost("bea", server.post("cal"))
    server.page_cap = 2
    return server


@responses.activate
def test_mastodon_429_and_a_spent_window_wait_for_the_reset(engine: Any) -> None:
    server = mastodon_town()
    reset = "2030-01-01T00:05:00.000Z"
    responses.add(
        responses.GET,
        f"{server.base}/accounts/lookup",
        status=429,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
        json={"error": "Too many requests"},
    )  # answers the first request only, then the server answers
    server.install(responses.mock)
    waits: list[float] = []
    now = datetime(2030, 1, 1, 0, 4, 20, tzinfo=timezone.utc).timestamp()
    feed = MastodonFeed(lambda host: MastodonSource(host, wait=waits.append, clock=lambda: now))
    ledger = SocialLedger(PLATFORM_MASTODON)
    added = add_social_members(engine, feed, ledger, ["@bea@bakers.example"])
    assert added.added == ["bea@bakers.example"]
    assert waits == [pytest.approx(40.0)]  # the 429's reset, 40 s after the clock
    # every answer now says the 300-request window is spent until the reset: each request waits
    server.headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                      "X-RateLimit-Reset": reset}  # fmt: skip
    result = collect_social(engine, feed, ledger, budget=Budget(None))
    assert result.members[0].problems == [] and result.members[0].complete
    requests_made = len(ledger_rows(engine, PLATFORM_MASTODON))
    assert waits == [pytest.approx(40.0)] * (requests_made - 2)
    assert ledger_rows(engine, PLATFORM_MASTODON)[:2] == [
        ("accounts/lookup", 429),
        ("accounts/lookup", 200),
    ]


@pytest.mark.parametrize(
    ("answer", "status", "words"),
    [
        ({"status": 404, "json": {"error": "Record not found"}}, 404, "no account @zed"),
        ({"status": 410, "json": {"error": "Gone"}}, 410, "is gone (410: suspended or deleted)"),
        ({"body": ConnectionError("refused")}, 0, "cannot be reached"),
    ],
)
@responses.activate
def test_mastodon_unknown_gone_and_unreachable_are_one_line_and_in_the_ledger(
    engine: Any, answer: dict[str, Any], status: int, words: str
) -> None:
    responses.add(responses.GET, "https://bakers.example/api/v1/accounts/lookup", **answer)
    feed = MastodonFeed(lambda host: MastodonSource(host, wait=lambda s: None))
    ledger = SocialLedger(PLATFORM_MASTODON)
    if status:
        added = add_social_members(engine, feed, ledger, ["@zed@bakers.example"])
        (problem,) = added.not_found
    else:
        with pytest.raises(ServerUnreachableError) as raised:
            add_social_members(engine, feed, ledger, ["@zed@bakers.example"])
        problem = str(raised.value)
    ledger.flush_now(engine)
    assert words in problem and "bakers.example" in problem and "\n" not in problem
    assert ledger_rows(engine, PLATFORM_MASTODON) == [("accounts/lookup", status)]
