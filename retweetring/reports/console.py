"""Terminal output: rich tables for the analytics commands and the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from retweetring.reports.columns import MUTUAL_COLUMNS, ONE_SIDED_COLUMNS
from retweetring.reports.escapes import escape_control


def table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    title: str | None = None,
) -> Table:
    """Return a table of ``rows``; ``columns`` are ``(key, heading)`` pairs.

    Cell values are shown literally, control characters escaped (see :func:`escape_control`):
    user names may contain rich markup or terminal escapes. Ids and usernames (the keys in
    :data:`WHOLE`) are never cut to fit the terminal, so they can be copied into a command;
    free text wraps instead.
    """
    grid = Table(title=title, title_justify="left", header_style="bold")
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    for index, (key, heading) in enumerate(columns):
        numeric = bool(rows) and isinstance(rows[0].get(key), int | float)
        whole = key in WHOLE or numeric
        width = max([len(heading), *(len(line[index]) for line in cells)]) if whole else None
        grid.add_column(
            heading,
            justify="right" if numeric else "left",
            no_wrap=whole,
            min_width=width,
            overflow="fold",
        )
    for line in cells:
        grid.add_row(*map(Text, line))
    return grid


WHOLE = frozenset({"id", "username", "author", "a", "b", "supporter", "supported", "created_at"})
"""Keys of table columns shown whole at any terminal width: what a user copies into commands."""


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(f"@{escape_control(str(v))}" for v in value)
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else escape_control(str(value))


def report(data: Mapping[str, Any]) -> RenderableType:
    """Return the community report as tables and a headline."""
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    for label, key in [
        ("Window", "window"),
        ("Accounts stored", "accounts"),
        ("Accounts giving or receiving support", "active_accounts"),
        ("Support events (distinct promotional tweets retweeted)", "support_events"),
        ("Supporter -> supported pairs", "edges"),
        ("Mutual pairs", "mutual_pairs"),
        ("One-sided relationships", "one_sided"),
        ("Reciprocity", "reciprocity"),
    ]:
        head.add_row(label, Text(escape_control(str(data[key]))))
    parts: list[RenderableType] = [Text("retweetring report", style="bold underline"), head]
    communities = data["communities"]
    if communities:
        grid = Table(title="Communities (mutual support)", title_justify="left")
        grid.add_column("#", justify="right")
        grid.add_column("size", justify="right")
        grid.add_column("members")
        for number, members in enumerate(communities, 1):
            grid.add_row(str(number), str(len(members)), Text(_cell(members)))
        parts.append(grid)
    parts.append(
        table(
            data["top_supporters"],
            [
                ("username", "Top supporters"),
                ("given", "given"),
                ("received", "received"),
                ("supported_accounts", "accounts supported"),
            ],
        )
    )
    parts.append(
        table(
            data["top_supported"],
            [
                ("username", "Most supported"),
                ("received", "received"),
                ("given", "given"),
                ("supporter_accounts", "supporters"),
            ],
        )
    )
    if data["strongest_mutual"]:
        parts.append(table(data["strongest_mutual"], MUTUAL_COLUMNS, "Strongest mutual pairs"))
    if data["most_unreturned"]:
        parts.append(
            table(data["most_unreturned"], ONE_SIDED_COLUMNS, "Largest unreturned support")
        )
    if data["top_connectors"]:
        sample = data.get("connectors_sample")
        title = None if sample is None else f"Connectors (betweenness from {sample:,} sources)"
        parts.append(
            table(
                data["top_connectors"],
                [("username", "Connectors"), ("betweenness", "betweenness")],
                title,
            )
        )
    return Group(*parts)
