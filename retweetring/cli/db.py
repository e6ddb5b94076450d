"""``retweetring db``: the schema's revision, upgrades and consistency checks."""

from __future__ import annotations

import click

from retweetring.cli.options import format_option, state_of
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


COMMANDS = (db,)
