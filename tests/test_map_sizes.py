"""Maps at small sizes and high dpi: all text inside the image, labels apart, or a clear refusal."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from conftest import invoke
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.text import Text

import retweetring.reports.maps.drawing as drawing
from retweetring.errors import MapSizeError
from retweetring.graph import support_graph
from retweetring.reports.maps import community_map, ego_map
from retweetring.store.queries import find_account
from retweetring.store.session import open_database


@pytest.fixture(scope="module")
def example(example_db) -> tuple[nx.DiGraph, object]:
    """The example's support graph and the node of @hollys_bakery."""
    engine = open_database(str(example_db))
    try:
        return support_graph(engine), find_account(engine, "hollys_bakery")
    finally:
        engine.dispose()


@pytest.fixture
def saved(monkeypatch) -> list[Figure]:
    """Every figure the maps write, as written."""
    figures: list[Figure] = []
    save = drawing.save_png

    def keep(fig, path, **kw):
        save(fig, path, **kw)
        figures.append(fig)

    monkeypatch.setattr(drawing, "save_png", keep)
    return figures


def assert_text_fits_and_labels_do_not_overlap(fig: Figure) -> None:
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for text in fig.findobj(Text):
        if not (text.get_visible() and text.get_text()):
            continue
        box = text.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5, text.get_text()
        assert box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5, text.get_text()
    labels = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    assert labels, "the map should label some accounts"
    for i, box in enumerate(labels):
        for other in labels[:i]:
            assert not box.overlaps(other), "two labels overlap"


@pytest.mark.parametrize("size, dpi", [((640, 480), 150), ((1800, 1350), 600), ((700, 900), 96)])
def test_small_or_high_dpi_maps_keep_every_text_inside_and_labels_apart(
    example, saved, tmp_path, size, dpi
):
    graph, holly = example
    community_map(graph, tmp_path / "c.png", size=size, dpi=dpi)
    ego_map(graph, holly, tmp_path / "e.png", size=size, dpi=dpi)
    for fig in saved:
        assert_text_fits_and_labels_do_not_overlap(fig)
    for name in ("c.png", "e.png"):
        assert imread(tmp_path / name).shape[:2] == (size[1], size[0])


def test_the_labelled_accounts_are_the_ones_drawn(example, saved, tmp_path):
    graph, _ = example
    result = community_map(graph, tmp_path / "c.png", size=(640, 480), dpi=150)
    labels = [t.get_text() for t in saved[-1].axes[0].texts]
    assert len(result.labelled) == len(labels)


def test_a_size_too_small_for_the_legend_is_refused_with_the_smallest_that_fits(example, tmp_path):
    graph, holly = example
    for draw in (
        lambda size: community_map(graph, tmp_path / "c.png", size=size),
        lambda size: ego_map(graph, holly, tmp_path / "e.png", size=size),
    ):
        with pytest.raises(MapSizeError, match=r"^size 400x300 is too small") as refused:
            draw((400, 300))
        least = re.search(r"at least (\d+)x(\d+) pixels", str(refused.value))
        assert least, str(refused.value)
        draw((int(least[1]), int(least[2])))  # the size it names is enough


def test_map_at_600x400_is_a_one_line_error_naming_the_minimum(example_db, tmp_path):
    path = tmp_path / "small.png"
    result = invoke(example_db, "map", "-o", str(path), "--size", "600x400")
    assert result.exit_code == 1
    assert re.fullmatch(
        r"Error: size 600x400 is too small for the map's title and legend: "
        r"use at least \d+x\d+ pixels\n",
        result.output,
    )
    assert not path.exists()
