"""The ego map: the support around one account, with its best introductions."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from retweetring.analytics import introductions
from retweetring.analytics.labels import sort_key
from retweetring.analytics.shared import check_min_support, weight
from retweetring.errors import EmptyMapError
from retweetring.reports.maps.canvas import DEFAULT_DPI, DEFAULT_SIZE
from retweetring.reports.maps.drawing import NodeScale, View, draw_fitted, draw_lines, draw_title
from retweetring.reports.maps.labels import place_labels
from retweetring.reports.maps.layout import ego_positions
from retweetring.reports.maps.legend import (
    dot,
    draw_legend,
    ego_line_entries,
    header,
    labels_note,
)
from retweetring.reports.maps.result import MapResult
from retweetring.reports.maps.style import EGO_COLOURS
from retweetring.reports.maps.text import (
    LEGEND_HANDLE,
    count_text,
    handle_of,
    in_window,
    label_of,
    legend_handle_of,
    username_of,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["ego_map"]


def ego_map(
    graph: nx.DiGraph,
    account_node: Hashable,
    path: str | Path,
    *,
    top: int | None = 150,
    window_label: str = "all time",
    min_support: int = 1,
    introductions_shown: int = 5,
    size: tuple[int, int] = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    username: str | None = None,
) -> MapResult:
    """Draw the support around one account as a PNG.

    The account is in the centre; around it its mutual partners, the accounts that support
    it without being supported back, and the accounts it supports without being supported
    back; further out, its best introduction opportunities, joined to it by dashed lines.

    Parameters
    ----------
    graph : networkx.DiGraph
        The support graph.
    account_node : hashable
        The account (a node of the support graph, i.e. an account id).
    path : str or Path
        Where to write the PNG.
    top : int or None, optional (default=150)
        Draw only the `top` strongest relationships (support both ways added); None for all.
    window_label : str, optional
        The time window in words, for the title.
    min_support : int, optional (default=1)
        The threshold k for support, mutual and one-sided.
    introductions_shown : int, optional (default=5)
        How many introduction opportunities to draw (see
        :func:`retweetring.analytics.introductions`).
    size : (int, int), optional
        Width and height of the image in pixels.
    dpi : int, optional
        Pixels per inch.
    username : str, optional
        The account's username, for the message when it is not in `graph` at all.

    Returns
    -------
    MapResult
        What was drawn.

    Raises
    ------
    EmptyMapError
        If the account gives and receives no support reaching `min_support`.
    MapSizeError
        If `size` cannot hold the title and legend at a readable size.
    """
    k = check_min_support(min_support)
    centre = account_node
    gives = _support_of(graph.succ, centre, k) if centre in graph else {}
    gets = _support_of(graph.pred, centre, k) if centre in graph else {}
    if not gives and not gets:
        if centre in graph:
            who = handle_of(graph, centre)
        else:
            who = f"@{username}" if username else f"id:{centre}"
        raise EmptyMapError(
            f"{who} gives and receives no support {in_window(window_label)} "
            f"(min support {min_support}): nothing to map"
        )

    def strength(other: Hashable) -> int:
        return gives.get(other, 0) + gets.get(other, 0)

    neighbours = sorted(set(gives) | set(gets), key=lambda n: (-strength(n), sort_key(graph, n)))
    kept = neighbours if top is None else neighbours[:top]
    left_out = len(neighbours) - len(kept)
    relation = {}
    for other in kept:
        if other in gives and other in gets:
            relation[other] = "mutual"
        elif other in gets:
            relation[other] = "supporter"
        else:
            relation[other] = "supported"
    intros = introductions(graph, k, account=centre, top=introductions_shown)
    intro_nodes = [i.b if i.a == centre else i.a for i in intros]

    pos = ego_positions(centre, kept, relation, intros, intro_nodes)
    drawn = [centre, *kept, *intro_nodes]
    received = {n: sum(_support_of(graph.pred, n, k).values()) for n in drawn}
    kinds = {centre: "centre", **relation, **dict.fromkeys(intro_nodes, "introduction")}
    by_kind = {
        k: [n for n in kept if relation[n] == k] for k in ("mutual", "supporter", "supported")
    }
    me = handle_of(graph, centre)
    short = legend_handle_of(graph, centre)  # for the legend, which has a fixed width
    gap = "\n" if len(short) > LEGEND_HANDLE else " "  # a long handle: on a line of its own
    centre_label = label_of(graph, centre, 34)
    if "\n" not in centre_label:  # a person's label already names their accounts
        centre_label += f"\n{me}"
    around = [*kept, *intro_nodes][:80]

    def draw(fig: Figure, ax: Axes, legend_ax: Axes) -> list[Hashable]:
        scale = NodeScale(len(drawn), size, fig.dpi, max(received.values()) or 1, cap=650.0)
        view = View.fit(ax, pos, size, centred=True)
        radii = {n: scale.radius_px(received[n]) for n in drawn}
        max_weight = max((strength(n) for n in kept), default=1)
        via_lines = [
            (b, c, 1)
            for intro, c in zip(intros, intro_nodes, strict=True)
            for b in intro.via
            if b in pos
        ]
        draw_lines(
            ax,
            view,
            pos,
            via_lines,
            widths=(0.9, 0.9),
            max_weight=1,
            colour=EGO_COLOURS["introduction"],
            alpha=0.6,
            style=":",
        )
        draw_lines(
            ax,
            view,
            pos,
            [(centre, c, 1) for c in intro_nodes],
            widths=(1.4, 1.4),
            max_weight=1,
            colour=EGO_COLOURS["introduction"],
            alpha=0.9,
            style="--",
            bend=0.18,
        )
        draw_lines(
            ax,
            view,
            pos,
            [(centre, n, strength(n)) for n in by_kind["mutual"]],
            widths=(1.0, 5.0),
            max_weight=max_weight,
            colour=EGO_COLOURS["mutual"],
            alpha=0.7,
        )
        draw_lines(
            ax,
            view,
            pos,
            [(n, centre, gets[n]) for n in by_kind["supporter"]],
            widths=(1.0, 5.0),
            max_weight=max_weight,
            colour=EGO_COLOURS["supporter"],
            alpha=0.7,
            arrows=radii,
        )
        draw_lines(
            ax,
            view,
            pos,
            [(centre, n, gives[n]) for n in by_kind["supported"]],
            widths=(1.0, 5.0),
            max_weight=max_weight,
            colour=EGO_COLOURS["supported"],
            alpha=0.7,
            arrows=radii,
        )
        xy = np.array([pos[n] for n in drawn])
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=[scale.area(received[n]) for n in drawn],
            c=[EGO_COLOURS[kinds[n]] for n in drawn],
            edgecolors="white",
            linewidths=0.8,
            zorder=3,
        )
        labelled = place_labels(
            fig,
            ax,
            view,
            [(centre, centre_label, pos[centre], radii[centre])]
            + [(n, label_of(graph, n), pos[n], radii[n]) for n in around],
            radial=True,
        )
        counts = [
            count_text(len(by_kind["mutual"]), "mutual partner"),
            count_text(len(by_kind["supporter"]), "unreturned supporter"),
            f"supports {len(by_kind['supported']):,} without return",
            count_text(len(intro_nodes), "introduction"),
            f"min support {min_support}",
        ]
        lines = [" · ".join(counts)]
        if left_out:
            lines.append(
                f"Showing the {len(kept):,} strongest of {len(neighbours):,} relationships; "
                f"{left_out:,} left out"
            )
        draw_title(fig, f"Support around {me} · {window_label}", lines)
        kinds_drawn = [
            ("mutual", f"mutual partners ({len(by_kind['mutual'])})"),
            (
                "supporter",
                f"support {short}, not returned\n({len(by_kind['supporter'])})"
                if gap == " "
                else f"support {short},\nnot returned ({len(by_kind['supporter'])})",
            ),
            (
                "supported",
                f"{short} supports them, not\nreturned ({len(by_kind['supported'])})"
                if gap == " "
                else f"{short} supports them,\nnot returned ({len(by_kind['supported'])})",
            ),
        ]
        legend = [
            header(f"Colour: relationship to{gap}{short}"),
            dot(EGO_COLOURS["centre"], short),
        ]
        legend += [dot(EGO_COLOURS[kind], text) for kind, text in kinds_drawn if by_kind[kind]]
        if intro_nodes:
            worth = f"worth introducing to{gap}{short}\n({len(intro_nodes)}, best first)"
            legend.append(dot(EGO_COLOURS["introduction"], worth))
        legend += ego_line_entries(
            min_support,
            mutual=bool(by_kind["mutual"]),
            one_sided=bool(by_kind["supporter"] or by_kind["supported"]),
            intros=bool(intro_nodes),
        )
        note = labels_note(
            f"{short} and the {len(around)}\nstrongest relationships",
            drawn=len(labelled),
            chosen=1 + len(around),
            total=len(drawn),
        )
        draw_legend(legend_ax, legend, scale.samples(received.values()), note)
        return labelled

    labelled = draw_fitted(size, dpi, path, draw)
    width, height = size
    return MapResult(
        path=Path(path),
        kind="ego",
        width=width,
        height=height,
        accounts=len(drawn),
        left_out=left_out,
        mutual_pairs=len(by_kind["mutual"]),
        one_sided=len(by_kind["supporter"]) + len(by_kind["supported"]),
        introductions=len(intro_nodes),
        labelled=tuple(username_of(graph, n) for n in labelled),
        account=username_of(graph, centre),
    )


def _support_of(
    adjacency: Mapping[Hashable, Mapping[Hashable, Mapping[str, Any]]], node: Hashable, k: int
) -> dict[Hashable, int]:
    """Weights of `node`'s edges in `adjacency` (``G.succ``: support given, ``G.pred``:
    received) that reach `k`, by the account at the other end; self-loops left out."""
    found = {}
    for other, data in adjacency[node].items():
        w = weight(data)
        if other != node and w >= k:
            found[other] = w
    return found
