"""``retweetring import``: files and archives into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from retweetring.cli.options import (
    State,
    format_option,
    progress_bar,
    rules_from,
    rules_option,
    state_of,
)
from retweetring.errors import RetweetringError
from retweetring.reports.formats import to_json
from retweetring.reports.imports import import_json, import_summary


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Read files even if the same content was imported.")
@rules_option
@format_option(["text", "json"])
@click.option(
    "--owner",
    metavar="USERNAME",
    help="Whose X archive a bare tweets.js is (when no account.js lies beside it).",
)
@click.pass_context
def import_cmd(
    ctx: click.Context,
    files: tuple[Path, ...],
    force: bool,
    rules: Path | None,
    fmt: str,
    owner: str | None,
) -> None:
    """Import twarc2 JSONL files or saved X API v2 responses (plain or .gz), or an X archive.

    Retweets of promotional tweets become support events. Importing a file again, or a file
    that repeats pages, changes nothing. FILE - reads standard input
    (twarc2 search ... | retweetring import -). Malformed lines are reported as FILE:LINE: reason
    and skipped; the rest is imported and the exit status is 1. An X archive is its .zip,
    its extracted folder, or its data/tweets.js (see README for what it can tell).
    With --format json, every file given has an entry; "error" says why a file was not
    read (null when it was). Ctrl-C keeps what was written; run the same command again to
    finish (exit status 130).

    Example:

        retweetring import tweets-2026-11.jsonl archive/*.jsonl.gz
        retweetring import twitter-2026-11-20-abc123.zip
    """
    from retweetring.promo import load_classifier
    from retweetring.sources.files import check_present, display_name
    from retweetring.sources.ingest import import_file

    state = state_of(ctx)
    promo_rules = rules_from(rules)
    classifier = None  # loaded with the database, once the first file that exists is reached
    results: list[dict[str, Any]] = []
    failed = False
    for done, path in enumerate(files):
        shown_path = display_name(path)
        state.interrupted = (
            f"interrupted while importing {shown_path}: {done:,} of {len(files):,} files imported "
            "completely; what was written is kept, and running the same command again "
            "finishes without duplicates"
        )
        shown = _ErrorLines(state)
        try:
            check_present(path, shown_path)  # a missing file never creates the database
            if classifier is None:
                classifier = load_classifier(state.engine(), promo_rules)
            with progress_bar(state, f"importing {display_name(path.name)}") as on_progress:
                result = import_file(
                    state.engine(),
                    path,
                    classifier=classifier,
                    force=force,
                    on_error=shown,
                    on_progress=on_progress,
                    owner=owner,
                )
        except RetweetringError as exc:
            state.warn(f"Error: {exc}")
            failed = True
            results.append({"path": shown_path, "error": str(exc)})
            continue
        failed = failed or result.lines_rejected > 0
        results.append({**import_json(result), "error": None})
        shown.finish(result)
        if fmt == "text":
            state.warn(import_summary(result))
    if fmt == "json":
        click.echo(to_json(results))
    if failed:
        ctx.exit(1)


class _ErrorLines:
    """Prints the first rejected lines of a file, then how many more there were, and why."""

    SHOWN = 20

    def __init__(self, state: State) -> None:
        self._state = state
        self._count = 0

    def __call__(self, line: str) -> None:
        self._count += 1
        if self._count <= self.SHOWN:
            self._state.warn(line)

    def finish(self, result: Any) -> None:
        """Say how many rejected lines were not shown, by reason."""
        hidden = self._count - self.SHOWN
        if hidden > 0:
            reasons = "; ".join(
                f"{count:,} x {reason}" for reason, count in result.reasons.most_common(3)
            )
            self._state.warn(
                f"{result.path}: {hidden:,} more rejected lines not shown (all rejected: {reasons})"
            )


COMMANDS = (import_cmd,)
