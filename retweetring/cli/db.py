"""``retweetring db``: the schema's revision, upgrades, consistency checks and copies."""

from __future__ import annotations

import click

from retweetring.cli.options import count_option, format_option, progress_bar, state_of
from retweetring.reports.escapes import escape_control
from retweetring.reports.formats import to_json


@click.group()
def db() -> None:
    """Manage the database schema (every command also upgrades it automatically)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the database schema to the newest revision.

    Example:

        retweetring --db community.db db upgrade
    """
    from retweetring.store.opening import open_store

    state = state_of(ctx)
    engine, done = open_store(state.db, on_wait=state.warn)
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

    state = state_of(ctx)
    report = check_database(state.engine())
    if fmt == "json":
        click.echo(to_json({"ok": report.ok, "problems": report.problems, **report.counts}))
    else:
        counts = ", ".join(f"{count:,} {name}" for name, count in report.counts.items())
        state.say(counts)
        for problem in report.problems:
            state.say(f"problem: {problem}")
        state.say("ok" if report.ok else "database has problems")
    if not report.ok:
        ctx.exit(1)


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the database's schema revision and the newest one this version knows.

    Example:

        retweetring db current
    """
    from retweetring.store.opening import inspect_revision
    from retweetring.store.session import HEAD_REVISION as head

    current = inspect_revision(state_of(ctx).db)
    status = "up to date" if current == head else "needs `retweetring db upgrade`"
    click.echo(f"current: {current or 'empty'}  newest: {head}  ({status})")


@db.command("copy")
@click.option(
    "--to",
    "to",
    required=True,
    metavar="DB",
    help="The database to copy into: a new file or an empty database (path or URL).",
)
@count_option("--batch-rows", 10_000, "Rows read and written at once.")
@format_option(["text", "json"])
@click.pass_context
def db_copy(ctx: click.Context, to: str, batch_rows: int, fmt: str) -> None:
    """Copy the whole history (every table) into a new or empty database, in one transaction.

    The target is created or brought to the newest schema first; one that already holds
    rows is refused. Each table's rows are counted on both sides before the copy commits.

    Example:

        retweetring --db community.db db copy --to postgresql+psycopg://me@db.example/rr
    """
    from retweetring.store.copying import copy_database
    from retweetring.store.opening import open_store
    from retweetring.store.session import resolve_db

    state = state_of(ctx)
    source = state.engine()
    shown = resolve_db(to).shown
    target, done = open_store(to, on_wait=state.warn)
    try:
        state.interrupted = (
            f"interrupted: nothing was copied to {shown} (the copy is one transaction); "
            "run the same command again"
        )
        with progress_bar(state, f"copying to {shown}", unit="rows") as on_progress:
            result = copy_database(source, target, batch_rows=batch_rows, on_progress=on_progress)
    finally:
        target.dispose()
    if fmt == "json":
        click.echo(to_json({"to": shown, "revision": result.revision, "tables": result.counts}))
        return
    if done.before is None:
        state.warn(f"database {shown} created at revision {done.after}")
    lines = [f"copied {result.rows:,} rows to {shown} at revision {result.revision}:"]
    width = max(len(name) for name in result.counts)
    lines += [f"  {name:<{width}}  {count:>12,}" for name, count in result.counts.items()]
    for line in lines:  # unwrapped: the URL stays whole
        click.echo(escape_control(line))


COMMANDS = (db,)
