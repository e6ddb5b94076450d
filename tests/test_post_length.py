"""Each platform's post length: X's weighted length, Bluesky's 300 graphemes, Mastodon's 500
characters with URLs as 23 and mentions without their domain; drafts fit each."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.thanks.drafts import draft_posts, drafts
from retweetring.thanks.lists import Supporter, ThankList, Week
from retweetring.thanks.post_length import (
    BLUESKY_MAX_GRAPHEMES,
    MASTODON_MAX_CHARACTERS,
    bluesky_length,
    graphemes,
    length_rule,
    mastodon_length,
)
from retweetring.thanks.tweet_length import weighted_length


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("abc", 3),
        ("e\u0301", 1),  # a letter and a combining accent
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466", 1),  # a family
        ("\U0001f1ec\U0001f1e7", 1),  # a flag: two regional indicators
        ("\U0001f44b\U0001f3fd", 1),  # a skin tone
        ("\r\n", 1),
        ("ありがとう", 5),
    ],
)
def test_graphemes_count_user_perceived_characters(text: str, count: int) -> None:
    assert graphemes(text) == count


def test_bluesky_counts_every_grapheme_of_links_and_handles() -> None:
    link = "https://hollysbakery.example/christmas-cakes-and-puddings"
    assert bluesky_length(f"Order {link}") == 6 + len(link)
    assert bluesky_length("@bea.bsky.social") == 16


def test_mastodon_counts_a_url_as_23_and_a_mention_without_its_domain() -> None:
    link = "https://hollysbakery.example/christmas-cakes-and-puddings?utm=1"
    assert mastodon_length(f"Order {link} now") == 6 + 23 + 4
    assert mastodon_length("@bea@mastodon.social") == len("@bea")
    assert mastodon_length("hi @bea") == len("hi @bea")
    # a bare domain is not linked by Mastodon: it counts in full
    assert mastodon_length("hollysbakery.example/christmas") == len(
        "hollysbakery.example/christmas"
    )
    # an e-mail address is not a mention
    assert mastodon_length("mail bea@mastodon.social") == len("mail bea@mastodon.social")


def test_length_rules_of_each_platform_and_their_limits() -> None:
    assert length_rule("x").limit == 280 and length_rule("x").measure is weighted_length
    assert length_rule("bluesky").limit == BLUESKY_MAX_GRAPHEMES == 300
    assert length_rule("mastodon").limit == MASTODON_MAX_CHARACTERS == 500
    assert length_rule("mastodon", limit=1000).limit == 1000
    assert length_rule("bluesky").fits("a" * 300) and not length_rule("bluesky").fits("a" * 301)
    assert not length_rule("mastodon").fits("")
    with pytest.raises(ValueError, match="unknown platform 'myspace'"):
        length_rule("myspace")
    with pytest.raises(ValueError, match="at least 1"):
        length_rule("x", limit=0)


def test_a_post_too_long_for_x_fits_on_bluesky_and_mastodon() -> None:
    text = "é" * 290  # 290 on X; 290 graphemes
    assert not length_rule("x").fits(text)
    assert length_rule("bluesky").fits(text) and length_rule("mastodon").fits(text)
    cjk = "あ" * 200  # 400 on X (CJK weighs 2); 200 graphemes
    assert not length_rule("x").fits(cjk) and length_rule("bluesky").fits(cjk)


handles = {
    "x": st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True),
    "bluesky": st.from_regex(r"[a-z0-9]{1,20}\.bsky\.social", fullmatch=True),
    "mastodon": st.from_regex(r"[a-z0-9_]{1,30}@[a-z]{2,20}\.social", fullmatch=True),
}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), platform=st.sampled_from(sorted(handles)))
def test_drafts_fit_the_platform_and_mention_everyone_once(data, platform: str) -> None:
    names = data.draw(st.lists(handles[platform], max_size=150, unique=True))
    rule = length_rule(platform)
    supporters = tuple(Supporter(n, i, 1, False, False, False) for i, n in enumerate(names))
    posts = drafts(ThankList("hollys_bakery", 0, Week(2026, 46), supporters), rule=rule)
    assert all(rule.fits(post) for post in posts)
    found = Counter(m for post in posts for m in re.findall(r"(?<![\w@])@(\S+)", post))
    assert found == Counter(names)


def test_mastodon_drafts_pack_more_mentions_per_post_than_x() -> None:
    names = [f"shop_{n:03d}@mastodon.social" for n in range(60)]
    on_x = draft_posts(names, "Thank you!")
    on_mastodon = draft_posts(names, "Thank you!", length_rule("mastodon"))
    # X counts each mention in full (~25 weighted); Mastodon counts "@shop_nnn" (9)
    assert len(on_mastodon) == 2 and len(on_x) > len(on_mastodon)
