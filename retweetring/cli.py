"""The ``retweetring`` command line: parse options, call the library, format the results.

Every error retweetring expects becomes one line on stderr and exit status 1; ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from retweetring import __version__
from retweetring.config import redact
from retweetring.errors import RetweetringError
from retweetring.graph import Window, support_graph
from retweetring.reports import console as views
from retweetring.reports import summary
from retweetring.reports.formats import to_json, to_json_line, write_csv

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
    out: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=False))
    err: Console = field(
        default_factory=lambda: Console(stderr=True, highlight=False, soft_wrap=True)
    )
    notes: list[str] = field(default_factory=list)
    """Lines for stderr once the command has succeeded (see ``RetweetringGroup``)."""
    _engine: Engine | None = None
    _decisions_checked: bool = False

    def engine(self) -> Engine:
        """Open the database (migrating it to the newest schema) on first use."""
        if self._engine is None:
            from retweetring.store.session import create_db_engine, upgrade

            engine = create_db_engine(self.db)
            try:
                self.report_upgrade(upgrade(engine), quiet=True)
            except BaseException:
                engine.dispose()
                raise
            self._engine = engine
        return self._engine

    def analytics_engine(self) -> Engine:
        """Open the database for a command whose results rest on the stored promotional decisions.

        The first call adds a note (one line on stderr, after the command's output) saying how
        many of those decisions another model than the current classifier's made, when any did.
        """
        engine = self.engine()
        if not self._decisions_checked:
            self._decisions_checked = True
            from retweetring.promo import load_classifier
            from retweetring.store.queries import count_stale_decisions

            version = load_classifier(engine).version
            stale = count_stale_decisions(engine, version)
            if stale:
                self.notes.append(
                    f"note: {stale:,} stored decisions come from an older model than {version}; "
                    "run 'retweetring tweets reclassify'"
                )
        return engine

    def report_upgrade(self, done: Any, quiet: bool = False) -> None:
        """Say what a schema upgrade did; ``quiet`` says nothing when nothing changed."""
        if done.before == done.after:
            if not quiet:
                self.out.print(
                    f"database is at the newest revision ({done.after}); nothing to do",
                    markup=False,
                )
            return
        if done.before is None:
            if not quiet:
                self.out.print(f"database created at revision {done.after}", markup=False)
            return
        message = f"database upgraded from revision {done.before} to {done.after}"
        if done.backup is not None:
            message += f"; the old file was backed up to {done.backup}"
        (self.err if quiet else self.out).print(message, markup=False)

    def close(self) -> None:
        """Release the database."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class RetweetringGroup(click.Group):
    """A group that turns expected errors into one line and exit status 1.

    After a command that succeeded, it prints the notes the command left (``State.notes``) on
    stderr.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            state = ctx.obj
            if isinstance(state, State):
                for note in state.notes:
                    state.err.print(note, markup=False)
            return result
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (RetweetringError, DBAPIError, OSError) as exc:
            _debug_traceback(ctx)
            raise click.ClickException(redact(_one_line(exc))) from None
        except Exception as exc:
            _debug_traceback(ctx)
            raise click.ClickException(
                f"unexpected error: {redact(_one_line(exc))} (this is a bug: run again with "
                "--debug for the traceback and please report it)"
            ) from None


def _debug_traceback(ctx: click.Context) -> None:
    """With --debug, print the current exception's traceback, secrets redacted, and exit 1."""
    state = ctx.obj
    if isinstance(state, State) and state.debug:
        click.echo(redact("".join(traceback.format_exc())), err=True)
        ctx.exit(1)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError):
        return f"database error: {exc.orig}"
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _state(ctx: click.Context) -> State:
    return ctx.find_object(State)  # type: ignore[return-value]


@click.group(cls=RetweetringGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Database file or SQLAlchemy URL. Default: $RETWEETRING_DB, else ./retweetring.db.",
)
@click.option("--debug", is_flag=True, help="Show a full traceback when something fails.")
@click.version_option(__version__, prog_name="retweetring")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """See who supports whose promotional tweets in your small-business community on X.

    Import retweet data, then ask who backs whom: mutual supporters, one-sided relationships
    and people worth introducing. Start with `retweetring demo` to see it on example data.
    """
    state = State(db=db, debug=debug)
    ctx.obj = state
    ctx.call_on_close(state.close)


# --- shared options -------------------------------------------------------------------------


def _date(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
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
            "--until", callback=_date, metavar="DATE", help=f"Count {what} before this UTC date."
        )(func)
        return click.option(
            "--since", callback=_date, metavar="DATE", help=f"Count {what} from this UTC date."
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


def analytics_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The window, threshold and format options every analytics command takes."""
    return window_options(format_option()(func))


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
        return f"{self.window.describe()}, min support {self.min_support}"


def _window(since: date | None, until: date | None) -> Window:
    try:
        return Window(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _analysis(
    state: State, since: date | None, until: date | None, min_support: int, all_retweets: bool
) -> Analysis:
    window = _window(since, until)
    from retweetring.store.queries import count_accounts

    with state.analytics_engine().connect() as conn:  # one transaction: one snapshot
        graph = support_graph(conn, window, all_retweets=all_retweets)
        accounts = count_accounts(conn)
    return Analysis(graph, window, min_support, accounts)


def _account_node(state: State, username: str | None) -> int | None:
    if username is None:
        return None
    from retweetring.store.queries import find_account

    return find_account(state.engine(), username)


def _emit_rows(
    state: State,
    fmt: str,
    rows: list[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    title: str,
    empty: str,
) -> None:
    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        write_csv(rows, sys.stdout, [key for key, _ in columns])
    elif not rows:
        state.out.print(empty, markup=False)
    else:
        state.out.print(views.table(rows, columns, title))


# --- import and classify ----------------------------------------------------------------------


@cli.command("import")
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
    that repeats pages, changes nothing. Malformed lines are reported as FILE:LINE: reason
    and skipped; the rest is imported and the exit status is 1. An X archive is its .zip,
    its extracted folder, or its data/tweets.js (see README for what it can tell).

    Example:

        retweetring import tweets-2026-11.jsonl archive/*.jsonl.gz
        retweetring import twitter-2026-11-20-abc123.zip
    """
    from retweetring.ingest import import_file
    from retweetring.promo import load_classifier

    state = _state(ctx)
    promo_rules = _load_rules(rules)
    engine = state.engine()
    classifier = load_classifier(engine, promo_rules)
    results = []
    failed = False
    for path in files:
        shown = _ErrorLines(state)
        try:
            with _progress(state, f"importing {path.name}") as on_progress:
                result = import_file(
                    engine,
                    path,
                    classifier=classifier,
                    force=force,
                    on_error=shown,
                    on_progress=on_progress,
                    owner=owner,
                )
        except RetweetringError as exc:
            state.err.print(f"Error: {exc}", markup=False)
            failed = True
            continue
        failed = failed or result.lines_rejected > 0
        results.append(result)
        shown.finish(result)
        if fmt == "text":
            state.err.print(_import_summary(result), markup=False)
    if fmt == "json":
        click.echo(to_json([_import_json(r) for r in results]))
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
            self._state.err.print(line, markup=False)

    def finish(self, result: Any) -> None:
        """Say how many rejected lines were not shown, by reason."""
        hidden = self._count - self.SHOWN
        if hidden > 0:
            reasons = "; ".join(
                f"{count:,} x {reason}" for reason, count in result.reasons.most_common(3)
            )
            self._state.err.print(
                f"{result.path}: {hidden:,} more rejected lines not shown (all rejected: "
                f"{reasons})",
                markup=False,
            )


def _import_summary(result: Any) -> str:
    if result.already_imported:
        return f"{result.path}: already imported (same content), skipped; --force re-reads it"
    kind = result.wrong_kind()
    if kind is not None:
        return f"{result.path}: every line {kind}; nothing imported"
    c = result.counts
    if result.owner is not None:
        return (
            f"{result.path}: X archive of @{result.owner}, {result.lines_read:,} tweets read, "
            f"{c.tweets:,} original tweets ({c.tweets_new:,} new), "
            f"{c.retweets:,} retweets ({c.retweets_new:,} new), "
            f"{result.lines_rejected:,} rejected, "
            f"{result.unattributed:,} retweets whose author is not in the archive (not attributed)"
        )
    return (
        f"{result.path}: {result.pages:,} pages, {c.tweets_new:,} new tweets and "
        f"{c.retweets_new:,} new retweets stored ({c.tweets:,} tweets and {c.retweets:,} "
        f"retweets read, originals repeated per page), {result.lines_rejected:,} rejected lines, "
        f"{result.unattributed:,} retweets with a missing original (not attributed)"
    )


def _import_json(result: Any) -> dict[str, Any]:
    c = result.counts
    return {
        "path": result.path,
        "archive_owner": result.owner,
        "sha256": result.sha256,
        "already_imported": result.already_imported,
        "lines_read": result.lines_read,
        "lines_rejected": result.lines_rejected,
        "pages": result.pages,
        "tweets": c.tweets,
        "tweets_new": c.tweets_new,
        "retweets": c.retweets,
        "retweets_new": c.retweets_new,
        "accounts": c.accounts,
        "unattributed": result.unattributed,
        "errors": result.errors,
    }


class _progress:
    """A rich progress display on a terminal; a no-op callback elsewhere.

    ``unit="bytes"`` shows sizes and a transfer speed; any other unit, a count ``done/total``.
    """

    def __init__(self, state: State, description: str, unit: str = "bytes") -> None:
        self._state = state
        self._description = description
        self._unit = unit
        self._progress: Any = None

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
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            *amount,
            TimeRemainingColumn(),
            console=self._state.err,
            transient=True,
        )
        self._progress.start()
        task = self._progress.add_task(self._description, total=None)
        return lambda done, total: self._progress.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def create_db_engine_quietly(db: str | None) -> Any:
    """An engine for ``db`` without creating or migrating anything; None if it cannot be made."""
    from retweetring.errors import DatabaseError
    from retweetring.store.session import create_db_engine

    try:
        return create_db_engine(db)
    except DatabaseError:
        return None


def _load_rules(path: Path | None) -> Any:
    from retweetring.promo import DEFAULT_RULES, load_rules

    return DEFAULT_RULES if path is None else load_rules(path)


@cli.command()
@click.argument("texts", nargs=-1)
@rules_option
@click.pass_context
def classify(ctx: click.Context, texts: tuple[str, ...], rules: Path | None) -> None:
    """Say whether texts are promotional, with the reasons, as JSON lines.

    Reads the texts given as arguments, or one per line from standard input. Uses the
    database's community model when the database exists (see 'promo fit'), else the
    shipped model; each reason names a feature and its weight in log-odds.

    Example:

        retweetring classify "20% off all bread this weekend - order online!"
    """
    from retweetring.promo import load_classifier, shipped_classifier
    from retweetring.store.session import sqlite_file

    state = _state(ctx)
    promo_rules = _load_rules(rules)
    classifier = shipped_classifier(promo_rules)
    probe = create_db_engine_quietly(state.db)
    if probe is not None:
        file = sqlite_file(probe)
        if file is not None and file.exists():
            classifier = load_classifier(state.engine(), promo_rules)
        probe.dispose()
    source = texts or (line.rstrip("\n") for line in sys.stdin)
    for text in source:
        if not text.strip():
            continue
        result = classifier.classify(text)
        click.echo(
            to_json_line(
                {
                    "text": text,
                    "promotional": result.promotional,
                    "score": result.score,
                    "reasons": list(result.reasons),
                }
            )
        )


# --- stored data ------------------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@click.pass_context
def tweets(ctx: click.Context) -> None:
    """List stored tweets, review and correct their promotional classification.

    Without a subcommand, lists the 50 newest tweets.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tweets_list)


@tweets.command("list")
@click.option("--account", metavar="USERNAME", help="Only tweets by this account.")
@click.option("--promotional/--personal", default=None, help="Only one kind of tweet.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@format_option()
@click.pass_context
def tweets_list(
    ctx: click.Context,
    account: str | None = None,
    promotional: bool | None = None,
    limit: int = 50,
    fmt: str = "text",
) -> None:
    """List stored original tweets, newest first, with their classification.

    Example:

        retweetring tweets list --account hollys_bakery --promotional
    """
    from retweetring.store.queries import find_account, list_tweets

    state = _state(ctx)
    engine = state.engine()
    author = find_account(engine, account) if account else None
    rows = [
        {
            "id": str(t.id),
            "author": t.author,
            "created_at": t.created_at.isoformat(" ", "seconds") if t.created_at else None,
            "promotional": t.promotional,
            "override": t.override,
            "score": round(t.score, 3),
            "reasons": t.reasons,
            "retweets": t.retweets,
            "text": t.text,
        }
        for t in list_tweets(engine, author_id=author, promotional=promotional, limit=limit)
    ]
    columns = [
        ("id", "id"),
        ("author", "author"),
        ("created_at", "created (UTC)"),
        ("promotional", "promo"),
        ("retweets", "RTs"),
        ("reasons", "reasons"),
        ("text", "text"),
    ]
    _emit_rows(state, fmt, rows, columns, "Tweets", "No tweets stored yet.")


def _mark(ctx: click.Context, ids: tuple[int, ...], value: bool | None, what: str) -> None:
    from retweetring.store.queries import set_promo_override

    state = _state(ctx)
    for tweet_id in ids:
        set_promo_override(state.engine(), tweet_id, value)
        state.out.print(f"tweet {tweet_id}: {what}", markup=False)


@tweets.command("mark-promo")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_context
def mark_promo(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Count these tweets as promotional, whatever the classifier says.

    Example:

        retweetring tweets mark-promo 1858123456789012345
    """
    _mark(ctx, ids, True, "marked promotional")


@tweets.command("mark-personal")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_context
def mark_personal(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Count these tweets as personal (not promotional), whatever the classifier says.

    Example:

        retweetring tweets mark-personal 1858123456789012345
    """
    _mark(ctx, ids, False, "marked personal")


@tweets.command("unmark")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_context
def unmark(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Let the classifier decide again for these tweets.

    Example:

        retweetring tweets unmark 1858123456789012345
    """
    _mark(ctx, ids, None, "classifier decides again")


@cli.command()
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N.")
@format_option()
@click.pass_context
def accounts(ctx: click.Context, limit: int | None, fmt: str) -> None:
    """List stored accounts with how many tweets they wrote and retweeted.

    Example:

        retweetring accounts --limit 20
    """
    from retweetring.store.queries import list_accounts

    state = _state(ctx)
    rows = [
        {
            "id": str(a.id),
            "username": a.username,
            "name": a.name,
            "tweets": a.tweets,
            "promotional_tweets": a.promotional_tweets,
            "retweets": a.retweets,
        }
        for a in list_accounts(state.analytics_engine(), limit=limit)
    ]
    columns = [
        ("username", "username"),
        ("name", "name"),
        ("tweets", "tweets"),
        ("promotional_tweets", "promotional"),
        ("retweets", "retweets"),
    ]
    _emit_rows(state, fmt, rows, columns, "Accounts", "No accounts stored yet.")


# --- analytics --------------------------------------------------------------------------------


@cli.command()
@analytics_options
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.pass_context
def report(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    fmt: str,
    top: int,
) -> None:
    """Summarise the community: support given and received, mutual pairs, communities.

    With --format csv, prints each account's support balance.

    Example:

        retweetring report --since 2026-10-01 --format json
    """
    state = _state(ctx)
    _print_report(state, _analysis(state, since, until, min_support, all_retweets), fmt, top)


def _print_report(state: State, analysis: Analysis, fmt: str, top: int = 10) -> None:
    if fmt == "csv":
        rows = summary.balance_rows(analysis.graph)
        write_csv(rows, sys.stdout, list(rows[0]) if rows else ["username"])
        return
    data = summary.report(
        analysis.graph,
        analysis.accounts,
        min_support=analysis.min_support,
        window=analysis.window.describe(),
        top=top,
    )
    if fmt == "json":
        click.echo(to_json(data))
    else:
        state.out.print(views.report(data))


@cli.command()
@analytics_options
@click.pass_context
def mutual(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    fmt: str,
) -> None:
    """List mutual supporters: pairs who each retweeted the other's promotions.

    A pair {a, b} is mutual when a supported b and b supported a at least
    --min-support times each in the window.

    Example:

        retweetring mutual --min-support 2
    """
    state = _state(ctx)
    analysis = _analysis(state, since, until, min_support, all_retweets)
    rows = summary.mutual_rows(analysis.graph, min_support)
    _emit_rows(
        state,
        fmt,
        rows,
        views.MUTUAL_COLUMNS,
        f"Mutual supporters ({analysis.describe()})",
        f"No mutual pairs ({analysis.describe()}).",
    )


@cli.command("one-sided")
@analytics_options
@click.option("--account", metavar="USERNAME", help="Only relationships involving this account.")
@click.pass_context
def one_sided_cmd(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    fmt: str,
    account: str | None,
) -> None:
    """List one-sided relationships: support that was not returned.

    The supporter retweeted the supported account's promotions at least --min-support
    times; 'returned' is how often it was returned (fewer than --min-support).

    Example:

        retweetring one-sided --account hollys_bakery
    """
    state = _state(ctx)
    analysis = _analysis(state, since, until, min_support, all_retweets)
    node = _account_node(state, account)
    rows = summary.one_sided_rows(analysis.graph, min_support, account=node)
    _emit_rows(
        state,
        fmt,
        rows,
        views.ONE_SIDED_COLUMNS,
        f"One-sided support ({analysis.describe()})",
        f"No one-sided relationships ({analysis.describe()}).",
    )


@cli.command()
@analytics_options
@click.option("--account", metavar="USERNAME", help="Only introductions for this account.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.pass_context
def introductions(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
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
    state = _state(ctx)
    analysis = _analysis(state, since, until, min_support, all_retweets)
    node = _account_node(state, account)
    rows = summary.introduction_rows(analysis.graph, min_support, account=node, top=top)
    _emit_rows(
        state,
        fmt,
        rows,
        views.INTRODUCTION_COLUMNS,
        f"Introduction opportunities ({analysis.describe()})",
        f"No introduction opportunities ({analysis.describe()}).",
    )


# --- database and demo ------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Manage the database schema (every command also upgrades it automatically)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the database schema to the newest revision.

    Example:

        retweetring --db community.db db upgrade
    """
    from retweetring.store.session import create_db_engine, upgrade

    state = _state(ctx)
    engine = create_db_engine(state.db)
    try:
        done = upgrade(engine)
    finally:
        engine.dispose()
    state.report_upgrade(done)


@db.command("check")
@format_option(["text", "json"])
@click.pass_context
def db_check(ctx: click.Context, fmt: str) -> None:
    """Check the database: integrity, foreign keys, orphaned rows, and row counts.

    Exits with status 1 when a problem is found.

    Example:

        retweetring --db community.db db check
    """
    from retweetring.store.check import check_database

    state = _state(ctx)
    report = check_database(state.engine())
    if fmt == "json":
        click.echo(to_json({"ok": report.ok, "problems": report.problems, **report.counts}))
    else:
        counts = ", ".join(f"{count:,} {name}" for name, count in report.counts.items())
        state.out.print(counts, markup=False)
        for problem in report.problems:
            state.out.print(f"problem: {problem}", markup=False)
        state.out.print("ok" if report.ok else "database has problems", markup=False)
    if not report.ok:
        ctx.exit(1)


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the database's schema revision and the newest one this version knows.

    Example:

        retweetring db current
    """
    from retweetring.store.session import create_db_engine, current_revision, head_revision

    engine = create_db_engine(_state(ctx).db)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    status = "up to date" if current == head else "needs `retweetring db upgrade`"
    click.echo(f"current: {current or 'empty'}  newest: {head}  ({status})")


@cli.command()
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
    from retweetring.ingest import import_file

    state = _state(ctx)
    chosen = demo_db or state.db
    with tempfile.TemporaryDirectory(prefix="retweetring-demo-") as tmp:
        state.db = chosen or str(Path(tmp) / "demo.db")
        example = files("retweetring.examples") / "community.jsonl"
        with as_file(example) as path, _progress(state, "importing the example") as progress:
            result = import_file(state.engine(), path, on_progress=progress)
        if fmt == "text":
            state.err.print(_import_summary(result), markup=False)
        _print_report(state, _analysis(state, None, None, 1, False), fmt)
        state.close()
    if chosen and fmt == "text":
        state.err.print(f"demo database kept at {chosen}", markup=False)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line."""
    cli.main(args=argv, prog_name="retweetring")


from retweetring.commands import collect as _collect  # noqa: E402,F401
from retweetring.commands import decisions as _decisions  # noqa: E402,F401
from retweetring.commands import export as _export  # noqa: E402,F401
from retweetring.commands import maps as _maps  # noqa: E402,F401
from retweetring.commands import posting as _posting  # noqa: E402,F401
from retweetring.commands import promo as _promo  # noqa: E402,F401
from retweetring.commands import thank as _thank  # noqa: E402,F401
from retweetring.commands import weekly as _weekly  # noqa: E402,F401
