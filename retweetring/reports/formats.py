"""Machine-readable output: JSON and CSV renderings of plain-data results."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

import orjson


def to_json(data: Any) -> str:
    """Return ``data`` as indented JSON (dataclasses and datetimes included)."""
    return orjson.dumps(
        data, option=orjson.OPT_INDENT_2 | orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS
    ).decode()


def to_json_line(data: Any) -> str:
    """Return ``data`` as one line of JSON."""
    return orjson.dumps(data, option=orjson.OPT_NAIVE_UTC).decode()


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO, columns: list[str]) -> None:
    """Write ``rows`` as CSV with a header; lists are joined with spaces."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            " ".join(map(str, value)) if isinstance(value, list | tuple) else value
            for value in (row.get(column, "") for column in columns)
        )
