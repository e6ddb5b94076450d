"""``retweetring balance``: how much of what each account posts is a sales pitch."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from retweetring.cli import _emit_rows, _state, _window, cli, format_option, since_until_options

if TYPE_CHECKING:
    from retweetring.analytics.posting import PostingBalances

COLUMNS = [
    ("username", "username"),
    ("originals", "originals"),
    ("promotional", "promo"),
    ("share", "share"),
    ("from_median", "vs median"),
    ("mark", "mark"),
]
CSV_COLUMNS = [*COLUMNS[:4], ("median", "median"), *COLUMNS[4:]]


@cli.command()
@since_until_options("original tweets posted")
@click.option(
    "--min-tweets",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Originals an account needs to be marked and counted in the median.",
)
@click.option("--account", metavar="USERNAME", help="Only this account (median: everyone's).")
@format_option()
@click.pass_context
def balance(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    min_tweets: int,
    account: str | None,
    fmt: str,
) -> None:
    """Show each account's posting balance: how many of its original tweets are promotional.

    For each account: original tweets posted in [--since, --until), how many are promotional
    (your override wins over the classifier), the share promotional, and how far that is
    from the community median share (taken over accounts with at least --min-tweets
    originals). 'only sells': every original is promotional; 'never sells': none is;
    'too few tweets': fewer than --min-tweets (not in the median). Lists every member and
    every account with a stored tweet, even with none in the window; accounts that only
    retweeted are left out. Sorted by share, highest first, then username.

    Example:

    \b
        retweetring balance --since 2026-10-01 --min-tweets 5
        retweetring balance --account hollys_bakery --format json
    """
    from retweetring.analytics.posting import posting_balance
    from retweetring.store.queries import find_account, normalise_username, posting_counts

    state = _state(ctx)
    window = _window(since, until)
    counts = posting_counts(state.engine(), window)
    labels = {row.id: row.username or f"id:{row.id}" for row in counts}
    result = posting_balance(
        {labels[row.id]: (row.originals, row.promotional) for row in counts},
        min_tweets=min_tweets,
    )
    rows = _rows(result)
    what = window.describe()
    if account is not None:
        wanted = labels.get(find_account(state.engine(), account))
        rows = [row for row in rows if row["username"] == wanted]
        empty = f"@{normalise_username(account)} is not a member and has no stored tweet."
    else:
        empty = f"No members or stored tweets ({what})."
    _emit_rows(
        state,
        fmt,
        rows,
        CSV_COLUMNS if fmt == "csv" else COLUMNS,
        f"Posting balance ({what}; {_median_words(result)})",
        empty,
    )


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
