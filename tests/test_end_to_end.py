"""The bundled example, imported through the CLI, checked against an independent count.

The independent count (``example_counts``) reads the JSONL with the standard library and applies
the definitions with plain dicts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from itertools import combinations
from pathlib import Path

import example_counts
from conftest import invoke


def _json(db: Path, *args: str):
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_report_matches_an_independent_count(example_db):
    weights = example_counts.weights()
    report = _json(example_db, "report")
    assert report["support_events"] == sum(weights.values())
    assert report["edges"] == len(weights)
    mutual = {frozenset(p) for p in weights if (p[1], p[0]) in weights}
    assert report["mutual_pairs"] == len(mutual)
    assert report["one_sided"] == sum(1 for a, b in weights if (b, a) not in weights)


def test_mutual_pairs_match_an_independent_count(example_db):
    weights = example_counts.weights()
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
    weights = example_counts.weights()
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


def test_a_window_counts_only_the_retweets_made_in_it(example_db):
    weights = example_counts.weights(datetime(2026, 10, 12), datetime(2026, 11, 9))
    assert 0 < sum(weights.values()) < sum(example_counts.weights().values())
    report = _json(example_db, "report", "--since", "2026-10-12", "--until", "2026-11-09")
    assert report["support_events"] == sum(weights.values())
    assert report["edges"] == len(weights)
    assert report["active_accounts"] == len(example_counts.accounts(weights))
    assert report["mutual_pairs"] == len(example_counts.mutual_pairs(weights))
