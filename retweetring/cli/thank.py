"""``retweetring thank``: who supported an account last week, and whom to support back."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from retweetring.cli.options import (
    PLATFORMS,
    format_option,
    platform_option,
    state_of,
    week_options,
)
from retweetring.reports.formats import to_json, write_csv

if TYPE_CHECKING:
    from retweetring.thanks.lists import Week

THANK_FORMATS = ("text", "markdown", "json", "csv")


@click.command()
@click.argument("username")
@week_options
@format_option(THANK_FORMATS, help="Rich tables, Markdown, JSON or CSV (CSV: the supporters only).")
@click.option(
    "--mark-thanked",
    is_flag=True,
    help="Record this week's supporters in the thanks ledger (shown as 'thanked' from then on).",
)
@click.option(
    "--drafts",
    "with_drafts",
    is_flag=True,
    help="Add ready-to-post thank-you and #FollowFriday texts (never posted).",
)
@click.option(
    "--all-retweets",
    is_flag=True,
    help="Count every retweet of the account's tweets, not only of promotional ones.",
)
@platform_option(
    (*PLATFORMS, "all"),
    help="The network of USERNAME and its supporters: x, bluesky or mastodon; or all: "
    "USERNAME as platform:handle, thanked across its person's linked accounts.",
)
@click.option(
    "--post-limit",
    type=click.IntRange(min=1),
    help="Longest draft, as the network counts (default: X 280, Bluesky 300 graphemes, "
    "Mastodon 500; a Mastodon server may allow more). With --platform all: Mastodon's.",
)
@click.pass_context
def thank(
    ctx: click.Context,
    username: str,
    week: Week | None,
    tz: str,
    fmt: str,
    mark_thanked: bool,
    with_drafts: bool,
    all_retweets: bool,
    platform: str,
    post_limit: int | None,
) -> None:
    """Who to thank: the accounts that retweeted USERNAME's promotional tweets in a week.

    For each supporter: how many distinct promotional tweets they retweeted that week, whether
    it is their first support of USERNAME ever (new), whether USERNAME supported them in the 4
    weeks up to the week's end (returned) and whether they are already in the thanks ledger for
    the week (thanked). "Support them back" lists the supporters whose support USERNAME has
    not returned. The table shows the ledger as it was before --mark-thanked.

    With --platform all, USERNAME is one of a person's accounts (x:NAME, bluesky:HANDLE,
    mastodon:@user@server) and the list is of supporters on any network, merged by person
    (retweets add), each with the accounts to thank them on; drafts are made for each
    network the person posts on, mentioning the supporters who have an account there.

    Example:

        retweetring thank hollys_bakery --week 2026-W47 --drafts

        retweetring thank --platform bluesky bea.bsky.social --drafts

        retweetring thank --platform all x:bakery_bea --drafts
    """
    from retweetring.reports import thanks as views
    from retweetring.thanks.drafts import drafts_by_network
    from retweetring.thanks.lists import mark_thanked as record
    from retweetring.thanks.lists import thank_list
    from retweetring.thanks.person import person_thank_list

    if with_drafts and fmt == "csv":
        raise click.BadParameter(
            "--drafts needs --format text, markdown or json", param_hint="'--drafts'"
        )
    state = state_of(ctx)
    engine = state.analytics_engine()
    if platform == "all":
        thanks = person_thank_list(engine, username, week, tz, all_retweets=all_retweets)
    else:
        name = username if platform == "x" else username.lstrip("@")
        thanks = thank_list(engine, name, week, tz, all_retweets=all_retweets, platform=platform)
    limited = "mastodon" if platform == "all" else platform
    limits = None if post_limit is None else {limited: post_limit}
    try:
        by_network = drafts_by_network(thanks, limits) if with_drafts else None
    except ValueError as exc:  # a mention longer than the posts may be
        raise click.BadParameter(str(exc), param_hint="'--post-limit'") from None
    posts = None if by_network is None else views.flat_drafts(thanks, by_network)
    if fmt == "json":
        data = thanks.to_dict()
        if by_network is not None:
            data["drafts"] = by_network if platform == "all" else by_network[platform]
        click.echo(to_json(data))
    elif fmt == "csv":
        write_csv(views.csv_rows(thanks), sys.stdout, views.csv_columns(thanks))
    elif fmt == "markdown":
        click.echo(views.render_markdown(thanks, posts))
    else:
        state.out.print(views.render_text(thanks, posts))
    if mark_thanked:
        added = record(engine, thanks)
        click.echo(
            f"thanks ledger: recorded {added} supporters of @{thanks.account} as thanked for "
            f"{thanks.week.label} ({len(thanks.supporters) - added} were already there)",
            err=True,
        )


COMMANDS = (thank,)
