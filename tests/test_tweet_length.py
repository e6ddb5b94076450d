"""The weighted length of a post, checked against cases of the twitter-text conformance suite.

Expected values are those of ``conformance/validate.yml`` (WeightedTweetsWithDiscountedEmoji
CounterTest, twitter-text v3) unless a comment says otherwise.
"""

from __future__ import annotations

import pytest

from retweetring.thanks.tweet_length import fits, weighted_length

X10 = "xxxxxxxxxx-"
LONG_LABEL = "somesuperlongurl" * 10

CONFORMANCE = [
    ("This is a test.", 15),
    ("http://test.com", 23),
    ("https://test.com", 23),
    ("test.com", 23),
    ("Test https://test.com test https://test.com test.com test", 86),
    ("https://www.twitter.com/aloha " * 10, 240),
    ("285 chars-" + X10 * 25, 285),
    ("285 chars- http://www.twitter.com/jack " + X10 * 24, 299),
    (X10 * 24 + " http://www.twitter.com/jack ", 289),
    ("randomurl" * 7 + "s.com", 68),  # a 64-letter label is no domain: counted as text
    ("故人西辞黄鹤楼，烟花三月下扬州。" * 10, 320),
    ("😷" * 160, 320),
    ("A\u0301B", 2),  # NFC: A + combining acute is one character
    ("H🐱☺\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466", 7),
    ("😷👾😡🔥💩", 10),
    ("🙋🏽\U0001f468\u200d🎤", 4),
    (
        "This is a tweet with general punctuation characters: "
        "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
        " ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷",
        110,
    ),
    # Not in the suite: a URL with an invalid label is text; a valid one still counts 23.
    (f"Long url: https://{LONG_LABEL}.com/foo https://validurl.com", 10 + 8 + 160 + 8 + 1 + 23),
]


@pytest.mark.parametrize("text, expected", CONFORMANCE, ids=[t[:24] for t, _ in CONFORMANCE])
def test_weighted_length_matches_twitter_text(text, expected):
    assert weighted_length(text) == expected


def test_flags_and_keycaps_count_as_one_emoji():
    assert weighted_length("🇬🇧 1️⃣") == 2 + 1 + 2


def test_trailing_punctuation_is_not_part_of_a_url():
    assert weighted_length("See https://hollysbakery.co.uk/cakes.") == 4 + 23 + 1


def test_bare_domain_longer_than_a_link_counts_at_least_its_length():
    # X counts a bare domain as 23 only when its top-level domain is on X's list; counting
    # the longer of the two never under-counts.
    domain = "hollysbakery-and-tearooms.co.uk"
    assert weighted_length(domain) == len(domain)


def test_line_endings_count_once():
    assert weighted_length("a\r\nb") == weighted_length("a\nb") == 3


def test_fits_allows_1_to_280():
    assert fits("x" * 280) and not fits("x" * 281) and not fits("")
    assert fits("ありがとう" * 28) and not fits("ありがとう" * 28 + "x")
