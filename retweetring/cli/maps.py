"""``retweetring map``: PNG maps of the community's support, or of one account's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from retweetring.cli.options import (
    account_node,
    count_option,
    format_option,
    load_analysis,
    networks_option,
    state_of,
    window_options,
)
from retweetring.defaults import DEFAULT_DPI, DEFAULT_SIZE, parse_size
from retweetring.reports.formats import to_json


def _size(_ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def _png(_ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if value.suffix.lower() != ".png":
        raise click.BadParameter(f"{value} must be a .png file", param=param)
    return value


@click.command("map")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_png,
    help="The PNG file to write.",
)
@click.option(
    "--account",
    metavar="USERNAME",
    help="Map the support around this account (with --platform all: platform:handle).",
)
@count_option(
    "--top",
    150,
    "Draw the N most connected accounts (with --account: its N strongest relationships).",
)
@click.option(
    "--introductions",
    "introductions_shown",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="With --account: how many introduction opportunities to draw.",
)
@window_options
@networks_option
@click.option(
    "--size",
    default=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}",
    show_default=True,
    callback=_size,
    metavar="WxH",
    help="Image size in pixels.",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 600),
    default=DEFAULT_DPI,
    show_default=True,
    help="Pixels per inch: higher draws larger text and nodes in the same image size, "
    "as large as the title and legend fit.",
)
@format_option(["text", "json"], help="Report what was drawn as a line of text or as JSON.")
@click.pass_context
def map_cmd(
    ctx: click.Context,
    output: Path,
    account: str | None,
    top: int,
    introductions_shown: int,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str,
    size: tuple[int, int],
    dpi: int,
    fmt: str,
) -> None:
    """Draw the support graph as a PNG map.

    Without --account: the whole community. Node size is the support an account received,
    colour its community, solid lines are mutual support and thin arrows one-sided support
    (line width: retweets). Only the --top most connected accounts are drawn; the map and
    the summary line say how many were left out.

    With --account: that account in the centre, its mutual partners, who supports it
    without being supported back, whom it supports without return, and its best
    introduction opportunities as dashed lines.

    With --platform all, each person is one node (linked accounts merged, weights added),
    labelled with their name and, when linked, their accounts.

    Example:

        retweetring map -o community.png --since 2026-10-01

        retweetring map -o holly.png --account hollys_bakery --size 1200x900

        retweetring map -o everyone.png --platform all
    """
    from retweetring.reports.maps import community_map, ego_map
    from retweetring.store.queries import normalise_username

    state = state_of(ctx)
    analysis = load_analysis(
        state, since, until, min_support, all_retweets, platform, arrays=account is None
    )
    label = analysis.window.describe() + (" · all retweets" if all_retweets else "")
    if account is None:
        result = community_map(
            analysis.graph,
            output,
            top=top,
            window_label=label,
            min_support=min_support,
            size=size,
            dpi=dpi,
        )
    else:
        result = ego_map(
            analysis.graph,
            account_node(state, account, platform),
            output,
            top=top,
            window_label=label,
            min_support=min_support,
            introductions_shown=introductions_shown,
            size=size,
            dpi=dpi,
            username=normalise_username(account.rsplit(":", 1)[-1]),
        )
    click.echo(to_json(result.as_dict()) if fmt == "json" else result.summary())


COMMANDS = (map_cmd,)
