"""Properties of the shortcuts that make retweetring.promo fast.

The classifier skips regex searches that cannot match (a phrase can only start at one of a
few words; a pattern's match must contain certain strings), skips Unicode normalisation for
ASCII text, and caches what it works out about URLs and names. Each shortcut must leave every
result exactly as the plain searches would give it; these tests try to catch one that does not.
(benchmarks/bench_promo.py also compares every result with the version before the shortcuts.)
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring import promo
from retweetring.promo import DEFAULT_RULES, PromoRules, classify, load_rules

AWKWARD = Path(__file__).parent / "data" / "awkward_promo_rules.toml"


@functools.cache
def _awkward_rules() -> PromoRules:
    return load_rules(AWKWARD)


def _entries(rules: PromoRules) -> list[str]:
    return sorted({e for cue in rules.text_cues for e in (*cue.phrases, *cue.imperatives)})


NOISE = [
    "£12", "$3.50", "€5 each", "20% off", "code XMAS20", "#sale", "3pm-5pm", "open 9-5",
    "mon 10am", "in all our shops", "looking for a barista", "🍞", "✨", "—", "–", "...", "!",
    "?", ":", ",", "&", "'", "’", "-", "@hollys_bakery", "#ff", "the", "so", "now", "we",
    "book", "order", "café", "İstanbul", "ı", "ſale", "Kelvin", "Kelvin", "xxx", "corks",
    "pop", "dogs", "dogsled", "don", "dont", "ab12", "gift cards", "wrapped", "\n", "  ", "_",
    "https://t.co/x1", "ﬁzz", "１０％ ｏｆｆ",
]  # fmt: skip


def _decorated(text: str, style: int) -> str:
    """Return ``text`` in one of several casings, apostrophes and spacings."""
    if style == 1:
        return text.upper()
    if style == 2:
        return text.title()
    if style == 3:
        return text.replace("'", "\u2019").replace(" ", "-")
    if style == 4:
        return text.replace("'", "").replace(" ", "  ")
    return text


@st.composite
def tweet_texts(draw: st.DrawFn, rules: PromoRules = DEFAULT_RULES) -> str:
    """Texts made of a rule set's own phrases, noise and random characters."""
    pieces = st.one_of(
        st.sampled_from(_entries(rules)),
        st.sampled_from(NOISE),
        st.text(max_size=4),
    )
    parts = draw(st.lists(st.tuples(pieces, st.integers(0, 4)), max_size=10))
    gaps = st.sampled_from(["", " ", ". ", ", ", "! ", "-"])
    return "".join(draw(gaps) + _decorated(part, style) for part, style in parts)


RULE_SETS = [
    pytest.param(lambda: DEFAULT_RULES, id="default"),
    pytest.param(_awkward_rules, id="awkward"),
]


# --- text cues --------------------------------------------------------------------------------


@pytest.mark.parametrize("make_rules", RULE_SETS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_phrases_are_found_wherever_the_full_regex_search_finds_them(make_rules, data) -> None:
    rules = make_rules()
    text = promo._normalise_text(data.draw(tweet_texts(rules))).lower()
    words = promo._word_starts(text, rules._heads)
    for compiled in rules._compiled:
        if compiled.literals is not None:
            expected = [(m.span(), m.lastgroup) for m in compiled.literals.finditer(text)]
            got = [(m.span(), m.lastgroup) for m in promo._literal_matches(compiled, text, words)]
            assert got == expected, (compiled.cue.name, text)


@pytest.mark.parametrize("make_rules", RULE_SETS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_patterns_are_found_wherever_the_full_regex_search_finds_them(make_rules, data) -> None:
    rules = make_rules()
    text = promo._normalise_text(data.draw(tweet_texts(rules))).lower()
    extra = promo._unusual(text, rules._hint_chars)
    for compiled in rules._compiled:
        if compiled.patterns is not None:
            expected = [(m.span(), m.group()) for m in compiled.patterns.finditer(text)]
            got = [(m.span(), m.group()) for m in promo._pattern_matches(compiled, text, extra)]
            assert got == expected, (compiled.cue.name, text)


@pytest.mark.parametrize("make_rules", RULE_SETS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_pattern_that_matches_is_never_ruled_out_by_its_hint(make_rules, data) -> None:
    rules = make_rules()
    text = promo._normalise_text(data.draw(tweet_texts(rules))).lower()
    for compiled in rules._compiled:
        if compiled.hint is None:
            continue
        passing = compiled.hint.passing(text, promo._unusual(text))
        for index, pattern in enumerate(compiled.cue.patterns):
            if re.search(pattern, text, re.IGNORECASE):
                assert passing is None or index in passing, (compiled.cue.name, pattern, text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60) | tweet_texts())
def test_words_are_the_runs_of_word_characters_that_are_heads(text: str) -> None:
    heads = frozenset().union(*(c.heads for c in DEFAULT_RULES._compiled))
    expected: dict[str, list[int]] = {}
    for match in re.finditer(r"\w+", text):
        if match.group() in heads:
            expected.setdefault(match.group(), []).append(match.start())
    assert promo._word_starts(text, DEFAULT_RULES._heads) == expected


# --- normalisation --------------------------------------------------------------------------


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=100, deadline=None)
@given(text=tweet_texts().filter(str.isascii), username=st.sampled_from(["hollys_bakery", ""]))
def test_full_width_text_is_classified_like_the_ascii_it_stands_for(
    text: str, username: str
) -> None:
    urls = ["https://hollysbakery.co.uk/shop"]
    assert classify(_full_width(text), urls, username=username) == classify(
        text, urls, username=username
    )


@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_text_is_left_as_unicode_normalisation_would_leave_it(text: str) -> None:
    import unicodedata

    assert promo._normalise_text(text) == unicodedata.normalize("NFKC", text).strip()


def test_the_spelt_out_url_regex_matches_each_letter_as_ignoring_case_would() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    classes = re.findall(r"\[(\w+)\]", promo._URL_IN_TEXT.pattern)
    assert len(classes) == 5
    for letter, spelt_out in zip("https", classes, strict=True):
        assert set(spelt_out) == set(re.findall(letter, everything, re.IGNORECASE))


@given(text=tweet_texts() | st.text(alphabet="hHtTpPsSſ:/ xé\n", max_size=40))
def test_urls_in_text_are_found_as_a_search_ignoring_case_finds_them(text: str) -> None:
    ignoring_case = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
    assert promo._all_urls(text, ()) == list(dict.fromkeys(ignoring_case.findall(text)))


# --- links and caches -------------------------------------------------------------------------

HOSTS = st.from_regex(r"(www\.)?[a-z]{1,8}(-[a-z]{1,5})?(\.[a-z]{2,6}){1,3}", fullmatch=True)


def _case_mixed(text: str, pattern: list[bool]) -> str:
    """Return ``text`` with the letters at the True places of ``pattern`` in upper case."""
    upper = pattern + [False] * len(text)
    return "".join(c.upper() if upper[i] else c for i, c in enumerate(text))


@settings(max_examples=100, deadline=None)
@given(
    host=HOSTS,
    pattern=st.lists(st.booleans(), max_size=30),
    path=st.sampled_from(["", "/", "/shop/x", "/news/y", "/a?b=c"]),
    name=st.sampled_from(["hollys_bakery", "Holly's Bakery", "bbc", "etsy", "The Deskspace"]),
)
def test_own_site_and_link_cues_ignore_the_case_of_domains(
    host: str, pattern: list[bool], path: str, name: str
) -> None:
    lower = classify("Have a look", [f"https://{host}{path}"], username=name, name=name)
    mixed = classify(
        "Have a look", [f"https://{_case_mixed(host, pattern)}{path}"], username=name, name=name
    )
    assert mixed == lower


def test_link_cue_domains_in_any_case_match_the_same_hosts(tmp_path: Path) -> None:
    upper = tmp_path / "upper.toml"
    upper.write_text('[links.shop]\ndomains = ["MyCraftMarket.Example", "WWW.STALLS.CO.UK"]\n')
    lower = tmp_path / "lower.toml"
    lower.write_text('[links.shop]\ndomains = ["mycraftmarket.example", "stalls.co.uk"]\n')
    urls = ["https://shop.MYCRAFTMARKET.example/jo", "http://www.stalls.co.uk", "https://x.co.uk"]
    result = classify("New bits", urls, rules=load_rules(upper))
    assert result == classify("New bits", urls, rules=load_rules(lower))
    assert result.reasons == (
        "link to shop: mycraftmarket.example",
        "link to shop: stalls.co.uk",
    )


TWEETS = st.tuples(
    tweet_texts(),
    st.lists(
        st.one_of(HOSTS.map(lambda h: f"https://{h}/shop"), st.sampled_from(["", "x", "http://["])),
        max_size=3,
    ),
    st.sampled_from([None, "", "hollys_bakery", "shop", "bbc"]),
    st.sampled_from([None, "Holly's Bakery 🥐", "The Shop"]),
)


@pytest.mark.parametrize("make_rules", RULE_SETS)
@settings(max_examples=40, deadline=None)
@given(tweets=st.lists(TWEETS, min_size=1, max_size=6))
def test_results_with_warm_caches_equal_results_from_cold_caches(make_rules, tweets) -> None:
    rules = make_rules()
    warm = [classify(t, u, username=n, name=m, rules=rules) for t, u, n, m in tweets]
    # the same tweets again in reverse order, with the caches full of each other's answers
    rewarmed = [classify(t, u, username=n, name=m, rules=rules) for t, u, n, m in reversed(tweets)]
    cold = []
    for text, urls, username, name in tweets:
        rules._forget()
        cold.append(classify(text, urls, username=username, name=name, rules=rules))
    assert warm == cold
    assert rewarmed[::-1] == cold


@settings(max_examples=40, deadline=None)
@given(host=HOSTS, owners=st.lists(st.sampled_from(["hollys_bakery", "bbc", "shop"]), min_size=2))
def test_own_site_answers_are_not_shared_between_authors(host: str, owners: list[str]) -> None:
    url = [f"https://{host}/"]
    seen = [classify("Look", url, username=owner) for owner in owners]
    DEFAULT_RULES._forget()
    assert seen == [classify("Look", url, username=owner) for owner in owners]


def test_results_stay_the_same_when_the_caches_are_full(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"£{n} each, 20% off {c} open 9-5 mon 10am" for n in range(5) for c in "é€–£ſ"]
    expected = [classify(text) for text in texts]
    DEFAULT_RULES._forget()
    monkeypatch.setattr(promo, "_CACHE_SIZE", 1)  # every new entry evicts the others
    assert [classify(text) for text in texts + texts[::-1]] == expected + expected[::-1]
