"""The words a map writes: account names as the font can draw them, and counts.

Names and usernames are user input. They are drawn as plain text (matplotlib's mathtext is
off for them, so ``$``, ``_``, ``^`` and ``\\`` stay as typed); characters the map's font
(DejaVu Sans) cannot draw, such as emoji, are left out, and control characters become spaces.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable
from functools import lru_cache

import networkx as nx

from retweetring.reports.maps.style import FONT

__all__ = [
    "LEGEND_HANDLE",
    "count_text",
    "display_text",
    "handle_of",
    "in_window",
    "label_of",
    "legend_handle_of",
    "name_of",
    "username_of",
]


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


def username_of(G: nx.Graph, node: Hashable) -> str:
    """The node's stored username, else the node id, as typed."""
    return str(G.nodes[node].get("username") or node)


def handle_of(G: nx.Graph, node: Hashable) -> str:
    """``@username`` as drawable text, else the node id."""
    shown = display_text(username_of(G, node), limit=40)
    return f"@{shown}" if shown else f"id:{node}"


LEGEND_HANDLE = 13
"""The longest ``@username`` a legend line holds beside its words; a longer one goes on a
line of its own (the legend has a fixed width)."""


def legend_handle_of(G: nx.Graph, node: Hashable) -> str:
    """:func:`handle_of` for a legend: a username of more than 13 characters, such as a
    Mastodon ``user@server``, is cut to 12 and an ellipsis (the title and the node's label
    show it whole).

    >>> G = nx.Graph()
    >>> G.add_node(1, username="hollys_bakery")
    >>> G.add_node(2, username="eve@bakers.example")
    >>> legend_handle_of(G, 1), legend_handle_of(G, 2)
    ('@hollys_bakery', '@eve@bakers.e…')
    """
    return f"@{display_text(username_of(G, node), limit=13)}"


def name_of(G: nx.Graph, node: Hashable, limit: int = 26) -> str:
    """The display name as drawable text, else ``@username``."""
    return display_text(G.nodes[node].get("name"), limit) or handle_of(G, node)


def label_of(G: nx.Graph, node: Hashable, limit: int = 26) -> str:
    """The node's label on a map: :func:`name_of`, and for a person with several linked
    accounts (a node of :func:`retweetring.people.people_graph`) a second line naming them.

    >>> G = nx.Graph()
    >>> G.add_node(1, name="Bea's Bakes", accounts=("x:bakery_bea", "bluesky:bea.bsky.social"))
    >>> print(label_of(G, 1))
    Bea's Bakes
    x:bakery_bea · bluesky:bea.bsky.social
    """
    accounts = G.nodes[node].get("accounts") or ()
    label = name_of(G, node, limit)
    if len(accounts) < 2:
        return label
    return label + "\n" + display_text(" · ".join(accounts), limit=2 * limit + 10)


def count_text(n: int, thing: str) -> str:
    """Return `n` things in words.

    >>> count_text(1, "mutual pair"), count_text(2, "mutual pair"), count_text(2, "community")
    ('1 mutual pair', '2 mutual pairs', '2 communities')
    """
    if n == 1:
        return f"{n:,} {thing}"
    return f"{n:,} {thing[:-1]}ies" if thing.endswith("y") else f"{n:,} {thing}s"


def in_window(window_label: str) -> str:
    """The time window as the end of a sentence: ``at any time`` or ``in <window>``."""
    return "at any time" if window_label == "all time" else f"in {window_label}"
