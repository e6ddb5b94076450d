"""The map's top accounts and their annotated subgraph, built without annotating the rest."""

from __future__ import annotations

import networkx as nx
import pytest
from graphs import random_support_graph, support_graphs
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.analytics.annotate import KeptSupport, annotated_graph, annotated_subgraph
from retweetring.reports.maps.community import most_connected, most_connected_of


def _assert_same_top(G: nx.DiGraph, k: int, top: int | None) -> None:
    A = annotated_graph(G, k)
    old_keep = most_connected(A, top)
    kept = KeptSupport.of(G, k)
    new_keep = most_connected_of(G, kept, top)
    assert new_keep == old_keep
    assert kept.accounts() == A.number_of_nodes()
    old = A.subgraph(old_keep).copy()
    new = annotated_subgraph(G, new_keep, kept)
    # the same accounts and edges with the same data; the new graph is in label order
    assert dict(new.nodes(data=True)) == dict(old.nodes(data=True))
    assert {(u, v): d for u, v, d in new.edges(data=True)} == {
        (u, v): d for u, v, d in old.edges(data=True)
    }
    assert list(new) == sorted(new, key=list(A).index)
    assert new.graph == old.graph


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("top", [None, 1, 7, 40])
def test_top_subgraph_equals_the_annotated_graphs_on_random_graphs(seed, top):
    G = random_support_graph(seed, n=60, m=300)
    for node in list(G)[::3]:
        G.nodes[node]["username"] = f"user{node % 7}"
    _assert_same_top(G, 1 + seed % 3, top)


@settings(max_examples=150, deadline=None)
@given(support_graphs(), st.integers(1, 3), st.none() | st.integers(0, 8))
def test_top_subgraph_equals_the_annotated_graphs_on_small_graphs(G, k, top):
    _assert_same_top(G, k, top)
