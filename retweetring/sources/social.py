"""Helpers shared by the Bluesky and Mastodon sources: times, HTML to text, links."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import NamedTuple

from retweetring.errors import BadRecordError
from retweetring.records import SocialCheckpoint, SocialPage

__all__ = [
    "HANDLE_KIND",
    "FeedPage",
    "PageSize",
    "html_links",
    "html_text",
    "page_size",
    "parse_iso",
    "valid_handle",
]

_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}"
_HANDLES = {
    "bluesky": re.compile(rf"@?({_DOMAIN}|did:(?:plc:[a-z2-7]{{24}}|web:{_DOMAIN}))"),
    "mastodon": re.compile(rf"@?([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?@{_DOMAIN})"),
}
HANDLE_KIND = {
    "bluesky": "a Bluesky handle (such as bea.bsky.social)",
    "mastodon": "a Mastodon handle (@user@server)",
}
"""What each platform's handles look like, for error messages."""


def valid_handle(platform: str, value: str) -> str | None:
    """``value`` as a Bluesky handle or DID, or a Mastodon ``@user@server``; None when it
    cannot be one.

    >>> valid_handle("bluesky", "@bea.bsky.social"), valid_handle("bluesky", "bea")
    ('bea.bsky.social', None)
    >>> valid_handle("mastodon", "bea@mastodon.social"), valid_handle("mastodon", "@bea")
    ('@bea@mastodon.social', None)
    """
    found = _HANDLES[platform].fullmatch(value.strip())
    if found is None:
        return None
    return "@" + found.group(1) if platform == "mastodon" else found.group(1)


PageSize = Callable[[], int]
"""How many items the next request may ask for (the run's read budget left, at most a page)."""


def page_size(most: int, size: PageSize | None) -> int:
    """The ``limit`` of the next request: ``size()`` capped at the server's page of ``most``."""
    return most if size is None else max(1, min(most, size()))


class FeedPage(NamedTuple):
    """One page of a member's feed, with what the collector stores beside its rows."""

    page: SocialPage
    newest: SocialCheckpoint | None
    """The newest item of this run so far: the next boundary once the run completes."""
    cursor: str | None
    """Where the next page starts (Bluesky: its cursor; Mastodon: the oldest status id read,
    the next ``max_id``); stored so that an interrupted back-fill resumes there."""
    last: bool
    """The feed is read down to the boundary: nothing older is wanted."""
    read: int
    """Items the answer held (what ``--max-reads`` counts)."""
    endpoint: str
    home: str | None = None
    """Bluesky: the member's personal data server the page was read from, to be kept."""


def parse_iso(value: object, field: str) -> datetime | None:
    """An ISO 8601 time as naive UTC; None when absent.

    >>> parse_iso("2024-05-01T12:00:00.000Z", "createdAt")
    datetime.datetime(2024, 5, 1, 12, 0)
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRecordError(f"{field}: not a time: {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRecordError(f"{field}: not a time: {value!r}") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")
        elif tag == "a":
            attributes = dict(attrs)
            href = attributes.get("href")
            classes = (attributes.get("class") or "").split()
            if href and "mention" not in classes and "hashtag" not in classes:
                self.links.append(href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def html_text(html: str) -> str:
    """The text of a Mastodon status's HTML ``content``: tags removed, paragraphs kept.

    >>> html_text('<p>Fresh <a href="https://b.example/">bread</a> &amp; buns</p><p>Today</p>')
    'Fresh bread & buns\\n\\nToday'
    """
    return re.sub(r"[ \t]+", " ", "".join(_parse(html).parts)).strip()


def html_links(html: str) -> list[str]:
    """The web links of a status's HTML ``content``, without mention and hashtag links.

    >>> html_links('<p><a href="https://m.example/@a" class="u-url mention">@a</a> '
    ...            '<a href="https://shop.example/">shop</a></p>')
    ['https://shop.example/']
    """
    return _parse(html).links
