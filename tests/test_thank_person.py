"""A person's thank list across linked accounts: own accounts, drafts per network, errors."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import Community, invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from retweetring.store.session import open_database
from retweetring.thanks.drafts import STYLES, drafts_by_network
from retweetring.thanks.lists import Handle, Supporter, ThankList, Week, thank_list
from retweetring.thanks.person import person_thank_list
from retweetring.thanks.post_length import length_rule

WEEK = Week(2026, 45)


def _imported(tmp_path: Path, community: Community) -> Path:
    db = tmp_path / "r.db"
    result = invoke(db, "import", str(community.write(tmp_path / "x.jsonl")))
    assert result.exit_code == 0, result.output
    return db


def _engine(db: Path) -> Engine:
    return open_database(str(db))


def test_support_between_a_persons_own_accounts_is_not_support_to_thank(
    tmp_path: Path, community: Community
) -> None:
    bakery = community.post("bakery_bea")
    community.retweet("bea_personal", bakery)  # Bea's other account
    community.retweet("harbour_cafe", bakery)
    db = _imported(tmp_path, community)
    assert invoke(db, "accounts", "link", "x:bakery_bea", "x:bea_personal").exit_code == 0

    thanks = person_thank_list(_engine(db), "x:bea_personal", WEEK)
    assert [s.username for s in thanks.supporters] == ["harbour_cafe"]
    assert thanks.account == "bakery_bea" and thanks.accounts == ("x:bakery_bea", "x:bea_personal")
    on_x = invoke(db, "thank", "bakery_bea", "--week", WEEK.label, "--format", "csv").output
    assert "bea_personal" in on_x  # on one network the two accounts are two accounts


def test_an_unlinked_account_is_a_person_of_its_own(tmp_path: Path, community: Community) -> None:
    community.retweet("harbour_cafe", community.post("bakery_bea"))
    community.retweet("kiln_studio", community.post("bakery_bea"))
    db = _imported(tmp_path, community)
    engine = _engine(db)
    across = person_thank_list(engine, "bakery_bea", WEEK)
    alone = thank_list(engine, "bakery_bea", WEEK)
    assert [(s.username, s.retweets, s.new, s.returned) for s in across.supporters] == [
        (s.username, s.retweets, s.new, s.returned) for s in alone.supporters
    ]
    assert [[h.label for h in s.handles] for s in across.supporters] == [
        [f"x:{s.username}"] for s in alone.supporters
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("thank", "--platform", "all", "x:nobody_here"), "nobody_here"),
        (("thank", "--platform", "all", "myspace:bea"), "say which network"),
        (("thank", "--platform", "all", "bakery_bea", "--week", "2026-W30"), "on any network"),
    ],
)
def test_bad_accounts_and_weeks_without_data_are_one_line_across_networks(
    tmp_path: Path, community: Community, args: tuple[str, ...], message: str
) -> None:
    community.retweet("harbour_cafe", community.post("bakery_bea", at=datetime(2026, 11, 2)))
    db = _imported(tmp_path, community)
    result = invoke(db, *args)
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


# handles as each network writes them: X names, Bluesky domains, Mastodon user@server
x_names = st.from_regex(r"[a-z0-9_]{1,15}", fullmatch=True)
sky_names = st.from_regex(r"[a-z0-9]{1,20}\.bsky\.social", fullmatch=True)
masto_names = st.from_regex(r"[a-z0-9_]{1,20}@[a-z]{1,12}\.(social|example)", fullmatch=True)
people = st.lists(
    st.tuples(st.none() | x_names, st.none() | sky_names, st.none() | masto_names).filter(
        lambda handles: any(handles)
    ),
    max_size=60,
    unique_by=lambda handles: tuple(h or "" for h in handles),
)


def _person_list(supporters: list[tuple[str | None, ...]]) -> ThankList:
    listed = []
    for n, handles in enumerate(supporters):
        owned = tuple(
            Handle(network, -n, name, 1)
            for network, name in zip(("x", "bluesky", "mastodon"), handles, strict=True)
            if name
        )
        listed.append(Supporter(owned[0].username, n, 1, False, False, False, owned))
    accounts = ("x:bakery_bea", "bluesky:bea.bsky.social", "mastodon:bea@bakers.example")
    return ThankList("bakery_bea", 1, WEEK, tuple(listed), platform="all", accounts=accounts)


@settings(max_examples=80, deadline=None)
@given(supporters=people)
def test_each_networks_drafts_fit_its_length_rule_and_mention_its_handles_in_order(supporters):
    thanks = _person_list(supporters)
    by_network = drafts_by_network(thanks)
    assert set(by_network) == {"x", "bluesky", "mastodon"}
    for i, network in enumerate(("x", "bluesky", "mastodon")):
        expected = [f"@{handles[i]}" for handles in supporters if handles[i]]
        for style in STYLES:
            posts = by_network[network][style]
            assert all(length_rule(network).fits(post) for post in posts)
            mentions = [m for post in posts for m in re.findall(r"(?<!\S)@\S+", post)]
            assert mentions == expected


def test_a_person_on_fewer_networks_gets_drafts_for_those_only() -> None:
    thanks = _person_list([("harbour_cafe", "harbour.bsky.social", None)])
    two = ThankList(
        thanks.account, 1, WEEK, thanks.supporters, platform="all", accounts=("x:bakery_bea",)
    )
    assert set(drafts_by_network(two)) == {"x"}
    limited = drafts_by_network(thanks, {"mastodon": 10})
    assert limited["mastodon"]["thanks"] == []  # nobody with a Mastodon account to mention
    with pytest.raises(ValueError, match="does not fit in a post of 10"):
        drafts_by_network(thanks, {"bluesky": 10})
