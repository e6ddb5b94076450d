"""`retweetring members ...` and `retweetring collect`: read the community from the X API."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from retweetring.cli.options import (
    PLATFORMS,
    State,
    emit_rows,
    format_option,
    parse_date,
    platform_option,
    rules_from,
    rules_option,
    state_of,
    valid_time_zone,
)
from retweetring.config import PRICES_AS_OF, Prices
from retweetring.defaults import FIRST_RUN_DAYS, TIMELINE_CAP
from retweetring.records import account_label
from retweetring.reports.formats import to_json
from retweetring.reports.imports import counted

if TYPE_CHECKING:
    from retweetring.sources.collect import Ledger, Reads
    from retweetring.sources.social_collect import Feed
    from retweetring.sources.x_api import XApi

SHOWN = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon"}

EX_TEMPFAIL = 75
"""Exit status when the rate limit stopped a ``--no-wait`` run, or the daily app limit stopped
a run: try again later (sysexits.h)."""
EX_NO_CREDITS = 76
"""Exit status when X answered 402: the account is out of credits (retweetring's own number)."""
EX_USAGE_CAP = 77
"""Exit status when X refused reads for the usage cap or the spending limit (retweetring's own
number)."""
EXIT_STATUSES = (
    "Exit status: 0 done (also when --max-reads stopped it); 1 an error, or some member or "
    f"tweet could not be read; {EX_TEMPFAIL} rate limit (with --no-wait) or daily app limit: run "
    f"again after the time given; {EX_NO_CREDITS} out of credits: buy credits at "
    f"console.x.com; {EX_USAGE_CAP} usage cap or spending limit reached."
)

_DEFAULT_PRICES = Prices()

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


def _exit_status(exc: BaseException | None) -> int:
    """The exit status for what stopped a run early (0 for the read budget or nothing)."""
    from retweetring.sources.x_api import OutOfCredits, RateLimited, UsageCapped

    if isinstance(exc, OutOfCredits):
        return EX_NO_CREDITS
    if isinstance(exc, UsageCapped):
        return EX_USAGE_CAP
    if isinstance(exc, RateLimited):
        return EX_TEMPFAIL
    return 0


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
    from retweetring.sources.x_api import DailyLimited, OutOfCredits, UsageCapped

    state = state_of(ctx)
    engine = state.engine()
    ledger = Ledger()
    api = _api(state, ledger)
    try:
        result = add_members(engine, api, ledger, names, clock=_clock)
    except (OutOfCredits, UsageCapped, DailyLimited) as exc:
        state.warn(f"Error: {exc}")
        ctx.exit(_exit_status(exc))
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


def _feed(state: State, platform: str) -> Feed:
    """The Bluesky or Mastodon reader, waiting out rate limits with a message."""
    from retweetring.sources.social_collect import feed_for

    def wait(seconds: float) -> None:
        state.warn(
            f"{SHOWN[platform]} rate limit reached: waiting {seconds:.0f} s "
            "(Ctrl-C stops; everything fetched is saved)"
        )
        _sleep(seconds)

    return feed_for(platform, wait=wait, clock=_clock)


def _add_social(ctx: click.Context, platform: str, handles: Sequence[str]) -> None:
    from retweetring.sources.social_collect import SocialLedger, add_social_members

    state = state_of(ctx)
    engine = state.engine()
    ledger = SocialLedger(platform, _clock)
    feed = _feed(state, platform)
    try:
        result = add_social_members(engine, feed, ledger, handles, clock=_clock)
    finally:
        ledger.flush_now(engine)
        feed.close()
    if result.added:
        click.echo("added: " + ", ".join(result.added))
    if result.already:
        click.echo("already members: " + ", ".join(result.already))
    for problem in result.not_found:
        state.warn(f"skipped: {problem}")
    if result.not_found:
        ctx.exit(1)


@members.command("add")
@platform_option(
    help="The network of the accounts: x (usernames), bluesky (handles such as "
    "bea.bsky.social) or mastodon (@user@server)."
)
@click.argument("usernames", nargs=-1, required=True)
@click.pass_context
def members_add(ctx: click.Context, platform: str, usernames: tuple[str, ...]) -> None:
    """Track these accounts: look them up on their network and store them as members.

    X needs the bearer token (see `collect`); Bluesky and Mastodon need nothing (public
    reads). Unknown handles and suspended accounts are reported and skipped (exit status 1);
    the others are added.

    Example:

        retweetring members add hollys_bakery @harbour_cafe

        retweetring members add --platform bluesky bea.bsky.social

        retweetring members add --platform mastodon @bea@mastodon.social
    """
    if platform == "x":
        _add(ctx, _usernames(usernames))
    else:
        _add_social(ctx, platform, usernames)


@members.command("import")
@platform_option(
    help="The network of the accounts in FILE: x (usernames), bluesky (handles such as "
    "bea.bsky.social) or mastodon (@user@server)."
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def members_import(ctx: click.Context, platform: str, file: Path) -> None:
    """Track every account listed in FILE: one username (or handle) per line, `#` starts a
    comment. A line that is not one is reported as FILE:LINE and nothing is added.

    Example:

        retweetring members import community.txt

        retweetring members import --platform mastodon fediverse.txt
    """
    from functools import partial

    from retweetring.sources.collect import read_member_file
    from retweetring.sources.social import HANDLE_KIND, valid_handle

    if platform == "x":
        names = read_member_file(file)
    else:
        names = read_member_file(file, partial(valid_handle, platform), HANDLE_KIND[platform])
    if not names:
        raise click.ClickException(f"{file}: no usernames in the file")
    if platform == "x":
        _add(ctx, names)
    else:
        _add_social(ctx, platform, names)


@members.command("remove")
@platform_option()
@click.argument("usernames", nargs=-1, required=True)
@click.pass_context
def members_remove(ctx: click.Context, platform: str, usernames: tuple[str, ...]) -> None:
    """Stop tracking these members; what was collected from them stays in the database.

    Example:

        retweetring members remove harbour_cafe

        retweetring members remove --platform bluesky bea.bsky.social
    """
    from retweetring.sources.collect import remove_members
    from retweetring.sources.social_collect import remove_social_members

    engine = state_of(ctx).engine()
    if platform == "x":
        removed = [f"@{u}" for u in remove_members(engine, _usernames(usernames))]
    else:
        removed = remove_social_members(engine, platform, usernames)
    click.echo("removed: " + ", ".join(removed))


@members.command("list")
@format_option()
@click.pass_context
def members_list(ctx: click.Context, fmt: str) -> None:
    """List the members and how far their timelines have been collected.

    Example:

        retweetring members list --format csv
    """
    from retweetring.sources.collect import list_members
    from retweetring.sources.social_collect import list_social_members

    state = state_of(ctx)
    rows = [
        {
            "platform": "x",
            "username": account_label(m.account_id, m.username),
            "name": m.name,
            "id": str(m.account_id),
            "added_at": m.added_at.isoformat(" ", "seconds"),
            "collected_at": m.completed_at.isoformat(" ", "seconds") if m.completed_at else None,
            "since_id": str(m.since_id) if m.since_id is not None else None,
            "interrupted": m.sweep_until_id is not None,
        }
        for m in list_members(state.engine())
    ] + [
        {
            "platform": m.platform,
            "username": m.handle or m.key,
            "name": m.name,
            "id": m.key,
            "added_at": m.added_at.isoformat(" ", "seconds"),
            "collected_at": m.completed_at.isoformat(" ", "seconds") if m.completed_at else None,
            "since_id": m.newest,
            "interrupted": m.interrupted,
        }
        for m in list_social_members(state.engine())
    ]
    columns = [
        ("platform", "platform"),
        ("username", "username"),
        ("name", "name"),
        ("id", "id"),
        ("added_at", "added (UTC)"),
        ("collected_at", "last complete (UTC)"),
        ("interrupted", "interrupted"),
    ]
    emit_rows(state, fmt, rows, columns, "Members", "No members yet: `retweetring members add`.")


# --- collect ----------------------------------------------------------------------------------


@click.command(epilog=EXIT_STATUSES)
@click.option(
    "--since",
    callback=parse_date,
    metavar="DATE",
    help=f"Members never collected before: only tweets from this UTC date "
    f"(default: the last {FIRST_RUN_DAYS} days).",
)
@click.option(
    "--full-history",
    is_flag=True,
    help=f"Members never collected before: every tweet X still serves (up to {TIMELINE_CAP:,} "
    "a member, which costs much more than the default window).",
)
@click.option(
    "--retweeters",
    is_flag=True,
    help="Also read who retweeted (reposted, boosted) members' promotional posts "
    "(approximate times).",
)
@click.option(
    "--tz",
    default="UTC",
    show_default=True,
    callback=valid_time_zone,
    metavar="ZONE",
    help="The time zone of your weeks (as `weekly --tz`): retweeters found by --retweeters are "
    "dated no later than the end of the week their post was made in.",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help=f"At the rate limit, stop (exit {EX_TEMPFAIL}) instead of waiting.",
)
@click.option(
    "--max-reads",
    type=click.IntRange(min=1),
    metavar="N",
    help="Stop before reading more than N tweets and users in this run.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be fetched, with the estimated reads and dollars; make no request.",
)
@click.option(
    "--usage",
    is_flag=True,
    help=f"Show the requests, reads and estimated dollars per day and per billing period, and "
    f"stop. Prices: ${_DEFAULT_PRICES.post_read:.3f} a post read, "
    f"${_DEFAULT_PRICES.user_read:.3f} a user read, a cap of "
    f"{_DEFAULT_PRICES.monthly_post_cap:,} post reads a month (X's public prices of "
    f"{PRICES_AS_OF}); set yours under [x.prices] in the config file.",
)
@platform_option(
    (*PLATFORMS, "all"),
    help="The network to collect: x (the X API, needs a token), bluesky or mastodon (free, no "
    "account), or all (each network that has members).",
)
@rules_option
@format_option(["text", "json"], help="Output of --usage and --dry-run.")
@click.pass_context
def collect(
    ctx: click.Context,
    platform: str,
    since: date | None,
    full_history: bool,
    retweeters: bool,
    tz: str,
    no_wait: bool,
    max_reads: int | None,
    dry_run: bool,
    usage: bool,
    rules: Path | None,
    fmt: str,
) -> None:
    """Fetch members' new posts and reposts (X, Bluesky, Mastodon), resuming where it stopped.

    Each page is stored with the member's checkpoint in one transaction: interrupt it at any
    time and run it again to continue, without gaps or duplicates. Waits at the rate limit
    with a countdown (or stops with --no-wait), retries server and network errors, stops at
    the daily app limit, when the account is out of credits and at the usage cap or spending
    limit, and ends with the requests made and tweets read. The bearer token comes from
    $X_BEARER_TOKEN or the config file (see README, "Getting an X token"). With --platform
    bluesky or mastodon it reads the members' public feeds there (no account, no token), with
    the same checkpoints, --since, --full-history, --retweeters, --max-reads (per network) and
    ledger.

    Example:

        retweetring collect --dry-run

        retweetring collect --platform all
    """
    from retweetring.sources.collect import default_since

    state = state_of(ctx)
    if since is not None and full_history:
        raise click.UsageError("--since and --full-history cannot be used together")
    if platform in ("bluesky", "mastodon") and dry_run:
        raise click.UsageError("--dry-run is for X only (Bluesky and Mastodon are free)")
    if usage:
        if platform in ("x", "all"):
            _print_usage(state, fmt)
        for social in _social_platforms(platform):
            _print_social_usage(state, social, fmt)
        return
    default_window = since is None and not full_history
    first_run = None if full_history else since or default_since(_now())
    if dry_run:
        _print_plan(state, first_run, default_window, retweeters, max_reads, fmt)
        return
    if platform == "all" and not _has_x_members(state) and not _has_social_members(state):
        raise click.ClickException(
            "no members yet: add some with `retweetring members add [--platform NETWORK]`"
        )
    problems = False
    if platform == "x" or (platform == "all" and _has_x_members(state)):
        problems = _run(
            ctx, first_run, default_window, retweeters, tz, not no_wait, max_reads, rules
        )
    for social in _social_platforms(platform):
        problems = (
            _run_social(ctx, social, first_run, default_window, max_reads, rules, retweeters, tz)
            or problems
        )
    if problems:
        ctx.exit(1)  # like `import` with rejected lines: the rest was done


def _social_platforms(platform: str) -> list[str]:
    return ["bluesky", "mastodon"] if platform == "all" else [p for p in (platform,) if p != "x"]


def _has_x_members(state: State) -> bool:
    from retweetring.sources.collect import list_members

    return bool(list_members(state.engine()))


def _has_social_members(state: State) -> bool:
    from retweetring.sources.social_collect import list_social_members

    return bool(list_social_members(state.engine()))


def _print_social_usage(state: State, platform: str, fmt: str) -> None:
    from retweetring.sources.social_collect import social_usage

    rows = social_usage(state.engine(), platform)
    if fmt == "json":
        click.echo(to_json({"platform": platform, "days": rows}))
        return
    if not rows:
        click.echo(f"{SHOWN[platform]}: no requests yet")
        return
    click.echo(f"{SHOWN[platform]} requests by day (UTC; free, no account):")
    for row in rows:
        click.echo(
            f"  {row['day']} {row['endpoint']}: {row['requests']:,} requests, "
            f"{row['items']:,} items read"
        )


def _run_social(
    ctx: click.Context,
    platform: str,
    since: date | None,
    default_window: bool,
    max_reads: int | None,
    rules: Path | None,
    reposters: bool = False,
    tz: str = "UTC",
) -> bool:
    """Collect one of Bluesky and Mastodon (and, with ``reposters``, who reposted members'
    promotional posts); True when some member or post could not be read."""
    from retweetring.promo import load_classifier
    from retweetring.sources.social_collect import (
        Budget,
        SocialLedger,
        SocialMemberResult,
        collect_social,
        list_social_members,
    )
    from retweetring.sources.social_reposters import RepostersResult, collect_reposters

    state = state_of(ctx)
    engine = state.engine()
    known = list_social_members(engine, platform)
    if not known:
        if ctx.params.get("platform") == platform:
            raise click.ClickException(
                f"no {SHOWN[platform]} members yet: add some with "
                f"`retweetring members add --platform {platform}`"
            )
        return False
    new = [m for m in known if m.completed_at is None and not m.interrupted]
    if default_window and new:
        state.warn(
            f"{counted(len(new), SHOWN[platform] + ' member')} never collected: reading their "
            f"posts since {since} only (--since DATE or --full-history reads further back)"
        )
    classifier = load_classifier(engine, rules_from(rules))
    ledger = SocialLedger(platform, _clock)
    feed = _feed(state, platform)

    def report(m: SocialMemberResult) -> None:
        c = m.counts
        status = "up to date" if m.complete else "not finished, continues next run"
        if m.problems:
            status = "not read"
        click.echo(
            f"{m.handle} ({platform}): {counted(m.pages, 'page')}, {counted(m.read, 'item')} "
            f"read, {counted(c.posts_new, 'new post')}, {counted(c.reposts_new, 'new repost')} "
            f"({status})",
            err=True,
        )
        for problem in m.problems:
            state.warn(f"{m.handle}: {problem}")

    state.interrupted = (
        "interrupted: every page fetched so far is saved with its member's checkpoint; "
        "run 'retweetring collect' again to continue"
    )
    budget = Budget(max_reads)
    found = RepostersResult()
    try:
        result = collect_social(
            engine,
            feed,
            ledger,
            since=since,
            classifier=classifier,
            budget=budget,
            on_member=report,
            clock=_clock,
        )
        if reposters and not result.stopped:
            found = collect_reposters(engine, feed, ledger, budget=budget, tz=tz, clock=_clock)
    finally:
        feed.close()
        click.echo(
            _summary(
                f"collect {platform}: {counted(ledger.requests, 'request')}, "
                f"{counted(ledger.items, 'item')} read",
                f"reposters of {counted(found.posts, 'post')}" if reposters else None,
                found.approximate_new,
            )
        )
    for problem in found.problems:
        state.warn(problem)
    for stopped in (result.stopped, found.stopped):
        if stopped:
            state.warn(f"stopped: {stopped}")
    return bool(found.problems) or any(m.problems for m in result.members)


def _summary(line: str, looked_up: str | None, new: int) -> str:
    """The last line of a run: requests and reads, then what ``--retweeters`` found."""
    if looked_up is None:
        return line
    return f"{line}, {looked_up} ({new:,} new approximate events)"


def _reads_row(reads: Reads) -> dict[str, Any]:
    return {
        "start": reads.start,
        "end": reads.end,
        "requests": reads.requests,
        "tweets": reads.tweets,
        "users": reads.users,
        "dollars": round(reads.dollars, 4),
    }


def _counts(requests: int, tweets: int, users: int, dollars: float) -> str:
    return f"{requests:,} requests, {tweets:,} tweets, {users:,} users, ${dollars:,.2f}"


def _print_usage(state: State, fmt: str) -> None:
    from retweetring.config import config_path, prices
    from retweetring.sources.collect import usage

    data = usage(state.engine(), _now(), prices())
    cost = data.prices
    if fmt == "json":
        click.echo(
            to_json(
                {
                    "since": data.since,
                    "requests": data.requests,
                    "tweets": data.tweets,
                    "users": data.users,
                    "dollars": round(data.dollars, 4),
                    "by_endpoint": data.by_endpoint,
                    "days": [_reads_row(d) for d in data.days],
                    "periods": [_reads_row(p) for p in data.periods],
                    "prices": asdict(cost),
                }
            )
        )
        return
    click.echo(
        f"X API usage since {data.since:%Y-%m-%d} (this billing period, UTC): "
        f"{data.requests:,} requests, {data.tweets:,} tweets read, {data.users:,} users read, "
        f"about ${data.dollars:,.2f}"
    )
    for row in data.by_endpoint:
        click.echo(
            f"  {row['endpoint']}: {row['requests']:,} requests, {row['tweets']:,} tweets, "
            f"{row['users']:,} users"
        )
    if data.days:
        click.echo("By day (UTC):")
    for d in data.days:
        click.echo(f"  {d.start}: {_counts(d.requests, d.tweets, d.users, d.dollars)}")
    if data.periods:
        click.echo("By billing period:")
    for p in data.periods:
        share = 100 * p.tweets / cost.monthly_post_cap if cost.monthly_post_cap else 0.0
        click.echo(
            f"  {p.start} to {p.end}: {_counts(p.requests, p.tweets, p.users, p.dollars)} "
            f"({share:.3g}% of the {cost.monthly_post_cap:,} post reads a period allows)"
        )
    defaults = f" (the defaults: X's public prices of {PRICES_AS_OF})"
    if cost != _DEFAULT_PRICES:
        defaults = ""
    click.echo(
        f"Prices: ${cost.post_read:.4g} a post read, ${cost.user_read:.4g} a user read"
        f"{defaults}; set yours under [x.prices] in {config_path()}. Estimates: the ledger counts "
        "the objects in each answer's data; X may also bill the retweeted originals and their "
        "authors that come with them (includes), and bills a post read twice in one UTC day "
        "once. console.x.com shows what X actually charged."
    )


def _print_plan(
    state: State,
    since: date | None,
    default_window: bool,
    retweeters: bool,
    max_reads: int | None,
    fmt: str,
) -> None:
    from retweetring.config import prices
    from retweetring.sources.collect import (
        ASSUMED_PER_DAY,
        REFRESH_WINDOW,
        estimate,
        plan,
        retweeter_candidates,
    )

    engine = state.engine()
    now = _now()
    planned = plan(engine, since, now)
    cost = estimate(
        engine, planned, retweeters=retweeters, now=now, prices=prices(), max_reads=max_reads
    )
    rows = [
        {
            "username": p.username,
            "id": str(p.account_id),
            "since_id": str(p.since_id) if p.since_id is not None else None,
            "until_id": str(p.until_id) if p.until_id is not None else None,
            "what": p.what,
            "reads": p.reads,
            "most_reads": p.most,
        }
        for p in planned
    ]
    checks = len(retweeter_candidates(engine)) if retweeters else 0
    if fmt == "json":
        click.echo(
            to_json({"members": rows, "retweeter_lookups": checks, "estimate": asdict(cost)})
        )
        return
    columns = [
        ("username", "member"),
        ("since_id", "since_id"),
        ("until_id", "until_id"),
        ("what", "would fetch"),
        ("reads", "reads (about)"),
    ]
    emit_rows(state, "text", rows, columns, "collect --dry-run", "No members to collect.")
    if default_window and any(p.what.startswith("first sweep") for p in planned):
        click.echo(
            f"members never collected are read from {since} (the last {FIRST_RUN_DAYS} days; "
            "--since DATE or --full-history to change it)"
        )
    if retweeters:
        click.echo(
            "then fresh retweet counts of members' promotional tweets from the last "
            f"{REFRESH_WINDOW.days} days, and the retweeters of those whose count grew "
            f"({checks:,} known now)"
        )
    click.echo(
        f"estimated: about {cost.tweets:,} tweets and {cost.users:,} users read, about "
        f"${cost.dollars:,.2f}; at most {cost.most_tweets:,} tweets and {cost.most_users:,} "
        f"users, ${cost.most_dollars:,.2f} (each member's past activity, or "
        f"{ASSUMED_PER_DAY:g} tweets a day when none is known; see `collect --help` for prices)"
    )
    click.echo("dry run: no request made")


def _run(
    ctx: click.Context,
    since: date | None,
    default_window: bool,
    retweeters: bool,
    tz: str,
    wait: bool,
    max_reads: int | None,
    rules: Path | None,
) -> bool:
    """Collect from X; True when some member or tweet could not be read."""
    from retweetring.promo import load_classifier
    from retweetring.sources.collect import Ledger, MemberResult, collect, list_members

    state = state_of(ctx)
    engine = state.engine()
    known = list_members(engine)
    if not known:
        raise click.ClickException("no members yet: add some with `retweetring members add`")
    new = [m for m in known if m.since_id is None and m.sweep_until_id is None]
    if default_window and new:
        state.warn(
            f"{counted(len(new), 'member')} never collected: reading their tweets since "
            f"{since} only (the last {FIRST_RUN_DAYS} days; --since DATE or --full-history "
            "reads further back)"
        )
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
            tz=tz,
        )
    finally:
        api.close()
        looked_up = result is not None and retweeters
        click.echo(
            _summary(
                f"collect: {counted(api.requests, 'request')}, "
                f"{counted(api.tweets_read, 'tweet')} read",
                f"retweeters of {result.retweeter_tweets:,} tweets" if looked_up else None,
                result.approximate_new if result is not None else 0,
            )
        )
    for problem in result.problems:
        state.warn(problem)
    if result.stopped:
        state.warn(f"stopped: {result.stopped}")
        status = _exit_status(result.stopped_by)
        if status:
            ctx.exit(status)
    return bool(result.problems or any(m.problems for m in result.members))


COMMANDS = (members, collect)
