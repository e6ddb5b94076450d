"""The report from SQL arrays (analytics.weights) equals the networkx reference on random data.

Same random databases as ``test_sql_pairs``: the CLI's ``report`` (``summary.report`` of
``store.pairs.support_weights``) must equal it on ``support_graph(...)`` exactly,
communities and sampled connectors included, and the CSV balance rows must too.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime

import networkx as nx
import pytest
from graphs import large_support_graph
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from test_sql_pairs import CASES, _asked, _fill, databases, windows

from retweetring.analytics import weights
from retweetring.analytics.labels import sort_key
from retweetring.graph import support_graph
from retweetring.reports import summary
from retweetring.reports.export import export_graph, export_graphml_of_weights
from retweetring.store.pairs import support_weights
from retweetring.store.session import open_database


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One database file, emptied and refilled by each example (see ``test_sql_pairs``)."""
    eng = open_database(str(tmp_path_factory.mktemp("report") / "report.db"))
    yield eng
    eng.dispose()


# A random database, window, threshold and --all-retweets.
DATA = {
    "rows": databases(),
    "window": windows(),
    "k": st.integers(1, 3),
    "all_retweets": st.booleans(),
    "stored": st.booleans(),
}


def both(db: Engine, rows, window, all_retweets, stored, times=False):
    """The stored ``rows`` read as SQL arrays (with `stored`, all time from the stored pair
    weights, see ``_asked``) and as the networkx support graph."""
    _fill(db, rows, stored)
    window, all_retweets = _asked(window, all_retweets, stored)
    sw = support_weights(db, window, all_retweets=all_retweets, times=times)
    return sw, support_graph(db, window, all_retweets=all_retweets)


@CASES
@given(**DATA, top=st.integers(1, 4), max_exact=st.integers(1, 4))
def test_report_from_sql_arrays_equals_the_networkx_report(
    db, rows, window, k, all_retweets, stored, top, max_exact
):
    sw, graph = both(db, rows, window, all_retweets, stored)
    options = {"min_support": k, "top": top, "max_exact": max_exact, "window": "w"}
    assert summary.report(sw, 7, **options) == summary.report(graph, 7, **options)
    assert weights.balance_rows(sw) == summary.balance_rows(graph)


@CASES
@given(**DATA, top=st.none() | st.integers(0, 5))
def test_introductions_from_sql_arrays_equal_the_networkx_introductions(
    db, rows, window, k, all_retweets, stored, top
):
    sw, graph = both(db, rows, window, all_retweets, stored)
    assert weights.introduction_rows(sw, k, top) == summary.introduction_rows(graph, k, top=top)


def weights_of(G: nx.DiGraph) -> weights.SupportWeights:
    return weights.SupportWeights.of(
        G.edges(data="weight", default=1),
        lambda node: sort_key(G, node),
        lambda node: summary.username(G, node),
        lambda node: G.nodes[node].get("name", ""),
    )


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("sparse", [True, False])
def test_top_introductions_and_report_from_arrays_equal_networkx_on_larger_graphs(
    seed, sparse, monkeypatch
):
    # the sparse-product path of introductions (with top) starts at this much work
    module = sys.modules["retweetring.analytics.introductions"]  # the package exports a function
    monkeypatch.setattr(module, "_SPARSE_MIN_WORK", 0 if sparse else 10**12)
    G = large_support_graph(seed, n=1500, m=30_000)
    found = weights.introduction_rows(weights_of(G), 1, top=50)
    assert len(found) == 50
    assert found == summary.introduction_rows(G, 1, top=50)
    assert summary.report(weights_of(G), 3, top=5) == summary.report(G, 3, top=5)


@CASES
@given(**DATA)
def test_graphml_from_sql_arrays_is_the_networkx_export_byte_for_byte(
    db, tmp_path_factory, rows, window, k, all_retweets, stored
):
    sw, graph = both(db, rows, window, all_retweets, stored, times=True)
    folder = tmp_path_factory.mktemp("graphml")
    old = export_graph(graph, folder / "old.graphml", "graphml", min_support=k, window_label="w")
    new = export_graphml_of_weights(sw, folder / "new.graphml", min_support=k, window_label="w")
    assert (new.nodes, new.edges, new.mutual_pairs) == (old.nodes, old.edges, old.mutual_pairs)
    assert (folder / "new.graphml").read_bytes() == (folder / "old.graphml").read_bytes()


def test_graphml_times_from_arrays_are_written_as_the_graph_path_writes_them():
    import numpy as np

    from retweetring.reports.export import _iso, _iso_texts

    times = [datetime(2026, 11, 2, 9), datetime(2026, 11, 2, 9, 0, 1, 5), None]
    found = _iso_texts(np, np.array(times, dtype="datetime64[us]"), np.arange(3))
    assert (
        found
        == [_iso(t) for t in times]
        == [
            "2026-11-02T09:00:00+00:00",
            "2026-11-02T09:00:01.000005+00:00",
            "",
        ]
    )
