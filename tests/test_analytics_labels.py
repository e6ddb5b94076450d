"""Deterministic ordering of accounts by label."""

from __future__ import annotations

import networkx as nx

from retweetring.analytics.labels import label, node_ranks, sorted_nodes


def test_label_is_username_when_set() -> None:
    G = nx.DiGraph()
    G.add_node(1, username="ann", name="Ann's Bakery")
    G.add_node(2, username="")
    G.add_node(3, username=None)
    assert [label(G, n) for n in (1, 2, 3)] == ["ann", "2", "3"]


def test_label_of_unknown_account_is_its_key() -> None:
    assert label(nx.DiGraph(), 42) == "42"


def test_accounts_sort_by_label_then_key() -> None:
    G = nx.DiGraph()
    G.add_node(5, username="bob")
    G.add_node(9, username="amy")
    G.add_node(7, username="amy")
    G.add_node(10)
    assert sorted_nodes(G) == [10, 7, 9, 5]


def test_ranks_separate_keys_that_print_alike() -> None:
    G = nx.DiGraph([(1, "1")])
    assert sorted(node_ranks(G).values()) == [0, 1]
