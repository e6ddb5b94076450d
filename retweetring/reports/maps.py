"""PNG maps of the support graph: the whole community, or the support around one account.

Drawing uses matplotlib's object API (a ``Figure`` on an Agg canvas, never pyplot), inside
an ``rc_context`` with matplotlib's default style, so the user's matplotlibrc cannot change
the result and nothing leaks between calls. Edges are drawn as line collections, so a map of
2,000 accounts and tens of thousands of edges takes seconds.

Names and usernames are user input. They are drawn as plain text (matplotlib's mathtext is
off for them, so ``$``, ``_``, ``^`` and ``\\`` stay as typed); characters the map's font
(DejaVu Sans) cannot draw, such as emoji, are left out, and control characters become spaces.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from retweetring.analytics import introductions
from retweetring.analytics._graph import check_min_support, weight
from retweetring.analytics._labels import sort_key
from retweetring.analytics.annotate import NO_COMMUNITY, annotated_graph
from retweetring.errors import EmptyMapError
from retweetring.reports.layout import Positions, spring_positions

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_SIZE",
    "MapResult",
    "community_map",
    "display_text",
    "ego_map",
    "most_connected",
    "parse_size",
]

DEFAULT_SIZE = (1800, 1350)
DEFAULT_DPI = 150
FONT = "DejaVu Sans"

# Community colours: tab10 without its grey; smaller communities share one colour.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
)
OTHER_COMMUNITY = "#9e9ab8"
NO_COMMUNITY_COLOUR = "#d0d0d0"
MUTUAL_LINE = "#3b3b3b"
ONE_SIDED_LINE = "#8c8c8c"
# Ego map: the relationship of each account to the one in the centre.
EGO_COLOURS = {
    "centre": "#222222",
    "mutual": "#2ca02c",
    "supporter": "#1f77b4",
    "supported": "#ff7f0e",
    "introduction": "#9467bd",
}
# Room for the text, in inches (text is sized in points, so it scales with the dpi).
_TITLE_BAND = 1.05  # above the map
_LEGEND_WIDTH = 2.9  # right of the map
_MARGIN = (0.75, 0.2)  # around the outermost nodes, for their labels


@dataclass(frozen=True)
class MapResult:
    """What a map shows, in numbers.

    Attributes
    ----------
    path : Path
        The PNG written.
    kind : str
        ``"community"`` or ``"ego"``.
    width, height : int
        The image size in pixels.
    accounts : int
        Accounts drawn (for an ego map, including the account in the centre).
    left_out : int
        Accounts that would be on the map but were left out by `top`.
    mutual_pairs : int
        Mutual pairs drawn.
    one_sided : int
        One-sided support relationships drawn.
    communities : int
        Communities with at least one account on the map (community map only).
    introductions : int
        Introduction opportunities drawn (ego map only).
    labelled : tuple of str
        Usernames of the accounts labelled on the map.
    account : str or None
        The ego map's account (username).
    """

    path: Path
    kind: str
    width: int
    height: int
    accounts: int
    left_out: int
    mutual_pairs: int
    one_sided: int
    communities: int = 0
    introductions: int = 0
    labelled: tuple[str, ...] = field(default=())
    account: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready plain data."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["labelled"] = list(self.labelled)
        return data

    def summary(self) -> str:
        """Return one line saying what was drawn and what was left out."""
        what = "map" if self.kind == "community" else f"map of @{self.account}"
        parts = [
            _count(self.accounts, "account"),
            _count(self.mutual_pairs, "mutual pair"),
            f"{self.one_sided:,} one-sided",
        ]
        if self.kind == "community":
            parts.append(_count(self.communities, "community"))
        else:
            parts.append(_count(self.introductions, "introduction"))
        left = f"; {self.left_out:,} left out (--top)" if self.left_out else "; none left out"
        return f"wrote {what} to {self.path} ({self.width}x{self.height}): {', '.join(parts)}{left}"


def parse_size(text: str) -> tuple[int, int]:
    """Return ``(width, height)`` in pixels from text like ``1600x1200``.

    >>> parse_size("1600x1200"), parse_size(" 800 X 600 ")
    ((1600, 1200), (800, 600))
    """
    parts = text.lower().replace(" ", "").split("x")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"size {text!r} is not WIDTHxHEIGHT in pixels, like 1600x1200")
    width, height = int(parts[0]), int(parts[1])
    if not (200 <= width <= 10_000 and 200 <= height <= 10_000):
        raise ValueError(f"size {text!r}: width and height must be 200 to 10000 pixels")
    return width, height


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """The code points the map's font can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(FT2Font(path).get_charmap())


def display_text(text: str | None, limit: int = 28) -> str:
    """Return `text` as the map draws it: one line, drawable characters, at most `limit`.

    Control characters (newlines, tabs) become spaces; format characters (bidi controls,
    zero-width joiners) and characters the font cannot draw (emoji) are left out; runs of
    spaces collapse. Longer texts end in an ellipsis.

    >>> display_text("Holly's Bakery 🥐")
    "Holly's Bakery"
    >>> display_text("Thread_Bare $tudio\\n^_^")
    'Thread_Bare $tudio ^_^'
    >>> display_text("A very long business name that goes on", limit=12)
    'A very long…'
    """
    if not text:
        return ""
    drawable = _drawable()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp"} or char.isspace():
            kept.append(" ")
        elif category != "Cf" and ord(char) in drawable:
            kept.append(char)
    cleaned = " ".join("".join(kept).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def _username(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("username") or node)


def _handle(G: nx.Graph, node: Hashable) -> str:
    """``@username`` as drawable text, else the node id."""
    shown = display_text(_username(G, node), limit=40)
    return f"@{shown}" if shown else f"id:{node}"


def _name(G: nx.Graph, node: Hashable, limit: int = 26) -> str:
    """The display name as drawable text, else ``@username``."""
    return display_text(G.nodes[node].get("name"), limit) or _handle(G, node)


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


# --- the community map ------------------------------------------------------------------------


def community_map(
    graph: nx.DiGraph,
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
    graph : networkx.DiGraph
        The support graph (see :func:`retweetring.graph.support_graph`).
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
        Label this many accounts, those receiving the most support; by default 40 on a
        12 x 9 inch image (the default size at the default dpi), fewer on a smaller one.
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
    """
    A = annotated_graph(graph, min_support, seed=seed)
    if A.number_of_nodes() == 0:
        raise EmptyMapError(
            f"no support {_in_window(window_label)} (min support {min_support}): nothing to map"
        )
    keep = most_connected(A, top)
    left_out = A.number_of_nodes() - len(keep)
    S = A if left_out == 0 else A.subgraph(keep).copy()
    pos = spring_positions(S, seed=seed)
    received = {n: S.nodes[n]["received"] for n in S}
    max_received = max(A.nodes[n]["received"] for n in A) or 1
    scale = _NodeScale(len(S), size, dpi, max_received)

    groups = _community_styles(S)
    colours = [groups.colour_of[n] for n in S]
    order = {node: i for i, node in enumerate(S)}  # label order (see annotated_graph)
    mutual = [(u, v) for u, v, m in S.edges(data="mutual") if m and order[u] < order[v]]
    one_sided = [(u, v) for u, v, m in S.edges(data="mutual") if not m]

    if labels is None:
        labels = max(10, round(40 * (size[0] / dpi) * (size[1] / dpi) / 108))
    labelled = sorted(S, key=lambda n: (-received[n], sort_key(S, n)))[:labels]
    width, height = size
    with _drawing(size, dpi) as (fig, ax, legend_ax):
        view = _View.fit(ax, pos, size)
        max_weight = max((S.edges[u, v]["weight"] for u, v in one_sided), default=1)
        _draw_lines(
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
        _draw_lines(
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
        _place_labels(
            fig,
            ax,
            view,
            [(n, _name(S, n), pos[n], scale.radius_px(received[n])) for n in labelled],
        )

        communities = len({S.nodes[n]["community"] for n in S} - {NO_COMMUNITY})
        counts = [
            _count(len(S), "account"),
            _count(len(mutual), "mutual pair"),
            _count(len(one_sided), "one-sided relationship"),
            _count(communities, "community"),
            f"min support {min_support}",
        ]
        lines = [" · ".join(counts)]
        if left_out:
            lines.append(
                f"Showing the {len(S):,} most connected of {A.number_of_nodes():,} accounts; "
                f"{left_out:,} left out"
            )
        _title(fig, f"Who supports whom · {window_label}", lines)
        legend = groups.entries()
        legend += _line_entries(min_support, max_weight, max_pair, bool(mutual), bool(one_sided))
        shown = len(labelled)
        note = (
            "Labels: every account"
            if shown == len(S)
            else f"Labels: the {shown} accounts\nreceiving the most support"
        )
        _legend(legend_ax, legend, scale.samples(received.values()), note)
        _save_png(fig, path)
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
        labelled=tuple(_username(S, n) for n in labelled),
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


def _count(n: int, thing: str) -> str:
    """``1 mutual pair``, ``2 mutual pairs``, ``2 communities``."""
    if n == 1:
        return f"{n:,} {thing}"
    return f"{n:,} {thing[:-1]}ies" if thing.endswith("y") else f"{n:,} {thing}s"


def _in_window(window_label: str) -> str:
    return "at any time" if window_label == "all time" else f"in {window_label}"


@dataclass
class _CommunityStyles:
    """The colour of each drawn account, and the legend entries that explain them."""

    colour_of: dict[Hashable, str]
    named: list[tuple[str, str]]  # (colour, label)
    other: tuple[int, int]  # accounts, communities sharing OTHER_COMMUNITY
    alone: int  # accounts with no mutual partner

    def entries(self) -> list[Any]:
        entries = [_header("Colour: community (groups that\nsupport each other mutually)")]
        entries += [_dot(colour, label) for colour, label in self.named]
        accounts, groups = self.other
        if accounts:
            entries.append(
                _dot(OTHER_COMMUNITY, f"{accounts:,} accounts in {groups:,} smaller communities")
            )
        if self.alone:
            entries.append(_dot(NO_COMMUNITY_COLOUR, f"{self.alone:,} with no mutual partner"))
        return entries


def _community_styles(S: nx.DiGraph) -> _CommunityStyles:
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
            label = _handle(S, star) + (f" and {rest} more" if rest else "")
            named.append((colour, label))
        else:
            colour = OTHER_COMMUNITY
            other_accounts += len(nodes)
        for node in nodes:
            colour_of[node] = colour
    return _CommunityStyles(
        colour_of, named, (other_accounts, max(0, len(order) - len(PALETTE))), alone
    )


def _line_entries(
    min_support: int, max_one: int, max_pair: int, mutual: bool, arrows: bool
) -> list[Any]:
    """Legend rows for the kinds of line on the map, and only those."""
    from matplotlib.lines import Line2D

    if not (mutual or arrows):
        return []
    entries = [_header("Lines")]
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


class _NodeScale:
    """Node area proportional to support received, sized for the image."""

    def __init__(
        self, count: int, size: tuple[int, int], dpi: int, max_received: int, cap: float = 1100.0
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
        return math.sqrt(self.area(received)) / 2 * self.dpi / 72

    def samples(self, received: Any) -> list[tuple[str, float]]:
        """Size-key rows for the smallest, middle and largest support received drawn."""
        values = sorted(set(received))
        picks = sorted({values[0], values[len(values) // 2], values[-1]}) if values else []
        return [(f"{value:,} received", self.area(value)) for value in picks]


# --- the ego map ------------------------------------------------------------------------------


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
    """
    k = check_min_support(min_support)
    centre = account_node
    gives = _support_of(graph.succ, centre, k) if centre in graph else {}
    gets = _support_of(graph.pred, centre, k) if centre in graph else {}
    if not gives and not gets:
        if centre in graph:
            who = _handle(graph, centre)
        else:
            who = f"@{username}" if username else f"id:{centre}"
        raise EmptyMapError(
            f"{who} gives and receives no support {_in_window(window_label)} "
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

    pos = _ego_positions(centre, kept, relation, intros, intro_nodes)
    drawn = [centre, *kept, *intro_nodes]
    received = {n: sum(_support_of(graph.pred, n, k).values()) for n in drawn}
    scale = _NodeScale(len(drawn), size, dpi, max(received.values()) or 1, cap=650.0)
    kinds = {centre: "centre", **relation, **dict.fromkeys(intro_nodes, "introduction")}
    by_kind = {
        k: [n for n in kept if relation[n] == k] for k in ("mutual", "supporter", "supported")
    }
    width, height = size
    me = _handle(graph, centre)
    with _drawing(size, dpi) as (fig, ax, legend_ax):
        view = _View.fit(ax, pos, size, centred=True)
        radii = {n: scale.radius_px(received[n]) for n in drawn}
        max_weight = max((strength(n) for n in kept), default=1)
        via_lines = [
            (b, c, 1)
            for intro, c in zip(intros, intro_nodes, strict=True)
            for b in intro.via
            if b in pos
        ]
        _draw_lines(
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
        _draw_lines(
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
        _draw_lines(
            ax,
            view,
            pos,
            [(centre, n, strength(n)) for n in by_kind["mutual"]],
            widths=(1.0, 5.0),
            max_weight=max_weight,
            colour=EGO_COLOURS["mutual"],
            alpha=0.7,
        )
        _draw_lines(
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
        _draw_lines(
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
        around = [n for n in [*kept, *intro_nodes]][:80]
        _place_labels(
            fig,
            ax,
            view,
            [(centre, f"{_name(graph, centre, 34)}\n{me}", pos[centre], radii[centre])]
            + [(n, _name(graph, n), pos[n], radii[n]) for n in around],
            radial=True,
        )
        counts = [
            _count(len(by_kind["mutual"]), "mutual partner"),
            _count(len(by_kind["supporter"]), "unreturned supporter"),
            f"supports {len(by_kind['supported']):,} without return",
            _count(len(intro_nodes), "introduction"),
            f"min support {min_support}",
        ]
        lines = [" · ".join(counts)]
        if left_out:
            lines.append(
                f"Showing the {len(kept):,} strongest of {len(neighbours):,} relationships; "
                f"{left_out:,} left out"
            )
        _title(fig, f"Support around {me} · {window_label}", lines)
        kinds_drawn = [
            ("mutual", f"mutual partners ({len(by_kind['mutual'])})"),
            ("supporter", f"support {me}, not returned\n({len(by_kind['supporter'])})"),
            ("supported", f"{me} supports them, not\nreturned ({len(by_kind['supported'])})"),
        ]
        legend = [_header(f"Colour: relationship to {me}"), _dot(EGO_COLOURS["centre"], me)]
        legend += [_dot(EGO_COLOURS[kind], text) for kind, text in kinds_drawn if by_kind[kind]]
        if intro_nodes:
            worth = f"worth introducing to {me}\n({len(intro_nodes)}, best first)"
            legend.append(_dot(EGO_COLOURS["introduction"], worth))
        legend += _ego_line_entries(
            min_support,
            mutual=bool(by_kind["mutual"]),
            one_sided=bool(by_kind["supporter"] or by_kind["supported"]),
            intros=bool(intro_nodes),
        )
        note = (
            "Labels: every account"
            if len(around) == len(drawn) - 1
            else f"Labels: {me} and the {len(around)}\nstrongest relationships"
        )
        _legend(legend_ax, legend, scale.samples(received.values()), note)
        _save_png(fig, path)
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
        labelled=tuple(_username(graph, n) for n in [centre, *around]),
        account=_username(graph, centre),
    )


def _ego_line_entries(
    min_support: int, *, mutual: bool, one_sided: bool, intros: bool
) -> list[Any]:
    """Legend rows for the kinds of line on the ego map, and only those."""
    from matplotlib.lines import Line2D

    entries = [_header("Lines (width: retweets)")]
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


def _ego_positions(
    centre: Hashable,
    kept: Sequence[Hashable],
    relation: dict[Hashable, str],
    intros: Sequence[Any],
    intro_nodes: Sequence[Hashable],
) -> Positions:
    """The account at the centre, its relationships on a ring by kind, introductions outside."""
    pos: Positions = {centre: (0.0, 0.0)}
    groups = [[n for n in kept if relation[n] == k] for k in ("mutual", "supporter", "supported")]
    total = len(kept)
    if total:
        gap = 0.35 if total > 3 else 0.0
        sizes = [len(g) for g in groups if g]
        step = (2 * math.pi - gap * len(sizes)) / total
        angle = math.pi / 2 + (len(groups[0]) * step) / 2  # mutual partners around the top
        for group in groups:
            if not group:
                continue
            for i, node in enumerate(group):
                radius = 1.0 if total <= 24 or i % 2 == 0 else 0.86
                a = angle - (i + 0.5) * step
                pos[node] = (radius * math.cos(a), radius * math.sin(a))
            angle -= len(group) * step + gap
    angles = []
    for intro in intros:
        vias = [pos[b] for b in intro.via if b in pos]
        if vias:
            angles.append(math.atan2(sum(y for _, y in vias), sum(x for x, _ in vias)))
        else:
            angles.append(-math.pi / 2)
    placed: list[float] = []
    for node, a in sorted(zip(intro_nodes, angles, strict=True), key=lambda p: p[1]):
        while any(abs(math.remainder(a - b, 2 * math.pi)) < 0.3 for b in placed):
            a += 0.3
        placed.append(a)
        pos[node] = (1.45 * math.cos(a), 1.45 * math.sin(a))
    return pos


# --- drawing helpers --------------------------------------------------------------------------


@contextmanager
def _drawing(size: tuple[int, int], dpi: int) -> Iterator[tuple[Figure, Axes, Axes]]:
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
        FigureCanvasAgg(fig)
        band = min(0.3, _TITLE_BAND * dpi / height)
        side = min(0.45, _LEGEND_WIDTH * dpi / width)
        ax = fig.add_axes((0.01, 0.01, 0.98 - side, 0.98 - band))
        ax.set_axis_off()
        legend_ax = fig.add_axes((0.99 - side, 0.01, side, 0.98 - band))
        legend_ax.set_axis_off()
        yield fig, ax, legend_ax


@dataclass(frozen=True)
class _View:
    """Data limits of the map axes, with the same scale on both axes."""

    px_per_unit: float

    @classmethod
    def fit(
        cls, ax: Axes, pos: Positions, size: tuple[int, int], *, centred: bool = False
    ) -> _View:
        """Set `ax`'s limits so that every position fits, with room for labels."""
        box = ax.get_position()
        width_px, height_px = box.width * size[0], box.height * size[1]
        xy = np.array(list(pos.values()))
        low, high = xy.min(axis=0), xy.max(axis=0)
        if centred:
            reach = float(np.abs(xy).max()) or 1.0
            low, high = np.array([-reach, -reach]), np.array([reach, reach])
        span = np.maximum(high - low, 1e-9)
        usable = np.array([width_px, height_px]) - 2 * np.array(_MARGIN) * ax.figure.dpi
        usable = np.maximum(usable, 0.5 * np.array([width_px, height_px]))
        px = float(min(usable / span))
        centre = (low + high) / 2
        half = np.array([width_px, height_px]) / 2 / px
        ax.set_xlim(centre[0] - half[0], centre[0] + half[0])
        ax.set_ylim(centre[1] - half[1], centre[1] + half[1])
        return cls(px)


def _draw_lines(
    ax: Axes,
    view: _View,
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


def _place_labels(
    fig: Figure,
    ax: Axes,
    view: _View,
    items: Sequence[tuple[Hashable, str, tuple[float, float], float]],
    *,
    radial: bool = False,
) -> None:
    """Label nodes with plain text (no mathtext), off their neighbours' labels, inside the map.

    Each label tries spots around its node (outwards first with `radial`) and takes the first
    that overlaps no earlier label and stays inside the map; when none does, it takes the
    first spot, moved inside the map.
    """
    from matplotlib import patheffects

    renderer = fig.canvas.get_renderer()
    bounds = ax.get_window_extent(renderer)
    placed: list[Any] = []
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.9)]
    for i, (_, text, (x, y), radius) in enumerate(items):
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
        placed.append(chosen)


def _save_png(fig: Figure, path: str | Path) -> None:
    """Write the figure as an opaque RGB PNG (a third smaller than matplotlib's RGBA)."""
    from PIL import Image

    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    Image.fromarray(pixels).save(path, format="PNG", dpi=(fig.dpi, fig.dpi))


def _header(text: str) -> Any:
    from matplotlib.lines import Line2D

    handle = Line2D([], [], linestyle="none", label=text)
    handle._retweetring_header = True  # type: ignore[attr-defined]
    return handle


def _dot(colour: str, label: str, markersize: float = 9.0) -> Any:
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


def _legend(ax: Axes, handles: list[Any], sizes: Sequence[tuple[str, float]], note: str) -> None:
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
    header = ax.text(
        *to_axes.transform((left, y)),
        "Size: support received\n(retweets of their promotions)",
        fontsize=8,
        fontweight="bold",
        va="top",
        ha="left",
        parse_math=False,
        transform=ax.transAxes,
    )
    y = header.get_window_extent(renderer).y0 - 6 * pt
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
        ax.text(
            *to_axes.transform((left + widest + 8 * pt, centre_y)),
            label,
            fontsize=8,
            va="center",
            ha="left",
            parse_math=False,
            transform=ax.transAxes,
        )
        y = centre_y - max(diameter, 10 * pt) / 2 - 5 * pt
    ax.text(
        *to_axes.transform((left, y - 6 * pt)),
        note,
        fontsize=8,
        fontweight="bold",
        va="top",
        ha="left",
        parse_math=False,
        transform=ax.transAxes,
    )


def _title(fig: Figure, title: str, lines: Sequence[str]) -> None:
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
