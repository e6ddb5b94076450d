"""The streamed GraphML writer gives the graph networkx's own writer gives."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import networkx as nx
import pytest
from graphs import random_support_graph

from retweetring.graph import support_graph
from retweetring.reports.export import _xml_ready, export_graph, export_ready
from retweetring.store.session import create_db_engine

NAMES = ("ann", "B&b <shop>", 'q"uote', "émoji 🥐", "ctrl\x1b\x0bchars", "", "  spaced  ")


def _reference_graphml(G: nx.DiGraph, path: Path, min_support: int) -> nx.DiGraph:
    """The graph networkx.write_graphml writes for the export (the path before streaming)."""
    E = export_ready(G, min_support, window_label="a & <window>")
    _xml_ready(E)
    nx.write_graphml(E, path, encoding="utf-8")
    return nx.read_graphml(path)


def _assert_same_graphml(G: nx.DiGraph, tmp_path: Path, min_support: int = 1) -> None:
    reference = _reference_graphml(G, tmp_path / "reference.graphml", min_support)
    streamed_path = tmp_path / "streamed.graphml"
    result = export_graph(
        G, streamed_path, "graphml", min_support=min_support, window_label="a & <window>"
    )
    streamed = nx.read_graphml(streamed_path)
    assert isinstance(streamed, nx.DiGraph)
    assert list(streamed.nodes(data=True)) == list(reference.nodes(data=True))
    assert list(streamed.edges(data=True)) == list(reference.edges(data=True))
    assert streamed.graph == reference.graph
    assert (result.nodes, result.edges) == (
        reference.number_of_nodes(),
        reference.number_of_edges(),
    )


def _dressed(G: nx.DiGraph, seed: int) -> nx.DiGraph:
    """`G` with awkward usernames and names and first/last times on every edge."""
    rng = random.Random(seed)
    for node in G:
        G.nodes[node].update(username=rng.choice(NAMES) + str(node), name=rng.choice(NAMES))
    start = datetime(2026, 11, 2, 9)
    for u, v in G.edges:
        first = start + timedelta(minutes=rng.randrange(10_000))
        G.edges[u, v].update(first=first, last=first + timedelta(hours=rng.randrange(100)))
    return G


@pytest.mark.parametrize("seed", range(6))
def test_streamed_graphml_equals_networkx_graphml_on_random_graphs(seed, tmp_path):
    G = _dressed(random_support_graph(seed, n=40, m=150), seed)
    _assert_same_graphml(G, tmp_path, min_support=1 + seed % 2)


def test_streamed_graphml_equals_networkx_graphml_on_the_example(example_db, tmp_path):
    engine = create_db_engine(str(example_db), read_only=True)
    G = support_graph(engine)
    engine.dispose()
    assert G.number_of_edges() > 0
    _assert_same_graphml(G, tmp_path)
