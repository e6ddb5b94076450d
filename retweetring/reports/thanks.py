"""The "who to thank" list as Markdown, rich tables and CSV rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from retweetring.reports.console import table
from retweetring.reports.escapes import escape_control
from retweetring.thanks.lists import Supporter, ThankList

__all__ = [
    "CSV_COLUMNS",
    "csv_columns",
    "csv_rows",
    "empty_message",
    "flat_drafts",
    "render_markdown",
    "render_text",
    "support_back_message",
]

CSV_COLUMNS = ["username", "retweets", "new", "returned", "thanked"]
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _title(thanks: ThankList) -> str:
    who = f"@{thanks.account}"
    if thanks.platform == "all":
        who += f" ({', '.join(thanks.accounts)})"
    return f"Who to thank: {who}, {thanks.week.describe()}"


def _what(thanks: ThankList) -> str:
    return "tweets" if thanks.all_retweets else "promotional tweets"


def empty_message(thanks: ThankList) -> str:
    """The sentence shown instead of an empty table when nobody supported the account."""
    return (
        f"Nobody retweeted @{thanks.account}'s {_what(thanks)} in {thanks.week.describe()}, "
        "though retweets of other accounts are stored for that week."
    )


def support_back_message(thanks: ThankList) -> str:
    """The sentence shown when every supporter's support was already returned."""
    return (
        f"@{thanks.account} supported every one of them in the 4 weeks to "
        f"{thanks.week.sunday:%a} {thanks.week.sunday.day} {thanks.week.sunday:%b}."
    )


def _retweets(count: int) -> str:
    return "1 retweet" if count == 1 else f"{count} retweets"


def _yes(value: bool) -> str:
    return "yes" if value else "-"


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape_control(text))


def _profile(platform: str, username: str) -> str:
    """The address of an account's public profile on its network."""
    if platform == "bluesky":
        return f"https://bsky.app/profile/{username}"
    if platform == "mastodon" and "@" in username:
        user, server = username.split("@", 1)
        return f"https://{server}/@{user}"
    return f"https://x.com/{username}"


def _link(username: str, platform: str = "x") -> str:
    if username.startswith("id:"):
        return _escape(username)
    return f"[@{_escape(username)}]({escape_control(_profile(platform, username))})"


def _supporter_link(thanks: ThankList, supporter: Supporter) -> str:
    if thanks.platform != "all":
        return _link(supporter.username, thanks.platform)
    return _escape(supporter.username)


def _handles(supporter: Supporter, link: bool = False) -> str:
    """Where to thank a supporter across networks: ``x:@name, bluesky:@name.bsky.social``."""
    return ", ".join(
        f"{h.platform}:{_link(h.username, h.platform) if link else '@' + h.username}"
        for h in supporter.handles
    )


def flat_drafts(
    thanks: ThankList, by_network: dict[str, dict[str, list[str]]]
) -> dict[str, list[str]]:
    """The drafts of :func:`~retweetring.thanks.drafts.drafts_by_network` by heading: the
    style, and across networks the network too (``thanks, bluesky``)."""
    if thanks.platform != "all":
        return by_network[thanks.platform]
    return {
        f"{style}, {network}": posts
        for network, styles in by_network.items()
        for style, posts in styles.items()
    }


def render_markdown(thanks: ThankList, drafts: dict[str, list[str]] | None = None) -> str:
    """Return the thank list (and ``drafts``, by style, when given) as a Markdown document."""
    lines = [f"## {_escape(_title(thanks))}", ""]
    if not thanks.supporters:
        lines += [_escape(empty_message(thanks)), ""]
    else:
        lines += [
            f"{len(thanks.supporters)} accounts retweeted {_escape('@' + thanks.account)}'s "
            f"{_what(thanks)} this week.",
            "",
        ]
        across = thanks.platform == "all"
        if across:
            lines += [
                "| supporter | thank them on | retweets | new | returned | thanked |",
                "|---|---|--:|:-:|:-:|:-:|",
            ]
        else:
            lines += [
                "| supporter | retweets | new | returned | thanked |",
                "|---|--:|:-:|:-:|:-:|",
            ]
        lines += [
            f"| {_supporter_link(thanks, s)} | "
            + (f"{_handles(s, link=True)} | " if across else "")
            + f"{s.retweets} | {_yes(s.new)} | {_yes(s.returned)} | {_yes(s.thanked)} |"
            for s in thanks.supporters
        ]
        lines += ["", "### Support them back", ""]
        if thanks.support_back:
            lines += [
                f"- {_supporter_link(thanks, s)}: {_retweets(s.retweets)} this week, "
                "none returned in the last 4 weeks"
                for s in thanks.support_back
            ]
        else:
            lines.append(_escape(support_back_message(thanks)))
        lines.append("")
    for style, posts in (drafts or {}).items():
        lines += [f"### Drafts: {style}", ""]
        for number, post in enumerate(posts, 1):
            lines += [f"Post {number}:", "", "```text", escape_control(post, True), "```", ""]
    return "\n".join(lines)


def _text_row(supporter: Supporter) -> dict[str, Any]:
    return {
        "username": supporter.username,
        "handles": _handles(supporter),
        "retweets": supporter.retweets,
        "new": _yes(supporter.new),
        "returned": _yes(supporter.returned),
        "thanked": _yes(supporter.thanked),
    }


_TEXT_COLUMNS = [
    ("username", "supporter"),
    ("retweets", "retweets"),
    ("new", "new"),
    ("returned", "returned"),
    ("thanked", "thanked"),
]


def render_text(thanks: ThankList, drafts: dict[str, list[str]] | None = None) -> RenderableType:
    """Return the thank list (and ``drafts``) as rich tables for the terminal."""
    parts: list[RenderableType] = []
    if not thanks.supporters:
        parts.append(Text(escape_control(empty_message(thanks))))
    else:
        rows = [_text_row(s) for s in thanks.supporters]
        columns = _TEXT_COLUMNS
        if thanks.platform == "all":
            columns = [_TEXT_COLUMNS[0], ("handles", "thank them on"), *_TEXT_COLUMNS[1:]]
        parts.append(Text(escape_control(_title(thanks)), style="bold"))
        parts.append(table(rows, columns))
        if thanks.support_back:
            back = [_text_row(s) for s in thanks.support_back]
            parts.append(Text("Support them back (support not returned in 4 weeks)", style="bold"))
            parts.append(table(back, _TEXT_COLUMNS[:2]))
        else:
            parts.append(
                Text(escape_control(f"Support them back: none. {support_back_message(thanks)}"))
            )
    for style, posts in (drafts or {}).items():
        parts.append(Text(f"\nDrafts ({style}), not posted:", style="bold"))
        for number, post in enumerate(posts, 1):
            parts.append(Text(f"--- post {number} ---\n{escape_control(post, True)}"))
    return Group(*parts)


def csv_columns(thanks: ThankList) -> list[str]:
    """The CSV columns: ``CSV_COLUMNS``, across networks with ``accounts`` after the username."""
    if thanks.platform != "all":
        return CSV_COLUMNS
    return [CSV_COLUMNS[0], "accounts", *CSV_COLUMNS[1:]]


def csv_rows(thanks: ThankList) -> Sequence[dict[str, Any]]:
    """The supporters as CSV rows with the columns :func:`csv_columns` (``accounts``: the
    ``platform:handle`` of each account to thank them on, separated by spaces)."""
    rows = [s.to_dict() for s in thanks.supporters]
    if thanks.platform == "all":
        for row, s in zip(rows, thanks.supporters, strict=True):
            row["accounts"] = " ".join(h.label for h in s.handles)
    return rows
