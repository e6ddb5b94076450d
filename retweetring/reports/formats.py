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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula when a text cell begins with it."""


def spreadsheet_cell(value: Any) -> Any:
    """Return ``value`` safe to open in a spreadsheet: text that a spreadsheet would run as a
    formula gets a leading ``'``; numbers and other text are unchanged; lists join with spaces.

    >>> [spreadsheet_cell(v) for v in ["=HYPERLINK(1)", "@bea", "-2+3", "bakery", -2, ["a", "b"]]]
    ["'=HYPERLINK(1)", "'@bea", "'-2+3", 'bakery', -2, 'a b']
    """
    if isinstance(value, list | tuple):
        value = " ".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_writer(out: TextIO) -> Any:
    """A CSV writer on ``out`` whose rows are written through :func:`spreadsheet_cell`."""
    return _SafeWriter(csv.writer(out, lineterminator="\n"))


class _SafeWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO, columns: list[str]) -> None:
    """Write ``rows`` as CSV with a header (see :func:`spreadsheet_cell` for each cell)."""
    writer = csv_writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row.get(column, "") for column in columns)
