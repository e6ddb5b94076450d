"""The classifier decides as the reference classifier (read from git: see promo_reference.py)
on real, hand-written and synthetic tweets, by authors with and without their own sites."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import SHARED_FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retweetring.promo import Classifier, load_rules, shipped_classifier
from retweetring.promo.model import shipped_model

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic  # noqa: E402

DATA = Path(__file__).parent / "data"

Call = tuple[str, tuple[str, ...], str | None, str | None, str | None]
"""text, urls, username, name, site."""


def _texts() -> list[tuple[str, tuple[str, ...]]]:
    """Real (when ``../shared`` is present), hand-written and synthetic texts with their URLs."""
    found: list[tuple[str, tuple[str, ...]]] = []
    real = SHARED_FIXTURES / "promo" / "real_sme_tweets.tsv"
    if real.exists():
        with real.open(encoding="utf-8", newline="") as handle:
            found += [(row["text"], ()) for row in csv.DictReader(handle, delimiter="\t")]
    with (DATA / "promo_labelled.csv").open(encoding="utf-8", newline="") as handle:
        found += [(row["text"], tuple(row["urls"].split())) for row in csv.DictReader(handle)]
    found += [(text, urls) for text, urls, *_ in synthetic.classifier_calls(60, seed=3)]
    return found


TEXTS = _texts()


def test_synthetic_tweets_get_the_reference_results(promo_reference: ModuleType) -> None:
    new, old = shipped_classifier(), promo_reference.shipped_classifier()
    calls = synthetic.classifier_calls(400, seed=3)
    assert len(calls) > 1000
    assert any(urls and site and urls[0].startswith(site) for _, urls, _, _, site in calls)
    results = new.classify_many(calls)
    assert results == [old.classify(*call) for call in calls]
    assert any("own website" in reason for r in results for reason in r.reasons)


_SITES = st.sampled_from(
    [
        None,
        "https://hollys.example",
        "https://www.hollysbakery.co.uk",
        "http://shop.bloomandbranch.com/about",
        "https://www.etsy.com/shop/holly",
    ]
)
_LINKS = st.sampled_from(
    [
        "https://hollys.example/menu",
        "https://www.hollysbakery.co.uk/bread",
        "https://bloomandbranch.com",
        "https://www.etsy.com/listing/1",
        "https://bbc.co.uk/news/1",
        "https://t.co/AbC123",
        "https://amzn.to/x",
    ]
)
_NAMES = st.one_of(
    st.none(),
    st.sampled_from(["hollys_bakery", "Holly's Bakery", "bloomandbranch", "The Tanner", "bea"]),
    st.text(max_size=15),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tweet=st.sampled_from(TEXTS),
    extra=st.lists(_LINKS, max_size=3),
    username=_NAMES,
    name=_NAMES,
    site=st.one_of(_SITES, _LINKS),
)
def test_classify_gives_the_reference_results_for_any_author(
    promo_reference: ModuleType,
    tweet: tuple[str, tuple[str, ...]],
    extra: list[str],
    username: str | None,
    name: str | None,
    site: str | None,
) -> None:
    # authors whose site is one the tweet links to, named like one, or neither
    clf = shipped_classifier()
    text, urls = tweet
    urls = (*urls, *extra)
    expected = promo_reference.shipped_classifier().classify(text, urls, username, name, site)
    assert clf.classify(text, urls, username, name, site) == expected


def test_an_author_linking_their_own_site_gets_its_cue() -> None:
    clf = shipped_classifier()
    text, urls = "Our spring menu is live", ("https://www.hollysbakery.co.uk/menu",)
    own = clf.classify(text, urls, "bea", None, "https://hollysbakery.co.uk")
    named = clf.classify(text, urls, "hollysbakery")
    stranger = clf.classify(text, urls, "bea", None, "https://bbc.co.uk")
    assert any("own website" in r for r in own.reasons)
    assert any("named like the author" in r for r in named.reasons)
    assert own.score > stranger.score and named.score > stranger.score
    assert not any("author" in r for r in stranger.reasons)


_COLLIDING_RULES = """
[links.own_website]
weight = 0.7
domains = ["etsy.com"]
[links.after_ellipsis]
weight = 0.3
domains = ["bbc.co.uk"]
[links.several]
weight = 0.2
domains = ["amzn.to"]
[links.named_like_author]
weight = 0.5
patterns = ['hollys']
"""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.sampled_from(["Fresh bread today...", "New stock… see", "Come in!", "sale"]),
    urls=st.lists(_LINKS, max_size=4),
    username=_NAMES,
    site=_SITES,
)
def test_link_cues_named_like_the_built_in_link_features_keep_the_reference_results(
    promo_reference: ModuleType,
    colliding: tuple[Classifier, object],
    text: str,
    urls: list[str],
    username: str | None,
    site: str | None,
) -> None:
    new, old = colliding
    call = (text, tuple(urls), username, "Holly's Bakery", site)
    expected = old.classify(*call)  # type: ignore[attr-defined]
    assert new.classify(*call) == expected


@pytest.fixture(scope="module")
def colliding(promo_reference: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    path = tmp_path_factory.mktemp("rules") / "colliding.toml"
    path.write_text(_COLLIDING_RULES, encoding="utf-8")
    rules = load_rules(path)
    return Classifier(shipped_model(), rules), promo_reference.Classifier(shipped_model(), rules)
