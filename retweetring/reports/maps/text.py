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

__all__ = ["count_text", "display_text", "handle_of", "in_window", "name_of", "username_of"]


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


def name_of(G: nx.Graph, node: Hashable, limit: int = 26) -> str:
    """The display name as drawable text, else ``@username``."""
    return display_text(G.nodes[node].get("name"), limit) or handle_of(G, node)


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
