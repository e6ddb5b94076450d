"""Draft thank-you posts: each within 280 weighted characters, every supporter mentioned once."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.thanks.drafts import OPENINGS, STYLES, draft_posts, drafts
from retweetring.thanks.lists import Supporter, ThankList, Week
from retweetring.thanks.tweet_length import weighted_length

# X usernames: 1 to 15 letters, digits and underscores, unique regardless of case.
usernames = st.lists(
    st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True),
    max_size=120,
    unique_by=str.lower,
)


def _thank_list(names: list[str]) -> ThankList:
    supporters = tuple(
        Supporter(name, n, retweets=1, new=False, returned=False, thanked=False)
        for n, name in enumerate(names)
    )
    return ThankList("hollys_bakery", 0, Week(2026, 46), supporters)


def _mentions(posts: list[str]) -> Counter[str]:
    return Counter(m for post in posts for m in re.findall(r"(?<!\w)@(\w+)", post))


@settings(max_examples=150, deadline=None)
@given(names=usernames, style=st.sampled_from(STYLES))
def test_every_draft_fits_and_every_supporter_is_mentioned_exactly_once(names, style):
    posts = drafts(_thank_list(names), style)
    assert all(0 < weighted_length(post) <= 280 for post in posts)
    assert _mentions(posts) == Counter(names)
    assert all(post.startswith(OPENINGS[style]) for post in posts)


@settings(max_examples=50, deadline=None)
@given(names=usernames)
def test_posts_are_numbered_only_when_there_are_several(names):
    posts = drafts(_thank_list(names))
    if len(posts) > 1:
        assert [re.search(r"\((\d+)/(\d+)\)", p).groups() for p in posts] == [
            (str(i), str(len(posts))) for i in range(1, len(posts) + 1)
        ]
    else:
        assert all("/" not in post.splitlines()[0] for post in posts)


def test_mentions_keep_the_order_of_the_list():
    names = [f"shop{n:02d}_saltby" for n in range(40)]
    posts = drafts(_thank_list(names))
    assert len(posts) > 1
    assert [m for post in posts for m in re.findall(r"@(\w+)", post)] == names


def test_a_post_of_exactly_280_is_not_split_and_one_more_mention_is():
    # "Thank you!" (10) + newline (1) + 27 mentions "@shop_nnn" (9 each) + 26 spaces = 280.
    names = [f"shop_{n:03d}" for n in range(28)]
    exact = draft_posts(names[:27], "Thank you!")
    assert len(exact) == 1 and weighted_length(exact[0]) == 280
    split = draft_posts(names, "Thank you!")
    assert len(split) == 2 and split[0].startswith("Thank you! (1/2)\n")


def test_supporters_without_a_stored_username_are_not_mentioned():
    posts = drafts(_thank_list(["cafe", "id:12345", "florist"]))
    assert _mentions(posts) == Counter(["cafe", "florist"]) and "id:" not in posts[0]


def test_no_supporters_no_drafts():
    assert drafts(_thank_list([])) == []


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="unknown draft style"):
        drafts(_thank_list(["cafe"]), "limerick")


def test_a_mention_that_cannot_fit_is_an_error():
    with pytest.raises(ValueError, match="does not fit"):
        draft_posts(["x" * 300], "Thanks")
