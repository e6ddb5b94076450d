"""The community map from SQL arrays (analytics.weights) equals the one from the whole graph.

The arrays path builds a networkx graph of the drawn accounts only, with the whole graph's
kept support, ranking and communities computed from arrays: the annotated subgraph, the
result and the PNG itself must be those of :func:`community_map` on the whole graph.
"""

from __future__ import annotations

import networkx as nx
import pytest
from graphs import random_support_graph, support_graphs
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.analytics import weights
from retweetring.analytics.annotate import KeptSupport, annotated_subgraph
from retweetring.analytics.labels import sort_key
from retweetring.reports import summary
from retweetring.reports.maps import community_map
from retweetring.reports.maps.community import most_connected_of


def weights_of(G: nx.DiGraph) -> weights.SupportWeights:
    return weights.SupportWeights.of(
        G.edges(data="weight", default=1),
        lambda node: sort_key(G, node),
        lambda node: summary.username(G, node),
        lambda node: G.nodes[node].get("name"),
    )


def without_isolates(G: nx.DiGraph) -> nx.DiGraph:
    """The support graph as the database gives it: accounts with an edge, no self-loop, and
    ``username`` and ``name`` for the accounts with a stored row (here: with a username)."""
    H = G.copy()
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    for node in H:
        if "username" in H.nodes[node]:
            H.nodes[node]["name"] = ""
    return H


def assert_same_subgraph(G: nx.DiGraph, k: int, top: int | None) -> None:
    sw = weights_of(G)
    inputs = weights.map_inputs(sw, k)
    kept = KeptSupport.of(G, k)
    assert inputs.kept == kept
    ranked = most_connected_of(G, kept, None)
    assert inputs.ranked == ranked
    keep = ranked if top is None else ranked[:top]
    old = annotated_subgraph(G, keep, kept)
    new = annotated_subgraph(inputs.subgraph(sw, keep), keep, inputs.kept, group=inputs.group)
    assert list(new.nodes(data=True)) == list(old.nodes(data=True))
    assert list(new.edges(data=True)) == list(old.edges(data=True))
    assert new.graph == old.graph


@settings(max_examples=150, deadline=None)
@given(support_graphs(max_accounts=8), st.integers(1, 3), st.none() | st.integers(1, 6))
def test_map_subgraph_from_arrays_equals_the_whole_graph_one(G, k, top):
    assert_same_subgraph(without_isolates(G), k, top)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("top", [None, 10, 50])
def test_map_subgraph_from_arrays_equals_the_whole_graph_one_on_random_graphs(seed, top):
    G = random_support_graph(seed, n=120, m=1500)
    for node in list(G)[::3]:
        G.nodes[node]["username"] = f"user{node % 7}"
    assert_same_subgraph(without_isolates(G), 1 + seed % 2, top)


def test_map_from_arrays_draws_the_same_png_and_result(tmp_path):
    G = random_support_graph(5, n=150, m=1500)
    old = community_map(G, tmp_path / "old.png", top=60, size=(800, 600))
    new = community_map(weights_of(G), tmp_path / "new.png", top=60, size=(800, 600))
    assert new.as_dict() | {"path": ""} == old.as_dict() | {"path": ""}
    assert new.left_out > 0 and new.communities > 1
    assert (tmp_path / "new.png").read_bytes() == (tmp_path / "old.png").read_bytes()
