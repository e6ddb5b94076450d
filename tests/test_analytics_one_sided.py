"""One-sided support: support that is not returned at the threshold."""

from __future__ import annotations

from itertools import permutations

import networkx as nx
from graphs import key, support_graphs, w, weighted
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.analytics import OneSided, one_sided


def test_unreturned_support_is_one_sided() -> None:
    assert one_sided(weighted((1, 2, 3))) == [OneSided(1, 2, count=3, returned=0)]


def test_mutual_support_is_not_one_sided() -> None:
    assert one_sided(weighted((1, 2, 3), (2, 1, 1))) == []


def test_one_sided_includes_returned_below_threshold() -> None:
    G = weighted((1, 2, 3), (2, 1, 1))
    assert one_sided(G, min_support=2) == [OneSided(1, 2, count=3, returned=1)]


def test_support_below_threshold_is_not_one_sided() -> None:
    assert one_sided(weighted((1, 2, 1)), min_support=2) == []


def test_self_support_is_not_one_sided() -> None:
    assert one_sided(weighted((1, 1, 2))) == []
    assert one_sided(weighted((1, 1, 2)), account=1) == []


def test_account_restricts_to_relationships_in_either_role() -> None:
    G = weighted((1, 2, 1), (3, 1, 2), (3, 4, 5))
    assert one_sided(G, account=1) == [OneSided(3, 1, 2, 0), OneSided(1, 2, 1, 0)]
    assert one_sided(G, account=4) == [OneSided(3, 4, 5, 0)]


def test_account_not_in_graph_has_no_one_sided_support() -> None:
    assert one_sided(weighted((1, 2, 1)), account=99) == []


def test_one_sided_sorted_by_count_then_label() -> None:
    G = weighted((1, 3, 1), (2, 3, 2), (4, 3, 1))
    G.nodes[1]["username"] = "zed"
    assert one_sided(G) == [OneSided(2, 3, 2, 0), OneSided(4, 3, 1, 0), OneSided(1, 3, 1, 0)]


@settings(deadline=None)
@given(G=support_graphs(), k=st.integers(1, 3))
def test_one_sided_matches_definition(G: nx.DiGraph, k: int) -> None:
    expected = [
        OneSided(x, y, w(G, x, y), w(G, y, x))
        for x, y in permutations(G, 2)
        if w(G, x, y) >= k and w(G, y, x) < k
    ]
    expected.sort(key=lambda r: (-r.count, key(G, r.supporter), key(G, r.supported)))
    assert one_sided(G, min_support=k) == expected


@settings(deadline=None)
@given(G=support_graphs(), k=st.integers(1, 3))
def test_one_sided_for_account_equals_filtered_full_result(G: nx.DiGraph, k: int) -> None:
    full = one_sided(G, min_support=k)
    for account in G:
        expected = [r for r in full if account in (r.supporter, r.supported)]
        assert one_sided(G, min_support=k, account=account) == expected
