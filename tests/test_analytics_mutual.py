"""Mutual support: mutual pairs, the mutual graph, reciprocity, and label ordering."""

from __future__ import annotations

from itertools import permutations

import networkx as nx
import pytest
from graphs import key, support_graphs, w, weighted
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.analytics import (
    MutualPair,
    communities,
    introductions,
    mutual_graph,
    mutual_pairs,
    one_sided,
    reciprocity,
    top_connectors,
)


def test_pair_is_mutual_only_when_both_directions_reach_min_support() -> None:
    G = weighted((1, 2, 3), (2, 1, 1))
    assert mutual_pairs(G) == [MutualPair(1, 2, 3, 1)]
    assert mutual_pairs(G, min_support=2) == []
    assert mutual_pairs(weighted((1, 2, 2), (2, 1, 2)), min_support=2) == [MutualPair(1, 2, 2, 2)]


def test_support_in_one_direction_is_not_mutual() -> None:
    assert mutual_pairs(nx.DiGraph([(1, 2), (2, 3)])) == []


def test_missing_weight_counts_as_one() -> None:
    G = nx.DiGraph([(1, 2), (2, 1)])
    assert mutual_pairs(G) == [MutualPair(1, 2, 1, 1)]
    assert mutual_pairs(G, min_support=2) == []


def test_self_support_is_not_mutual() -> None:
    G = weighted((1, 1, 5))
    assert mutual_pairs(G) == []
    assert reciprocity(G) == 0.0


def test_mutual_pair_puts_accounts_in_label_order() -> None:
    G = weighted((1, 2, 1), (2, 1, 4))
    G.nodes[1]["username"] = "zoe"
    G.nodes[2]["username"] = "amy"
    assert mutual_pairs(G) == [MutualPair(a=2, b=1, a_to_b=4, b_to_a=1)]


def test_mutual_pairs_sorted_by_total_then_label() -> None:
    G = weighted((3, 4, 1), (4, 3, 1), (2, 1, 1), (1, 2, 1), (5, 6, 2), (6, 5, 2))
    pairs = mutual_pairs(G)
    assert [(p.a, p.b, p.total) for p in pairs] == [(5, 6, 4), (1, 2, 2), (3, 4, 2)]


def test_mutual_graph_keeps_every_account_and_both_directions() -> None:
    G = weighted((2, 1, 3), (1, 2, 1), (1, 3, 1))
    G.nodes[3]["username"] = "cy"
    H = mutual_graph(G)
    assert list(H.nodes) == [1, 2, 3]
    assert H.nodes[3] == {"username": "cy"}
    assert list(H.edges(data=True)) == [(1, 2, {"a_to_b": 1, "b_to_a": 3, "weight": 4})]
    assert H.graph["min_support"] == 1
    assert mutual_graph(G, min_support=2).number_of_edges() == 0


def test_mutual_graph_does_not_share_attributes_with_the_support_graph() -> None:
    G = nx.DiGraph([(1, 2), (2, 1)])
    G.nodes[1]["username"] = "ann"
    mutual_graph(G).nodes[1]["username"] = "changed"
    assert G.nodes[1]["username"] == "ann"


def test_reciprocity_of_empty_graph_is_zero() -> None:
    assert reciprocity(nx.DiGraph()) == 0.0


def test_reciprocity_counts_only_edges_reaching_min_support() -> None:
    G = weighted((1, 2, 2), (2, 1, 2), (1, 3, 1), (3, 1, 2))
    assert reciprocity(G) == 1.0
    # at 2: 1->2, 2->1 and 3->1 count; only {1, 2} is mutual
    assert reciprocity(G, min_support=2) == pytest.approx(2 / 3)
    assert reciprocity(G, min_support=3) == 0.0


def test_reciprocity_matches_networkx_at_threshold_one() -> None:
    G = nx.gnp_random_graph(30, 0.1, seed=3, directed=True)
    assert reciprocity(G) == pytest.approx(nx.overall_reciprocity(G))


@pytest.mark.parametrize(
    "analysis", [mutual_graph, mutual_pairs, reciprocity, one_sided, introductions, communities]
)
@pytest.mark.parametrize("min_support", [0, -1, 1.5, True, "2"])
def test_min_support_must_be_a_positive_integer(analysis, min_support) -> None:
    with pytest.raises(ValueError, match="min_support"):
        analysis(nx.DiGraph([(1, 2)]), min_support=min_support)


def test_top_connectors_min_support_must_be_a_positive_integer() -> None:
    with pytest.raises(ValueError, match="min_support"):
        top_connectors(nx.DiGraph([(1, 2)]), min_support=0)


@pytest.mark.parametrize("graph", [nx.Graph([(1, 2)]), nx.MultiDiGraph([(1, 2)])])
def test_support_graph_must_be_a_simple_digraph(graph: nx.Graph) -> None:
    with pytest.raises(nx.NetworkXNotImplemented):
        mutual_pairs(graph)


@settings(deadline=None)
@given(G=support_graphs(), k=st.integers(1, 3))
def test_mutual_pairs_match_definition(G: nx.DiGraph, k: int) -> None:
    expected = []
    for x, y in permutations(G, 2):
        if key(G, x) < key(G, y) and w(G, x, y) >= k and w(G, y, x) >= k:
            expected.append(MutualPair(x, y, w(G, x, y), w(G, y, x)))
    expected.sort(key=lambda p: (-p.total, key(G, p.a), key(G, p.b)))
    assert mutual_pairs(G, min_support=k) == expected
    H = mutual_graph(G, min_support=k)
    assert list(H) == sorted(G, key=lambda n: key(G, n))
    assert sorted(H.edges) == sorted((p.a, p.b) for p in expected)


@settings(deadline=None)
@given(G=support_graphs(), k=st.integers(1, 3))
def test_reciprocity_matches_definition(G: nx.DiGraph, k: int) -> None:
    ordered = [(x, y) for x, y in permutations(G, 2) if w(G, x, y) >= k]
    returned = [(x, y) for x, y in ordered if w(G, y, x) >= k]
    expected = len(returned) / len(ordered) if ordered else 0.0
    assert reciprocity(G, min_support=k) == pytest.approx(expected)
