"""Tests for the promotional-tweet classifier in retweetring.promo."""

from __future__ import annotations

import csv
import dataclasses
import zlib
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retweetring.errors import ConfigError
from retweetring.promo import DEFAULT_RULES, PromoResult, PromoRules, classify, load_rules

LABELLED = Path(__file__).parent / "data" / "promo_labelled.csv"


class Labelled(NamedTuple):
    """One row of the labelled test set."""

    promo: bool
    username: str
    urls: tuple[str, ...]
    text: str
    note: str


class Confusion(NamedTuple):
    """Confusion counts and the rows the classifier got wrong."""

    tp: int
    fp: int
    fn: int
    tn: int
    wrong: list[tuple[Labelled, PromoResult]]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def report(self) -> str:
        lines = [
            f"tp={self.tp} fp={self.fp} fn={self.fn} tn={self.tn} "
            f"precision={self.precision:.3f} recall={self.recall:.3f}"
        ]
        for row, result in self.wrong:
            kind = "missed promo" if row.promo else "false alarm"
            lines.append(f"  {kind} ({result.score}, {list(result.reasons)}): {row.text}")
        return "\n".join(lines)


def _labelled() -> list[Labelled]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return [
            Labelled(
                promo=row["label"] == "promo",
                username=row["username"],
                urls=tuple(row["urls"].split()),
                text=row["text"],
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        ]


def _is_held_out(row: Labelled) -> bool:
    """About a quarter of the rows, chosen by a hash of the text, never used to tune the rules."""
    return zlib.crc32(row.text.encode("utf-8")) % 4 == 0


def _confusion(rows: list[Labelled]) -> Confusion:
    tp = fp = fn = tn = 0
    wrong: list[tuple[Labelled, PromoResult]] = []
    for row in rows:
        result = classify(row.text, row.urls, username=row.username)
        if result.promotional and row.promo:
            tp += 1
        elif result.promotional:
            fp += 1
        elif row.promo:
            fn += 1
        else:
            tn += 1
        if result.promotional != row.promo:
            wrong.append((row, result))
    return Confusion(tp, fp, fn, tn, wrong)


def _rules_file(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "my_rules.toml"
    path.write_text(content, encoding="utf-8")
    return path


def _labels(result: PromoResult) -> set[str]:
    return {reason.split(":", 1)[0] for reason in result.reasons}


# --- the labelled set -------------------------------------------------------------------------


def test_labelled_set_is_large_and_balanced() -> None:
    rows = _labelled()
    promos = sum(row.promo for row in rows)
    assert len(rows) >= 100
    assert 0.4 <= promos / len(rows) <= 0.6
    assert all(row.text.strip() and row.username for row in rows)


def test_labelled_set_is_classified_with_high_precision_and_recall() -> None:
    confusion = _confusion(_labelled())
    assert confusion.precision >= 0.9 and confusion.recall >= 0.9, confusion.report()


def test_held_out_rows_are_classified_nearly_as_well() -> None:
    confusion = _confusion([row for row in _labelled() if _is_held_out(row)])
    assert confusion.tp + confusion.fn >= 15, "held-out split too small to mean anything"
    assert confusion.precision >= 0.9 and confusion.recall >= 0.8, confusion.report()


def test_every_promotional_verdict_on_the_labelled_set_gives_reasons() -> None:
    for row in _labelled():
        result = classify(row.text, row.urls, username=row.username)
        assert not result.promotional or result.reasons, row.text


# --- individual cues ----------------------------------------------------------------------------


def test_price_counts_as_promotional() -> None:
    result = classify("Hand-thrown mugs, £18 each")
    assert result.promotional
    assert "price: £18" in result.reasons


def test_price_in_a_personal_story_is_not_enough() -> None:
    result = classify("Paid £6 for a sandwich at the station today. Six pounds!")
    assert not result.promotional
    assert "price: £6" in result.reasons


def test_offer_without_link_or_price_is_promotional() -> None:
    result = classify("20% off all candles this weekend only 🕯️")
    assert result.promotional
    assert "offer: 20% off" in result.reasons


def test_call_to_action_alone_is_promotional() -> None:
    result = classify("Boiler playing up? Call us today.")
    assert result.promotional
    assert "call to action: call us" in result.reasons


def test_reading_a_book_is_not_a_call_to_action() -> None:
    result = classify("Reading a great book on sourdough while the kids nap")
    assert "call to action" not in _labels(result)
    assert not result.promotional


@pytest.mark.parametrize(
    "text",
    [
        "Booked solid all week, not complaining!",
        "Our Facebook page got hacked again, ignore any weird posts",
        "Went shopping for my mum's birthday present",
        "I need to book a table for Friday, any tips?",
        "Finished my book club novel on the train",
        "Trying to order new business cards and the website keeps crashing",
    ],
)
def test_words_like_book_order_and_shop_in_ordinary_speech_are_not_calls_to_action(
    text: str,
) -> None:
    assert "call to action" not in _labels(classify(text))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Book now for Saturday's workshop", "call to action: book now"),
        ("Spring menu is here. Book your table 👉", "call to action: book your"),
        ("New candles in. Order yours before Friday!", "call to action: order yours"),
        ("Cakes for any occasion 🎂 DM us for prices", "call to action: dm us"),
    ],
)
def test_imperatives_at_the_start_of_a_clause_are_calls_to_action(text: str, reason: str) -> None:
    result = classify(text)
    assert reason in result.reasons
    assert result.promotional


def test_availability_and_hiring_are_reasons() -> None:
    assert "availability: back in stock" in classify("Back in stock: oat milk fudge!").reasons
    hiring = classify("We’re hiring a weekend barista, apply in store")
    assert hiring.promotional
    assert "hiring: we're hiring" in hiring.reasons


def test_curly_and_straight_apostrophes_match_the_same_phrase() -> None:
    straight = classify("We're hiring a baker")
    curly = classify("We\u2019re hiring a baker")
    assert straight == curly


def test_link_to_own_site_is_a_reason() -> None:
    result = classify(
        "Our autumn range is here",
        urls=["https://www.hollysbakery.co.uk/autumn?utm_source=x"],
        username="hollys_bakery",
    )
    assert "link to own site: hollysbakery.co.uk" in result.reasons
    assert result.promotional


@pytest.mark.parametrize(
    ("url", "username", "name"),
    [
        ("https://drip-cafe.com/menu", "dripcoffee_ldn", "The Drip Café"),
        ("https://shop.bloomandbranch.co.uk/", "bloom_and_branch", None),
        ("https://hopandhound.beer", "HopAndHoundBrew", None),
        ("https://thedeskspace.co.uk", "deskspace", None),
    ],
)
def test_own_site_is_recognised_by_username_or_display_name(
    url: str, username: str, name: str | None
) -> None:
    result = classify("Have a look", urls=[url], username=username, name=name)
    assert "link to own site" in _labels(result)


def test_link_to_someone_elses_site_is_not_own_site() -> None:
    result = classify(
        "Our new range", urls=["https://www.hopandhound.beer/shop"], username="hollys_bakery"
    )
    assert "link to own site" not in _labels(result)


def test_news_link_alone_is_not_promotional() -> None:
    result = classify(
        "Worth five minutes of your time https://t.co/abc123",
        urls=["https://www.bbc.co.uk/news/business-12345678"],
        username="hollys_bakery",
    )
    assert not result.promotional
    assert "news link: bbc.co.uk" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "#FollowFriday @hollys_bakery @bloomandbranch, two brilliant local businesses",
        "Congratulations to @castlestcheese on ten years! 🎉",
        "Huge thanks to everyone who came to the market today ❤️",
        "Happy birthday to our lovely Saturday girl Amy 🎂",
    ],
)
def test_thanks_and_congratulations_are_not_promotional(text: str) -> None:
    assert not classify(text).promotional


# --- robustness and determinism -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🐶🛁✂️✨",
        "🧘‍♀️" * 200,
        "\x00\ufffd",
        "İstanbul",
        "£" * 5000,
        "- " * 5000,
        "x" * 50000,
    ],
)
def test_empty_and_emoji_text_do_not_crash(text: str) -> None:
    result = classify(text, urls=["", "not a url", "http://[broken"], username="", name="🐶")
    assert 0.0 <= result.score <= 1.0
    assert result.promotional == (result.score >= DEFAULT_RULES.threshold)


@given(
    text=st.text(max_size=300),
    urls=st.lists(st.text(max_size=40), max_size=3),
    username=st.one_of(st.none(), st.text(max_size=20)),
)
def test_any_text_gives_a_score_between_zero_and_one(
    text: str, urls: list[str], username: str | None
) -> None:
    result = classify(text, urls, username=username)
    assert 0.0 <= result.score <= 1.0
    assert result.promotional == (result.score >= DEFAULT_RULES.threshold)
    assert all(isinstance(reason, str) and reason for reason in result.reasons)


def test_styled_unicode_letters_are_read_as_plain_text() -> None:
    result = classify("𝗙𝗟𝗔𝗦𝗛 𝗦𝗔𝗟𝗘: 𝟯𝟬% 𝗼𝗳𝗳")
    assert "offer: flash sale" in result.reasons
    assert result.promotional


def test_score_is_capped_at_one() -> None:
    result = classify(
        "FLASH SALE! 50% off, free delivery, from £5. Order now, link in bio. Back in stock!"
    )
    assert result.score == 1.0


def test_classification_is_deterministic() -> None:
    text = "New collection just landed 🌷 Shop now, 10% off with code BLOOM10"
    rebuilt = dataclasses.replace(DEFAULT_RULES)
    assert rebuilt == DEFAULT_RULES
    assert classify(text) == classify(text) == classify(text, rules=rebuilt)


def test_default_rules_come_from_the_packaged_file() -> None:
    names = {cue.name for cue in DEFAULT_RULES.text_cues}
    assert {"call_to_action", "offer", "price", "availability", "hiring"} <= names
    assert 0.0 < DEFAULT_RULES.threshold <= 1.0
    assert isinstance(DEFAULT_RULES, PromoRules)


# --- user rules files ---------------------------------------------------------------------------


def test_custom_rules_file_adds_keywords(tmp_path: Path) -> None:
    path = _rules_file(tmp_path, '[cues.offer]\nphrases = ["mates rates"]\n')
    rules = load_rules(path)
    result = classify("Mates rates for regulars all week", rules=rules)
    assert result.promotional
    assert "offer: mates rates" in result.reasons
    assert "offer: half price" in classify("Half price scones", rules=rules).reasons


def test_custom_rules_file_can_replace_lists_and_threshold(tmp_path: Path) -> None:
    path = _rules_file(
        tmp_path, 'threshold = 0.9\n[cues.offer]\nphrases = ["mates rates"]\nreplace = true\n'
    )
    rules = load_rules(path)
    assert rules.threshold == 0.9
    assert "offer" not in _labels(classify("Half price scones", rules=rules))


def test_custom_rules_file_can_add_a_new_cue_and_a_link_domain(tmp_path: Path) -> None:
    path = _rules_file(
        tmp_path,
        "[cues.seasonal]\n"
        'label = "seasonal"\n'
        "weight = 0.5\n"
        "patterns = ['\\bpumpkin spice\\b']\n"
        "[links.shop]\n"
        'domains = ["mycraftmarket.example"]\n',
    )
    rules = load_rules(path)
    assert classify("Pumpkin spice season!", rules=rules).reasons == ("seasonal: pumpkin spice",)
    linked = classify("New bits", urls=["https://mycraftmarket.example/jo"], rules=rules)
    assert "link to shop: mycraftmarket.example" in linked.reasons


def test_zero_weight_switches_a_cue_off(tmp_path: Path) -> None:
    rules = load_rules(_rules_file(tmp_path, "[cues.price]\nweight = 0\n"))
    assert "price" not in _labels(classify("Mugs £18 each", rules=rules))


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("threshold = [", "invalid TOML"),
        ('threshold = "high"', "threshold"),
        ("threshold = 2", "threshold"),
        ('[cues.offer]\nphrases = "mates rates"', "cues.offer.phrases"),
        ('[cues.offer]\nweight = "lots"', "cues.offer.weight"),
        ("[cues.offer]\npatterns = ['(unclosed']", "cues.offer.patterns"),
        ("[cues.brand_new]\nphrases = ['x']", "cues.brand_new.weight"),
        ("colour = 'red'", "colour"),
        ("[links.shop]\nimperatives = ['buy']", "links.shop.imperatives"),
    ],
)
def test_invalid_rules_file_names_the_file(tmp_path: Path, content: str, key: str) -> None:
    path = _rules_file(tmp_path, content)
    with pytest.raises(ConfigError) as raised:
        load_rules(path)
    message = str(raised.value)
    assert str(path) in message
    assert key in message
    assert "\n" not in message


def test_missing_rules_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match="nowhere.toml"):
        load_rules(path)
