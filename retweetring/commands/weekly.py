"""``retweetring weekly``: the Friday job for cron, everything for one week in one folder."""

from __future__ import annotations

from pathlib import Path

import click

from retweetring.cli import _state, cli
from retweetring.commands.thank import _tz
from retweetring.reports.formats import to_json


@cli.command()
@click.argument("username")
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into; the week's files go into OUTPUT/YYYY-Www/.",
)
@click.option(
    "--week",
    metavar="YYYY-Www",
    help="The ISO week, e.g. 2026-W46. Default: the last complete week in --tz.",
)
@click.option(
    "--tz",
    default="UTC",
    show_default=True,
    callback=_tz,
    metavar="ZONE",
    help="IANA time zone the week runs in, e.g. Europe/London.",
)
@click.option(
    "--all-retweets",
    is_flag=True,
    help="Count every retweet, not only retweets of promotional tweets.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def weekly(
    ctx: click.Context,
    username: str,
    out_dir: Path,
    week: str | None,
    tz: str,
    all_retweets: bool,
    fmt: str,
) -> None:
    """Write last week's thank-you list, drafts, your support map and the community map.

    One command for cron: everything for the week goes into OUTPUT/YYYY-Www/ (thank-you.md,
    drafts.txt, my-support-map.png, community-map.png), and the command prints where. The
    folder appears whole or not at all; running again for the same week replaces it. Maps
    with nothing to draw that week are skipped with a note.

    Example:

        retweetring weekly hollys_bakery -o ~/retweetring-weekly --tz Europe/London
    """
    from retweetring.thanks import Week
    from retweetring.weekly import write_weekly

    state = _state(ctx)
    chosen = None
    if week is not None:
        try:
            chosen = Week.parse(week, tz)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--week'") from None
    result = write_weekly(state.engine(), username, out_dir, chosen, tz, all_retweets=all_retweets)
    if fmt == "json":
        click.echo(to_json(result.as_dict()))
        return
    click.echo(
        f"{result.week}: {result.supporters} supporters, {result.support_back} to support back; "
        f"wrote {result.folder}/"
    )
    for name in result.files:
        click.echo(f"  {result.folder / name}")
    for note in result.skipped:
        click.echo(f"  skipped {note}")
