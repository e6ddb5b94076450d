"""The image a map is drawn on: its size in pixels, its dpi, and the room kept for text."""

from __future__ import annotations

from retweetring.defaults import DEFAULT_DPI, DEFAULT_SIZE, parse_size

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
