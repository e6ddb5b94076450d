"""Introductions: unconnected accounts that share mutual partners, scored by Adamic-Adar."""

from __future__ import annotations

import importlib
import math
import random
from itertools import combinations
from unittest import mock

import networkx as nx
import pytest
from graphs import key, mutual, support_graphs, w
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.analytics import Introduction, introductions, mutual_graph

introductions_module = importlib.import_module("retweetring.analytics.introductions")


def brute_force(G: nx.DiGraph, k: int) -> dict[frozenset, tuple[set, float]]:
    """Introductions straight from the definition: pair -> (via, score)."""
    partners = {
        x: {y for y in G if y != x and w(G, x, y) >= k and w(G, y, x) >= k} for x in G
    }
    found = {}
    for a, c in combinations(G, 2):
        via = partners[a] & partners[c]
        if w(G, a, c) == 0 and w(G, c, a) == 0 and via:
            score = sum(1 / math.log(len(partners[b])) for b in via)
            found[frozenset((a, c))] = (via, score)
    return found


def test_accounts_sharing_a_mutual_partner_can_be_introduced() -> None:
    assert introductions(mutual((1, 2), (2, 3))) == [
        Introduction(1, 3, via=(2,), score=1 / math.log(2))
    ]


def test_introduction_requires_no_support_either_way() -> None:
    G = mutual((1, 2), (2, 3))
    G.add_edge(3, 1, weight=1)
    assert introductions(G) == []
    # even support below the threshold means they already know each other
    H = mutual((1, 2), (2, 3))
    nx.set_edge_attributes(H, 2, "weight")
    H.add_edge(1, 3, weight=1)
    assert introductions(H, min_support=2) == []


def test_introduction_requires_mutual_partner_at_threshold() -> None:
    G = mutual((1, 2), (2, 3))
    G.edges[2, 3]["weight"] = 2
    G.edges[1, 2]["weight"] = 2
    G.edges[2, 1]["weight"] = 2
    assert introductions(G, min_support=2) == []
    assert [(i.a, i.b) for i in introductions(G)] == [(1, 3)]


def test_one_sided_support_gives_no_introduction() -> None:
    assert introductions(nx.DiGraph([(1, 2), (3, 2)])) == []


def test_introduction_via_lists_every_shared_partner() -> None:
    G = mutual((1, 2), (2, 3), (1, 4), (4, 3), (1, 5), (5, 3), (5, 6))
    G.nodes[5]["username"] = "0five"
    (found,) = [i for i in introductions(G) if (i.a, i.b) == (1, 3)]
    assert found.via == (5, 2, 4)
    assert found.score == pytest.approx(2 / math.log(2) + 1 / math.log(3))


def test_pair_is_ordered_by_label() -> None:
    G = mutual((1, 2), (2, 3))
    G.nodes[1]["username"] = "zed"
    assert [(i.a, i.b) for i in introductions(G)] == [(3, 1)]


def test_adamic_adar_score_matches_networkx() -> None:
    G = nx.gnp_random_graph(40, 0.3, seed=7, directed=True)
    found = introductions(G)
    assert len(found) > 50
    assert any(len(i.via) > 1 for i in found)
    pairs = [(i.a, i.b) for i in found]
    expected = {(a, b): score for a, b, score in nx.adamic_adar_index(mutual_graph(G), pairs)}
    assert all(i.score == pytest.approx(expected[i.a, i.b]) for i in found)


def test_introductions_sorted_by_score_then_label() -> None:
    # 1 and 3 share two partners; 4 and 6 share one partner, as do 6 and 8
    G = mutual((1, 2), (2, 3), (1, 9), (9, 3), (4, 5), (5, 6), (6, 7), (7, 8))
    found = introductions(G)
    assert [(i.a, i.b) for i in found] == [(1, 3), (2, 9), (4, 6), (5, 7), (6, 8)]
    assert [i.score for i in found] == sorted((i.score for i in found), reverse=True)


def test_top_keeps_the_best_pairs() -> None:
    G = mutual((1, 2), (2, 3), (1, 9), (9, 3), (4, 5), (5, 6), (6, 7), (7, 8))
    assert introductions(G, top=3) == introductions(G)[:3]
    assert introductions(G, top=0) == []
    assert introductions(G, top=100) == introductions(G)


def test_account_limits_to_pairs_containing_it() -> None:
    G = mutual((1, 2), (2, 3), (3, 4))
    assert [(i.a, i.b) for i in introductions(G, account=4)] == [(2, 4)]
    assert introductions(G, account=99) == []


def test_negative_top_is_rejected() -> None:
    with pytest.raises(ValueError, match="top"):
        introductions(mutual((1, 2)), top=-1)


@settings(deadline=None)
@given(G=support_graphs(max_accounts=8), k=st.integers(1, 2))
def test_introductions_match_definition(G: nx.DiGraph, k: int) -> None:
    found = introductions(G, min_support=k)
    expected = brute_force(G, k)
    assert {frozenset((i.a, i.b)): set(i.via) for i in found} == {
        pair: via for pair, (via, _) in expected.items()
    }
    for i in found:
        assert i.score == pytest.approx(expected[frozenset((i.a, i.b))][1])
        assert key(G, i.a) < key(G, i.b)
        assert list(i.via) == sorted(i.via, key=lambda n: key(G, n))
    order = [(-i.score, key(G, i.a), key(G, i.b)) for i in found]
    assert order == sorted(order)


@settings(deadline=None)
@given(G=support_graphs(max_accounts=8), k=st.integers(1, 2), top=st.none() | st.integers(0, 3))
def test_introductions_for_account_equal_filtered_full_result(
    G: nx.DiGraph, k: int, top: int | None
) -> None:
    full = introductions(G, min_support=k)
    for account in G:
        expected = [i for i in full if account in (i.a, i.b)][:top]
        assert introductions(G, min_support=k, account=account, top=top) == expected


@settings(deadline=None)
@given(G=support_graphs(max_accounts=8), top=st.integers(1, 6), block_work=st.integers(1, 30))
def test_sparse_path_agrees_with_python_path(G: nx.DiGraph, top: int, block_work: int) -> None:
    pytest.importorskip("scipy", reason="the sparse path needs scipy")
    expected = introductions(G)[:top]
    with (
        mock.patch.object(introductions_module, "_SPARSE_MIN_WORK", 0),
        mock.patch.object(introductions_module, "_BLOCK_WORK", block_work),
    ):
        assert introductions(G, top=top) == expected


@pytest.mark.parametrize("top", [1, 10, 200, 100_000])
def test_sparse_path_agrees_with_python_path_on_a_larger_graph(top: int) -> None:
    pytest.importorskip("scipy", reason="the sparse path needs scipy")
    rng = random.Random(11)
    G = nx.DiGraph()
    for _ in range(1500):
        x, y = rng.randrange(300), int(rng.paretovariate(1.2)) % 300
        if x != y:
            G.add_edge(x, y, weight=rng.randint(1, 3))
            if rng.random() < 0.5:
                G.add_edge(y, x, weight=rng.randint(1, 3))
    with mock.patch.object(introductions_module, "_SPARSE_MIN_WORK", float("inf")):
        expected = introductions(G, min_support=1, top=top)
    results = []
    real_top_sparse = introductions_module._top_sparse

    def sparse(*args, **kwargs):
        results.append(real_top_sparse(*args, **kwargs))
        return results[-1]

    with (
        mock.patch.object(introductions_module, "_SPARSE_MIN_WORK", 0),
        mock.patch.object(introductions_module, "_BLOCK_WORK", 2_000),
        mock.patch.object(introductions_module, "_top_sparse", sparse),
    ):
        assert introductions(G, min_support=1, top=top) == expected
    assert len(results) == 1 and results[0] is not None, "the sparse path did not run"
    assert expected == introductions(G)[:top]
