"""What an import did, in words and as plain data."""

from __future__ import annotations

from typing import Any


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """Return ``number`` with its noun, singular or plural.

    >>> counted(1, "rejected line"), counted(1_200, "rejected line"), counted(2, "reply", "replies")
    ('1 rejected line', '1,200 rejected lines', '2 replies')
    """
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def import_summary(result: Any, again: str = "--force re-reads it") -> str:
    """Return one line saying what importing one file stored, skipped and rejected.

    ``again`` says how to read a file again that was imported before.
    """
    if result.already_imported:
        return f"{result.path}: already imported (same content), skipped; {again}"
    kind = result.wrong_kind()
    if kind is not None:
        return f"{result.path}: every line {kind}; nothing imported"
    c = result.counts
    if result.owner is not None:
        return (
            f"{result.path}: X archive of @{result.owner}, {counted(result.lines_read, 'tweet')} "
            f"read, {counted(c.tweets, 'original tweet')} ({c.tweets_new:,} new), "
            f"{counted(c.retweets, 'retweet')} ({c.retweets_new:,} new), "
            f"{result.lines_rejected:,} rejected, {counted(result.unattributed, 'retweet')} "
            "whose author is not in the archive (not attributed)"
        )
    return (
        f"{result.path}: {counted(result.lines_read, 'line')}, "
        f"{counted(c.tweets_new, 'new tweet')} and {counted(c.retweets_new, 'new retweet')} "
        f"stored ({counted(c.tweets, 'tweet')} and {counted(c.retweets, 'retweet')} read, "
        f"repeats included), {counted(result.lines_rejected, 'rejected line')}, "
        f"{counted(result.unattributed, 'retweet')} with a missing original (not attributed)"
    )


def import_json(result: Any) -> dict[str, Any]:
    """Return what importing one file did as plain data for ``--format json``."""
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
