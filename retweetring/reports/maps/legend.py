"""The legend beside a map: what colours, lines and sizes mean, and which accounts are labelled.

Entries are matplotlib legend handles; :func:`header` makes a bold heading row, :func:`dot` a
coloured node row, and the line-entry functions one row per kind of line actually drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from retweetring.reports.maps.style import (
    EGO_COLOURS,
    MUTUAL_LINE,
    NO_COMMUNITY_COLOUR,
    ONE_SIDED_LINE,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "community_line_entries",
    "dot",
    "draw_legend",
    "ego_line_entries",
    "header",
    "labels_note",
]


def header(text: str) -> Any:
    """A bold heading row."""
    from matplotlib.lines import Line2D

    handle = Line2D([], [], linestyle="none", label=text)
    handle._retweetring_header = True  # type: ignore[attr-defined]
    return handle


def dot(colour: str, label: str, markersize: float = 9.0) -> Any:
    """A row with a node of `colour`."""
    from matplotlib.lines import Line2D

    return Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=markersize,
        markerfacecolor=colour,
        markeredgecolor="white" if colour != NO_COMMUNITY_COLOUR else "#999999",
        label=label,
    )


def draw_legend(
    ax: Axes, handles: list[Any], sizes: Sequence[tuple[str, float]], note: str
) -> None:
    """The legend: `handles` (bold headers), then a size key drawn to scale, then `note`.

    `sizes` holds ``(label, marker area in points squared)`` pairs, drawn with the same
    areas as the map's nodes.
    """
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=8,
        handlelength=2.4,
        borderaxespad=0.2,
        labelspacing=0.7,
    )
    for handle, text in zip(handles, legend.get_texts(), strict=True):
        text.set_parse_math(False)
        if getattr(handle, "_retweetring_header", False):
            text.set_fontweight("bold")
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    to_axes = ax.transAxes.inverted()
    pt = fig.dpi / 72
    left = frame.x0 + 8 * pt
    y = legend.get_window_extent(renderer).y0 - 10 * pt
    size_title = _text(ax, (left, y), "Size: support received\n(retweets of their promotions)")
    y = size_title.get_window_extent(renderer).y0 - 6 * pt
    widest = max((math.sqrt(area) for _, area in sizes), default=0.0) * pt
    for label, area in sizes:
        diameter = math.sqrt(area) * pt
        centre_y = y - max(diameter, 10 * pt) / 2
        ax.scatter(
            *to_axes.transform((left + widest / 2, centre_y)),
            s=area,
            c=NO_COMMUNITY_COLOUR,
            edgecolors="#999999",
            linewidths=0.6,
            transform=ax.transAxes,
            clip_on=False,
        )
        _text(ax, (left + widest + 8 * pt, centre_y), label, va="center", fontweight="normal")
        y = centre_y - max(diameter, 10 * pt) / 2 - 5 * pt
    _text(ax, (left, y - 6 * pt), note)


def _text(
    ax: Axes, where: tuple[float, float], text: str, va: str = "top", fontweight: str = "bold"
) -> Any:
    """Plain 8-point legend text at `where` (in pixels), left-aligned."""
    return ax.text(
        *ax.transAxes.inverted().transform(where),
        text,
        fontsize=8,
        fontweight=fontweight,
        va=va,
        ha="left",
        parse_math=False,
        transform=ax.transAxes,
    )


def labels_note(which: str, *, drawn: int, chosen: int, total: int) -> str:
    """The legend's line on the labels: `which` accounts were chosen, and any with no room.

    >>> labels_note("the 3 busiest", drawn=2, chosen=3, total=9)
    'Labels: the 3 busiest;\\nno room for 1 of them'
    >>> labels_note("the 9 busiest", drawn=9, chosen=9, total=9)
    'Labels: every account'
    """
    if drawn == total:
        return "Labels: every account"
    note = f"Labels: {which}"
    return note if drawn == chosen else f"{note};\nno room for {chosen - drawn} of them"


def community_line_entries(
    min_support: int, max_one: int, max_pair: int, mutual: bool, arrows: bool
) -> list[Any]:
    """Legend rows for the kinds of line on the map, and only those."""
    from matplotlib.lines import Line2D

    if not (mutual or arrows):
        return []
    entries = [header("Lines")]
    if mutual:
        entries.append(
            Line2D(
                [],
                [],
                color=MUTUAL_LINE,
                lw=2.2,
                alpha=0.8,
                label=f"mutual support (each way ≥ {min_support});\n"
                f"width: retweets both ways (max {max_pair})",
            )
        )
    if arrows:
        entries.append(
            Line2D(
                [],
                [],
                color=ONE_SIDED_LINE,
                lw=1.0,
                marker=">",
                markersize=6,
                label="one-sided support, arrow points to\n"
                f"the supported; width: retweets (max {max_one})",
            )
        )
    return entries


def ego_line_entries(min_support: int, *, mutual: bool, one_sided: bool, intros: bool) -> list[Any]:
    """Legend rows for the kinds of line on the ego map, and only those."""
    from matplotlib.lines import Line2D

    entries = [header("Lines (width: retweets)")]
    if mutual:
        label = f"mutual support (each way ≥ {min_support})"
        entries.append(Line2D([], [], color=EGO_COLOURS["mutual"], lw=2.5, label=label))
    if one_sided:
        label = "one-sided support, arrow points\nto the supported (coloured as above)"
        entries.append(
            Line2D([], [], color="#555555", lw=1.5, marker=">", markersize=6, label=label)
        )
    if intros:
        colour = EGO_COLOURS["introduction"]
        intro = "introduction: no support\neither way yet"
        entries.append(Line2D([], [], color=colour, lw=1.4, ls="--", label=intro))
        via = "to the mutual partner\nthey share"
        entries.append(Line2D([], [], color=colour, lw=0.8, ls=":", label=via))
    return entries
