"""The ``retweetring`` group: global options, one-line errors, and every command added to it.

Every error retweetring expects becomes one line on stderr and exit status 1; ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from retweetring import __version__
from retweetring.cli import (
    analytics,
    collect,
    db,
    demo,
    export,
    imports,
    maps,
    promo,
    thank,
    tweets,
    weekly,
)
from retweetring.cli.options import State
from retweetring.config import redact
from retweetring.errors import RetweetringError
from retweetring.reports.escapes import escape_control


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
                    state.warn(note)
            return result
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            state = ctx.obj
            click.echo(escape_control(getattr(state, "interrupted", "interrupted")), err=True)
            ctx.exit(130)
        except BrokenPipeError:
            raise  # the reader closed the pipe (``| head``): click exits quietly
        except Exception as exc:
            _debug_traceback(ctx)
            if isinstance(exc, RetweetringError | OSError) or _database_error(exc) is not None:
                raise click.ClickException(_shown(_one_line(exc))) from None
            raise click.ClickException(
                f"unexpected error: {_shown(_one_line(exc))} (this is a bug: run again with "
                "--debug for the traceback and please report it)"
            ) from None


def _debug_traceback(ctx: click.Context) -> None:
    """With --debug, print the current exception's traceback, secrets redacted, and exit 1."""
    state = ctx.obj
    if isinstance(state, State) and state.debug:
        click.echo(redact("".join(traceback.format_exc())), err=True)
        ctx.exit(1)


def _shown(message: str) -> str:
    """``message`` safe for the terminal: secrets redacted, control characters escaped."""
    return escape_control(redact(message))


def _database_error(exc: BaseException) -> Any:
    """``exc`` as SQLAlchemy's DBAPIError, or None (without importing SQLAlchemy to ask)."""
    errors = sys.modules.get("sqlalchemy.exc")
    return exc if errors is not None and isinstance(exc, errors.DBAPIError) else None


def _one_line(exc: BaseException) -> str:
    if (database := _database_error(exc)) is not None:
        from retweetring.store.session import describe_database_error

        return describe_database_error(database)
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


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


for command in (
    *imports.COMMANDS,
    *promo.COMMANDS,
    *tweets.COMMANDS,
    *analytics.COMMANDS,
    *collect.COMMANDS,
    *thank.COMMANDS,
    *weekly.COMMANDS,
    *maps.COMMANDS,
    *export.COMMANDS,
    *db.COMMANDS,
    *demo.COMMANDS,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line."""
    cli.main(args=argv, prog_name="retweetring")
