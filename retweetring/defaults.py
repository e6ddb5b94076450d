"""Choices and defaults that command options show in their help, in a module light to import.

The command line imports this when it starts; the modules that use these values import them
from here, so each is written once.
"""

from __future__ import annotations

REVIEW_MARGIN = 0.2
"""How far from the threshold a score may be for ``tweets review`` to list the tweet."""

EXPORT_FORMATS = ("graphml", "gexf", "csv", "json")
"""The file formats ``export`` writes."""

DEFAULT_SIZE = (1800, 1350)
"""A map's size in pixels, width by height."""
DEFAULT_DPI = 150
"""A map's dots per inch: text is sized in points, so it scales with this."""


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


FIRST_RUN_DAYS = 30
"""How far back ``collect`` reads a member never collected, unless ``--since`` or
``--full-history`` says otherwise."""

TIMELINE_CAP = 3200
"""The most recent tweets of a timeline that X's ``GET /2/users/:id/tweets`` serves."""
