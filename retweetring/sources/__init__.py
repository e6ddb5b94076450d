"""Sources of records: input files and the X API v2 page normaliser every source shares."""

from __future__ import annotations

from retweetring.sources.files import MAX_DOCUMENT_BYTES, open_input, read_pages, sha256_file
from retweetring.sources.v2 import normalise_page, parse_time

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "normalise_page",
    "open_input",
    "parse_time",
    "read_pages",
    "sha256_file",
]
