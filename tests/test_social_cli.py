"""`members add/list/remove --platform` and `collect --platform` for Bluesky and Mastodon."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import responses
from conftest import invoke
from fake_social import FakeBluesky, FakeMastodon
from sqlalchemy import func, select

import retweetring.sources.social_collect as library
from retweetring.cli import collect as collect_cmd
from retweetring.sources.social_collect import BlueskyFeed, feed_for
from retweetring.store.session import open_database
from retweetring.store.tables import retweets
from retweetring.thanks.post_length import length_rule


def json_rows(db: Path | str, *args: str) -> Any:
    """The JSON output of ``retweetring --db DB ARGS --format json``, which must succeed."""
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _collect_everyone(db: Path | str) -> None:
    """Add Bea and Cal (Bluesky) and Dee (Mastodon) as members and collect them all."""
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    invoke(db, "members", "add", "--platform", "mastodon", "@dee@bakers.example")
    assert invoke(db, "collect", "--platform", "all", "--full-history").exit_code == 0


@pytest.fixture
def sky(monkeypatch: pytest.MonkeyPatch) -> FakeBluesky:
    """A replayed Bluesky where Bea and Cal repost each other's promotional posts."""
    fake = FakeBluesky()
    bea, cal = fake.account("bea.bsky.social"), fake.account("cal.bsky.social")
    for _ in range(2):
        fake.repost(cal, fake.post(bea))
        fake.repost(bea, fake.post(cal))
    real = feed_for

    def replayed(platform: str, **kwargs: Any) -> Any:
        if platform == "bluesky":
            return BlueskyFeed(fake.client(**kwargs))
        return real(platform, **kwargs)

    monkeypatch.setattr(library, "feed_for", replayed)
    monkeypatch.setattr(collect_cmd, "_sleep", lambda seconds: None)
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.setenv("RETWEETRING_CONFIG", "/nonexistent/config.toml")
    return fake


@pytest.fixture
def town() -> Any:
    """A replayed Mastodon server where Dee boosts Eve's promotional posts."""
    server = FakeMastodon()
    server.account("dee"), server.account("eve")
    for _ in range(2):
        server.boost("dee", server.post("eve"))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        server.install(mock)
        yield server


def test_members_of_every_platform_are_added_and_listed_with_their_platform(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    added = invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social")
    assert added.exit_code == 0 and "added: bea.bsky.social" in added.output
    added = invoke(db, "members", "add", "--platform", "mastodon", "@dee@bakers.example")
    assert added.exit_code == 0 and "added: dee@bakers.example" in added.output
    again = invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social")
    assert "already members: bea.bsky.social" in again.output
    listed = json.loads(invoke(db, "members", "list", "--format", "json").output)
    assert [(m["platform"], m["username"], m["id"]) for m in listed] == [
        ("bluesky", "bea.bsky.social", "did:plc:bea"),
        ("mastodon", "dee@bakers.example", "https://bakers.example/users/dee"),
    ]
    shown = invoke(db, "members", "list", env={"COLUMNS": "160"}).output
    assert "bluesky" in shown and "mastodon" in shown
    removed = invoke(db, "members", "remove", "--platform", "bluesky", "bea.bsky.social")
    assert removed.exit_code == 0 and "removed: bea.bsky.social" in removed.output


def test_unknown_handles_are_skipped_with_one_line_each(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    result = invoke(db, "members", "add", "--platform", "bluesky", "nobody.bsky.social")
    assert result.exit_code == 1
    assert "skipped: Bluesky: no account nobody.bsky.social" in result.output
    bad = invoke(db, "members", "add", "--platform", "mastodon", "dee", "@zed@bakers.example")
    assert bad.exit_code == 1
    lines = [line for line in bad.output.splitlines() if line.startswith("skipped")]
    assert len(lines) == 2 and "@user@server" in lines[0] and "404" in lines[1]


def test_collect_all_reads_every_platform_without_an_x_token(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    invoke(db, "members", "add", "--platform", "mastodon", "@dee@bakers.example")
    result = invoke(db, "collect", "--platform", "all", "--full-history")
    assert result.exit_code == 0, result.output
    assert "bea.bsky.social (bluesky): 2 pages, 6 items read, 4 new posts, 2 new reposts" in (
        result.output
    )
    assert "dee@bakers.example (mastodon): 1 page, 2 items read, 2 new posts, 2 new reposts" in (
        result.output
    )
    assert "collect bluesky:" in result.output and "collect mastodon:" in result.output
    again = invoke(db, "collect", "--platform", "all")
    assert again.exit_code == 0 and "0 new reposts" in again.output
    usage = json.loads(
        invoke(db, "collect", "--usage", "--platform", "mastodon", "--format", "json").output
    )
    assert {row["endpoint"] for row in usage["days"]} == {
        "accounts/lookup",
        "accounts/:id/statuses",
    }


def test_collect_stops_at_max_reads_and_continues_next_run(
    sky: FakeBluesky, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social")
    first = invoke(db, "collect", "--platform", "bluesky", "--max-reads", "2", "--full-history")
    assert first.exit_code == 0
    assert "stopped: --max-reads 2 reached" in first.output
    assert "not finished, continues next run" in first.output
    listed = json.loads(invoke(db, "members", "list", "--format", "json").output)
    assert listed[0]["interrupted"] is True
    done = invoke(db, "collect", "--platform", "bluesky")
    assert done.exit_code == 0 and "(up to date)" in done.output


def test_an_unreachable_server_is_one_line_and_the_exit_status_is_1(
    sky: FakeBluesky, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    sky.fail_at = lambda request: "cal" in str(request.url)
    result = invoke(db, "collect", "--platform", "bluesky")
    assert result.exit_code == 1
    problem = [line for line in result.output.splitlines() if "cannot be reached" in line]
    assert len(problem) == 1 and problem[0].startswith("cal.bsky.social:")
    assert "Traceback" not in result.output
    refused = invoke(db, "members", "add", "--platform", "bluesky", "cal.bsky.social")
    assert refused.exit_code == 1 and "Error:" in refused.output and "reached" in refused.output


def test_a_suspended_member_is_reported_and_the_others_collected(
    sky: FakeBluesky, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    sky.gone.add("did:plc:cal")
    result = invoke(db, "collect", "--platform", "bluesky")
    assert result.exit_code == 1
    assert "cal.bsky.social: Bluesky account did:plc:cal is suspended" in result.output
    assert "bea.bsky.social (bluesky):" in result.output and "(up to date)" in result.output


def test_x_only_options_are_refused_for_bluesky_and_mastodon(tmp_path: Path) -> None:
    result = invoke(tmp_path / "r.db", "collect", "--platform", "mastodon", "--dry-run")
    assert result.exit_code == 2 and "--dry-run is for X only" in result.output


def test_collect_without_members_says_how_to_add_them(tmp_path: Path) -> None:
    for platform, words in (("all", "members add [--platform"), ("bluesky", "no Bluesky members")):
        result = invoke(tmp_path / "r.db", "collect", "--platform", platform)
        assert result.exit_code == 1 and words in result.output


def test_bluesky_rate_limit_waits_until_the_reset_then_continues(
    sky: FakeBluesky, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social")
    answer = sky.handle
    limited = [True]

    def once_limited(request: httpx.Request) -> httpx.Response:
        if limited[0] and "getAuthorFeed" in str(request.url):
            limited[0] = False
            reset = str(int(collect_cmd._clock()) + 42)
            return httpx.Response(
                429, headers={"ratelimit-reset": reset}, json={"error": "RateLimitExceeded"}
            )
        return answer(request)

    monkeypatch.setattr(sky, "handle", once_limited)
    waits: list[float] = []
    monkeypatch.setattr(collect_cmd, "_sleep", waits.append)
    result = invoke(db, "collect", "--platform", "bluesky", "--full-history")
    assert result.exit_code == 0, result.output
    assert "Bluesky rate limit reached: waiting" in result.output
    assert len(waits) == 1 and 40 <= waits[0] <= 42


def test_collect_and_recollect_give_the_same_rows_on_sqlite_and_postgresql(
    sky: FakeBluesky, town: FakeMastodon, any_db: str
) -> None:
    invoke(any_db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    invoke(any_db, "members", "add", "--platform", "mastodon", "@dee@bakers.example")
    first = invoke(any_db, "collect", "--platform", "all", "--full-history")
    assert first.exit_code == 0, first.output
    again = invoke(any_db, "collect", "--platform", "all")
    assert again.exit_code == 0 and again.output.count(", 0 new reposts") == 3
    engine = open_database(any_db)
    with engine.connect() as conn:
        counts = {
            platform: conn.scalar(
                select(func.count()).select_from(retweets).where(retweets.c.platform == platform)
            )
            for platform in ("bluesky", "mastodon")
        }
    engine.dispose()
    assert counts == {"bluesky": 4, "mastodon": 2}


def test_the_analytics_read_one_network_at_a_time(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    _collect_everyone(db)

    assert json_rows(db, "mutual", "--platform", "bluesky") == [
        {"a": "bea.bsky.social", "b": "cal.bsky.social", "a_to_b": 2, "b_to_a": 2}
    ]
    assert json_rows(db, "mutual") == [] and json_rows(db, "mutual", "--platform", "mastodon") == []
    one_sided = json_rows(
        db, "one-sided", "--platform", "mastodon", "--account", "@dee@bakers.example"
    )
    assert [(r["supporter"], r["supported"], r["count"]) for r in one_sided] == [
        ("dee@bakers.example", "eve@bakers.example", 2)
    ]
    report = json_rows(db, "report", "--platform", "bluesky")
    assert report["support_events"] == 4 and report["accounts"] == 2


def test_linked_accounts_are_one_person_whose_support_adds_up_across_networks(
    sky: FakeBluesky, town: FakeMastodon, any_db: str
) -> None:
    db = any_db
    _collect_everyone(db)

    # Before linking, --platform all is every network side by side.
    assert len(json_rows(db, "mutual", "--platform", "all")) == 1
    assert len(json_rows(db, "one-sided", "--platform", "all")) == 1
    # Dee (Mastodon) is Cal (Bluesky); Eve (Mastodon) is Bea (Bluesky).
    linked = invoke(
        db, "accounts", "link", "bluesky:cal.bsky.social", "mastodon:@dee@bakers.example"
    )
    assert linked.exit_code == 0, linked.output
    assert "linked: bluesky:cal.bsky.social, mastodon:dee@bakers.example" in linked.output
    assert (
        invoke(
            db, "accounts", "link", "bluesky:bea.bsky.social", "mastodon:eve@bakers.example"
        ).exit_code
        == 0
    )
    assert json_rows(db, "mutual", "--platform", "all") == [
        {"a": "bea.bsky.social", "b": "cal.bsky.social", "a_to_b": 2, "b_to_a": 4}
    ]  # Cal's 2 Bluesky reposts of Bea and Dee's 2 Mastodon boosts of Eve add up
    assert json_rows(db, "one-sided", "--platform", "all") == []
    report = json_rows(db, "report", "--platform", "all")
    assert report["support_events"] == 6 and report["accounts"] == 2
    assert (
        json_rows(db, "mutual", "--platform", "bluesky")[0]["b_to_a"] == 2
    )  # one network: unchanged
    unlinked = invoke(db, "accounts", "unlink", "mastodon:@dee@bakers.example")
    assert unlinked.exit_code == 0 and "unlinked: mastodon:dee@bakers.example" in unlinked.output
    assert json_rows(db, "mutual", "--platform", "all")[0]["b_to_a"] == 2
    unknown = invoke(db, "accounts", "link", "bluesky:bea.bsky.social", "mastodon:@zed@x.example")
    assert unknown.exit_code == 1 and "zed@x.example" in unknown.output
    assert (
        json_rows(db, "accounts") == []
    )  # `accounts` alone still lists the (X) accounts: none here


def test_thank_on_bluesky_and_mastodon_lists_that_networks_supporters_with_fitting_drafts(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    _collect_everyone(db)
    week = ("--week", "2026-W45", "--drafts")
    sky_thanks = json_rows(db, "thank", "--platform", "bluesky", "bea.bsky.social", *week)
    assert [(s["username"], s["retweets"]) for s in sky_thanks["supporters"]] == [
        ("cal.bsky.social", 2)
    ]
    posts = [p for style in sky_thanks["drafts"].values() for p in style]
    assert posts and all(length_rule("bluesky").fits(p) for p in posts)
    assert all("@cal.bsky.social" in p for p in posts)
    town_thanks = json_rows(db, "thank", "--platform", "mastodon", "@eve@bakers.example", *week)
    assert [s["username"] for s in town_thanks["supporters"]] == ["dee@bakers.example"]
    assert all("@dee@bakers.example" in p for s in town_thanks["drafts"].values() for p in s)
    # the same handle is not an account on X
    on_x = invoke(db, "thank", "bea.bsky.social", "--week", "2026-W45")
    assert on_x.exit_code != 0 and "bea.bsky.social" in on_x.output


def test_thank_drafts_keep_within_a_given_post_limit(sky: FakeBluesky, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social", "cal.bsky.social")
    assert invoke(db, "collect", "--platform", "bluesky", "--full-history").exit_code == 0
    args = ("thank", "--platform", "bluesky", "bea.bsky.social", "--week", "2026-W45")
    tight = invoke(db, *args, "--drafts", "--post-limit", "5")
    assert tight.exit_code == 2, tight.output
    assert "does not fit in a post of 5" in tight.output and "Traceback" not in tight.output


def test_members_import_reads_bluesky_and_mastodon_handles_from_a_file(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    (tmp_path / "sky.txt").write_text("# our Bluesky people\n@bea.bsky.social\n\ncal.bsky.social\n")
    (tmp_path / "town.txt").write_text("dee@bakers.example  # the cafe\n@eve@bakers.example\n")
    added = invoke(db, "members", "import", "--platform", "bluesky", str(tmp_path / "sky.txt"))
    assert added.exit_code == 0 and "added: bea.bsky.social, cal.bsky.social" in added.output
    added = invoke(db, "members", "import", "--platform", "mastodon", str(tmp_path / "town.txt"))
    assert added.exit_code == 0
    assert "added: dee@bakers.example, eve@bakers.example" in added.output
    listed = json_rows(db, "members", "list")
    assert [(m["platform"], m["username"]) for m in listed] == [
        ("bluesky", "bea.bsky.social"),
        ("bluesky", "cal.bsky.social"),
        ("mastodon", "dee@bakers.example"),
        ("mastodon", "eve@bakers.example"),
    ]


@pytest.mark.parametrize(
    ("platform", "text", "words"),
    [
        ("bluesky", "bea.bsky.social\nbea bsky\n", ":2: 'bea bsky' is not a Bluesky handle"),
        ("mastodon", "@dee@bakers.example\n@dee\n", ":2: '@dee' is not a Mastodon handle"),
        ("mastodon", "# nobody yet\n", "no usernames in the file"),
    ],
)
def test_members_import_refuses_a_bad_line_naming_it_and_adds_nothing(
    sky: FakeBluesky, town: FakeMastodon, tmp_path: Path, platform: str, text: str, words: str
) -> None:
    db = tmp_path / "r.db"
    members = tmp_path / "members.txt"
    members.write_text(text)
    result = invoke(db, "members", "import", "--platform", platform, str(members))
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("Error:") and words in line and str(members) in line
    assert json_rows(db, "members", "list") == []
