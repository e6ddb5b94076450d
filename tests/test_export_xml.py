"""GraphML and GEXF exports stay valid XML whatever the display names hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import invoke

NAMES = {
    "escape": "Bea \x1b[2J Bakes",
    "tab_v": "Vee\x0bShop",
    "backspace": "Back\x08space",
    "nonchar": "Odd\ufffeName",
}


@pytest.fixture
def xml_db(tmp_path, community):
    for username, name in NAMES.items():
        community.user(username, name=name)
    users = list(NAMES)
    for author, fan in zip(users, users[1:] + users[:1], strict=True):
        community.retweet(fan, community.post(author))
    db = tmp_path / "x.db"
    assert invoke(db, "import", str(community.write(tmp_path / "x.jsonl"))).exit_code == 0
    return db


@pytest.mark.parametrize(
    ("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)], ids=["graphml", "gexf"]
)
def test_xml_exports_open_in_xml_readers_with_the_forbidden_characters_replaced(
    xml_db, tmp_path, fmt, read
):
    out = tmp_path / f"g.{fmt}"
    result = invoke(xml_db, "export", "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    ET.parse(out)  # well-formed XML
    graph = read(out)
    names = {attrs["username"]: attrs["name"] for _, attrs in graph.nodes(data=True)}
    assert names == {
        "escape": "Bea \ufffd[2J Bakes",
        "tab_v": "Vee\ufffdShop",
        "backspace": "Back\ufffdspace",
        "nonchar": "Odd\ufffdName",
    }


def test_json_export_keeps_names_as_they_are(xml_db, tmp_path):
    import json

    out = tmp_path / "g.json"
    assert invoke(xml_db, "export", "--format", "json", "--output", str(out)).exit_code == 0
    nodes = json.loads(out.read_text(encoding="utf-8"))["nodes"]
    assert {n["username"]: n["name"] for n in nodes} == NAMES
