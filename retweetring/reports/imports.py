"""What an import did, in words and as plain data."""

from __future__ import annotations

from typing import Any


def import_summary(result: Any) -> str:
    """Return one line saying what importing one file stored, skipped and rejected."""
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
