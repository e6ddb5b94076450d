"""The annotated support graph that maps and exports share."""

from __future__ import annotations

import networkx as nx
import pytest
from graphs import random_support_graph, weighted

from retweetring.analytics import communities, mutual_pairs
from retweetring.analytics.annotate import NO_COMMUNITY, annotated_graph


def test_edges_below_the_threshold_and_self_loops_are_left_out():
    G = weighted((1, 2, 3), (2, 1, 1), (3, 3, 5), (4, 1, 2))
    A = annotated_graph(G, min_support=2)
    assert sorted(A.edges) == [(1, 2), (4, 1)]
    assert sorted(A.nodes) == [1, 2, 4]


def test_mutual_marks_both_directions_of_a_mutual_pair_only():
    G = weighted((1, 2, 1), (2, 1, 2), (1, 3, 1))
    A = annotated_graph(G)
    assert dict(((u, v), m) for u, v, m in A.edges(data="mutual")) == {
        (1, 2): True,
        (2, 1): True,
        (1, 3): False,
    }


def test_given_and_received_are_sums_of_the_kept_weights():
    G = weighted((1, 2, 3), (2, 1, 1), (3, 1, 2), (1, 3, 1))
    A = annotated_graph(G, min_support=2)
    assert (A.nodes[1]["given"], A.nodes[1]["received"]) == (3, 2)
    assert (A.nodes[3]["given"], A.nodes[3]["received"]) == (2, 0)


def test_communities_match_the_communities_function_and_loners_get_minus_one():
    G = random_support_graph(seed=3)
    A = annotated_graph(G)
    groups = communities(G)
    for index, group in enumerate(groups):
        assert {A.nodes[n]["community"] for n in group} == {index}
    in_a_group = {n for group in groups for n in group}
    assert all(A.nodes[n]["community"] == NO_COMMUNITY for n in A if n not in in_a_group)


def test_mutual_edges_agree_with_mutual_pairs_on_random_graphs():
    for seed in range(5):
        G = random_support_graph(seed)
        for k in (1, 2):
            A = annotated_graph(G, k)
            marked = {frozenset((u, v)) for u, v, m in A.edges(data="mutual") if m}
            assert marked == {frozenset((p.a, p.b)) for p in mutual_pairs(G, k)}


def test_the_input_graph_is_not_changed_and_usernames_are_filled_in():
    G = weighted((1, 2, 1))
    G.nodes[1]["username"] = "ann"
    before = nx.node_link_data(G, edges="edges")
    A = annotated_graph(G)
    assert nx.node_link_data(G, edges="edges") == before
    assert A.nodes[1]["username"] == "ann" and A.nodes[2]["username"] == "2"


def test_a_bad_threshold_is_refused():
    with pytest.raises(ValueError, match="min_support"):
        annotated_graph(weighted((1, 2, 1)), min_support=0)
