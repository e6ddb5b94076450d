"""``tweets review``: which uncertain decisions to look at first, and answering about them.

Scores are set by hand on imported tweets; the classifier (threshold 0.5) is the test's own.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fake_classifier import MarkerClassifier

import retweetring.cli.tweets
import retweetring.promo
from retweetring.store.queries import review_tweets

# name: (score, override, accounts other than the author that retweet it)
TWEETS = {
    "a": (0.45, None, ["florist", "cafe", "deli"]),
    "b": (0.60, None, ["florist", "cafe", "deli"]),
    "k": (0.40, None, ["florist", "cafe"]),
    "c": (0.50, None, ["florist"]),
    "i": (0.55, None, ["cafe"]),
    "j": (0.55, None, ["deli"]),
    "d": (0.30, None, ["florist"]),  # exactly at the margin: listed
    "e": (0.29, None, ["florist", "cafe", "deli", "mill"]),  # just outside
    "f": (0.71, None, ["florist"]),  # just outside
    "g": (0.52, None, []),  # only its author retweeted it
    "h": (0.48, True, ["florist", "cafe"]),  # has an override
}
ORDER = ["a", "b", "k", "c", "i", "j", "d"]
"""Most retweeted first; then closest to 0.5 (a before b, c before i); then id (i before j)."""


@pytest.fixture(autouse=True)
def classifier(monkeypatch) -> MarkerClassifier:
    fake = MarkerClassifier()
    monkeypatch.setattr(retweetring.promo, "load_classifier", lambda db, rules=None: fake)
    return fake


@pytest.fixture
def terminal(monkeypatch) -> None:
    """Make ``tweets review`` believe it runs on a terminal."""
    monkeypatch.setattr(retweetring.cli.tweets, "_interactive", lambda: True)


@pytest.fixture
def scored(community, tmp_path, run, db_path) -> dict[str, int]:
    """The tweets of ``TWEETS`` by @bakery, stored with those scores; returns their ids."""
    ids = {name: community.post("bakery", f"tweet {name}") for name in TWEETS}
    community.retweet("bakery", ids["g"])
    community.retweet("bakery", ids["a"])  # the author's own retweet never counts
    community.retweet("florist", ids["a"])  # nor does a second retweet by the same account
    for name, (_, _, retweeters) in TWEETS.items():
        for who in retweeters:
            community.retweet(who, ids[name])
    assert run("import", str(community.write(tmp_path / "scored.jsonl"))).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        for name, (score, override, _) in TWEETS.items():
            conn.execute(
                "UPDATE tweets SET promo_score = ?, is_promotional = ?, promo_override = ?, "
                "promo_reason = ?, promo_model = 'test-2' WHERE id = ?",
                (score, score >= 0.5, override, f"reason {name}", int(ids[name])),
            )
    return {name: int(tweet_id) for name, tweet_id in ids.items()}


def _overrides(db_path: Path) -> dict[int, bool | None]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("SELECT id, promo_override FROM tweets"))


def test_review_lists_retweeted_uncertain_tweets_most_retweeted_then_closest_first(engine, scored):
    rows = review_tweets(engine, 0.5, limit=None)
    assert [row.id for row in rows] == [scored[name] for name in ORDER]
    assert [row.retweets for row in rows] == [3, 3, 2, 1, 1, 1, 1]
    assert rows[0].score == 0.45 and rows[0].reasons == "reason a" and not rows[0].promotional


def test_margin_narrows_the_list_to_scores_that_close(engine, scored):
    rows = review_tweets(engine, 0.5, margin=0.05, limit=None)
    assert [row.id for row in rows] == [scored[name] for name in ["a", "c", "i", "j"]]
    assert review_tweets(engine, 0.5, margin=0, limit=None)[0].id == scored["c"]


def test_the_threshold_is_the_classifiers(run, scored, classifier):
    classifier.threshold = 0.3
    rows = json.loads(run("tweets", "review", "--margin", "0.005", "--format", "json").stdout)
    assert [row["id"] for row in rows] == [str(scored["d"])]


def test_json_lists_the_documented_fields(run, scored):
    result = run("tweets", "review", "--limit", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "id": str(scored["a"]),
            "author": "bakery",
            "retweets": 3,
            "score": 0.45,
            "promotional": False,
            "reasons": "reason a",
            "text": "tweet a",
        },
        {
            "id": str(scored["b"]),
            "author": "bakery",
            "retweets": 3,
            "score": 0.6,
            "promotional": True,
            "reasons": "reason b",
            "text": "tweet b",
        },
    ]


def test_json_mode_only_lists_even_on_a_terminal(run, db_path, scored, terminal):
    before = _overrides(db_path)
    result = run("tweets", "review", "--format", "json", input="y\ny\ny\n")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == len(ORDER)
    assert "promotional?" not in result.output
    assert _overrides(db_path) == before


def test_off_a_terminal_it_only_lists(run, db_path, scored):
    before = _overrides(db_path)
    result = run("tweets", "review", "--limit", "2", input="y\ny\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"[1/2] tweet {scored['a']} by @bakery: 3 retweets, score 0.450 (threshold 0.5), "
        "now personal\n  reasons: reason a\n  tweet a\n"
        f"[2/2] tweet {scored['b']} by @bakery: 3 retweets, score 0.600 (threshold 0.5), "
        "now promotional\n  reasons: reason b\n  tweet b\n"
    )
    assert _overrides(db_path) == before


def test_answers_are_recorded_as_overrides(run, db_path, scored, terminal):
    result = run("tweets", "review", input="y\nn\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("promotional? [y]es / [n]o / [s]kip / [q]uit:") == 4
    assert f"tweet {scored['a']}: marked promotional" in result.stdout
    assert f"tweet {scored['b']}: marked personal" in result.stdout
    assert result.stdout.endswith("1 marked promotional, 1 personal, 1 skipped\n")
    overrides = _overrides(db_path)
    assert overrides[scored["a"]] == 1 and overrides[scored["b"]] == 0
    assert overrides[scored["h"]] == 1  # set before the review
    assert [name for name, i in scored.items() if overrides[i] is not None] == ["a", "b", "h"]


def test_answered_tweets_leave_the_review(run, scored, terminal):
    run("tweets", "review", input="y\nn\nq\n")
    rows = json.loads(run("tweets", "review", "--format", "json").stdout)
    assert [row["id"] for row in rows] == [str(scored[name]) for name in ORDER[2:]]


def test_stopping_mid_way_keeps_what_was_answered(run, db_path, scored, terminal):
    result = run("tweets", "review", input="n\n")  # then end of input, as Ctrl-C would
    assert result.exit_code == 1
    assert "0 marked promotional, 1 personal, 0 skipped" in result.stdout
    assert _overrides(db_path)[scored["a"]] == 0


def test_one_retweet_is_singular(run, scored):
    rows = run("tweets", "review").stdout.splitlines()
    assert rows[9].startswith(f"[4/7] tweet {scored['c']} by @bakery: 1 retweet, score 0.500")


def test_another_answer_is_asked_again(run, db_path, scored, terminal):
    result = run("tweets", "review", "--limit", "1", input="maybe\nY\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("promotional? [y]es") == 2
    assert _overrides(db_path)[scored["a"]] == 1


def test_control_characters_are_shown_escaped_in_text_and_kept_in_json(run, db_path, scored):
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE tweets SET text = ? WHERE id = ?",
            ("Sale!\n\x1b[2J\u202eevil\tend 🥐", scored["a"]),
        )
    text = run("tweets", "review", "--limit", "1").stdout
    assert "  Sale!\\n\\x1b[2J\\u202eevil\\tend 🥐\n" in text
    assert "\x1b" not in text and "\u202e" not in text and "\t" not in text
    rows = json.loads(run("tweets", "review", "--limit", "1", "--format", "json").stdout)
    assert rows[0]["text"] == "Sale!\n\x1b[2J\u202eevil\tend 🥐"


def test_nothing_to_review_is_a_message(run, scored, classifier):
    classifier.threshold = 0.51
    result = run("tweets", "review", "--margin", "0.001")
    assert result.exit_code == 0
    assert result.stdout == (
        "No tweets to review: no retweeted tweet without an override has a score within 0.001 "
        "of the threshold 0.51.\n"
    )
