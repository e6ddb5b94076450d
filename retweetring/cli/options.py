"""What the commands share: the state of a run, the common options, and how rows are printed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from retweetring.records import PLATFORMS
from retweetring.reports.escapes import escape_control
from retweetring.reports.formats import to_json, write_csv

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

    from retweetring.graph import Window

FORMATS = ("text", "json", "csv")

_FORMAT_HELP = {
    ("text", "json"): "Output as text or JSON.",
    FORMATS: "Output as rich tables, JSON or CSV.",
}


def format_option(
    choices: Sequence[str] = FORMATS, help: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--format`` option, passed to the command as ``fmt``; text by default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default="text",
        show_default=True,
        help=help or _FORMAT_HELP.get(tuple(choices)),
    )


def platform_option(
    choices: Sequence[str] = PLATFORMS, default: str = "x", help: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--platform`` option, passed to the command as ``platform``; X by default."""
    return click.option(
        "--platform",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help or "The network: x, bluesky or mastodon.",
    )


def count_option(name: str, default: int, help: str) -> Callable[[Callable[..., Any]], Any]:
    """A ``--top``/``--limit`` style option: a positive count with a default shown in help."""
    return click.option(
        name, type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


rules_option = click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file of promotional keywords (see README).",
)
"""The ``--rules`` option of every command that classifies tweets."""


@dataclass
class State:
    """What the global options chose, and the database once opened."""

    db: str | None
    debug: bool
    notes: list[str] = field(default_factory=list)
    """Lines for stderr once the command has succeeded (see ``RetweetringGroup``)."""
    interrupted: str = "interrupted"
    """What to say on stderr when Ctrl-C stops the command: what is kept, how to go on."""
    _engine: Engine | None = None
    _decisions_checked: bool = False

    @cached_property
    def out(self) -> Console:
        """The rich console on stdout, made on first use (``--format json`` needs none)."""
        return _console(stderr=False)

    @cached_property
    def err(self) -> Console:
        """The rich console on stderr, made on first use."""
        return _console(stderr=True)

    def engine(self) -> Engine:
        """Open the database on first use: migrated to the newest schema, or read-only."""
        if self._engine is None:
            from retweetring.store.opening import open_store

            engine, done = open_store(self.db, on_wait=self.warn)
            self._engine = engine
            self.report_upgrade(done, quiet=True)
        return self._engine

    def analytics_engine(self) -> Engine:
        """Open the database for a command whose results rest on the stored promotional decisions.

        The first call adds a note (one line on stderr, after the command's output) saying how
        many of those decisions another model than the current classifier's made, when any did.
        """
        engine = self.engine()
        if not self._decisions_checked:
            self._decisions_checked = True
            from retweetring.promo.model import decision_version
            from retweetring.store.queries import count_stale_decisions

            version = decision_version(engine)
            stale = count_stale_decisions(engine, version)
            if stale:
                self.notes.append(
                    f"note: {stale:,} stored decisions come from an older model than {version}; "
                    "run 'retweetring tweets reclassify'"
                )
        return engine

    def say(self, message: str) -> None:
        """Print one message on stdout, literally, control characters escaped."""
        self.out.print(escape_control(message), markup=False)

    def warn(self, message: str) -> None:
        """Print one message on stderr, literally, control characters escaped."""
        self.err.print(escape_control(message), markup=False)

    def report_upgrade(self, done: Any, quiet: bool = False) -> None:
        """Say what a schema upgrade did; ``quiet`` says nothing when nothing changed."""
        if done.before == done.after:
            if not quiet:
                self.say(f"database is at the newest revision ({done.after}); nothing to do")
            return
        if done.before is None:
            if not quiet:
                self.say(f"database created at revision {done.after}")
            return
        message = f"database upgraded from revision {done.before} to {done.after}"
        if done.backup is not None:
            message += f"; the old file was backed up to {done.backup}"
        (self.warn if quiet else self.say)(message)

    def close(self) -> None:
        """Release the database."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _console(stderr: bool) -> Console:
    """A rich console for stdout (no wrapping) or stderr (long messages wrap)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def state_of(ctx: click.Context) -> State:
    """The run's State, which the ``retweetring`` group put on the context."""
    return ctx.find_object(State)  # type: ignore[return-value]


def parse_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """An option callback: the ISO date ``value`` (None stays None); a bad date is a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-02", param=param) from None


def since_until_options(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --since and --until options: the UTC window ``[since, until)`` of ``what``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "--until",
            callback=parse_date,
            metavar="DATE",
            help=f"Count {what} before this UTC date.",
        )(func)
        return click.option(
            "--since", callback=parse_date, metavar="DATE", help=f"Count {what} from this UTC date."
        )(func)

    return decorate


def window_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The window and threshold options: --since, --until, --min-support, --all-retweets."""
    options = [
        since_until_options("retweets"),
        click.option(
            "--min-support",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Retweets needed in a direction for support to count (k).",
        ),
        click.option(
            "--all-retweets",
            is_flag=True,
            help="Count every retweet of someone else's tweet, not only promotional ones.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


networks_option = platform_option(
    (*PLATFORMS, "all"),
    help="The network whose support to use: x, bluesky, mastodon, or all of them with "
    "each person's linked accounts as one (see `accounts link`; weights add).",
)
"""The ``--platform`` option of the commands that also work across networks (``all``)."""


def analytics_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The window, threshold, network and format options every analytics command takes."""
    return window_options(networks_option(format_option()(func)))


@dataclass(frozen=True)
class Analysis:
    """The graph an analytics command works on, and how it was chosen."""

    graph: Any
    window: Window
    min_support: int
    accounts: int
    """Every stored account, counted in the same snapshot as the graph."""

    def describe(self) -> str:
        """Return the window and threshold in words."""
        return describe_analysis(self.window, self.min_support)


def describe_analysis(window: Window, min_support: int) -> str:
    """Return a window and threshold in words, e.g. ``all time, min support 2``."""
    return f"{window.describe()}, min support {min_support}"


def make_window(since: date | None, until: date | None) -> Window:
    """The window ``[since, until)``; an empty or reversed one is a usage error."""
    from retweetring.graph import Window

    try:
        return Window(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def load_analysis(
    state: State,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str = "x",
    *,
    arrays: bool = False,
    times: bool = False,
) -> Analysis:
    """The support graph of the window on ``platform``, read in one snapshot with the count of
    accounts.

    With `arrays` and one network, the graph is :class:`~retweetring.analytics.weights.
    SupportWeights` read straight from SQL (no networkx graph; first/last only with `times`);
    ``all`` (linked accounts as one person) always gives the networkx people graph.
    """
    window = make_window(since, until)
    from retweetring.graph import support_graph
    from retweetring.store.pairs import support_weights
    from retweetring.store.queries import count_accounts

    with state.analytics_engine().connect() as conn:  # one transaction: one snapshot
        if platform == "all":
            from retweetring.people import NETWORKS, people_graph, person_of

            graph = people_graph(conn, window, all_retweets=all_retweets)
            persons = person_of(conn)
            linked = len(persons) - len(set(persons.values()))
            accounts = sum(count_accounts(conn, p) for p in NETWORKS) - linked
        else:
            read = support_weights if arrays else support_graph
            options = {"times": times} if arrays else {}
            graph = read(conn, window, all_retweets=all_retweets, platform=platform, **options)
            accounts = count_accounts(conn, platform)
    return Analysis(graph, window, min_support, accounts)


def account_node(state: State, username: str | None, platform: str = "x") -> int | None:
    """The stored account id of ``username`` on ``platform`` (None without one); an unknown
    name is an error."""
    if username is None:
        return None
    if platform == "all":
        from retweetring.people import person_ref

        return person_ref(state.engine(), username)[1]
    from retweetring.store.queries import find_account

    return find_account(
        state.engine(), username.lstrip("@") if platform != "x" else username, platform
    )


def emit_rows(
    state: State,
    fmt: str,
    rows: list[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    title: str,
    empty: str,
) -> None:
    """Print ``rows`` as JSON, CSV (the ``columns`` keys) or a titled table; ``empty`` if none."""
    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        write_csv(rows, sys.stdout, [key for key, _ in columns])
    elif not rows:
        state.say(empty)
    else:
        from retweetring.reports.console import table

        state.out.print(table(rows, columns, title))


class progress_bar:  # noqa: N801 - used like a function: ``with progress_bar(...)``
    """A rich progress display on a terminal; a no-op callback elsewhere.

    ``unit="bytes"`` shows sizes and a transfer speed; any other unit, a count ``done/total``.
    """

    def __init__(self, state: State, description: str, unit: str = "bytes") -> None:
        self._state = state
        self._description = description
        self._unit = unit
        self._bar: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not self._state.err.is_terminal:
            return None
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        amount = (
            [DownloadColumn(), TransferSpeedColumn()]
            if self._unit == "bytes"
            else [MofNCompleteColumn(), TextColumn(self._unit)]
        )
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            *amount,
            TimeRemainingColumn(),
            console=self._state.err,
            transient=True,
        )
        self._bar.start()
        task = self._bar.add_task(self._description, total=None)
        return lambda done, total: self._bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def rules_from(path: Path | None) -> Any:
    """The promotional rules of a ``--rules`` file, or the shipped rules without one."""
    from retweetring.promo import DEFAULT_RULES, load_rules

    return DEFAULT_RULES if path is None else load_rules(path)


def emit_report(
    state: State, analysis: Analysis, fmt: str, top: int = 10, max_exact: int = 1000
) -> None:
    """Print the community report of an analysis (arrays or graph) as text or JSON, or its
    balance rows as CSV; `max_exact` is the connectors' betweenness sample (see
    :func:`~retweetring.analytics.connectors.top_connectors`)."""
    from retweetring.analytics import weights
    from retweetring.reports import summary

    if fmt == "csv":
        graph = analysis.graph
        rows = (
            weights.balance_rows(graph)
            if isinstance(graph, weights.SupportWeights)
            else summary.balance_rows(graph)
        )
        write_csv(rows, sys.stdout, list(rows[0]) if rows else ["username"])
        return
    data = summary.report(
        analysis.graph,
        analysis.accounts,
        min_support=analysis.min_support,
        window=analysis.window.describe(),
        top=top,
        max_exact=max_exact,
    )
    if fmt == "json":
        click.echo(to_json(data))
    else:
        from retweetring.reports.console import report

        state.out.print(report(data))


def valid_time_zone(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    """An option callback: ``value`` if it names an IANA time zone, else a usage error."""
    from retweetring.thanks.lists import time_zone

    try:
        time_zone(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None
    return value


def week_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--week`` and ``--tz`` options; the command gets ``week`` as a Week or None."""
    func = click.option(
        "--tz",
        default="UTC",
        show_default=True,
        callback=valid_time_zone,
        is_eager=True,
        metavar="ZONE",
        help="IANA time zone the week runs in (Monday 00:00 to Monday 00:00), e.g. Europe/London.",
    )(func)
    return click.option(
        "--week",
        metavar="YYYY-Www",
        callback=_week,
        help="The ISO week, e.g. 2026-W46. Default: the last complete week in --tz.",
    )(func)


def _week(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from retweetring.thanks.lists import Week

    if value is None:
        return None
    try:
        return Week.parse(value, ctx.params.get("tz", "UTC"))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None
