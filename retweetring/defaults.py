"""Choices and defaults that command options show in their help, in a module light to import.

The command line imports this when it starts; the modules that use these values import them
from here, so each is written once.
"""

from __future__ import annotations

REVIEW_MARGIN = 0.2
"""How far from the threshold a score may be for ``tweets review`` to list the tweet."""

EXPORT_FORMATS = ("graphml", "gexf", "csv", "json")
"""The file formats ``export`` writes."""

FIRST_RUN_DAYS = 30
"""How far back ``collect`` reads a member never collected, unless ``--since`` or
``--full-history`` says otherwise."""

TIMELINE_CAP = 3200
"""The most recent tweets of a timeline that X's ``GET /2/users/:id/tweets`` serves."""
