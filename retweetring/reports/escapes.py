"""Text made safe for a terminal: control characters shown as escapes."""

from __future__ import annotations

_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_ESCAPES = {
    code: chr(code).encode("unicode_escape").decode("ascii")
    for code in [*range(0x20), *range(0x7F, 0xA0), *map(ord, _BIDI_CONTROLS)]
}
# Bytes of a file name that are not UTF-8 arrive as lone surrogates (Python's surrogateescape).
_CONTROL_ESCAPES.update({code: f"\\x{code - 0xDC00:02x}" for code in range(0xDC80, 0xDD00)})
_MULTILINE_ESCAPES = {code: shown for code, shown in _CONTROL_ESCAPES.items() if code != 0x0A}


def escape_control(text: str, keep_newlines: bool = False) -> str:
    """Return ``text`` with control characters shown as escapes, on one line.

    Newlines, tabs, terminal escape sequences and the bidirectional overrides that could
    reorder what follows become ``\\n``, ``\\t``, ``\\x1b``, ``\\u202e``; everything else,
    emoji and their joiners included, is kept. ``keep_newlines`` keeps line breaks, for text
    of several lines such as a draft post.

    >>> print(escape_control("Open today!\\n\\x1b[31mSALE\\u202e 🥐"))
    Open today!\\n\\x1b[31mSALE\\u202e 🥐
    """
    return text.translate(_MULTILINE_ESCAPES if keep_newlines else _CONTROL_ESCAPES)
