"""``retweetring demo``: the bundled example community, imported and reported."""

from __future__ import annotations

from pathlib import Path

import click

from retweetring.cli.options import (
    emit_report,
    format_option,
    load_analysis,
    progress_bar,
    state_of,
)
from retweetring.reports.imports import import_summary


@click.command()
@click.option(
    "--db",
    "demo_db",
    metavar="PATH|URL",
    help="Keep the demo database here (default: a temporary one, deleted afterwards).",
)
@format_option()
@click.pass_context
def demo(ctx: click.Context, demo_db: str | None, fmt: str) -> None:
    """Import the bundled example community and print its report.

    The example is a generated community of about 40 small businesses over eight weeks.

    Example:

        retweetring demo --db demo.db
    """
    import tempfile
    from importlib.resources import as_file, files

    from retweetring.sources.ingest import import_file

    state = state_of(ctx)
    chosen = demo_db or state.db
    with tempfile.TemporaryDirectory(prefix="retweetring-demo-") as tmp:
        state.db = chosen or str(Path(tmp) / "demo.db")
        example = files("retweetring.examples") / "community.jsonl"
        with as_file(example) as path, progress_bar(state, "importing the example") as progress:
            result = import_file(state.engine(), path, on_progress=progress)
        if fmt == "text":
            state.warn(import_summary(result, again="the example is already in this database"))
        emit_report(state, load_analysis(state, None, None, 1, False, arrays=True), fmt)
        state.close()
    if chosen and fmt == "text":
        state.warn(f"demo database kept at {chosen}")


COMMANDS = (demo,)
