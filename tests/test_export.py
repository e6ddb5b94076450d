"""Exports: GraphML and GEXF round-trip through networkx; CSV and JSON hold the same graph."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import networkx as nx
import pytest
from graphs import weighted

from retweetring.reports.export import csv_paths, export_graph, export_ready


@pytest.fixture
def graph() -> nx.DiGraph:
    """a<->b mutual (3 and 1), c->a once; d->d a self-loop; names with markup and emoji."""
    G = weighted((1, 2, 3), (2, 1, 1), (3, 1, 1), (4, 4, 2))
    names = {1: ("ann_shop", "Ann's <Shop> & Co 🥐"), 2: ("bob", "Bob $5"), 3: ("cy", "")}
    for node, (username, name) in names.items():
        G.nodes[node].update(username=username, name=name)
    G.nodes[4].update(username="dee", name="Dee")
    for u, v in G.edges:
        G.edges[u, v]["first"] = datetime(2026, 11, 2, 9, u, v)
        G.edges[u, v]["last"] = datetime(2026, 11, 9, 18, u, v)
    return G


EXPECTED_NODES = {
    "1": {"username": "ann_shop", "name": "Ann's <Shop> & Co 🥐", "community": 0, "given": 3,
          "received": 2},
    "2": {"username": "bob", "name": "Bob $5", "community": 0, "given": 1, "received": 3},
    "3": {"username": "cy", "name": "", "community": -1, "given": 1, "received": 0},
}  # fmt: skip
EXPECTED_EDGES = {
    ("1", "2"): {"weight": 3, "mutual": True, "first": "2026-11-02T09:01:02+00:00",
                 "last": "2026-11-09T18:01:02+00:00"},
    ("2", "1"): {"weight": 1, "mutual": True, "first": "2026-11-02T09:02:01+00:00",
                 "last": "2026-11-09T18:02:01+00:00"},
    ("3", "1"): {"weight": 1, "mutual": False, "first": "2026-11-02T09:03:01+00:00",
                 "last": "2026-11-09T18:03:01+00:00"},
}  # fmt: skip


def test_export_ready_holds_the_annotated_graph_with_string_ids_and_iso_times(graph):
    E = export_ready(graph)
    assert dict(E.nodes(data=True)) == EXPECTED_NODES
    assert {(u, v): d for u, v, d in E.edges(data=True)} == EXPECTED_EDGES
    assert E.graph == {"window": "all time", "min_support": 1}


def test_graphml_round_trips_through_networkx_with_attributes_intact(graph, tmp_path):
    path = tmp_path / "g.graphml"
    result = export_graph(graph, path, "graphml", window_label="2026-11-01 to now")
    back = nx.read_graphml(path)
    assert isinstance(back, nx.DiGraph)
    assert {n: {k: v for k, v in d.items() if k != "label"} for n, d in back.nodes(data=True)} == (
        EXPECTED_NODES
    )
    assert all(back.nodes[n]["label"] == EXPECTED_NODES[n]["username"] for n in back)
    assert {(u, v): d for u, v, d in back.edges(data=True)} == EXPECTED_EDGES
    assert back.graph["window"] == "2026-11-01 to now"
    assert (result.nodes, result.edges, result.mutual_pairs) == (3, 3, 1)


def test_gexf_round_trips_through_networkx_with_attributes_intact(graph, tmp_path):
    path = tmp_path / "g.gexf"
    export_graph(graph, path, "gexf")
    back = nx.read_gexf(path)
    assert isinstance(back, nx.DiGraph)
    for node, expected in EXPECTED_NODES.items():
        assert {k: back.nodes[node][k] for k in expected} == expected
        assert back.nodes[node]["label"] == expected["username"]  # what Gephi shows
    for (u, v), expected in EXPECTED_EDGES.items():
        data = back.edges[u, v]
        assert {k: data[k] for k in expected} == expected  # GEXF weights are floats: 3.0 == 3
    assert back.number_of_edges() == len(EXPECTED_EDGES)


def test_json_is_networkx_node_link_data(graph, tmp_path):
    path = tmp_path / "g.json"
    export_graph(graph, path, "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"directed", "nodes", "edges"} and data["directed"] is True
    back = nx.node_link_graph(data, edges="edges")
    assert dict(back.nodes(data=True)) == EXPECTED_NODES
    assert {(u, v): d for u, v, d in back.edges(data=True)} == EXPECTED_EDGES


def test_csv_writes_a_nodes_file_and_an_edges_file(graph, tmp_path):
    result = export_graph(graph, tmp_path / "saltby.csv", "csv")
    nodes_path, edges_path = csv_paths(tmp_path / "saltby.csv")
    assert result.paths == (nodes_path, edges_path)
    assert (nodes_path.name, edges_path.name) == ("saltby-nodes.csv", "saltby-edges.csv")
    with nodes_path.open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    assert {row["id"]: {k: v for k, v in row.items() if k != "id"} for row in nodes} == {
        node: {k: str(v) for k, v in attrs.items()} for node, attrs in EXPECTED_NODES.items()
    }
    with edges_path.open(encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert [(e["source_username"], e["target_username"]) for e in edges] == [
        ("ann_shop", "bob"),
        ("bob", "ann_shop"),
        ("cy", "ann_shop"),
    ]
    for row in edges:
        expected = EXPECTED_EDGES[row["source"], row["target"]]
        assert int(row["weight"]) == expected["weight"]
        assert row["mutual"] == str(expected["mutual"]).lower()
        assert (row["first"], row["last"]) == (expected["first"], expected["last"])


def test_min_support_keeps_only_edges_that_reach_it(graph, tmp_path):
    result = export_graph(graph, tmp_path / "g.json", "json", min_support=2)
    back = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()), edges="edges")
    assert list(back.edges(data="mutual")) == [("1", "2", False)]
    assert back.graph["min_support"] == 2 and result.mutual_pairs == 0


def test_an_unknown_format_is_refused(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'dot'"):
        export_graph(graph, tmp_path / "g.dot", "dot")


def test_csv_paths_without_a_csv_suffix_keep_the_whole_name(tmp_path):
    assert [p.name for p in csv_paths(tmp_path / "week.46")] == [
        "week.46-nodes.csv",
        "week.46-edges.csv",
    ]
