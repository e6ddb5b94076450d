"""How long a post is as X counts it: the weighted length of twitter-text v3.

twitter-text v3 (the counting X uses since 2018) normalises the text to NFC and adds, per
Unicode code point:

- 1 for code points in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and U+2032-U+2037
  (Latin, Greek, Cyrillic, Hebrew, Arabic, ..., general punctuation);
- 2 for every other code point (CJK, most symbols, ...);
- 23 for a URL, however long;
- 2 for an emoji, however many code points it has (skin tones, ZWJ families, flags).

A post may have a weighted length of at most 280.

The official libraries are not used: the Python port on PyPI (``twitter-text-parser``, last
released 2023) imports ``pkg_resources`` at import time, which current setuptools no longer
ships and Python 3.12 venvs lack, and carries Unicode 12 emoji data. Emoji come from the
maintained ``emoji`` package instead; URLs from a small matcher below. Where the matcher cannot
be exact it errs on the long side, so a text it accepts is never too long for X:

- ``http(s)://`` followed by a well-formed host (labels of 1 to 63 letters, digits, ``-``;
  an alphabetic top-level domain or an IPv4 address) counts 23;
- a bare domain such as ``hollysbakery.co.uk/jobs`` counts 23, or its own length when that is
  longer (X counts 23 only when the top-level domain is on its list, its own length otherwise).

``tests/test_tweet_length.py`` checks this against cases of the twitter-text conformance suite.
"""

from __future__ import annotations

import re
import unicodedata

import emoji

__all__ = ["MAX_WEIGHTED_LENGTH", "TRANSFORMED_URL_LENGTH", "fits", "weighted_length"]

MAX_WEIGHTED_LENGTH = 280
TRANSFORMED_URL_LENGTH = 23
EMOJI_WEIGHT = 2
_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST = rf"(?:(?:{_LABEL}\.)+[^\W\d_]{{2,63}}|\d{{1,3}}(?:\.\d{{1,3}}){{3}})"
_TAIL = r"(?::\d{1,5})?(?:[/?#][^\s]*[^\s.,;:!?'\")\]}])?"
URL_PATTERN = re.compile(
    rf"(?<![\w@/.-])(?P<scheme>https?://)?{_HOST}{_TAIL}(?![\w@-])", re.IGNORECASE
)
"""A URL as X finds one; group ``scheme`` is empty for a bare domain."""


def _char_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _LIGHT) else 2


def _plain(text: str) -> int:
    return sum(_char_weight(char) for char in text)


def weighted_length(text: str) -> int:
    """Return the length of ``text`` as X counts it (twitter-text v3 weighted length).

    Examples
    --------
    >>> weighted_length("Thank you!")
    10
    >>> weighted_length("Order here https://hollysbakery.co.uk/christmas-cakes-and-puddings")
    34
    >>> weighted_length("ありがとう")  # CJK counts 2 a character
    10
    >>> weighted_length("🙏🏽 👨‍👩‍👧‍👦")  # an emoji counts 2, whatever its code points
    5
    """
    text = re.sub(r"\r\n|\r", "\n", unicodedata.normalize("NFC", text))
    total = 0
    position = 0
    for match in URL_PATTERN.finditer(text):
        total += _plain_with_emoji(text[position : match.start()])
        url_weight = TRANSFORMED_URL_LENGTH
        if not match.group("scheme"):
            url_weight = max(url_weight, _plain_with_emoji(match.group(0)))
        total += url_weight
        position = match.end()
    return total + _plain_with_emoji(text[position:])


def _plain_with_emoji(text: str) -> int:
    total = 0
    position = 0
    for found in emoji.emoji_list(text):
        total += _plain(text[position : found["match_start"]]) + EMOJI_WEIGHT
        position = found["match_end"]
    return total + _plain(text[position:])


def fits(text: str, limit: int = MAX_WEIGHTED_LENGTH) -> bool:
    """Return whether ``text`` is a post X accepts by length: 1 to ``limit`` weighted."""
    return 0 < weighted_length(text) <= limit
