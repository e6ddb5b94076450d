"""Account labels on a map: each beside its node, off the other labels, inside the map."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from retweetring.reports.maps.drawing import View

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["place_labels"]


def place_labels(
    fig: Figure,
    ax: Axes,
    view: View,
    items: Sequence[tuple[Hashable, str, tuple[float, float], float]],
    *,
    radial: bool = False,
) -> list[Hashable]:
    """Label nodes with plain text (no mathtext), off each other's labels, inside the map.

    Each label tries spots around its node (outwards first with `radial`) and takes the first
    that overlaps no earlier label and stays inside the map, else the first spot moved inside
    the map; a label that would still overlap an earlier one is left out. The first label
    is always drawn.

    Returns
    -------
    list
        The keys (first item of each of `items`) of the labels drawn, in order.
    """
    from matplotlib import patheffects

    renderer = fig.canvas.get_renderer()
    bounds = ax.get_window_extent(renderer)
    placed: list[Any] = []
    drawn: list[Hashable] = []
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.9)]
    for i, (key, text, (x, y), radius) in enumerate(items):
        gap = (radius + 3) / view.px_per_unit
        slant = gap * 0.75
        candidates = []
        if radial and (x, y) != (0.0, 0.0):
            norm = math.hypot(x, y)
            ux, uy = x / norm, y / norm
            if abs(uy) > 0.85:  # straight above or below: centred over or under the node
                candidates.append((0.0, uy * gap, "center", "bottom" if uy > 0 else "top"))
            else:
                candidates.append((ux * gap, uy * gap, "left" if ux >= 0 else "right", "center"))
        candidates += [
            (0.0, gap, "center", "bottom"),
            (0.0, -gap, "center", "top"),
            (gap, 0.0, "left", "center"),
            (-gap, 0.0, "right", "center"),
            (slant, slant, "left", "bottom"),
            (-slant, slant, "right", "bottom"),
            (slant, -slant, "left", "top"),
            (-slant, -slant, "right", "top"),
        ]
        style = {
            "fontsize": 9.5 if radial and i == 0 else 8.5,
            "fontweight": "bold" if radial and i == 0 else "normal",
            "parse_math": False,
            "zorder": 4,
            "path_effects": halo,
            "multialignment": "center",
        }
        if radial and i == 0:  # the account in the centre: on a white card over its lines
            style["bbox"] = {
                "boxstyle": "round,pad=0.25",
                "fc": "white",
                "ec": "none",
                "alpha": 0.85,
            }
        chosen = None
        for dx, dy, ha, va in candidates:
            attempt = ax.text(x + dx, y + dy, text, ha=ha, va=va, **style)
            box = attempt.get_window_extent(renderer)
            inside = (
                box.x0 >= bounds.x0
                and box.x1 <= bounds.x1
                and box.y0 >= bounds.y0
                and box.y1 <= bounds.y1
            )
            if inside and not any(box.overlaps(other) for other in placed):
                chosen = box
                break
            attempt.remove()
        if chosen is None:  # no free spot: the first one, moved inside the map
            dx, dy, ha, va = candidates[0]
            attempt = ax.text(x + dx, y + dy, text, ha=ha, va=va, **style)
            box = attempt.get_window_extent(renderer)
            shift_x = max(bounds.x0 - box.x0, 0.0) - max(box.x1 - bounds.x1, 0.0)
            shift_y = max(bounds.y0 - box.y0, 0.0) - max(box.y1 - bounds.y1, 0.0)
            attempt.set_position(
                (x + dx + shift_x / view.px_per_unit, y + dy + shift_y / view.px_per_unit)
            )
            chosen = attempt.get_window_extent(renderer)
            if any(chosen.overlaps(other) for other in placed):  # no room: left out
                attempt.remove()
                continue
        placed.append(chosen)
        drawn.append(key)
    return drawn
