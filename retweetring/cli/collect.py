"""`retweetring members ...` and `retweetring collect`: read the community from the X API."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import click

from retweetring.cli.options import (
    State,
    emit_rows,
    format_option,
    parse_date,
    rules_from,
    rules_option,
    state_of,
)
from retweetring.records import account_label
from retweetring.reports.formats import to_json
from retweetring.reports.imports import counted

if TYPE_CHECKING:
    from retweetring.sources.collect import Ledger
    from retweetring.sources.x_api import XApi

EX_TEMPFAIL = 75
"""Exit status when the rate limit stopped a ``--no-wait`` run: try again later (sysexits.h)."""

# Read at call time, so that tests can replace them.
_sleep: Callable[[float], None] = time.sleep
_clock: Callable[[], float] = time.time


def _now() -> datetime:
    return datetime.fromtimestamp(_clock(), timezone.utc).replace(tzinfo=None, microsecond=0)


class _Countdown:
    """Shows how long the rate-limit wait has left: one updating line on a terminal, else a
    line when the wait starts and one a minute."""

    def __init__(self, state: State) -> None:
        self._state = state
        self._last: int | None = None
        self._terminal = state.err.is_terminal

    def __call__(self, left: int, resume: datetime) -> None:
        text = (
            f"rate limit reached: waiting {left // 60:02d}:{left % 60:02d} until "
            f"{resume:%H:%M:%S} UTC (Ctrl-C stops; everything fetched is saved)"
        )
        if self._terminal:
            click.echo("\r" + text, nl=False, err=True)
            if left <= 1:
                click.echo(err=True)
        elif self._last is None or self._last - left >= 60 or left > self._last:
            click.echo(text, err=True)
            self._last = left


def _api(state: State, ledger: Ledger, *, wait: bool = True, max_reads: int | None = None) -> XApi:
    """An X API client with the configured token, reporting requests to ``ledger``."""
    from retweetring.config import bearer_token
    from retweetring.sources.x_api import MAX_RETRIES, XApi

    return XApi(
        bearer_token(),
        wait=wait,
        max_reads=max_reads,
        on_request=ledger,
        on_wait=_Countdown(state),
        on_retry=lambda problem, attempt, delay: state.warn(
            f"{problem}; retry {attempt} of {MAX_RETRIES} in {delay:.0f} s "
            "(Ctrl-C stops; everything fetched is saved)"
        ),
        sleep=_sleep,
        clock=_clock,
    )


# --- members ----------------------------------------------------------------------------------


@click.group()
def members() -> None:
    """The tracked community: the accounts whose timelines `collect` reads.

    Example:

        retweetring members add hollys_bakery harbour_cafe
    """


def _usernames(values: Sequence[str]) -> list[str]:
    from retweetring.sources.collect import valid_username

    names = []
    for value in values:
        name = valid_username(value)
        if name is None:
            raise click.BadParameter(f"{value!r} is not an X username", param_hint="USERNAME")
        names.append(name)
    return names


def _add(ctx: click.Context, names: list[str]) -> None:
    from retweetring.sources.collect import Ledger, add_members

    state = state_of(ctx)
    engine = state.engine()
    ledger = Ledger()
    api = _api(state, ledger)
    try:
        result = add_members(engine, api, ledger, names, clock=_clock)
    finally:
        ledger.flush_now(engine)
        api.close()
    if result.added:
        click.echo("added: " + ", ".join(f"@{u}" for u in result.added))
    if result.already:
        click.echo("already members: " + ", ".join(f"@{u}" for u in result.already))
    if result.not_found:
        click.echo(
            "not found on X (skipped): " + ", ".join(f"@{u}" for u in result.not_found), err=True
        )
        ctx.exit(1)


@members.command("add")
@click.argument("usernames", nargs=-1, required=True)
@click.pass_context
def members_add(ctx: click.Context, usernames: tuple[str, ...]) -> None:
    """Track these accounts: look their ids up on X and store them as members.

    Needs the bearer token (see `collect`). Unknown usernames are reported and skipped
    (exit status 1); the others are added.

    Example:

        retweetring members add hollys_bakery @harbour_cafe
    """
    _add(ctx, _usernames(usernames))


@members.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def members_import(ctx: click.Context, file: Path) -> None:
    """Track every account listed in FILE: one username per line, `#` starts a comment.

    Example:

        retweetring members import community.txt
    """
    from retweetring.sources.collect import read_member_file

    names = read_member_file(file)
    if not names:
        raise click.ClickException(f"{file}: no usernames in the file")
    _add(ctx, names)


@members.command("remove")
@click.argument("usernames", nargs=-1, required=True)
@click.pass_context
def members_remove(ctx: click.Context, usernames: tuple[str, ...]) -> None:
    """Stop tracking these members; what was collected from them stays in the database.

    Example:

        retweetring members remove harbour_cafe
    """
    from retweetring.sources.collect import remove_members

    removed = remove_members(state_of(ctx).engine(), _usernames(usernames))
    click.echo("removed: " + ", ".join(f"@{u}" for u in removed))


@members.command("list")
@format_option()
@click.pass_context
def members_list(ctx: click.Context, fmt: str) -> None:
    """List the members and how far their timelines have been collected.

    Example:

        retweetring members list --format csv
    """
    from retweetring.sources.collect import list_members

    state = state_of(ctx)
    rows = [
        {
            "username": account_label(m.account_id, m.username),
            "name": m.name,
            "id": str(m.account_id),
            "added_at": m.added_at.isoformat(" ", "seconds"),
            "collected_at": m.completed_at.isoformat(" ", "seconds") if m.completed_at else None,
            "since_id": str(m.since_id) if m.since_id is not None else None,
            "interrupted": m.sweep_until_id is not None,
        }
        for m in list_members(state.engine())
    ]
    columns = [
        ("username", "username"),
        ("name", "name"),
        ("id", "id"),
        ("added_at", "added (UTC)"),
        ("collected_at", "last complete (UTC)"),
        ("interrupted", "interrupted"),
    ]
    emit_rows(state, fmt, rows, columns, "Members", "No members yet: `retweetring members add`.")


# --- collect ----------------------------------------------------------------------------------


@click.command()
@click.option(
    "--since",
    callback=parse_date,
    metavar="DATE",
    help="Members never collected before: only tweets from this UTC date.",
)
@click.option(
    "--retweeters",
    is_flag=True,
    help="Also read who retweeted members' promotional tweets (approximate times).",
)
@click.option(
    "--no-wait", is_flag=True, help="At the rate limit, stop (exit 75) instead of waiting."
)
@click.option(
    "--max-reads",
    type=click.IntRange(min=1),
    metavar="N",
    help="Stop before reading more than N tweets and users in this run.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be fetched; make no request.")
@click.option("--usage", is_flag=True, help="Show this month's requests and reads, and stop.")
@rules_option
@format_option(["text", "json"], help="Output of --usage and --dry-run.")
@click.pass_context
def collect(
    ctx: click.Context,
    since: date | None,
    retweeters: bool,
    no_wait: bool,
    max_reads: int | None,
    dry_run: bool,
    usage: bool,
    rules: Path | None,
    fmt: str,
) -> None:
    """Fetch members' new tweets and retweets from the X API v2, resuming where it stopped.

    Each page is stored with the member's checkpoint in one transaction: interrupt it at any
    time and run it again to continue, without gaps or duplicates. Waits at the rate limit
    with a countdown (or stops with --no-wait), retries server and network errors, and ends
    with the requests made and tweets read. The bearer token comes from $X_BEARER_TOKEN or
    the config file (see README).

    Example:

        retweetring collect --since 2026-10-01 --max-reads 5000
    """
    state = state_of(ctx)
    if usage:
        _print_usage(state, fmt)
        return
    if dry_run:
        _print_plan(state, since, retweeters, fmt)
        return
    _run(ctx, since, retweeters, not no_wait, max_reads, rules)


def _print_usage(state: State, fmt: str) -> None:
    from retweetring.sources.collect import usage

    data = usage(state.engine(), _now())
    if fmt == "json":
        click.echo(
            to_json(
                {
                    "since": data.since,
                    "requests": data.requests,
                    "tweets": data.tweets,
                    "users": data.users,
                    "by_endpoint": data.by_endpoint,
                }
            )
        )
        return
    click.echo(
        f"X API usage since {data.since:%Y-%m-%d} (this month, UTC): {data.requests:,} requests, "
        f"{data.tweets:,} tweets read, {data.users:,} users read"
    )
    for row in data.by_endpoint:
        click.echo(
            f"  {row['endpoint']}: {row['requests']:,} requests, {row['tweets']:,} tweets, "
            f"{row['users']:,} users"
        )


def _print_plan(state: State, since: date | None, retweeters: bool, fmt: str) -> None:
    from retweetring.sources.collect import REFRESH_WINDOW, plan, retweeter_candidates

    engine = state.engine()
    rows = [
        {
            "username": p.username,
            "id": str(p.account_id),
            "since_id": str(p.since_id) if p.since_id is not None else None,
            "until_id": str(p.until_id) if p.until_id is not None else None,
            "what": p.what,
        }
        for p in plan(engine, since)
    ]
    checks = len(retweeter_candidates(engine)) if retweeters else 0
    if fmt == "json":
        click.echo(to_json({"members": rows, "retweeter_lookups": checks}))
        return
    columns = [
        ("username", "member"),
        ("since_id", "since_id"),
        ("until_id", "until_id"),
        ("what", "would fetch"),
    ]
    emit_rows(state, "text", rows, columns, "collect --dry-run", "No members to collect.")
    if retweeters:
        click.echo(
            "then fresh retweet counts of members' promotional tweets from the last "
            f"{REFRESH_WINDOW.days} days, and the retweeters of those whose count grew "
            f"({checks:,} known now)"
        )
    click.echo("dry run: no request made")


def _run(
    ctx: click.Context,
    since: date | None,
    retweeters: bool,
    wait: bool,
    max_reads: int | None,
    rules: Path | None,
) -> None:
    from retweetring.promo import load_classifier
    from retweetring.sources.collect import Ledger, MemberResult, collect, list_members

    state = state_of(ctx)
    engine = state.engine()
    if not list_members(engine):
        raise click.ClickException("no members yet: add some with `retweetring members add`")
    classifier = load_classifier(engine, rules_from(rules))
    ledger = Ledger()
    api = _api(state, ledger, wait=wait, max_reads=max_reads)

    def report(m: MemberResult) -> None:
        c = m.counts
        status = "up to date" if m.complete else "not finished, continues next run"
        click.echo(
            f"@{m.username or m.account_id}: {counted(m.pages, 'page')}, "
            f"{counted(m.tweets_read, 'tweet')} read, {counted(c.tweets_new, 'new tweet')}, "
            f"{counted(c.retweets_new, 'new retweet')} ({status})",
            err=True,
        )
        for problem in m.problems:
            state.warn(f"@{m.username or m.account_id}: the X API said: {problem}")

    result = None
    state.interrupted = (
        "interrupted: every page fetched so far is saved with its member's checkpoint; "
        "run 'retweetring collect' again to continue"
    )
    try:
        result = collect(
            engine,
            api,
            ledger,
            since=since,
            retweeters=retweeters,
            classifier=classifier,
            on_member=report,
            clock=_clock,
        )
    finally:
        api.close()
        summary = (
            f"collect: {counted(api.requests, 'request')}, {counted(api.tweets_read, 'tweet')} read"
        )
        if result is not None and retweeters:
            summary += (
                f", retweeters of {result.retweeter_tweets:,} tweets "
                f"({result.approximate_new:,} new approximate events)"
            )
        click.echo(summary)
    for problem in result.problems:
        state.warn(problem)
    if result.stopped:
        state.warn(f"stopped: {result.stopped}")
        if result.resume_at is not None:
            ctx.exit(EX_TEMPFAIL)
    if result.problems or any(m.problems for m in result.members):
        ctx.exit(1)  # like `import` with rejected lines: the rest was done


COMMANDS = (members, collect)
