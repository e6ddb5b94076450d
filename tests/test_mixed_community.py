"""End to end: a community on X, Bluesky and Mastodon, some people on two networks, linked.

The data gets in the way a user's would: X through `import` of a twarc2 JSONL file, Bluesky
and Mastodon through `members add` and `collect --platform` against replayed servers
(tests/fake_social.py). Then one report, one map, one thank list and one export for
`--platform all`, and the per-network ones, each checked against numbers this file computes
from the definitions (README: Definitions, "Who to thank") out of the community's own
description below, never copied from an output.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import responses
from conftest import PERSONAL_TEXT, PROMO_TEXT, Community, invoke
from fake_social import FakeBluesky, FakeMastodon

import retweetring.sources.social_collect as library
from retweetring.cli import collect as collect_cmd
from retweetring.people import people_graph
from retweetring.reports.maps.text import label_of
from retweetring.sources.social_collect import BlueskyFeed
from retweetring.store.session import open_database
from retweetring.thanks.lists import RETURN_WEEKS, Week
from retweetring.thanks.post_length import length_rule

NETWORKS = ("x", "bluesky", "mastodon")
WEEK = "2026-W45"  # Monday 2 November 2026: where the replayed servers' posts fall

PEOPLE = {
    "bea": [("x", "bakery_bea"), ("bluesky", "bea.bsky.social")],
    "cal": [("bluesky", "cal.bsky.social"), ("mastodon", "cal@bakers.example")],
    "dan": [("x", "dans_deli"), ("bluesky", "dan.bsky.social")],
    "xena": [("x", "xena_x")],
    "xav": [("x", "xav_x")],
    "bo": [("bluesky", "bo.bsky.social")],
    "mo": [("mastodon", "mo@bakers.example")],
    "eve": [("mastodon", "eve@bakers.example")],
}
"""Each person's accounts, the first being the one they are shown as."""


@dataclass(frozen=True)
class Post:
    key: str
    platform: str
    author: str
    promotional: bool = True
    at: datetime | None = None  # X only: the replayed servers choose their own times in W45


@dataclass(frozen=True)
class Repost:
    platform: str
    by: str
    post: str
    at: datetime | None = None


POSTS = [
    Post("P0", "x", "bakery_bea", at=datetime(2026, 10, 27, 10)),  # W44
    Post("D0", "x", "dans_deli", at=datetime(2026, 10, 20, 10)),  # W43
    Post("P1", "x", "bakery_bea"),
    Post("P2", "x", "bakery_bea"),
    Post("X1", "x", "xena_x"),
    Post("X2", "x", "xena_x", promotional=False),
    Post("D1", "x", "dans_deli"),
    Post("B1", "bluesky", "bea.bsky.social"),
    Post("B2", "bluesky", "bea.bsky.social"),
    Post("C1", "bluesky", "cal.bsky.social"),
    Post("O1", "bluesky", "bo.bsky.social", promotional=False),
    Post("M1", "mastodon", "cal@bakers.example"),
    Post("M2", "mastodon", "cal@bakers.example"),
    Post("Q1", "mastodon", "mo@bakers.example"),
    Post("E1", "mastodon", "eve@bakers.example", promotional=False),
]
REPOSTS = [
    Repost("x", "dans_deli", "P0", at=datetime(2026, 10, 28, 12)),  # W44
    Repost("x", "bakery_bea", "D0", at=datetime(2026, 10, 21, 12)),  # W43
    Repost("x", "xena_x", "P1"),
    Repost("x", "xena_x", "P2"),
    Repost("x", "dans_deli", "P2"),
    Repost("x", "bakery_bea", "X1"),
    Repost("x", "xav_x", "X1"),
    Repost("x", "xav_x", "X2"),
    Repost("x", "xena_x", "D1"),
    Repost("bluesky", "cal.bsky.social", "B1"),
    Repost("bluesky", "cal.bsky.social", "B2"),
    Repost("bluesky", "dan.bsky.social", "B1"),
    Repost("bluesky", "bo.bsky.social", "B2"),
    Repost("bluesky", "bea.bsky.social", "C1"),
    Repost("bluesky", "bea.bsky.social", "O1"),
    Repost("mastodon", "mo@bakers.example", "M1"),
    Repost("mastodon", "eve@bakers.example", "M1"),
    Repost("mastodon", "eve@bakers.example", "M2"),
    Repost("mastodon", "cal@bakers.example", "Q1"),
    Repost("mastodon", "cal@bakers.example", "E1"),
]


# --- the definitions, computed from the description above ---------------------------------


def person(platform: str, handle: str, linked: bool) -> str:
    """Who an account is: across networks its person, on one network the account itself."""
    if linked:
        return next(p for p, refs in PEOPLE.items() if (platform, handle) in refs)
    return handle


def shown_as(who: str, linked: bool) -> str:
    """The name an output shows for `who`: the person's first account's handle."""
    return PEOPLE[who][0][1] if linked else who


def week_of(at: datetime | None) -> Week:
    return Week.containing(at) if at else Week.parse(WEEK)


def events(platform: str) -> list[tuple[str, str, str, str]]:
    """Support events (supporter, supported, post, week of the repost) on `platform`
    (``all``: every network, by person)."""
    posts = {p.key: p for p in POSTS}
    linked = platform == "all"
    found = []
    for repost in REPOSTS:
        post = posts[repost.post]
        if platform not in ("all", repost.platform) or not post.promotional:
            continue
        a = person(repost.platform, repost.by, linked)
        b = person(post.platform, post.author, linked)
        if a != b:
            found.append((a, b, post.key, week_of(repost.at).label))
    return found


def weights(platform: str) -> dict[tuple[str, str], int]:
    """w(A -> B) at any time: distinct posts of B's that A reposted (across networks the
    weights add: post keys are distinct on every network, so the distinct posts are the sum)."""
    linked = platform == "all"
    posts: dict[tuple[str, str], set[str]] = {}
    for a, b, key, _ in events(platform):
        posts.setdefault((shown_as(a, linked), shown_as(b, linked)), set()).add(key)
    return {pair: len(keys) for pair, keys in posts.items()}


def accounts_stored(platform: str) -> int:
    """`accounts` of the report: every stored account (across networks: every person)."""
    if platform == "all":
        return len(PEOPLE)
    return sum(1 for refs in PEOPLE.values() for p, _ in refs if p == platform)


def expected_report(platform: str) -> dict[str, Any]:
    w = weights(platform)
    mutual = {frozenset(pair) for pair in w if pair[::-1] in w}
    return {
        "accounts": accounts_stored(platform),
        "active_accounts": len({n for pair in w for n in pair}),
        "support_events": sum(w.values()),
        "edges": len(w),
        "mutual_pairs": len(mutual),
        "one_sided": sum(1 for pair in w if pair[::-1] not in w),
        "reciprocity": round(2 * len(mutual) / len(w), 4),
    }


def owner(handle: str, linked: bool) -> str:
    """The person (linked) or account (not) of the account called `handle`."""
    platform = next(p for refs in PEOPLE.values() for p, h in refs if h == handle)
    return person(platform, handle, linked)


def expected_thanks(platform: str, account: str) -> list[dict[str, Any]]:
    """The thank list of `account` for WEEK on `platform` (``all``: of its person)."""
    linked = platform == "all"
    week = Week.parse(WEEK)
    me = owner(account, linked)
    every = events(platform)
    recent = {week.shift(-i).label for i in range(RETURN_WEEKS)}
    rows = []
    for who in sorted({a for a, b, _, wk in every if b == me and wk == WEEK}):
        rows.append(
            {
                "username": shown_as(who, linked),
                "retweets": len({k for a, b, k, wk in every if (a, b, wk) == (who, me, WEEK)}),
                "new": not any(
                    (a, b) == (who, me) and Week.parse(wk).monday < week.monday
                    for a, b, _, wk in every
                ),
                "returned": any((a, b) == (me, who) and wk in recent for a, b, _, wk in every),
                "thanked": False,
            }
        )
    rows.sort(key=lambda r: (-r["retweets"], r["username"].lower()))
    return rows


def handles_on(who: str, networks: set[str]) -> list[str]:
    """A person's accounts as ``platform:handle`` on the given networks, in network order."""
    refs = sorted(
        (ref for ref in PEOPLE[who] if ref[0] in networks), key=lambda r: NETWORKS.index(r[0])
    )
    return [f"{p}:{h}" for p, h in refs]


# --- the community, brought in as a user would ----------------------------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The database after importing the X file, collecting Bluesky and Mastodon and linking."""
    folder = tmp_path_factory.mktemp("mixed")
    db = folder / "mixed.db"
    x = Community()
    ids: dict[str, str] = {}
    for post in POSTS:
        if post.platform == "x":
            text = PROMO_TEXT if post.promotional else PERSONAL_TEXT
            ids[post.key] = x.post(post.author, text, at=post.at)
    for repost in REPOSTS:
        if repost.platform == "x":
            x.retweet(repost.by, ids[repost.post], at=repost.at)
    result = invoke(db, "import", str(x.write(folder / "x.jsonl")))
    assert result.exit_code == 0, result.output

    sky, town = FakeBluesky(), FakeMastodon()
    made: dict[str, Any] = {}
    for post in POSTS:
        text = PROMO_TEXT if post.promotional else PERSONAL_TEXT
        if post.platform == "bluesky":
            made[post.key] = sky.post(sky.account(post.author), text)
        elif post.platform == "mastodon":
            town.account(post.author.split("@")[0])
            made[post.key] = town.post(post.author.split("@")[0], text)
    for repost in REPOSTS:
        if repost.platform == "bluesky":
            sky.repost(sky.account(repost.by), made[repost.post])
        elif repost.platform == "mastodon":
            town.boost(town.account(repost.by.split("@")[0])["username"], made[repost.post])
    with pytest.MonkeyPatch.context() as patch, responses.RequestsMock(
        assert_all_requests_are_fired=False
    ) as mock:
        town.install(mock)
        patch.setattr(
            library, "feed_for", lambda platform, **kw: BlueskyFeed(sky.client(**kw))
            if platform == "bluesky" else real_feed(platform, **kw)
        )  # fmt: skip
        patch.setattr(collect_cmd, "_sleep", lambda seconds: None)
        patch.delenv("X_BEARER_TOKEN", raising=False)
        patch.setenv("RETWEETRING_CONFIG", "/nonexistent/config.toml")
        for platform in ("bluesky", "mastodon"):
            handles = [h for refs in PEOPLE.values() for p, h in refs if p == platform]
            if platform == "mastodon":
                handles = [f"@{h}" for h in handles]
            added = invoke(db, "members", "add", "--platform", platform, *handles)
            assert added.exit_code == 0, added.output
        collected = invoke(db, "collect", "--platform", "all", "--full-history")
        assert collected.exit_code == 0, collected.output
    for refs in PEOPLE.values():
        if len(refs) > 1:
            linked = invoke(db, "accounts", "link", *(f"{p}:{h}" for p, h in refs))
            assert linked.exit_code == 0, linked.output
    yield db


real_feed = library.feed_for


def run_json(db: Path, *args: str) -> Any:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["all", *NETWORKS])
def test_the_report_counts_people_across_networks_and_accounts_on_one(
    mixed: Path, platform: str
) -> None:
    report = run_json(mixed, "report", "--platform", platform)
    assert {key: report[key] for key in expected_report(platform)} == expected_report(platform)


def test_the_community_has_people_on_each_network_alone_and_on_two_whose_support_adds_up() -> (
    None
):
    networks = [frozenset(p for p, _ in refs) for refs in PEOPLE.values()]
    assert {n for n in networks if len(n) == 1} == {frozenset({p}) for p in NETWORKS}
    assert len({n for n in networks if len(n) == 2}) >= 2
    # Dan supports Bea on X and on Bluesky: more across networks than on either alone
    assert weights("all")["dans_deli", "bakery_bea"] == (
        weights("x")["dans_deli", "bakery_bea"] + weights("bluesky")["dan.bsky.social",
                                                                     "bea.bsky.social"]
    ) > weights("x")["dans_deli", "bakery_bea"]  # fmt: skip


@pytest.mark.parametrize("platform", ["all", *NETWORKS])
def test_mutual_pairs_are_the_pairs_supporting_each_other_with_summed_weights(
    mixed: Path, platform: str
) -> None:
    w = weights(platform)
    expected = sorted((a, b, w[a, b], w[b, a]) for a, b in w if a < b and (b, a) in w)
    rows = run_json(mixed, "mutual", "--platform", platform)
    got = sorted(
        (r["a"], r["b"], r["a_to_b"], r["b_to_a"])
        if r["a"] < r["b"]
        else (r["b"], r["a"], r["b_to_a"], r["a_to_b"])
        for r in rows
    )
    assert got == expected and expected


@pytest.mark.parametrize("platform", ["all", *NETWORKS])
def test_the_map_draws_every_person_once(mixed: Path, platform: str, tmp_path: Path) -> None:
    drawn = run_json(
        mixed, "map", "--platform", platform, "-o", str(tmp_path / "m.png"), "--size", "1000x750"
    )
    expected = expected_report(platform)
    assert drawn["accounts"] == expected["active_accounts"]
    assert drawn["mutual_pairs"] == expected["mutual_pairs"]
    assert drawn["one_sided"] == expected["one_sided"]
    assert (tmp_path / "m.png").stat().st_size > 0


def test_a_linked_persons_map_label_names_their_accounts(mixed: Path) -> None:
    engine = open_database(str(mixed))
    graph = people_graph(engine)
    engine.dispose()
    labels = {graph.nodes[n]["username"]: label_of(graph, n) for n in graph}
    for refs in PEOPLE.values():
        lines = labels[refs[0][1]].splitlines()
        if len(refs) > 1:
            assert lines[1] == " · ".join(f"{p}:{h}" for p, h in refs)
        else:
            assert len(lines) == 1


def test_the_map_around_a_person_reaches_their_supporters_on_every_network(
    mixed: Path, tmp_path: Path
) -> None:
    drawn = run_json(
        mixed, "map", "--platform", "all", "--account", "bluesky:bea.bsky.social",
        "-o", str(tmp_path / "bea.png"), "--size", "1000x750",
    )  # fmt: skip
    w = weights("all")
    me = "bakery_bea"
    around = {b if a == me else a for a, b in w if me in (a, b)}
    mutual = {frozenset(pair) for pair in w if pair[::-1] in w}
    partners = {n for pair in mutual if me in pair for n in pair} - {me}
    introductions = {
        n for pair in mutual if pair & partners for n in pair
    } - partners - around - {me}  # fmt: skip
    assert drawn["account"] == me
    assert drawn["accounts"] == 1 + len(around) + len(introductions)
    assert drawn["introductions"] == len(introductions) > 0
    assert drawn["mutual_pairs"] == len(partners)
    assert drawn["one_sided"] == len(around) - len(partners)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_the_export_across_networks_has_one_node_per_person_naming_their_accounts(
    mixed: Path, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / f"all.{fmt}"
    result = invoke(mixed, "export", "--platform", "all", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    graph = _read_export(out, fmt)
    names = {node: attrs["username"] for node, attrs in graph.nodes(data=True)}
    got = {(names[u], names[v]): int(float(d["weight"])) for u, v, d in graph.edges(data=True)}
    assert got == weights("all")
    accounts = {attrs["username"]: attrs["accounts"] for _, attrs in graph.nodes(data=True)}
    for refs in PEOPLE.values():
        if refs[0][1] in accounts:
            assert accounts[refs[0][1]] == ", ".join(f"{p}:{h}" for p, h in refs)
    if fmt in ("graphml", "gexf"):
        assert all(a["label"] == a["accounts"] for _, a in graph.nodes(data=True))


def _read_export(path: Path, fmt: str) -> nx.DiGraph:
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text()), edges="edges")
    graph = nx.DiGraph()
    stem = path.with_suffix("")
    with open(f"{stem}-nodes.csv", encoding="utf-8") as nodes:
        for row in csv.DictReader(nodes):
            graph.add_node(row["id"], **row)
    with open(f"{stem}-edges.csv", encoding="utf-8") as edges:
        for row in csv.DictReader(edges):
            graph.add_edge(row["source"], row["target"], weight=row["weight"])
    return graph


@pytest.mark.parametrize("fmt", ["graphml", "csv"])
@pytest.mark.parametrize("platform", ["bluesky", "mastodon"])
def test_the_export_of_one_network_is_that_networks_accounts(
    mixed: Path, fmt: str, platform: str, tmp_path: Path
) -> None:
    out = tmp_path / f"one.{fmt}"
    result = invoke(mixed, "export", "--platform", platform, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    graph = _read_export(out, fmt)
    names = {node: attrs["username"] for node, attrs in graph.nodes(data=True)}
    got = {(names[u], names[v]): int(float(d["weight"])) for u, v, d in graph.edges(data=True)}
    assert got == weights(platform)
    assert all("accounts" not in attrs for _, attrs in graph.nodes(data=True))


@pytest.mark.parametrize(
    ("platform", "account"),
    [
        ("all", "x:bakery_bea"),
        ("all", "bluesky:bea.bsky.social"),
        ("all", "mastodon:@cal@bakers.example"),
        ("x", "bakery_bea"),
        ("bluesky", "bea.bsky.social"),
        ("mastodon", "@cal@bakers.example"),
    ],
)
def test_the_thank_list_follows_the_definitions_on_one_network_and_across_them(
    mixed: Path, platform: str, account: str
) -> None:
    listed = run_json(mixed, "thank", "--platform", platform, account, "--week", WEEK)
    handle = account.split(":", 1)[-1].lstrip("@")
    expected = expected_thanks(platform, handle)
    assert [
        {key: s[key] for key in ("username", "retweets", "new", "returned", "thanked")}
        for s in listed["supporters"]
    ] == expected
    assert expected, "the week has supporters to thank"
    if platform == "all":
        me = owner(handle, True)
        mine = {p for p, _ in PEOPLE[me]}
        assert listed["accounts"] == [f"{p}:{h}" for p, h in PEOPLE[me]]
        for supporter in listed["supporters"]:
            who = owner(supporter["username"], True)
            shown = [f"{a['platform']}:{a['username']}" for a in supporter["accounts"]]
            assert shown == handles_on(who, mine)


def test_a_persons_drafts_are_per_network_by_that_networks_handles_and_length_rule(
    mixed: Path,
) -> None:
    listed = run_json(mixed, "thank", "--platform", "all", "x:bakery_bea", "--week", WEEK,
                      "--drafts")  # fmt: skip
    assert set(listed["drafts"]) == {"x", "bluesky"}  # the networks Bea posts on
    mentioned_somewhere = set()
    for network, styles in listed["drafts"].items():
        expected = []
        for supporter in listed["supporters"]:
            who = owner(supporter["username"], True)
            on = [h for p, h in PEOPLE[who] if p == network]
            if on:
                expected.append(f"@{on[0]}")
                mentioned_somewhere.add(who)
        for style, posts in styles.items():
            assert posts, (network, style)
            assert all(length_rule(network).fits(post) for post in posts)
            mentions = [word for post in posts for word in post.split() if word.startswith("@")]
            assert mentions == expected, (network, style)
    assert mentioned_somewhere == {owner(s["username"], True) for s in listed["supporters"]}


def test_a_persons_thank_list_as_text_markdown_and_csv_shows_where_to_thank_them(
    mixed: Path,
) -> None:
    args = ("thank", "--platform", "all", "bluesky:cal.bsky.social", "--week", WEEK)
    text = invoke(mixed, *args, "--drafts", env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "thank them on" in text.output and "mastodon:@eve@bakers.example" in text.output
    assert "Drafts (thanks, mastodon)" in text.output and "Drafts (thanks, bluesky)" in text.output
    markdown = invoke(mixed, *args, "--format", "markdown").output
    assert "[@eve@bakers.example](https://bakers.example/@eve)" in markdown
    assert "[@bea.bsky.social](https://bsky.app/profile/bea.bsky.social)" in markdown
    rows = list(csv.DictReader(invoke(mixed, *args, "--format", "csv").output.splitlines()))
    by_name = {row["username"]: row["accounts"] for row in rows}
    assert by_name["bakery_bea"] == "bluesky:bea.bsky.social"  # Cal is not on X


def test_marking_a_person_thanked_records_each_network_and_shows_on_every_later_list(
    mixed: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(mixed, db)
    args = ("thank", "--platform", "all", "x:bakery_bea", "--week", WEEK)
    first = invoke(db, *args, "--mark-thanked", "--format", "json")
    assert first.exit_code == 0, first.output
    supporters = len(expected_thanks("all", "bakery_bea"))
    assert f"recorded {supporters} supporters" in first.output
    again = run_json(db, *args)
    assert all(s["thanked"] for s in again["supporters"])
    on_bluesky = run_json(db, "thank", "--platform", "bluesky", "bea.bsky.social", "--week", WEEK)
    assert all(s["thanked"] for s in on_bluesky["supporters"])
    marked = invoke(db, *args, "--mark-thanked", "--format", "csv")
    assert "recorded 0 supporters" in marked.output


def test_marking_on_one_network_records_on_that_network(mixed: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(mixed, db)
    args = ("thank", "--platform", "mastodon", "@cal@bakers.example", "--week", WEEK)
    marked = invoke(db, *args, "--mark-thanked", "--format", "csv")
    assert marked.exit_code == 0, marked.output
    assert all(s["thanked"] for s in run_json(db, *args)["supporters"])
    across = run_json(db, "thank", "--platform", "all", "bluesky:cal.bsky.social", "--week", WEEK)
    thanked = {s["username"]: s["thanked"] for s in across["supporters"]}
    on_mastodon = {s["username"] for s in across["supporters"]
                   if any(a["platform"] == "mastodon" for a in s["accounts"])}  # fmt: skip
    assert thanked == {name: name in on_mastodon for name in thanked}
    assert set(thanked) - on_mastodon, "someone supported Cal on Bluesky only"


def test_the_weekly_job_across_networks_writes_drafts_for_each_network_and_both_maps(
    mixed: Path, tmp_path: Path
) -> None:
    result = run_json(mixed, "weekly", "--platform", "all", "x:bakery_bea", "-o",
                      str(tmp_path), "--week", WEEK)  # fmt: skip
    assert result["supporters"] == len(expected_thanks("all", "bakery_bea"))
    assert set(result["files"]) == {
        "thank-you.md", "drafts.txt", "my-support-map.png", "community-map.png"
    }  # fmt: skip
    drafts = (tmp_path / WEEK / "drafts.txt").read_text(encoding="utf-8")
    assert "# thanks, x" in drafts and "# thanks, bluesky" in drafts
    assert "@dan.bsky.social" in drafts and "@dans_deli" in drafts


def test_the_weekly_job_on_one_network_thanks_that_networks_account(
    mixed: Path, tmp_path: Path
) -> None:
    result = run_json(mixed, "weekly", "--platform", "mastodon", "@cal@bakers.example", "-o",
                      str(tmp_path), "--week", WEEK)  # fmt: skip
    assert result["supporters"] == len(expected_thanks("mastodon", "cal@bakers.example"))
    drafts = (tmp_path / WEEK / "drafts.txt").read_text(encoding="utf-8")
    assert "@eve@bakers.example" in drafts and "# thanks\n" in drafts


def expected_balance(platform: str) -> dict[str, tuple[int, int]]:
    """`balance` at any time: each member's or author's (across networks: each person's)
    original posts and how many are promotional."""
    linked = platform == "all"
    members = {(p, h) for refs in PEOPLE.values() for p, h in refs if p != "x"}  # `members add`
    counts: dict[str, list[int]] = {}
    for p, h in members | {(post.platform, post.author) for post in POSTS}:
        if platform in ("all", p):
            counts.setdefault(shown_as(person(p, h, linked), linked), [0, 0])
    for post in POSTS:
        if platform in ("all", post.platform):
            total = counts[shown_as(person(post.platform, post.author, linked), linked)]
            total[0] += 1
            total[1] += post.promotional
    return {who: (originals, promo) for who, (originals, promo) in counts.items()}


@pytest.mark.parametrize("platform", ["all", *NETWORKS])
def test_the_posting_balance_adds_a_persons_posts_across_networks(
    mixed: Path, platform: str
) -> None:
    rows = run_json(mixed, "balance", "--platform", platform, "--min-tweets", "1")
    got = {row["username"]: (row["originals"], row["promotional"]) for row in rows}
    assert got == expected_balance(platform)
    if platform == "all":  # Bea's row is her X row plus her Bluesky row, found by either
        on = {p: expected_balance(p) for p in NETWORKS}
        x, sky = on["x"]["bakery_bea"], on["bluesky"]["bea.bsky.social"]
        assert got["bakery_bea"] == (x[0] + sky[0], x[1] + sky[1]) and sky[0] > 0
        bea = "bluesky:bea.bsky.social"
        (row,) = run_json(mixed, "balance", "--platform", "all", "--account", bea)
        assert (row["username"], row["originals"]) == ("bakery_bea", x[0] + sky[0])


@pytest.mark.parametrize("platform", NETWORKS)
def test_accounts_lists_one_networks_accounts_with_their_posts_and_reposts(
    mixed: Path, platform: str
) -> None:
    rows = run_json(mixed, "accounts", "--platform", platform)
    got = {row["username"]: (row["tweets"], row["retweets"]) for row in rows}
    handles = {h for refs in PEOPLE.values() for p, h in refs if p == platform}
    expected = {
        h: (
            sum(1 for post in POSTS if (post.platform, post.author) == (platform, h)),
            sum(1 for repost in REPOSTS if (repost.platform, repost.by) == (platform, h)),
        )
        for h in handles
    }
    assert got == expected
