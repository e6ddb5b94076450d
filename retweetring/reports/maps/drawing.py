"""Drawing a map: the figure, its view of the positions, nodes' sizes, lines, title and PNG.

A map is drawn at the dpi asked for unless its title and legend would not fit the image at
that dpi; then all of its text and nodes are drawn smaller (at a lower "text dpi", never
below ``MIN_TEXT_DPI``) in an image of the same pixels, and the PNG still records the dpi
asked for. An image too small even so is refused with :class:`MapSizeError`.

Drawing uses matplotlib's object API (a ``Figure`` on an Agg canvas, never pyplot), inside
an ``rc_context`` with matplotlib's default style, so the user's matplotlibrc cannot change
the result and nothing leaks between calls. Edges are drawn as line collections, so a map of
2,000 accounts and tens of thousands of edges takes seconds. matplotlib is imported only
when something is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from retweetring.errors import MapSizeError
from retweetring.reports.maps.canvas import (
    LEGEND_SHARE,
    LEGEND_WIDTH,
    MARGIN,
    MIN_TEXT_DPI,
    TITLE_BAND,
    TITLE_SHARE,
)
from retweetring.reports.maps.layout import Positions
from retweetring.reports.maps.style import FONT

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "NodeScale",
    "View",
    "draw_fitted",
    "draw_lines",
    "draw_title",
    "figure",
    "save_png",
    "text_overflow",
]

T = TypeVar("T")
#: A text dpi at most this share of the one that would just fit, so that it surely fits.
_FIT_SLACK = 0.98


def draw_fitted(
    size: tuple[int, int],
    dpi: int,
    path: str | Path,
    draw: Callable[[Figure, Axes, Axes], tuple[T, Callable[[], None]]],
) -> T:
    """Draw a map with `draw` on a figure of `size` pixels and write it to `path` as a PNG.

    `draw` gets the figure, the map axes and the legend axes and draws every text (with what
    places it); it returns its result and a function that draws what lies beneath the text
    (lines and nodes, below the labels' zorder, which cannot move text). `draw` is called
    again on a fresh figure with a lower dpi while any text spills out of the image; only
    the figure written gets what lies beneath, so the lines are built once.

    Returns
    -------
    Whatever `draw` returned for the figure written.

    Raises
    ------
    MapSizeError
        If the title and legend do not fit even at ``MIN_TEXT_DPI``; the message says the
        smallest size that holds them.
    """
    width, height = size
    text_dpi = min(
        float(dpi),
        width * LEGEND_SHARE / LEGEND_WIDTH,
        height * TITLE_SHARE / TITLE_BAND,
    )
    for _ in range(4):
        drawn_dpi = max(text_dpi, MIN_TEXT_DPI)
        with figure(size, drawn_dpi) as (fig, ax, legend_ax):
            result, beneath = draw(fig, ax, legend_ax)
            spill_x, spill_y = text_overflow(fig)
            if spill_x <= 1.0 and spill_y <= 1.0 and text_dpi >= MIN_TEXT_DPI:
                beneath()
                save_png(fig, path, dpi=dpi)
                return result
        if text_dpi < MIN_TEXT_DPI:
            break
        text_dpi = min(text_dpi, drawn_dpi / max(spill_x, spill_y) * _FIT_SLACK)
    need_x = max(width * max(spill_x, 1.0), LEGEND_WIDTH * MIN_TEXT_DPI / LEGEND_SHARE)
    need_y = max(height * max(spill_y, 1.0), TITLE_BAND * MIN_TEXT_DPI / TITLE_SHARE)
    least = f"{_round_up(need_x / _FIT_SLACK)}x{_round_up(need_y / _FIT_SLACK)}"
    raise MapSizeError(
        f"size {width}x{height} is too small for the map's title and legend: "
        f"use at least {least} pixels"
    )


def _round_up(pixels: float) -> int:
    """Pixels rounded up to a multiple of ten."""
    return int(math.ceil(pixels / 10.0) * 10)


def text_overflow(fig: Figure) -> tuple[float, float]:
    """How far the figure's text reaches beyond the figure, across and down.

    Returns
    -------
    (float, float)
        The width and height the text needs (measured from the figure's left and top edges,
        where the layout starts) as shares of the figure's less a 1% margin; at most 1 when
        all text fits.
    """
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    boxes = [t.get_window_extent(renderer) for t in fig.texts if t.get_text()]
    for ax in fig.axes:
        boxes += [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
        legend = ax.get_legend()
        if legend is not None:  # its texts are placed only when it is drawn
            boxes.append(legend.get_window_extent(renderer))
    across = max(((box.x1 - frame.x0) / (0.99 * frame.width) for box in boxes), default=0.0)
    down = max(((frame.y1 - box.y0) / (0.99 * frame.height) for box in boxes), default=0.0)
    return across, down


@contextmanager
def figure(size: tuple[int, int], dpi: float) -> Iterator[tuple[Figure, Axes, Axes]]:
    """A figure of exactly `size` pixels with a map axes and a legend axes, default style."""
    import matplotlib
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.style.use("default")
        matplotlib.rcParams.update(
            {"font.family": FONT, "text.usetex": False, "savefig.bbox": "standard"}
        )
        width, height = size
        fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
        if (int(fig.bbox.width), int(fig.bbox.height)) != size:  # rounded down by a hair
            fig.set_size_inches((width + 1e-6) / dpi, (height + 1e-6) / dpi)
        FigureCanvasAgg(fig)
        band = min(TITLE_SHARE, TITLE_BAND * dpi / height)
        side = min(LEGEND_SHARE, LEGEND_WIDTH * dpi / width)
        ax = fig.add_axes((0.01, 0.01, 0.98 - side, 0.98 - band))
        ax.set_axis_off()
        legend_ax = fig.add_axes((0.99 - side, 0.01, side, 0.98 - band))
        legend_ax.set_axis_off()
        yield fig, ax, legend_ax


@dataclass(frozen=True)
class View:
    """Data limits of the map axes, with the same scale on both axes."""

    px_per_unit: float

    @classmethod
    def fit(cls, ax: Axes, pos: Positions, size: tuple[int, int], *, centred: bool = False) -> View:
        """Set `ax`'s limits so that every position fits, with room for labels."""
        box = ax.get_position()
        width_px, height_px = box.width * size[0], box.height * size[1]
        xy = np.array(list(pos.values()))
        low, high = xy.min(axis=0), xy.max(axis=0)
        if centred:
            reach = float(np.abs(xy).max()) or 1.0
            low, high = np.array([-reach, -reach]), np.array([reach, reach])
        span = np.maximum(high - low, 1e-9)
        usable = np.array([width_px, height_px]) - 2 * np.array(MARGIN) * ax.figure.dpi
        usable = np.maximum(usable, 0.5 * np.array([width_px, height_px]))
        px = float(min(usable / span))
        centre = (low + high) / 2
        half = np.array([width_px, height_px]) / 2 / px
        ax.set_xlim(centre[0] - half[0], centre[0] + half[0])
        ax.set_ylim(centre[1] - half[1], centre[1] + half[1])
        return cls(px)


class NodeScale:
    """Node area proportional to support received, sized for the image."""

    def __init__(
        self,
        count: int,
        size: tuple[int, int],
        dpi: float,
        max_received: int,
        cap: float = 1100.0,
    ) -> None:
        inches = (size[0] / dpi) * (size[1] / dpi)
        self.largest = min(cap, 11000.0 / math.sqrt(max(count, 1))) * inches / 108.0
        self.smallest = max(self.largest / 30.0, 4.0)
        self.max_received = max(max_received, 1)
        self.dpi = dpi

    def area(self, received: int) -> float:
        """Marker area in points squared."""
        share = received / self.max_received
        return self.smallest + (self.largest - self.smallest) * share

    def radius_px(self, received: int) -> float:
        """Marker radius in pixels."""
        return math.sqrt(self.area(received)) / 2 * self.dpi / 72

    def samples(self, received: Iterable[int]) -> list[tuple[str, float]]:
        """Size-key rows for the smallest, middle and largest support received drawn."""
        values = sorted(set(received))
        picks = sorted({values[0], values[len(values) // 2], values[-1]}) if values else []
        return [(f"{value:,} received", self.area(value)) for value in picks]


def draw_lines(
    ax: Axes,
    view: View,
    pos: Positions,
    edges: Sequence[tuple[Hashable, Hashable, float]],
    *,
    widths: tuple[float, float],
    max_weight: float,
    colour: str,
    alpha: float,
    style: str = "-",
    arrows: dict[Hashable, float] | None = None,
    bend: float = 0.0,
) -> None:
    """Draw `edges` as one LineCollection, width by weight.

    With `arrows` (node radii in pixels), each line stops at its target's edge under a
    filled arrowhead. With `bend`, lines curve to one side by that share of their length.
    """
    from matplotlib.collections import LineCollection, PolyCollection

    if not edges:
        return
    start = np.array([pos[u] for u, _, _ in edges], dtype=float)
    end = np.array([pos[v] for _, v, _ in edges], dtype=float)
    weights = np.array([w for _, _, w in edges], dtype=float)
    low, high = widths
    share = np.log1p(weights) / math.log1p(max(max_weight, 1))
    lw = low + (high - low) * np.clip(share, 0.0, 1.0)
    if arrows is not None:
        vector = end - start
        length = np.maximum(np.hypot(vector[:, 0], vector[:, 1]), 1e-12)
        unit = vector / length[:, None]
        target = np.array([arrows[v] for _, v, _ in edges]) + 1.5
        tip = end - unit * (target / view.px_per_unit)[:, None]
        head_px = np.minimum(4.0 + 1.3 * lw * ax.figure.dpi / 72, 14.0)
        base = tip - unit * (head_px / view.px_per_unit)[:, None]
        normal = (
            np.stack([-unit[:, 1], unit[:, 0]], axis=1)
            * (head_px * 0.45 / view.px_per_unit)[:, None]
        )
        heads = np.stack([tip, base + normal, base - normal], axis=1)
        ax.add_collection(
            PolyCollection(
                heads, facecolors=colour, edgecolors="none", alpha=min(1.0, alpha + 0.2), zorder=2
            )
        )
        end = base
    segments = np.stack([start, end], axis=1)
    if bend:
        t = np.linspace(0.0, 1.0, 24)[None, :, None]
        normal = np.stack([-(end - start)[:, 1], (end - start)[:, 0]], axis=1) * bend
        control = ((start + end) / 2 + normal)[:, None, :]
        segments = (
            (1 - t) ** 2 * start[:, None, :] + 2 * (1 - t) * t * control + t**2 * end[:, None, :]
        )
    lines = LineCollection(
        segments, linewidths=lw, colors=colour, alpha=alpha, linestyles=style, zorder=1
    )
    lines.set_capstyle("butt")
    ax.add_collection(lines)


def draw_title(fig: Figure, title: str, lines: Sequence[str]) -> None:
    """The title and, under it, lines of counts (later lines in red: what was left out)."""
    inch = fig.dpi_scale_trans
    height = fig.get_figheight()
    fig.text(
        0.15,
        height - 0.12,
        title,
        ha="left",
        va="top",
        fontsize=13,
        fontweight="bold",
        parse_math=False,
        transform=inch,
    )
    for i, line in enumerate(lines):
        fig.text(
            0.15,
            height - 0.46 - i * 0.22,
            line,
            ha="left",
            va="top",
            fontsize=9,
            color="#333333" if i == 0 else "#b03030",
            parse_math=False,
            transform=inch,
        )


def save_png(fig: Figure, path: str | Path, dpi: float | None = None) -> None:
    """Write the figure as an opaque RGB PNG (a third smaller than matplotlib's RGBA).

    The PNG records `dpi`, by default the figure's.
    """
    from PIL import Image

    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    dpi = fig.dpi if dpi is None else dpi
    Image.fromarray(pixels).save(path, format="PNG", dpi=(dpi, dpi))
