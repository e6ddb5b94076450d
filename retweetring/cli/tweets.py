"""``retweetring tweets``: stored tweets, their promotional decisions reviewed and corrected."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from retweetring.cli.options import (
    count_option,
    emit_rows,
    format_option,
    progress_bar,
    rules_from,
    rules_option,
    state_of,
)
from retweetring.defaults import REVIEW_MARGIN
from retweetring.reports.escapes import escape_control
from retweetring.reports.formats import to_json


@click.group(invoke_without_command=True)
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
@count_option("--limit", 50, "Show the N newest tweets.")
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

    state = state_of(ctx)
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
    emit_rows(state, fmt, rows, columns, "Tweets", "No tweets stored yet.")


def _mark(ctx: click.Context, ids: tuple[int, ...], value: bool | None, what: str) -> None:
    from retweetring.store.queries import set_promo_override

    state = state_of(ctx)
    for tweet_id in ids:
        set_promo_override(state.engine(), tweet_id, value)
        state.say(f"tweet {tweet_id}: {what}")


@tweets.command("mark-promo")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_context
def mark_promo(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Count these tweets as promotional, whatever the classifier says.

    Example:

        retweetring tweets mark-promo 2124582919064711168
    """
    _mark(ctx, ids, True, "marked promotional")


@tweets.command("mark-personal")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_context
def mark_personal(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Count these tweets as personal (not promotional), whatever the classifier says.

    Example:

        retweetring tweets mark-personal 2124176269293572096
    """
    _mark(ctx, ids, False, "marked personal")


@tweets.command("unmark")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_context
def unmark(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Let the classifier decide again for these tweets.

    Example:

        retweetring tweets unmark 2124176269293572096
    """
    _mark(ctx, ids, None, "classifier decides again")


def _stdio_is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


# Read at call time, so that tests can drive the prompts through CliRunner's input.
_interactive: Callable[[], bool] = _stdio_is_terminal


@tweets.command("reclassify")
@rules_option
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@format_option(["text", "json"])
@click.pass_context
def tweets_reclassify(ctx: click.Context, rules: Path | None, dry_run: bool, fmt: str) -> None:
    """Classify every stored tweet again with the current model and rules.

    Replaces each tweet's decision, score, reasons and model version; overrides set with
    mark-promo / mark-personal stay as they are (and still win). Writes 5,000 tweets per
    transaction: stopped at any point, every tweet has its old or its new decision, and
    running again finishes the job. Says how many decisions changed and what that did to the
    support events and mutual pairs (all time, --min-support 1).

    Example:

        retweetring tweets reclassify --rules my_rules.toml --dry-run
    """
    from retweetring.promo import load_classifier
    from retweetring.promo.reclassify import reclassify

    state = state_of(ctx)
    engine = state.engine()
    classifier = load_classifier(engine, rules_from(rules))
    with progress_bar(state, "reclassifying", unit="tweets") as on_progress:
        result = reclassify(engine, classifier, dry_run=dry_run, on_progress=on_progress)
    if fmt == "json":
        click.echo(to_json(result))
        return
    changed = "would change" if dry_run else "changed"
    line = (
        f"{result.changed:,} of {result.tweets:,} tweets {changed} "
        f"({result.became_promotional:,} to promotional, {result.became_personal:,} to "
        f"personal); support events {result.support_events_before:,} -> "
        f"{result.support_events_after:,}; mutual pairs {result.mutual_pairs_before:,} -> "
        f"{result.mutual_pairs_after:,}; model {result.model}"
    )
    click.echo(f"dry run, nothing written: {line}" if dry_run else line)


REVIEW_COLUMNS = [
    ("id", "id"),
    ("author", "author"),
    ("retweets", "retweets"),
    ("score", "score"),
    ("promotional", "promotional"),
    ("reasons", "reasons"),
    ("text", "text"),
]

_ANSWERS = {"y": "promotional", "n": "personal", "s": "skipped"}


@tweets.command("review")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N."
)
@click.option(
    "--margin",
    type=click.FloatRange(min=0),
    default=REVIEW_MARGIN,
    show_default=True,
    help="List tweets whose score is this close to the classifier's threshold.",
)
@rules_option
@format_option()
@click.pass_context
def tweets_review(
    ctx: click.Context, limit: int, margin: float, rules: Path | None, fmt: str
) -> None:
    """Review the decisions that matter most and are least certain, and correct them.

    Lists tweets without an override that someone other than the author retweeted, whose
    score is within --margin of the classifier's threshold: most retweeted first (retweets:
    the accounts that retweeted it, each a support event the decision decides), then closest
    to the threshold. On a terminal it asks about each one: y marks it promotional, n
    personal (as mark-promo / mark-personal do, saved at once), s skips it, q stops.
    With --format json or csv, or when not on a terminal, it only lists.

    Example:

        retweetring tweets review --limit 10
    """
    from retweetring.promo import load_classifier
    from retweetring.store.queries import review_tweets

    state = state_of(ctx)
    engine = state.analytics_engine()
    threshold = load_classifier(engine, rules_from(rules)).threshold
    found = review_tweets(engine, threshold, margin=margin, limit=limit)
    shown = escape_control if fmt == "text" else str  # JSON and CSV keep the text as it is
    rows = [
        {
            "id": str(t.id),
            "author": shown(t.author),
            "retweets": t.retweets,
            "score": round(t.score, 3),
            "promotional": t.promotional,
            "reasons": shown(t.reasons),
            "text": shown(t.text),
        }
        for t in found
    ]
    if fmt != "text":
        emit_rows(state, fmt, rows, REVIEW_COLUMNS, "", "")
    elif not rows:
        click.echo(
            f"No tweets to review: no retweeted tweet without an override has a score within "
            f"{margin:g} of the threshold {threshold:g}."
        )
    elif _interactive():
        _ask(ctx, rows, threshold)
    else:
        for number, row in enumerate(rows, 1):
            click.echo(_describe(row, number, len(rows), threshold))


def _describe(row: dict[str, Any], number: int, total: int, threshold: float) -> str:
    """Return one review row as three lines: what it is, its reasons, its text."""
    decision = "promotional" if row["promotional"] else "personal"
    author = row["author"] if row["author"].startswith("id:") else f"@{row['author']}"
    return (
        f"[{number}/{total}] tweet {row['id']} by {author}: {row['retweets']} "
        f"{'retweet' if row['retweets'] == 1 else 'retweets'}, "
        f"score {row['score']:.3f} (threshold {threshold:g}), now {decision}\n"
        f"  reasons: {row['reasons'] or '(none)'}\n"
        f"  {row['text']}"
    )


def _ask(ctx: click.Context, rows: list[dict[str, Any]], threshold: float) -> None:
    """Ask about each row, recording y/n as overrides at once; end with what was answered."""
    answers: Counter[str] = Counter()
    try:
        for number, row in enumerate(rows, 1):
            if number > 1:
                click.echo()
            click.echo(_describe(row, number, len(rows), threshold))
            answer = click.prompt(
                "promotional? [y]es / [n]o / [s]kip / [q]uit",
                type=click.Choice(["y", "n", "s", "q"], case_sensitive=False),
                show_choices=False,
            ).lower()
            if answer == "q":
                break
            answers[answer] += 1
            if answer != "s":
                _mark(ctx, (int(row["id"]),), answer == "y", f"marked {_ANSWERS[answer]}")
    except click.Abort:  # Ctrl-C or the end of input: what was answered is saved already
        click.echo()
        raise
    finally:
        click.echo(
            f"{answers['y']} marked promotional, {answers['n']} personal, {answers['s']} skipped"
        )


COMMANDS = (tweets,)
