"""The bundled example, imported through the CLI, checked against an independent count.

The independent count reads the JSONL with the standard library and applies the definitions
with plain dicts: no normaliser, store, SQL or graph code is shared with the product. Only the
promotional classifier is shared, because it is part of the definition of support.
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from retweetring.cli.main import cli
from retweetring.promo import shipped_classifier

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"


def _independent_weights() -> dict[tuple[str, str], int]:
    users: dict[str, dict] = {}
    tweets: dict[str, dict] = {}
    retweets: dict[str, tuple[str, str]] = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        for user in page["includes"]["users"]:
            users[user["id"]] = user
        for tweet in page["data"] + page["includes"].get("tweets", []):
            kinds = {ref["type"]: ref["id"] for ref in tweet.get("referenced_tweets", [])}
            if "retweeted" in kinds:
                retweets[tweet["id"]] = (tweet["author_id"], kinds["retweeted"])
            else:
                tweets[tweet["id"]] = tweet
    originals: dict[tuple[str, str], set[str]] = defaultdict(set)
    for retweeter, original_id in retweets.values():
        original = tweets[original_id]
        author = users[original["author_id"]]
        urls = [
            u.get("expanded_url") or u["url"] for u in original.get("entities", {}).get("urls", [])
        ]
        promotional = (
            shipped_classifier()
            .classify(original["text"], urls, author["username"], author["name"], author.get("url"))
            .promotional
        )
        if retweeter != original["author_id"] and promotional:
            originals[(users[retweeter]["username"], author["username"])].add(original_id)
    return {pair: len(ids) for pair, ids in originals.items()}


@pytest.fixture(scope="module")
def example_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("e2e") / "example.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return db


def _json(db: Path, *args: str):
    result = CliRunner().invoke(cli, ["--db", str(db), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_report_matches_an_independent_count(example_db):
    weights = _independent_weights()
    report = _json(example_db, "report")
    assert report["support_events"] == sum(weights.values())
    assert report["edges"] == len(weights)
    mutual = {frozenset(p) for p in weights if (p[1], p[0]) in weights}
    assert report["mutual_pairs"] == len(mutual)
    assert report["one_sided"] == sum(1 for a, b in weights if (b, a) not in weights)


def test_mutual_pairs_match_an_independent_count(example_db):
    weights = _independent_weights()
    rows = _json(example_db, "mutual", "--min-support", "2")
    got = {(r["a"], r["b"]): (r["a_to_b"], r["b_to_a"]) for r in rows}
    expected = {
        (a, b): (weights[(a, b)], weights[(b, a)])
        for (a, b) in weights
        if (b, a) in weights and min(weights[(a, b)], weights[(b, a)]) >= 2
    }
    assert {frozenset(p) for p in got} == {frozenset(p) for p in expected}
    for (a, b), counts in got.items():
        assert counts == (weights[(a, b)], weights[(b, a)])


def test_introductions_match_an_independent_count(example_db):
    weights = _independent_weights()
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in weights:
        if (b, a) in weights:
            partners[a].add(b)
    expected = set()
    for mine in partners.values():
        for x, y in combinations(sorted(mine), 2):
            if (x, y) not in weights and (y, x) not in weights:
                expected.add(frozenset((x, y)))
    rows = _json(example_db, "introductions", "--top", "100000")
    assert {frozenset((r["a"], r["b"])) for r in rows} == expected
    assert expected, "the example should offer introductions"


def test_example_has_every_kind_of_relationship(example_db):
    report = _json(example_db, "report")
    assert report["mutual_pairs"] >= 5 and report["one_sided"] >= 5
    assert len(report["communities"]) >= 3
