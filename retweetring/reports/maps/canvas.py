"""The image a map is drawn on: its size in pixels, its dpi, and the room kept for text."""

from __future__ import annotations

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_SIZE",
    "LEGEND_SHARE",
    "LEGEND_WIDTH",
    "MARGIN",
    "MIN_TEXT_DPI",
    "TITLE_BAND",
    "TITLE_SHARE",
    "parse_size",
]

DEFAULT_SIZE = (1800, 1350)
DEFAULT_DPI = 150
# Room for the text, in inches (text is sized in points, so it scales with the dpi).
TITLE_BAND = 1.05  # above the map
LEGEND_WIDTH = 2.9  # right of the map
MARGIN = (0.75, 0.2)  # around the outermost nodes, for their labels
# The largest shares of the image the title band and the legend may take.
TITLE_SHARE = 0.3
LEGEND_SHARE = 0.45
#: Text is drawn at most this small: 8-point legend text is then 8 pixels high. An image that
#: cannot hold the title and legend even so is refused.
MIN_TEXT_DPI = 72.0


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
