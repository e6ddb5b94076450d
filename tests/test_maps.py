"""PNG maps: valid images of the requested size, not blank, deterministic, safe with any name."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pytest
from elsewhere import as_json, in_another_process
from graphs import large_support_graph, random_support_graph, weighted
from matplotlib.image import imread
from matplotlib.text import Text

from retweetring.errors import EmptyMapError
from retweetring.reports.maps import (
    community_map,
    display_text,
    ego_map,
    most_connected,
    parse_size,
)
from retweetring.reports.maps.layout import spring_positions

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NASTY_NAMES = [
    "Thread_Bare $tudio 🧵",
    "$\\frac{1}{2}$ price",
    "x^2 and y_1 $",
    "back\\slash \\alpha $$",
    "مخبز الأمل",
    "שלום bakery",
    "👩‍👩‍👧 family 🇬🇧 ✂️",
    "line\nbreak\ttab",
    "\u202eevil bidi override",
    "🥐🥐🥐",
    "",
]


def assert_real_png(path: Path, size: tuple[int, int]) -> np.ndarray:
    """The file is a PNG of `size` pixels with real content; returns its pixels."""
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert (width, height) == size
    rgb = pixels[..., :3]
    background = np.all(rgb > 0.98, axis=-1)
    assert background.mean() < 0.97, "the image is (almost) blank"
    distinct = np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(distinct) > 50, "too few colours for a drawn map"
    return pixels


def named(G: nx.DiGraph, names: list[str] | None = None) -> nx.DiGraph:
    """Give every node a username and a display name."""
    for i, node in enumerate(sorted(G)):
        G.nodes[node]["username"] = f"user_{node}"
        G.nodes[node]["name"] = names[i % len(names)] if names else f"Shop {node}"
    return G


@pytest.fixture
def graph() -> nx.DiGraph:
    return named(random_support_graph(seed=7, n=40, m=160))


def test_community_map_is_a_png_of_the_requested_size_and_not_blank(graph, tmp_path):
    path = tmp_path / "map.png"
    result = community_map(graph, path, size=(900, 700), dpi=100)
    assert_real_png(path, (900, 700))
    assert (result.width, result.height, result.kind) == (900, 700, "community")
    assert result.accounts == graph.number_of_nodes() and result.left_out == 0


@pytest.mark.parametrize("size, dpi", [((640, 480), 72), ((1001, 757), 150), ((557, 999), 96)])
def test_the_image_has_exactly_the_requested_pixels(graph, tmp_path, size, dpi):
    path = tmp_path / "map.png"
    community_map(graph, path, size=size, dpi=dpi)
    assert_real_png(path, size)


def test_the_counts_describe_what_was_drawn(tmp_path):
    G = named(weighted((1, 2, 2), (2, 1, 3), (2, 3, 1), (3, 2, 1), (4, 1, 5), (1, 5, 1)))
    result = community_map(G, tmp_path / "m.png", size=(800, 600), dpi=100)
    assert (result.accounts, result.mutual_pairs, result.one_sided) == (5, 2, 2)
    assert result.communities == 1  # 1, 2 and 3 form one community; 4 and 5 have none
    assert result.labelled[0] == "user_1"  # received the most support (3 + 5)


def test_same_data_gives_the_same_bytes_whatever_the_insertion_order(graph, tmp_path):
    shuffled = nx.DiGraph()
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(data=True))
    random.Random(1).shuffle(nodes)
    random.Random(2).shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    community_map(graph, tmp_path / "a.png", size=(800, 600), dpi=100)
    community_map(shuffled, tmp_path / "b.png", size=(800, 600), dpi=100)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


LAYOUTS = """
import networkx as nx
from graphs import random_support_graph
from retweetring.reports.maps.layout import spring_positions

def shops(seed, n, m):
    # string nodes: their hashes, unlike ints', change with PYTHONHASHSEED
    return nx.relabel_nodes(random_support_graph(seed=seed, n=n, m=m), lambda i: f"shop{i}")

result = {
    "igraph": spring_positions(shops(11, 60, 200), seed=5, engine="igraph"),
    "networkx": spring_positions(shops(11, 60, 200), seed=5, engine="networkx"),
    "large": spring_positions(shops(12, 400, 2000), seed=1),  # above the Kamada-Kawai limit
}
"""


@pytest.fixture(scope="module")
def layouts() -> dict[str, dict[str, list[float]]]:
    """The layouts of ``LAYOUTS`` in this process."""
    scope: dict = {}
    exec(LAYOUTS, scope)
    return as_json(scope["result"])


def test_layouts_are_the_same_in_another_process_with_another_hash_seed(layouts):
    assert in_another_process(LAYOUTS) == layouts


@pytest.mark.parametrize("engine", ["igraph", "networkx"])
def test_layout_is_seeded_and_normalised(engine):
    G = random_support_graph(seed=11, n=60, m=200)
    first = spring_positions(G, seed=5, engine=engine)
    assert set(first) == set(G)
    coords = np.array(list(first.values()))
    assert np.isclose(np.abs(coords).max(), 1.0)
    assert first != spring_positions(G, seed=6, engine=engine)


def test_nasty_names_neither_raise_nor_warn(tmp_path):
    G = named(random_support_graph(seed=4, n=len(NASTY_NAMES) * 2, m=80), NASTY_NAMES)
    for node in list(G)[:4]:
        G.nodes[node]["username"] = NASTY_NAMES[node % len(NASTY_NAMES)] or None
    centre = most_connected(G, 1)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        community_map(G, tmp_path / "c.png", size=(900, 700), dpi=100)
        ego_map(G, centre, tmp_path / "e.png", size=(900, 700), dpi=100)
    assert_real_png(tmp_path / "c.png", (900, 700))
    assert_real_png(tmp_path / "e.png", (900, 700))


def test_display_text_keeps_what_the_font_draws_and_drops_the_rest():
    assert display_text("$\\frac{1}{2}$ x^2_y") == "$\\frac{1}{2}$ x^2_y"
    assert display_text("Holly's Bakery 🥐") == "Holly's Bakery"
    assert display_text("مخبز الأمل") == "مخبز الأمل"
    assert display_text("a\nb\u202ec\u200dd") == "a bcd"
    assert display_text("🥐🥐") == ""
    assert display_text("x" * 40, limit=10) == "x" * 9 + "…"


def test_the_users_matplotlib_settings_neither_change_nor_break_the_map(graph, tmp_path):
    community_map(graph, tmp_path / "plain.png", size=(800, 600), dpi=100)
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context({"text.usetex": True, "font.size": 30, "lines.linewidth": 9}):
        community_map(graph, tmp_path / "styled.png", size=(800, 600), dpi=100)
    assert (tmp_path / "plain.png").read_bytes() == (tmp_path / "styled.png").read_bytes()
    assert dict(matplotlib.rcParams) == before


def test_top_keeps_the_most_connected_and_reports_how_many_were_left_out(graph, tmp_path):
    result = community_map(graph, tmp_path / "m.png", top=10, size=(800, 600), dpi=100)
    assert result.accounts == 10
    assert result.left_out == graph.number_of_nodes() - 10
    assert "30 left out" in result.summary()


def test_most_connected_counts_distinct_neighbours_in_either_direction():
    G = weighted((1, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 9), (5, 6, 1), (6, 5, 1), (5, 7, 1))
    # 1 has neighbours {2, 3, 4}; 5 has {6, 7}; ties broken by total weight
    assert most_connected(G, 2) == [1, 5]
    assert most_connected(G, None)[:2] == [1, 5]
    independent = sorted(G, key=lambda n: -len(set(G.succ[n]) | set(G.pred[n])))
    assert most_connected(G, 1) == independent[:1]


def test_min_support_draws_only_edges_that_reach_it(tmp_path):
    G = named(weighted((1, 2, 3), (2, 1, 3), (1, 3, 1), (3, 2, 2)))
    result = community_map(G, tmp_path / "m.png", min_support=2, size=(800, 600), dpi=100)
    assert (result.accounts, result.mutual_pairs, result.one_sided) == (3, 1, 1)


def test_an_empty_window_is_a_clear_error(tmp_path):
    with pytest.raises(EmptyMapError, match="no support in 2030-01-01 to now"):
        community_map(nx.DiGraph(), tmp_path / "m.png", window_label="2030-01-01 to now")
    assert not (tmp_path / "m.png").exists()


@pytest.fixture
def ego_graph() -> nx.DiGraph:
    """c<->m mutual; s supports c; c supports t; i<->m mutual (i is an introduction for c)."""
    return named(weighted((0, 1, 2), (1, 0, 2), (2, 0, 1), (0, 3, 4), (4, 1, 1), (1, 4, 1)))


def test_ego_map_groups_the_accounts_around_the_centre(ego_graph, tmp_path):
    path = tmp_path / "ego.png"
    result = ego_map(ego_graph, 0, path, size=(800, 600), dpi=100)
    assert_real_png(path, (800, 600))
    assert (result.kind, result.account) == ("ego", "user_0")
    assert (result.mutual_pairs, result.one_sided, result.introductions) == (1, 2, 1)
    assert result.accounts == 5 and result.left_out == 0
    assert set(result.labelled) == {f"user_{n}" for n in range(5)}


def test_ego_map_top_keeps_the_strongest_relationships(ego_graph, tmp_path):
    result = ego_map(ego_graph, 0, tmp_path / "e.png", top=1, size=(800, 600), dpi=100)
    # strengths: 1 -> 4 (2 + 2), 3 -> 4 (4 + 0), 2 -> 1; the tie goes to label order
    assert (result.mutual_pairs, result.one_sided, result.left_out) == (1, 0, 2)


def test_ego_map_of_an_account_without_support_is_a_clear_error(ego_graph, tmp_path):
    ego_graph.add_node(9, username="quiet_shop")
    with pytest.raises(EmptyMapError, match="@quiet_shop gives and receives no support"):
        ego_map(ego_graph, 9, tmp_path / "e.png")
    with pytest.raises(EmptyMapError, match="@ghost gives and receives no support"):
        ego_map(ego_graph, 99, tmp_path / "e.png", username="ghost")
    with pytest.raises(EmptyMapError, match=r"min support 5\)"):
        ego_map(ego_graph, 2, tmp_path / "e.png", min_support=5)


def test_a_2000_account_map_renders(tmp_path):
    G = large_support_graph(seed=3, n=2000, m=16_000)
    path = tmp_path / "big.png"
    result = community_map(G, path, top=2000, size=(1200, 900), dpi=100)
    assert result.accounts == 2000 and result.left_out == 0
    assert result.mutual_pairs > 1000 and result.communities > 1
    assert_real_png(path, (1200, 900))


def test_parse_size_refuses_nonsense():
    assert parse_size("1600x1200") == (1600, 1200)
    for bad in ("1600", "axb", "10x10", "1600x1200x3", "-5x100"):
        with pytest.raises(ValueError, match="size"):
            parse_size(bad)


def test_every_drawn_name_is_plain_text_not_mathtext(monkeypatch, tmp_path):
    import retweetring.reports.maps.drawing as drawing

    figures = []
    save = drawing.save_png
    monkeypatch.setattr(
        drawing, "save_png", lambda fig, path, **kw: (figures.append(fig), save(fig, path, **kw))
    )
    G = named(random_support_graph(seed=4, n=22, m=80), NASTY_NAMES)
    community_map(G, tmp_path / "c.png", size=(900, 700), dpi=100)
    ego_map(G, most_connected(G, 1)[0], tmp_path / "e.png", size=(900, 700), dpi=100)
    for fig in figures:
        texts = [t for t in fig.findobj(Text) if "$" in t.get_text()]
        assert texts, "the nasty names should be on the map"
        assert all(not t.get_parse_math() for t in texts)
        drawn = {t.get_text() for t in fig.findobj(Text)}
        assert "$\\frac{1}{2}$ price" in drawn


def test_maps_fall_back_to_networkx_without_igraph(monkeypatch, graph, tmp_path):
    import retweetring.reports.maps.layout as layout

    monkeypatch.setattr(layout, "_has_igraph", lambda: False)
    expected = spring_positions(graph, engine="networkx")
    assert spring_positions(graph) == expected
    community_map(graph, tmp_path / "m.png", size=(800, 600), dpi=100)
    assert_real_png(tmp_path / "m.png", (800, 600))


@pytest.fixture
def drawn_texts(monkeypatch):
    """The texts of every figure the maps save, one set per figure."""
    import retweetring.reports.maps.drawing as drawing

    texts: list[set[str]] = []
    save = drawing.save_png

    def capture(fig, path, **kw):
        texts.append({t.get_text() for t in fig.findobj(Text)})
        save(fig, path, **kw)

    monkeypatch.setattr(drawing, "save_png", capture)
    return texts


def test_the_legend_lists_only_what_is_drawn(drawn_texts, tmp_path):
    one_way = named(weighted((1, 2, 1), (3, 2, 2)))  # no mutual pair, no community
    community_map(one_way, tmp_path / "c.png", size=(800, 600), dpi=100)
    legend = drawn_texts[-1]
    assert any(t.startswith("one-sided support") for t in legend)
    assert not any(t.startswith("mutual support") for t in legend)
    assert "3 with no mutual partner" in legend
    assert not any("smaller communities" in t for t in legend)
    assert (
        "3 accounts · 0 mutual pairs · 2 one-sided relationships · 0 communities · "
        "min support 1" in legend
    )

    mutual_only = named(weighted((1, 2, 1), (2, 1, 1), (1, 3, 1), (3, 1, 1)))
    ego_map(mutual_only, 1, tmp_path / "e.png", size=(800, 600), dpi=100)
    legend = drawn_texts[-1]
    assert "mutual partners (2)" in legend
    assert not any("not returned" in t or t.startswith("one-sided") for t in legend)
    assert not any(t.startswith(("worth introducing", "introduction:")) for t in legend)


def test_the_title_says_how_many_were_left_out(drawn_texts, graph, tmp_path):
    community_map(graph, tmp_path / "m.png", top=15, size=(800, 600), dpi=100)
    total = graph.number_of_nodes()
    assert (
        f"Showing the 15 most connected of {total} accounts; {total - 15} left out"
        in drawn_texts[-1]
    )
