"""The shortcuts that make map and export fast at 1M retweets give what the plain code gives.

``weights.distinct`` is ``np.unique`` by a sort; the GraphML times may leave their zone to
the template; a fitted map builds its lines and nodes only on the figure it writes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retweetring.analytics.weights import distinct
from retweetring.reports.export import _iso, _iso_parts, _iso_texts
from retweetring.reports.maps.drawing import draw_fitted


@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=60))
def test_distinct_equals_numpy_unique(values):
    array = np.array(values, dtype=np.int64)
    found = distinct(array)
    assert found.dtype == np.int64
    assert found.tolist() == np.unique(array).tolist()


START = datetime(2026, 11, 2, 9)
SHAPES = {
    "whole seconds": [START, START + timedelta(seconds=61)],
    "whole seconds and unknown": [START, None, START + timedelta(days=3)],
    "microseconds": [START, START + timedelta(microseconds=5), None],
}


@pytest.mark.parametrize("times", SHAPES.values(), ids=SHAPES.keys())
def test_iso_parts_with_their_zone_are_the_isoformat_of_each_time(times):
    array = np.array(times, dtype="datetime64[us]")
    order = np.arange(len(times))[::-1]
    texts, zone = _iso_parts(np, array, order)
    expected = [_iso(times[i]) for i in order.tolist()]
    assert [text + zone if text else text for text in texts] == expected
    assert _iso_texts(np, array, order) == expected
    assert zone == ("+00:00" if None not in times else "")


def test_fitted_map_draws_what_lies_beneath_once_on_the_written_figure(tmp_path):
    """A title too wide for the dpi asked makes draw_fitted try again at a lower dpi; the
    lines and nodes are drawn only on the last figure, the one written."""
    tries: list[float] = []
    beneath_on: list[float] = []

    def draw(fig, ax, legend_ax):
        tries.append(fig.dpi)
        fig.text(0.01, 0.99, "W" * 60, fontsize=14, va="top")
        return len(tries), lambda: beneath_on.append(fig.dpi)

    path = tmp_path / "m.png"
    result = draw_fitted((900, 600), 150, path, draw)
    assert len(tries) >= 2 and tries[-1] < tries[0]
    assert beneath_on == [tries[-1]]
    assert result == len(tries)
    assert path.read_bytes().startswith(b"\x89PNG")
