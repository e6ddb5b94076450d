"""`retweetring map` and `retweetring export` on the bundled example, through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from matplotlib.image import imread

from retweetring.analytics import mutual_pairs
from retweetring.cli.main import cli
from retweetring.graph import support_graph
from retweetring.store.session import open_database

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def run(example_db):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(example_db), *args])

    return invoke


@pytest.fixture(scope="module")
def example_graph(example_db) -> nx.DiGraph:
    engine = open_database(str(example_db))
    try:
        return support_graph(engine)
    finally:
        engine.dispose()


def test_map_writes_the_png_and_says_what_it_drew(run, example_graph, tmp_path):
    path = tmp_path / "community.png"
    result = run("map", "-o", str(path), "--size", "1000x750", "--dpi", "100")
    assert result.exit_code == 0, result.output
    assert imread(path).shape[:2] == (750, 1000)
    accounts = example_graph.number_of_nodes()
    pairs = len(mutual_pairs(example_graph))
    assert f"{accounts} accounts, {pairs} mutual pairs" in result.output
    assert "none left out" in result.output


def test_map_top_reports_how_many_were_left_out(run, example_graph, tmp_path):
    result = run("map", "-o", str(tmp_path / "m.png"), "--top", "10", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["accounts"] == 10
    assert data["left_out"] == example_graph.number_of_nodes() - 10


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
def test_export_writes_a_graph_networkx_reads(run, example_graph, tmp_path, fmt):
    path = tmp_path / f"saltby.{fmt}"
    result = run("export", "--format", fmt, "-o", str(path))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    else:
        back = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}[fmt](path)
    assert back.number_of_nodes() == example_graph.number_of_nodes()
    assert back.number_of_edges() == example_graph.number_of_edges()
    usernames = {d["username"] for _, d in back.nodes(data=True)}
    assert usernames == {d["username"] for _, d in example_graph.nodes(data=True)}
    mutual = sum(1 for _, _, m in back.edges(data="mutual") if m) // 2
    assert mutual == len(mutual_pairs(example_graph))
    assert f"as {fmt} to {path}" in result.output


def test_export_csv_names_both_files(run, tmp_path):
    result = run("export", "--format", "csv", "-o", str(tmp_path / "saltby.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "saltby-nodes.csv").exists() and (tmp_path / "saltby-edges.csv").exists()
    assert "saltby-nodes.csv and" in result.output


def test_export_with_min_support_drops_lighter_edges(run, example_graph, tmp_path):
    path = tmp_path / "k3.json"
    assert run("export", "--format", "json", "-o", str(path), "--min-support", "3").exit_code == 0
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    heavy = [(u, v) for u, v, w in example_graph.edges(data="weight") if w >= 3]
    assert back.number_of_edges() == len(heavy)
    assert all(w >= 3 for _, _, w in back.edges(data="weight"))
