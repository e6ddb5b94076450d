"""Plain-data results for the analytics commands: what ``--format json`` prints.

Analytics work on node ids; these functions turn their results into rows keyed by username.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retweetring.analytics import (
    communities,
    introductions,
    mutual_pairs,
    one_sided,
    reciprocity,
    support_balance,
    top_connectors,
)
from retweetring.analytics.connectors import sample_size
from retweetring.analytics.labels import node_ranks
from retweetring.analytics.shared import mutual_positions
from retweetring.records import account_label

if TYPE_CHECKING:
    import networkx as nx

    from retweetring.analytics.weights import SupportWeights


def username(graph: nx.DiGraph, node: Any) -> str:
    """Return the node's username, or ``id:N`` when it is not known."""
    return graph.nodes[node].get("username") or account_label(node, None)


def mutual_rows(graph: nx.DiGraph, min_support: int = 1) -> list[dict[str, Any]]:
    """Mutual pairs as ``{"a", "b", "a_to_b", "b_to_a"}`` rows."""
    return [
        {
            "a": username(graph, pair.a),
            "b": username(graph, pair.b),
            "a_to_b": pair.a_to_b,
            "b_to_a": pair.b_to_a,
        }
        for pair in mutual_pairs(graph, min_support)
    ]


def one_sided_rows(
    graph: nx.DiGraph, min_support: int = 1, account: Any = None
) -> list[dict[str, Any]]:
    """One-sided relationships as ``{"supporter", "supported", "count", "returned"}`` rows."""
    return [
        {
            "supporter": username(graph, rel.supporter),
            "supported": username(graph, rel.supported),
            "count": rel.count,
            "returned": rel.returned,
        }
        for rel in one_sided(graph, min_support, account=account)
    ]


def introduction_rows(
    graph: nx.DiGraph, min_support: int = 1, account: Any = None, top: int | None = 20
) -> list[dict[str, Any]]:
    """Introduction opportunities as ``{"a", "b", "via", "score"}`` rows, best first."""
    return [
        {
            "a": username(graph, intro.a),
            "b": username(graph, intro.b),
            "via": [username(graph, node) for node in intro.via],
            "score": round(intro.score, 6),
        }
        for intro in introductions(graph, min_support, account=account, top=top)
    ]


def balance_rows(graph: nx.DiGraph) -> list[dict[str, Any]]:
    """Each account's support given and received, most generous first."""
    return [
        {
            "username": username(graph, row.account),
            "name": graph.nodes[row.account].get("name", ""),
            "given": row.given,
            "received": row.received,
            "net": row.given - row.received,
            "supported_accounts": row.supported_accounts,
            "supporter_accounts": row.supporter_accounts,
        }
        for row in support_balance(graph)
    ]


def report(
    graph: nx.DiGraph | SupportWeights,
    accounts: int,
    *,
    min_support: int = 1,
    window: str = "all time",
    top: int = 10,
    seed: int = 42,
    max_exact: int = 1000,
) -> dict[str, Any]:
    """Return the whole-community report of the support graph, or of its SQL arrays.

    ``accounts`` counts every stored account; ``edges`` counts ordered pairs with weight >= 1
    and ``support_events`` is the sum of all weights. ``top_connectors`` is exact up to
    `max_exact` accounts with a mutual partner, else estimated from `max_exact` sampled
    sources; ``connectors_sample`` says how many (None: exact). The CLI passes
    :class:`~retweetring.analytics.weights.SupportWeights` (numpy and igraph, see
    :func:`retweetring.analytics.weights.report_fields`); a ``networkx.DiGraph`` goes through
    the networkx analytics, the reference the arrays are tested against.
    """
    from retweetring.analytics.weights import SupportWeights, report_fields

    if isinstance(graph, SupportWeights):
        fields = report_fields(graph, min_support, top, seed, max_exact)
    else:
        fields = _graph_report_fields(graph, min_support, top, seed, max_exact)
    return {"window": window, "min_support": min_support, "accounts": accounts, **fields}


def _graph_report_fields(
    graph: nx.DiGraph, min_support: int, top: int, seed: int, max_exact: int
) -> dict[str, Any]:
    mutual = mutual_rows(graph, min_support)
    unreturned = one_sided_rows(graph, min_support)
    balance = balance_rows(graph)
    groups = communities(graph, min_support, seed=seed)
    return {
        "active_accounts": graph.number_of_nodes(),
        "support_events": int(graph.size(weight="weight")),
        "edges": graph.number_of_edges(),
        "mutual_pairs": len(mutual),
        "one_sided": len(unreturned),
        "reciprocity": round(reciprocity(graph, min_support), 4),
        "communities": [[username(graph, node) for node in group] for group in groups],
        "top_supporters": balance[:top],
        "top_supported": sorted(balance, key=lambda r: (-r["received"], r["username"]))[:top],
        "top_connectors": [
            {"username": username(graph, node), "betweenness": round(score, 4)}
            for node, score in top_connectors(
                graph, top=top, min_support=min_support, seed=seed, max_exact=max_exact
            )
        ],
        "connectors_sample": sample_size(
            len(mutual_positions(graph, min_support, node_ranks(graph)).nodes), max_exact
        ),
        "strongest_mutual": mutual[:top],
        "most_unreturned": unreturned[:top],
    }
