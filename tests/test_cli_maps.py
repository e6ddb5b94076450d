"""`retweetring map` and `retweetring export` on the bundled example, through CliRunner."""

from __future__ import annotations

import json

import example_counts
import networkx as nx
import pytest
from matplotlib.image import imread


@pytest.fixture
def db_path(example_db):
    """Every test here reads the shared example database (the ``run`` fixture's default)."""
    return example_db


@pytest.fixture
def weights() -> dict[tuple[str, str], int]:
    """w(X -> Y) over all time, counted from the example's JSONL with plain Python."""
    return example_counts.weights()


def test_map_writes_the_png_and_says_what_it_drew(run, weights, tmp_path):
    path = tmp_path / "community.png"
    result = run("map", "-o", str(path), "--size", "1000x750", "--dpi", "100")
    assert result.exit_code == 0, result.output
    assert imread(path).shape[:2] == (750, 1000)
    accounts = len(example_counts.accounts(weights))
    pairs = len(example_counts.mutual_pairs(weights))
    one_sided = sum(1 for (a, b) in weights if (b, a) not in weights)
    assert f"{accounts} accounts, {pairs} mutual pairs, {one_sided} one-sided" in result.output
    assert "none left out" in result.output


def test_map_top_reports_how_many_were_left_out(run, weights, tmp_path):
    result = run("map", "-o", str(tmp_path / "m.png"), "--top", "10", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["accounts"] == 10
    assert data["left_out"] == len(example_counts.accounts(weights)) - 10


def test_ego_map_of_an_example_account(run, tmp_path):
    path = tmp_path / "holly.png"
    result = run("map", "-o", str(path), "--account", "@Hollys_Bakery", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "ego" and data["account"] == "hollys_bakery"
    assert data["labelled"][0] == "hollys_bakery"
    assert data["mutual_pairs"] >= 1 and path.exists()


def test_map_errors_are_one_line(run, tmp_path):
    cases = [
        (["--account", "nobody_here"], "no account @nobody_here"),
        (["--account", "saltbylifeboat"], "@saltbylifeboat gives and receives no support"),
        (["--since", "2030-01-01"], "no support in 2030-01-01 to now"),
    ]
    for extra, message in cases:
        result = run("map", "-o", str(tmp_path / "m.png"), *extra)
        assert result.exit_code == 1, result.output
        assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "m.png").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "map.jpg"], "must be a .png file"),
        (["-o", "m.png", "--size", "big"], "is not WIDTHxHEIGHT"),
        (["-o", "m.png", "--dpi", "5"], "--dpi"),
    ],
)
def test_map_refuses_bad_options(run, args, message):
    result = run("map", *args)
    assert result.exit_code == 2 and message in result.output


def test_map_into_a_missing_folder_is_one_line(run, tmp_path):
    result = run("map", "-o", str(tmp_path / "no" / "such" / "m.png"))
    assert result.exit_code == 1 and "No such file or directory" in result.output


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_writes_a_graph_networkx_reads(run, weights, tmp_path, fmt):
    path = tmp_path / f"saltby.{fmt}"
    result = run("export", "--format", fmt, "-o", str(path))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    else:
        back = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}[fmt](path)
    names = {node: d["username"] for node, d in back.nodes(data=True)}
    assert sorted(names.values()) == sorted(example_counts.accounts(weights))
    edges = {(names[u], names[v]): int(w) for u, v, w in back.edges(data="weight")}
    assert edges == weights
    mutual = {frozenset((names[u], names[v])) for u, v, m in back.edges(data="mutual") if m}
    assert mutual == example_counts.mutual_pairs(weights)
    assert f"as {fmt} to {path}" in result.output


def test_export_csv_names_both_files(run, tmp_path):
    result = run("export", "--format", "csv", "-o", str(tmp_path / "saltby.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "saltby-nodes.csv").exists() and (tmp_path / "saltby-edges.csv").exists()
    assert "saltby-nodes.csv and" in result.output


def test_export_with_min_support_drops_lighter_edges(run, weights, tmp_path):
    path = tmp_path / "k3.json"
    assert run("export", "--format", "json", "-o", str(path), "--min-support", "3").exit_code == 0
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    names = nx.get_node_attributes(back, "username")
    edges = {(names[u], names[v]): int(w) for u, v, w in back.edges(data="weight")}
    assert edges == {pair: w for pair, w in weights.items() if w >= 3}
