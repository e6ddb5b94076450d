"""The report from SQL arrays (analytics.weights) equals the networkx reference on random data.

Same random databases as ``test_sql_pairs``: the CLI's ``report`` (``weights.report`` of
``store.pairs.support_weights``) must equal ``summary.report(support_graph(...))`` exactly,
communities and sampled connectors included, and the CSV balance rows must too.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sql_pairs import _fill, databases, scratch, windows  # noqa: F401 - scratch: fixture

from retweetring.analytics import weights
from retweetring.graph import support_graph
from retweetring.reports import summary
from retweetring.store.pairs import support_weights


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=databases(),
    window=windows(),
    k=st.integers(1, 3),
    all_retweets=st.booleans(),
    top=st.integers(1, 4),
    max_exact=st.integers(1, 4),
)
def test_report_from_sql_arrays_equals_the_networkx_report(
    scratch,
    rows,
    window,
    k,
    all_retweets,
    top,
    max_exact,  # noqa: F811 - the fixture
):
    _fill(scratch, rows)
    sw = support_weights(scratch, window, all_retweets=all_retweets)
    graph = support_graph(scratch, window, all_retweets=all_retweets)
    options = {"min_support": k, "top": top, "max_exact": max_exact, "window": "w"}
    assert weights.report(sw, 7, **options) == summary.report(graph, 7, **options)
    assert weights.balance_rows(sw) == summary.balance_rows(graph)
