"""How long a post is on each platform, and the longest each accepts.

- **X**: the weighted length of twitter-text v3, at most 280 (:mod:`.tweet_length`).
- **Bluesky**: user-perceived characters (Unicode extended grapheme clusters) of the text as
  written, at most 300 (the ``app.bsky.feed.post`` lexicon's ``maxGraphemes``). A mention
  ``@bea.bsky.social`` and a link count every character they show.
- **Mastodon**: grapheme clusters after the server's own rewriting, at most 500 by default (a
  server may allow more: its ``configuration.statuses.max_characters``). As Mastodon's
  ``StatusLengthValidator`` counts: a URL with ``http://`` or ``https://`` counts 23 however
  long, and a mention ``@bea@mastodon.social`` counts as ``@bea``.

Graphemes come from the ``regex`` module's ``\\X`` (the standard library has no grapheme
segmentation): a family emoji, a flag or a letter with combining accents is one character.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from retweetring.thanks.tweet_length import (
    MAX_WEIGHTED_LENGTH,
    TRANSFORMED_URL_LENGTH,
    URL_PATTERN,
    weighted_length,
)

__all__ = [
    "BLUESKY_MAX_GRAPHEMES",
    "MASTODON_MAX_CHARACTERS",
    "PLATFORMS",
    "LengthRule",
    "bluesky_length",
    "graphemes",
    "length_rule",
    "mastodon_length",
]

BLUESKY_MAX_GRAPHEMES = 300
MASTODON_MAX_CHARACTERS = 500
"""Mastodon's default; servers may configure more."""

_GRAPHEME = regex.compile(r"\X")
_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@[\w.-]+\w)?", regex.IGNORECASE
)
"""Mastodon's mention: ``@user`` or ``@user@domain`` (its ``Account::MENTION_RE``)."""


def graphemes(text: str) -> int:
    """Return how many user-perceived characters ``text`` has.

    Examples
    --------
    >>> graphemes("café"), graphemes("cafe\\u0301"), graphemes("👨‍👩‍👧‍👦🇬🇧")
    (4, 4, 2)
    """
    return len(_GRAPHEME.findall(text))


def bluesky_length(text: str) -> int:
    """Return the length of a Bluesky post: its graphemes.

    >>> bluesky_length("Thanks @bea.bsky.social 🙏🏽")
    25
    """
    return graphemes(text)


def mastodon_length(text: str) -> int:
    """Return the length of a Mastodon post as its server counts it.

    Examples
    --------
    >>> mastodon_length("Thanks @bea@mastodon.social")  # counted as "Thanks @bea"
    11
    >>> mastodon_length("Menu: https://hollysbakery.example/christmas-cakes-and-puddings")
    29
    """
    parts: list[str] = []
    position = 0
    for match in URL_PATTERN.finditer(text):
        if not match.group("scheme"):  # Mastodon links only URLs with a scheme
            continue
        parts += (text[position : match.start()], "x" * TRANSFORMED_URL_LENGTH)
        position = match.end()
    parts.append(text[position:])
    countable = _MASTODON_MENTION.sub(lambda m: "@" + m.group(1), "".join(parts))
    return graphemes(countable)


@dataclass(frozen=True)
class LengthRule:
    """How one platform measures a post, and the most it accepts."""

    platform: str
    limit: int
    measure: Callable[[str], int]

    def fits(self, text: str) -> bool:
        """Whether the platform accepts ``text`` by length: 1 to :attr:`limit`."""
        return 0 < self.measure(text) <= self.limit


_RULES = {
    "x": LengthRule("x", MAX_WEIGHTED_LENGTH, weighted_length),
    "bluesky": LengthRule("bluesky", BLUESKY_MAX_GRAPHEMES, bluesky_length),
    "mastodon": LengthRule("mastodon", MASTODON_MAX_CHARACTERS, mastodon_length),
}
PLATFORMS = tuple(_RULES)


def length_rule(platform: str = "x", limit: int | None = None) -> LengthRule:
    """Return the length rule of ``platform`` (``x``, ``bluesky``, ``mastodon``).

    ``limit`` replaces the platform's default, for a Mastodon server that allows longer posts.

    Raises
    ------
    ValueError
        An unknown platform, or a limit below 1.
    """
    try:
        rule = _RULES[platform]
    except KeyError:
        raise ValueError(
            f"unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}"
        ) from None
    if limit is None:
        return rule
    if limit < 1:
        raise ValueError(f"a post limit must be at least 1, not {limit}")
    return LengthRule(rule.platform, limit, rule.measure)
