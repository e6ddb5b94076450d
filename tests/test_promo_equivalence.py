"""The faster classifier decides, scores and explains every tweet exactly as the reference
(the classifier before the speed-up, read from git: see promo_reference.py)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from conftest import SHARED_FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retweetring.promo import Classifier, load_rules, shipped_classifier
from retweetring.promo.model import shipped_model

DATA = Path(__file__).parent / "data"
AWKWARD_RULES = DATA / "awkward_promo_rules.toml"


Call = tuple[str, tuple[str, ...], str | None, str | None, str | None]
"""text, urls, username, name, site."""


def _hand_written_calls() -> Iterator[Call]:
    with (DATA / "promo_labelled.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["text"], tuple(row["urls"].split()), row["username"], None, None


def _real_calls() -> Iterator[Call]:
    """The real tweets of ``../shared`` (none when it is absent)."""
    real = SHARED_FIXTURES / "promo" / "real_sme_tweets.tsv"
    if real.exists():
        with real.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                yield row["text"], (), "hollys_bakery", "Holly's Bakery", "https://hollys.example"


def _labelled_calls() -> Iterator[Call]:
    yield from _hand_written_calls()
    yield from _real_calls()


def _assert_same(new: Classifier, old: object, call: Call) -> None:
    text, urls, username, name, site = call
    expected = old.classify(text, urls, username, name, site)  # type: ignore[attr-defined]
    assert new.classify(text, urls, username, name, site) == expected, call


def test_hand_written_tweets_get_the_reference_results(promo_reference: ModuleType) -> None:
    new, old = shipped_classifier(), promo_reference.shipped_classifier()
    calls = list(_hand_written_calls())
    assert len(calls) >= 150
    for call in calls:
        _assert_same(new, old, call)


def test_real_tweets_get_the_reference_results(
    promo_reference: ModuleType, shared_fixtures: Path
) -> None:
    new, old = shipped_classifier(), promo_reference.shipped_classifier()
    calls = list(_real_calls())
    assert len(calls) > 800
    for call in calls:
        _assert_same(new, old, call)


def test_classify_many_gives_what_classify_gives_tweet_by_tweet() -> None:
    calls = list(_labelled_calls())
    for rules in (None, load_rules(AWKWARD_RULES)):
        clf = shipped_classifier() if rules is None else Classifier(shipped_model(), rules)
        many = clf.classify_many(calls)
        assert many == [clf.classify(*call) for call in calls]
    assert any(r.promotional for r in many) and not all(r.promotional for r in many)
    assert clf.classify_many([]) == []


def test_awkward_rules_give_the_reference_results(promo_reference: ModuleType) -> None:
    rules = load_rules(AWKWARD_RULES)
    new = Classifier(shipped_model(), rules)
    old = promo_reference.Classifier(shipped_model(), rules)
    for call in _labelled_calls():
        _assert_same(new, old, call)


_PIECES = st.sampled_from(
    [
        "20% off",
        "£12.50",
        "$5",
        "€3,99 each",
        "only £9",
        "call 0161 496 0000",
        "+44 7700 900123",
        "hello@holly.example",
        "https://hollys.example/menu",
        "https://t.co/AbC123",
        "www.etsy.com/shop/holly",
        "https://amzn.to/x",
        "#shoplocal",
        "#SmallBizHour",
        "@bea",
        "@",
        "🎉",
        "😍🔥",
        "’",
        "we’re open",
        "come in",
        "try our",
        "new menu",
        "today",
        "Sat 10am-4pm",
        "9.30am",
        "3rd",
        "2 for 1",
        "book now",
        "order",
        "so",
        "and",
        "?",
        "!",
        "...",
        "…",
        "&amp;",
        "ſale",
        "ı",
        "ＳＡＬＥ",
        "Need a website?",
        "we have slots",
        "looking for a barista",
        "prices from",
        "at our shop",
        "free delivery",
        "ends sunday",
        "code SAVE20",
        "in all our stores",
        # mentions, tags and digit phrases as the faster tokenising and gates see them
        "@bea99's",
        "x@bea",
        "@@bea",
        "#@bea",
        "hi@holly.example",
        "##smallbizhour",
        "#0hour",
        "#hour",
        "#a&hour!",
        "#SmallBizHours",
        "2 for 1",
        "3 for 2",
        "241",
        "2-4-1",
        "2 - 4 - 1",
        "for 1",
        "07700 900 123",
        "10:30am",
        "£",
        "quid",
        "up to 50%",
        "meal deal",
        "first 10 customers",
        "ends fri",
        "open 9-5",
        "mon 10am",
    ]
)
_TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=14).map(" ".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXTS,
    urls=st.lists(
        st.sampled_from(
            ["https://hollys.example/x", "https://www.etsy.com/listing/1", "https://bbc.co.uk/n"]
        ),
        max_size=3,
    ),
    username=st.sampled_from([None, "hollys_bakery", "bea"]),
    site=st.sampled_from([None, "https://hollys.example", "http://www.etsy.com/shop/a"]),
)
def test_generated_tweets_get_the_reference_results(
    promo_reference: ModuleType, text: str, urls: list[str], username: str | None, site: str | None
) -> None:
    new, old = shipped_classifier(), promo_reference.shipped_classifier()
    _assert_same(new, old, (text, tuple(urls), username, "Holly's Bakery", site))


_AUTHORS = [
    (None, None, None),
    ("hollys_bakery", "Holly's Bakery", "https://hollys.example"),
    ("bea", "Bea", "http://www.etsy.com/shop/a"),
]


def _assert_alone_is_classify(clf: Classifier, text: str, urls: tuple[str, ...]) -> bool:
    """Check ``classify_alone`` against ``classify`` with each author; whether it decided."""
    alone = clf.classify_alone(text, urls)
    if alone is not None:
        for username, name, site in _AUTHORS:
            assert alone == clf.classify(text, urls, username, name, site), (text, urls)
    return alone is not None


def test_a_tweet_linking_to_no_site_is_decided_alone_as_with_any_author() -> None:
    calls = list(_labelled_calls())
    for rules in (None, load_rules(AWKWARD_RULES)):
        clf = shipped_classifier() if rules is None else Classifier(shipped_model(), rules)
        decided = [_assert_alone_is_classify(clf, text, urls) for text, urls, *_ in calls]
        assert any(decided) and not all(decided)
    clf = shipped_classifier()
    assert clf.classify_alone("Fresh bread at https://hollys.example today") is None
    assert clf.classify_alone("New stock", ["https://www.etsy.com/listing/1"]) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXTS,
    urls=st.lists(st.sampled_from(["https://hollys.example/x", "https://t.co/AbC123"]), max_size=2),
)
def test_generated_tweets_decided_alone_are_decided_so_with_any_author(
    text: str, urls: list[str]
) -> None:
    _assert_alone_is_classify(shipped_classifier(), text, tuple(urls))


def test_a_pickled_classifier_decides_and_is_versioned_as_the_original() -> None:
    import pickle

    calls = list(_labelled_calls())
    for clf in (shipped_classifier(), Classifier(shipped_model(), load_rules(AWKWARD_RULES))):
        copy = pickle.loads(pickle.dumps(clf))
        assert copy.version == clf.version and copy.rules == clf.rules
        assert copy.classify_many(calls) == clf.classify_many(calls)
