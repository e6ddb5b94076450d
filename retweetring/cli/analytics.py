"""The analytics commands: accounts, report, mutual, one-sided, introductions and balance."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from retweetring.cli.options import (
    account_node,
    analytics_options,
    count_option,
    describe_analysis,
    emit_report,
    emit_rows,
    format_option,
    load_analysis,
    make_window,
    networks_option,
    platform_option,
    since_until_options,
    state_of,
)
from retweetring.records import account_label
from retweetring.reports.columns import INTRODUCTION_COLUMNS, MUTUAL_COLUMNS, ONE_SIDED_COLUMNS

#: The report's default betweenness sample: 100 sources take ~3 s at 81k mutual accounts.
REPORT_SAMPLE = 100

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from retweetring.graph import Window
    from retweetring.posting import PostingBalances


@click.group(invoke_without_command=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N.")
@platform_option()
@format_option()
@click.pass_context
def accounts(ctx: click.Context, limit: int | None, platform: str, fmt: str) -> None:
    """List stored accounts with how many tweets they wrote and retweeted.

    One network's accounts (--platform, X by default); `accounts link` and `accounts unlink`
    make accounts on several networks one person.

    Example:

    \b
        retweetring accounts --limit 20
        retweetring accounts --platform bluesky
    """
    from retweetring.store.queries import list_accounts

    if ctx.invoked_subcommand is not None:
        return
    state = state_of(ctx)
    rows = [
        {
            "id": str(a.id),
            "username": account_label(a.id, a.username),
            "name": a.name,
            "tweets": a.tweets,
            "promotional_tweets": a.promotional_tweets,
            "retweets": a.retweets,
        }
        for a in list_accounts(state.analytics_engine(), limit=limit, platform=platform)
    ]
    columns = [
        ("username", "username"),
        ("name", "name"),
        ("tweets", "tweets"),
        ("promotional_tweets", "promotional"),
        ("retweets", "retweets"),
    ]
    emit_rows(state, fmt, rows, columns, "Accounts", "No accounts stored yet.")


@accounts.command("link")
@click.argument("accounts_", metavar="PLATFORM:HANDLE...", nargs=-1, required=True)
@click.pass_context
def accounts_link(ctx: click.Context, accounts_: tuple[str, ...]) -> None:
    """Make these accounts (on any networks) one person, shown as the first one.

    With `--platform all`, the analytics count support on any network for the person:
    weights add. Each account must be stored already (collected or imported).

    Example:

        retweetring accounts link x:bakery_bea bluesky:bea.bsky.social mastodon:@bea@mastodon.social
    """
    from retweetring.people import link_accounts

    click.echo("linked: " + ", ".join(link_accounts(state_of(ctx).engine(), accounts_)))


@accounts.command("unlink")
@click.argument("accounts_", metavar="PLATFORM:HANDLE...", nargs=-1, required=True)
@click.pass_context
def accounts_unlink(ctx: click.Context, accounts_: tuple[str, ...]) -> None:
    """Make these accounts their own persons again (the others stay linked).

    Example:

        retweetring accounts unlink mastodon:@bea@mastodon.social
    """
    from retweetring.people import unlink_accounts

    click.echo("unlinked: " + ", ".join(unlink_accounts(state_of(ctx).engine(), accounts_)))


@click.command()
@analytics_options
@count_option("--top", 10, "Accounts and pairs shown in each ranking of the report.")
@count_option(
    "--connector-sample",
    REPORT_SAMPLE,
    "Connectors: exact betweenness up to N accounts with a mutual partner; above, "
    "estimated from N sampled source accounts.",
)
@click.pass_context
def report(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str,
    fmt: str,
    top: int,
    connector_sample: int,
) -> None:
    """Summarise the community: support given and received, mutual pairs, communities.

    With --format csv, prints each account's support balance. Connectors are ranked by
    betweenness, estimated from --connector-sample source accounts on a large mutual
    graph ('connectors_sample' in JSON: null when exact).

    Example:

        retweetring report --since 2026-10-01 --format json
    """
    state = state_of(ctx)
    analysis = load_analysis(state, since, until, min_support, all_retweets, platform, arrays=True)
    emit_report(state, analysis, fmt, top, max_exact=connector_sample)


@click.command()
@analytics_options
@click.pass_context
def mutual(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str,
    fmt: str,
) -> None:
    """List mutual supporters: pairs who each retweeted the other's promotions.

    A pair {a, b} is mutual when a supported b and b supported a at least
    --min-support times each in the window.

    Example:

        retweetring mutual --min-support 2
    """
    from retweetring.store import pairs

    state = state_of(ctx)
    window = make_window(since, until)
    if platform == "all":
        from retweetring.reports import summary

        graph = load_analysis(state, since, until, min_support, all_retweets, platform).graph
        rows = summary.mutual_rows(graph, min_support)
    else:
        with state.analytics_engine().connect() as conn:
            rows = pairs.mutual_rows(
                conn, window, min_support, all_retweets=all_retweets, platform=platform
            )
    described = describe_analysis(window, min_support)
    emit_rows(
        state,
        fmt,
        rows,
        MUTUAL_COLUMNS,
        f"Mutual supporters ({described})",
        f"No mutual pairs ({described}).",
    )


@click.command("one-sided")
@analytics_options
@click.option("--account", metavar="USERNAME", help="Only relationships involving this account.")
@click.pass_context
def one_sided_cmd(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str,
    fmt: str,
    account: str | None,
) -> None:
    """List one-sided relationships: support that was not returned.

    The supporter retweeted the supported account's promotions at least --min-support
    times; 'returned' is how often it was returned (fewer than --min-support).

    Example:

        retweetring one-sided --account hollys_bakery
    """
    from retweetring.store import pairs

    state = state_of(ctx)
    window = make_window(since, until)
    node = account_node(state, account, platform)
    if platform == "all":
        from retweetring.reports import summary

        graph = load_analysis(state, since, until, min_support, all_retweets, platform).graph
        rows = summary.one_sided_rows(graph, min_support, node)
    else:
        with state.analytics_engine().connect() as conn:
            rows = pairs.one_sided_rows(
                conn, window, min_support, node, all_retweets=all_retweets, platform=platform
            )
    described = describe_analysis(window, min_support)
    emit_rows(
        state,
        fmt,
        rows,
        ONE_SIDED_COLUMNS,
        f"One-sided support ({described})",
        f"No one-sided relationships ({described}).",
    )


@click.command()
@analytics_options
@click.option("--account", metavar="USERNAME", help="Only introductions for this account.")
@count_option("--top", 20, "Show the N best-scored introductions.")
@click.pass_context
def introductions(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str,
    fmt: str,
    account: str | None,
    top: int,
) -> None:
    """Suggest introductions: people who share a mutual supporter but never backed each other.

    Scored by the Adamic-Adar index on the mutual graph: a shared partner with few
    partners of their own counts for more. 'via' lists every shared partner.

    Example:

        retweetring introductions --account hollys_bakery --top 5
    """
    from retweetring.reports import summary

    state = state_of(ctx)
    node = account_node(state, account, platform)
    if node is None and platform != "all":
        from retweetring.analytics import weights

        analysis = load_analysis(
            state, since, until, min_support, all_retweets, platform, arrays=True
        )
        rows = weights.introduction_rows(analysis.graph, min_support, top=top)
    else:
        analysis = load_analysis(state, since, until, min_support, all_retweets, platform)
        rows = summary.introduction_rows(analysis.graph, min_support, account=node, top=top)
    emit_rows(
        state,
        fmt,
        rows,
        INTRODUCTION_COLUMNS,
        f"Introduction opportunities ({analysis.describe()})",
        f"No introduction opportunities ({analysis.describe()}).",
    )


BALANCE_COLUMNS = [
    ("username", "username"),
    ("originals", "originals"),
    ("promotional", "promo"),
    ("share", "share"),
    ("from_median", "vs median"),
    ("mark", "mark"),
]
BALANCE_CSV_COLUMNS = [*BALANCE_COLUMNS[:4], ("median", "median"), *BALANCE_COLUMNS[4:]]


@click.command()
@since_until_options("original tweets posted")
@click.option(
    "--min-tweets",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Originals an account needs to be marked and counted in the median.",
)
@click.option("--account", metavar="USERNAME", help="Only this account (median: everyone's).")
@networks_option
@format_option()
@click.pass_context
def balance(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_tweets: int,
    account: str | None,
    platform: str,
    fmt: str,
) -> None:
    """Show each account's posting balance: how many of its original tweets are promotional.

    For each account: original tweets posted in [--since, --until), how many are promotional
    (your override wins over the classifier), the share promotional, and how far that is
    from the community median share (taken over accounts with at least --min-tweets
    originals). 'only sells': every original is promotional; 'never sells': none is;
    'too few tweets': fewer than --min-tweets (not in the median). Lists every member and
    every account with a stored tweet, even with none in the window; accounts that only
    retweeted are left out. Sorted by share, highest first, then username. With --platform
    all, a person's linked accounts are one row (their posts add up; --account then takes
    platform:handle).

    Example:

    \b
        retweetring balance --since 2026-10-01 --min-tweets 5
        retweetring balance --account hollys_bakery --format json
    """
    from retweetring.posting import posting_balance
    from retweetring.store.queries import normalise_username

    state = state_of(ctx)
    window = make_window(since, until)
    counts = _posting_counts(state.engine(), window, platform)
    result = posting_balance(
        {label: (originals, promo) for label, originals, promo in counts.values()},
        min_tweets=min_tweets,
    )
    rows = _rows(result)
    what = window.describe()
    if account is not None:
        key: Any
        if platform == "all":
            from retweetring.people import person_ref

            key = person_ref(state.engine(), account)
        else:
            key = account_node(state, account, platform)
        wanted = counts[key][0] if key in counts else None
        rows = [row for row in rows if row["username"] == wanted]
        empty = f"@{normalise_username(account)} is not a member and has no stored tweet."
    else:
        empty = f"No members or stored tweets ({what})."
    emit_rows(
        state,
        fmt,
        rows,
        BALANCE_CSV_COLUMNS if fmt == "csv" else BALANCE_COLUMNS,
        f"Posting balance ({what}; {_median_words(result)})",
        empty,
    )


def _posting_counts(
    engine: Engine, window: Window, platform: str
) -> dict[Any, tuple[str, int, int]]:
    """Each account's (each person's, across networks) ``(label, originals, promotional)``."""
    if platform == "all":
        from retweetring.people import people_posting_counts

        return people_posting_counts(engine, window)
    from retweetring.store.queries import posting_counts

    return {
        row.id: (account_label(row.id, row.username), row.originals, row.promotional)
        for row in posting_counts(engine, window, platform=platform)
    }


def _rows(result: PostingBalances) -> list[dict[str, Any]]:
    return [
        {
            "username": b.account,
            "originals": b.originals,
            "promotional": b.promotional,
            "share": _round(b.share),
            "median": _round(result.median),
            "from_median": _round(b.from_median),
            "mark": b.mark,
        }
        for b in result.accounts
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _median_words(result: PostingBalances) -> str:
    if result.median is None:
        return f"no account has {result.min_tweets}+ originals, so no median"
    return (
        f"median {result.median:.3f} over {result.counted} accounts with "
        f"{result.min_tweets}+ originals"
    )


COMMANDS = (accounts, report, mutual, one_sided_cmd, introductions, balance)
