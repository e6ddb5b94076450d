"""Support balance: support given and received per account."""

from __future__ import annotations

import networkx as nx
from graphs import support_graphs
from hypothesis import given, settings

from retweetring.analytics import Balance, support_balance


def test_balance_counts_weights_and_distinct_accounts() -> None:
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 2, 3), (1, 3, 1), (3, 1, 2)])
    assert support_balance(G) == [
        Balance(1, given=4, received=2, supported_accounts=2, supporter_accounts=1),
        Balance(3, given=2, received=1, supported_accounts=1, supporter_accounts=1),
        Balance(2, given=0, received=3, supported_accounts=0, supporter_accounts=1),
    ]


def test_net_is_given_minus_received() -> None:
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 2, 3), (2, 1, 1)])
    assert {b.account: b.net for b in support_balance(G)} == {1: 2, 2: -2}


def test_missing_weight_counts_as_one() -> None:
    (first, second) = support_balance(nx.DiGraph([(1, 2)]))
    assert (first.given, second.received) == (1, 1)


def test_isolated_account_has_zero_balance() -> None:
    G = nx.DiGraph()
    G.add_node(7, username="quiet")
    assert support_balance(G) == [Balance(7, 0, 0, 0, 0)]


def test_self_support_is_not_counted() -> None:
    G = nx.DiGraph()
    G.add_edge(1, 1, weight=5)
    assert support_balance(G) == [Balance(1, 0, 0, 0, 0)]


def test_balance_sorted_by_given_then_label() -> None:
    G = nx.DiGraph([(1, 3), (2, 3)])
    G.nodes[1]["username"] = "zed"
    assert [b.account for b in support_balance(G)] == [2, 1, 3]


def test_empty_graph_has_no_balance() -> None:
    assert support_balance(nx.DiGraph()) == []


@settings(deadline=None)
@given(G=support_graphs())
def test_balance_sums_equal_total_weight(G: nx.DiGraph) -> None:
    total = sum(d.get("weight", 1) for u, v, d in G.edges(data=True) if u != v)
    edges = sum(1 for u, v in G.edges if u != v)
    balance = support_balance(G)
    assert sorted(b.account for b in balance) == sorted(G)
    assert sum(b.given for b in balance) == total
    assert sum(b.received for b in balance) == total
    assert sum(b.net for b in balance) == 0
    assert sum(b.supported_accounts for b in balance) == edges
    assert sum(b.supporter_accounts for b in balance) == edges
