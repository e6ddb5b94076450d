"""The community map: every account of the support graph, coloured by community."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from retweetring.analytics.annotate import NO_COMMUNITY, KeptSupport, annotated_subgraph
from retweetring.analytics.labels import sort_key
from retweetring.analytics.shared import check_min_support
from retweetring.analytics.weights import SupportWeights, map_inputs
from retweetring.errors import EmptyMapError
from retweetring.reports.maps.canvas import DEFAULT_DPI, DEFAULT_SIZE
from retweetring.reports.maps.drawing import NodeScale, View, draw_fitted, draw_lines, draw_title
from retweetring.reports.maps.labels import place_labels
from retweetring.reports.maps.layout import spring_positions
from retweetring.reports.maps.legend import (
    community_line_entries,
    dot,
    draw_legend,
    header,
    labels_note,
)
from retweetring.reports.maps.result import MapResult
from retweetring.reports.maps.style import (
    MUTUAL_LINE,
    NO_COMMUNITY_COLOUR,
    ONE_SIDED_LINE,
    OTHER_COMMUNITY,
    PALETTE,
)
from retweetring.reports.maps.text import (
    count_text,
    in_window,
    label_of,
    legend_handle_of,
    username_of,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CommunityStyles",
    "community_map",
    "community_styles",
    "most_connected",
]


def most_connected(G: nx.DiGraph, top: int | None) -> list[Hashable]:
    """Return the `top` accounts with the most distinct accounts they support or are supported by.

    Ties go to more support given and received, then to label order. ``None`` keeps all.

    >>> G = nx.DiGraph([(1, 2), (2, 1), (3, 1), (4, 5)])
    >>> most_connected(G, 2)
    [1, 2]
    """

    def strength(node: Hashable) -> int:
        return sum(w for _, _, w in G.in_edges(node, data="weight", default=1)) + sum(
            w for _, _, w in G.out_edges(node, data="weight", default=1)
        )

    ranked = sorted(
        G,
        key=lambda n: (-len(set(G.succ[n]) | set(G.pred[n])), -strength(n), sort_key(G, n)),
    )
    return ranked if top is None else ranked[:top]


def most_connected_of(G: nx.DiGraph, kept: KeptSupport, top: int | None) -> list[Hashable]:
    """Return ``most_connected(annotated_graph(G, kept.k), top)`` from the kept support alone."""
    ranked = sorted(
        kept.neighbours,
        key=lambda n: (
            -kept.neighbours[n],
            -(kept.given.get(n, 0) + kept.received.get(n, 0)),
            sort_key(G, n),
        ),
    )
    return ranked if top is None else ranked[:top]


def community_map(
    graph: nx.DiGraph | SupportWeights,
    path: str | Path,
    *,
    top: int | None = 150,
    window_label: str = "all time",
    min_support: int = 1,
    size: tuple[int, int] = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    labels: int | None = None,
    seed: int = 42,
) -> MapResult:
    """Draw the whole community's support as a PNG.

    Parameters
    ----------
    graph : networkx.DiGraph or SupportWeights
        The support graph (see :func:`retweetring.graph.support_graph`), or its arrays
        (:func:`retweetring.store.pairs.support_weights`): the same map, drawn without
        building the whole graph (only the drawn accounts' edges become a networkx graph).
    path : str or Path
        Where to write the PNG.
    top : int or None, optional (default=150)
        Draw only the `top` most connected accounts (see :func:`most_connected`); None
        for all.
    window_label : str, optional
        The time window in words, for the title.
    min_support : int, optional (default=1)
        The threshold k: only support edges with weight >= k are drawn.
    size : (int, int), optional
        Width and height of the image in pixels.
    dpi : int, optional
        Pixels per inch: larger makes text and nodes larger in the same image size.
    labels : int, optional
        Label at most this many accounts, those receiving the most support; by default 40
        on a 12 x 9 inch image (the default size at the default dpi), fewer on a smaller
        one. A label with no room beside its node is left out.
    seed : int, optional (default=42)
        Seed of the layout and the community detection.

    Returns
    -------
    MapResult
        What was drawn.

    Raises
    ------
    EmptyMapError
        If no support reaches `min_support` in the graph.
    MapSizeError
        If `size` cannot hold the title and legend at a readable size.
    """
    k = check_min_support(min_support)
    if isinstance(graph, SupportWeights):
        inputs = map_inputs(graph, k, seed)
        kept = inputs.kept
        _check_not_empty(kept, window_label, min_support)
        keep = inputs.ranked if top is None else inputs.ranked[:top]
        S = annotated_subgraph(
            inputs.subgraph(graph, keep), keep, kept, seed=seed, group=inputs.group
        )
    else:
        kept = KeptSupport.of(graph, k)
        _check_not_empty(kept, window_label, min_support)
        keep = most_connected_of(graph, kept, top)
        S = annotated_subgraph(graph, keep, kept, seed=seed)
    return _draw(S, kept, path, window_label, min_support, size, dpi, labels, seed)


def _check_not_empty(kept: KeptSupport, window_label: str, min_support: int) -> None:
    if kept.accounts() == 0:
        raise EmptyMapError(
            f"no support {in_window(window_label)} (min support {min_support}): nothing to map"
        )


def _draw(
    S: nx.DiGraph,
    kept: KeptSupport,
    path: str | Path,
    window_label: str,
    min_support: int,
    size: tuple[int, int],
    dpi: int,
    labels: int | None,
    seed: int,
) -> MapResult:
    """Draw the annotated subgraph `S` of the most connected accounts of `kept`."""
    left_out = kept.accounts() - len(S)
    pos = spring_positions(S, seed=seed)
    received = {n: S.nodes[n]["received"] for n in S}
    max_received = max(kept.received.values(), default=0) or 1
    groups = community_styles(S)
    colours = [groups.colour_of[n] for n in S]
    order = {node: i for i, node in enumerate(S)}  # label order (see annotated_graph)
    mutual = [(u, v) for u, v, m in S.edges(data="mutual") if m and order[u] < order[v]]
    one_sided = [(u, v) for u, v, m in S.edges(data="mutual") if not m]
    communities = len({S.nodes[n]["community"] for n in S} - {NO_COMMUNITY})
    by_support = sorted(S, key=lambda n: (-received[n], sort_key(S, n)))

    def draw(fig: Figure, ax: Axes, legend_ax: Axes) -> list[Hashable]:
        scale = NodeScale(len(S), size, fig.dpi, max_received)
        chosen = by_support[: labels if labels is not None else _label_count(fig)]
        view = View.fit(ax, pos, size)
        max_weight = max((S.edges[u, v]["weight"] for u, v in one_sided), default=1)
        draw_lines(
            ax,
            view,
            pos,
            [(u, v, S.edges[u, v]["weight"]) for u, v in one_sided],
            widths=(0.35, 1.6),
            max_weight=max_weight,
            colour=ONE_SIDED_LINE,
            alpha=0.5,
            arrows={n: scale.radius_px(received[n]) for n in S},
        )
        max_pair = max(
            (S.edges[u, v]["weight"] + S.edges[v, u]["weight"] for u, v in mutual), default=1
        )
        draw_lines(
            ax,
            view,
            pos,
            [(u, v, S.edges[u, v]["weight"] + S.edges[v, u]["weight"]) for u, v in mutual],
            widths=(0.8, 4.0),
            max_weight=max_pair,
            colour=MUTUAL_LINE,
            alpha=0.6,
        )
        xy = np.array([pos[n] for n in S])
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=[scale.area(received[n]) for n in S],
            c=colours,
            edgecolors="white",
            linewidths=0.6,
            zorder=3,
        )
        labelled = place_labels(
            fig,
            ax,
            view,
            [(n, label_of(S, n), pos[n], scale.radius_px(received[n])) for n in chosen],
        )
        counts = [
            count_text(len(S), "account"),
            count_text(len(mutual), "mutual pair"),
            count_text(len(one_sided), "one-sided relationship"),
            count_text(communities, "community"),
            f"min support {min_support}",
        ]
        lines = [" · ".join(counts)]
        if left_out:
            lines.append(
                f"Showing the {len(S):,} most connected of {kept.accounts():,} accounts; "
                f"{left_out:,} left out"
            )
        draw_title(fig, f"Who supports whom · {window_label}", lines)
        legend = groups.entries()
        legend += community_line_entries(
            min_support, max_weight, max_pair, bool(mutual), bool(one_sided)
        )
        note = labels_note(
            f"the {len(chosen)} accounts\nreceiving the most support",
            drawn=len(labelled),
            chosen=len(chosen),
            total=len(S),
        )
        draw_legend(legend_ax, legend, scale.samples(received.values()), note)
        return labelled

    labelled = draw_fitted(size, dpi, path, draw)
    width, height = size
    return MapResult(
        path=Path(path),
        kind="community",
        width=width,
        height=height,
        accounts=len(S),
        left_out=left_out,
        mutual_pairs=len(mutual),
        one_sided=len(one_sided),
        communities=communities,
        labelled=tuple(username_of(S, n) for n in labelled),
    )


@dataclass
class CommunityStyles:
    """The colour of each drawn account, and the legend entries that explain them."""

    colour_of: dict[Hashable, str]
    named: list[tuple[str, str]]  # (colour, label)
    other: tuple[int, int]  # accounts, communities sharing OTHER_COMMUNITY
    alone: int  # accounts with no mutual partner

    def entries(self) -> list[Any]:
        entries = [header("Colour: community (groups that\nsupport each other mutually)")]
        entries += [dot(colour, label) for colour, label in self.named]
        accounts, groups = self.other
        if accounts:
            entries.append(
                dot(OTHER_COMMUNITY, f"{accounts:,} accounts in {groups:,} smaller communities")
            )
        if self.alone:
            entries.append(dot(NO_COMMUNITY_COLOUR, f"{self.alone:,} with no mutual partner"))
        return entries


def community_styles(S: nx.DiGraph) -> CommunityStyles:
    members: dict[int, list[Hashable]] = {}
    for node, group in S.nodes(data="community"):
        members.setdefault(group, []).append(node)
    alone = len(members.pop(NO_COMMUNITY, []))
    order = sorted(members, key=lambda g: (-len(members[g]), g))
    colour_of = {n: NO_COMMUNITY_COLOUR for n in S}
    named = []
    other_accounts = 0
    for i, group in enumerate(order):
        nodes = members[group]
        if i < len(PALETTE):
            colour = PALETTE[i]
            star = min(nodes, key=lambda n: (-S.nodes[n]["received"], sort_key(S, n)))
            rest = len(nodes) - 1
            label = legend_handle_of(S, star) + (f" and {rest} more" if rest else "")
            named.append((colour, label))
        else:
            colour = OTHER_COMMUNITY
            other_accounts += len(nodes)
        for node in nodes:
            colour_of[node] = colour
    return CommunityStyles(
        colour_of, named, (other_accounts, max(0, len(order) - len(PALETTE))), alone
    )


def _label_count(fig: Figure) -> int:
    """How many accounts to label: 40 on a 12 x 9 inch figure, in proportion on others."""
    return max(10, round(40 * fig.get_figwidth() * fig.get_figheight() / 108))
