"""``retweetring weekly``: the Friday job for cron, everything for one week in one folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from retweetring.cli.options import format_option, networks_option, state_of, week_options
from retweetring.reports.formats import to_json

if TYPE_CHECKING:
    from retweetring.thanks.lists import Week


@click.command()
@click.argument("username")
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into; the week's files go into OUTPUT/YYYY-Www/.",
)
@week_options
@click.option(
    "--all-retweets",
    is_flag=True,
    help="Count every retweet, not only retweets of promotional tweets.",
)
@networks_option
@format_option(["text", "json"])
@click.pass_context
def weekly(
    ctx: click.Context,
    username: str,
    out_dir: Path,
    week: Week | None,
    tz: str,
    all_retweets: bool,
    platform: str,
    fmt: str,
) -> None:
    """Write last week's thank-you list, drafts, your support map and the community map.

    One command for cron: everything for the week goes into OUTPUT/YYYY-Www/ (thank-you.md,
    drafts.txt, my-support-map.png, community-map.png), and the command prints where. The
    folder appears whole or not at all; running again for the same week replaces it. Maps
    with nothing to draw that week are skipped with a note.

    --platform picks the network of USERNAME and of the maps; with --platform all,
    USERNAME is one of a person's accounts (x:NAME, bluesky:HANDLE, mastodon:@user@server),
    thanked across their linked accounts with drafts for each network they post on, and
    the maps show every network's persons.

    Example:

        retweetring weekly hollys_bakery -o ~/retweetring-weekly --tz Europe/London

        retweetring weekly --platform all x:bakery_bea -o ~/retweetring-weekly
    """
    from retweetring.thanks.weekly import write_weekly

    state = state_of(ctx)
    engine = state.analytics_engine()
    result = write_weekly(
        engine, username, out_dir, week, tz, all_retweets=all_retweets, platform=platform
    )
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


COMMANDS = (weekly,)
