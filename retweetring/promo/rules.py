"""The rules file (cue families and link cues), and the rule scorer of earlier releases.

Decisions are made by :mod:`retweetring.promo.classifier`, whose learned model weighs each
cue family of these rules as one feature. :func:`classify` below is the rule scorer that
model replaced, kept for the tests and benchmarks that compare with it; the rest of this
text describes that scorer.

A tweet is *promotional* ("salesy") when it tries to sell something the author offers: a
product, a service, an event ticket, a job. :func:`classify` scores a tweet by adding up the
weights of the *cues* it shows (calls to action, offers, prices, availability, hiring, a link
to the author's own site or to a shop platform) and subtracting the weights of cues that point
the other way (personal chat, a news link). Every cue that fires leaves a short reason, so a
score can always be explained.

The rules live in a TOML file. The defaults are packaged as ``retweetring/promo/promo_rules.toml``
and loaded into :data:`DEFAULT_RULES`; :func:`load_rules` reads a user's file whose keys
override or extend the defaults.

Rules file format
-----------------
All keys are optional in a user's file::

    threshold = 0.5            # promotional when score >= threshold (0..1)

    [own_site]                 # a URL whose domain resembles the username or display name
    label = "link to own site"
    weight = 0.35

    [cues.offer]               # a text cue; the name ("offer") is free
    label = "offer"            # used in reasons: "offer: 20% off" (default: the name)
    weight = 0.5               # added for the first match; negative lowers the score
    extra_weight = 0.1         # added for each further distinct match (default 0)
    phrases = ["half price"]   # literal, case-insensitive, whole words only
    imperatives = ["buy"]      # literal, counted only at the start of a clause ("Buy now!")
    patterns = ['\\d+% off']   # Python regular expressions, case-insensitive
    replace = false            # true: the lists above replace the defaults, not extend them

    [links.shop]               # a link cue, matched against each URL
    label = "link to shop"
    weight = 0.35
    domains = ["etsy.com"]     # the host or any subdomain of it
    patterns = ['/shop/']      # regular expressions on the whole URL
    replace = false

In a user's file, ``label``, ``weight`` and ``extra_weight`` replace the defaults;
``phrases``, ``imperatives``, ``patterns`` and ``domains`` are added to the default lists
unless ``replace = true``. A new cue name adds a new cue, which must then give a ``weight``.
A weight of 0 switches a cue off. Link cues have no ``extra_weight``: each adds its weight
once however many URLs match. The score is the sum of the weights of the cues that fire,
clipped to [0, 1].
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import _lru_cache_wrapper, lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from retweetring.errors import ConfigError
from retweetring.promo.sites import host, resembles, site_name, squash

if sys.version_info >= (3, 11):
    from re import _parser as _sre_parse

    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import sre_parse as _sre_parse

    import tomli as tomllib

__all__ = [
    "DEFAULT_RULES",
    "LinkCue",
    "PromoResult",
    "PromoRules",
    "TextCue",
    "classify",
    "load_rules",
]


@dataclass(frozen=True)
class PromoResult:
    """The verdict on one tweet, with the reasons behind its score.

    Attributes
    ----------
    promotional : bool
        True when ``score`` reaches the rules' threshold.
    score : float
        How promotional the tweet looks, in [0, 1].
    reasons : tuple of str
        One short human-readable string per cue match, such as ``"price: £12"``; cues that
        lowered the score are included.
    """

    promotional: bool
    score: float
    reasons: tuple[str, ...]

    @property
    def stored(self) -> tuple[bool, float, str]:
        """The decision as the tweets table stores it: promotional, score, reasons joined
        by ``"; "``."""
        return self.promotional, self.score, "; ".join(self.reasons)


@dataclass(frozen=True)
class TextCue:
    """A family of words or patterns in the text that moves the score by ``weight``.

    Attributes
    ----------
    name : str
        The cue's key in the rules file, such as ``"call_to_action"``.
    label : str
        The start of each reason this cue gives, such as ``"call to action"``.
    weight : float
        Added to the score once when any phrase, imperative or pattern matches.
    extra_weight : float
        Added again for each further distinct match.
    phrases : tuple of str
        Literal phrases matched anywhere, case-insensitively, on word boundaries.
    imperatives : tuple of str
        Literal phrases matched only at the start of a clause.
    patterns : tuple of str
        Regular expressions matched anywhere, case-insensitively.
    """

    name: str
    label: str
    weight: float
    extra_weight: float = 0.0
    phrases: tuple[str, ...] = ()
    imperatives: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkCue:
    """A kind of URL (a shop platform, a news site) that moves the score by ``weight``.

    Attributes
    ----------
    name : str
        The cue's key in the rules file, such as ``"news"``.
    label : str
        The start of each reason this cue gives, such as ``"news link"``.
    weight : float
        Added to the score once when any URL matches.
    domains : tuple of str
        Hosts that match, together with their subdomains.
    patterns : tuple of str
        Regular expressions matched against the whole URL, case-insensitively.
    """

    name: str
    label: str
    weight: float
    domains: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class _CompiledCue:
    """A text cue made ready to match: its literals as one regex, its patterns as another.

    Searching every text with every cue's regexes is what costs time, so each cue also
    carries cheap necessary conditions for a match (see :func:`_literal_matches` and
    :func:`_pattern_hint`): when they fail, the regex cannot match and is not run.
    """

    cue: TextCue
    literals: re.Pattern[str] | None
    """Phrases (group ``phrase``) and imperatives (group ``imperative``), for lower-case text."""
    patterns: re.Pattern[str] | None
    """The cue's regular expressions, case-insensitive."""
    phrase_keys: Mapping[str, str]
    """The :func:`_phrase_key` of each phrase -> the phrase, to name what matched."""
    imperative_keys: Mapping[str, str]
    """The same for imperatives."""
    heads: frozenset[str] = frozenset()
    """Every word of the text at whose start a phrase or imperative can match."""
    marks: str = ""
    """The first characters of the phrases and imperatives that do not start with a word."""
    scan_all: bool = False
    """True when some phrase can start anywhere, so ``literals`` must search the whole text."""
    hint: _Hint | None = None
    """Tells which of the cue's patterns can match a text; None: search with them all."""
    separable: bool = False
    """True when some of the patterns alone match as they do among all of them (see
    :func:`_some_patterns`)."""


@dataclass(frozen=True)
class PromoRules:
    """The cues, weights and threshold :func:`classify` uses.

    Regular expressions are compiled once, when the rules are made.

    Attributes
    ----------
    threshold : float
        A tweet is promotional when its score is at least this.
    text_cues : tuple of TextCue
        Cues found in the tweet's text.
    link_cues : tuple of LinkCue
        Cues found in the tweet's URLs.
    own_site_label : str
        The start of the reason given for a link to the author's own site.
    own_site_weight : float
        Added to the score when a URL's domain resembles the username or display name.
    """

    threshold: float
    text_cues: tuple[TextCue, ...]
    link_cues: tuple[LinkCue, ...] = ()
    own_site_label: str = "link to own site"
    own_site_weight: float = 0.0
    _compiled: tuple[_CompiledCue, ...] = field(init=False, repr=False, compare=False)
    _link_regexes: tuple[re.Pattern[str] | None, ...] = field(init=False, repr=False, compare=False)
    _active: tuple[_CompiledCue, ...] = field(init=False, repr=False, compare=False)
    """The compiled text cues whose weight is not 0."""
    _hint_chars: re.Pattern[str] = field(init=False, repr=False, compare=False)
    """Matches each character that the hint of a text cue can match (see :class:`_Hint`)."""
    _heads: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    """Finds the words at whose start some text cue can match (see :func:`_phrase_starts`)."""
    _url_hits: Callable[[str], tuple[str | None, ...]] = field(
        init=False, repr=False, compare=False
    )
    """What each link cue finds in one URL (a domain, a short URL or None), cached per URL."""
    _links: Callable[[tuple[str, ...], tuple[str, ...]], tuple[float, tuple[str, ...]]] = field(
        init=False, repr=False, compare=False
    )
    """:func:`_link_reasons` for some URLs and the author's squashed names, cached."""
    _screens: dict[frozenset[str], _Screen] = field(init=False, repr=False, compare=False)
    """The :meth:`_screen` for each set of characters outside ASCII seen so far."""

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as the arguments it was made with (its compiled parts are made again)."""
        arguments = (self.threshold, self.text_cues, self.link_cues)
        return PromoRules, (*arguments, self.own_site_label, self.own_site_weight)

    def __post_init__(self) -> None:
        compiled = tuple(_compile_cue(c) for c in self.text_cues)
        object.__setattr__(self, "_compiled", compiled)
        object.__setattr__(self, "_active", tuple(c for c in compiled if c.cue.weight))
        heads = frozenset().union(*(c.heads for c in compiled))
        object.__setattr__(self, "_heads", _heads_regex(heads))
        hint_chars = sorted({c.hint.chars.pattern for c in compiled if c.hint is not None})
        object.__setattr__(self, "_hint_chars", re.compile("|".join(hint_chars) or "(?!)", re.I))
        regexes = tuple(_alternation(c.patterns) for c in self.link_cues)
        object.__setattr__(self, "_link_regexes", regexes)
        domains = tuple(_domain_index(c.domains) for c in self.link_cues)

        def url_hits(url: str) -> tuple[str | None, ...]:
            hostname = host(url)
            hits: list[str | None] = []
            for index, regex in zip(domains, regexes, strict=True):
                hit = _on_domain(hostname, index) if hostname else None
                if hit is None and regex is not None and regex.search(url):
                    hit = _short_url(url)
                hits.append(hit)
            return tuple(hits)

        object.__setattr__(self, "_url_hits", lru_cache(maxsize=_CACHE_SIZE)(url_hits))

        def links(urls: tuple[str, ...], owners: tuple[str, ...]) -> tuple[float, tuple[str, ...]]:
            score, reasons = _link_reasons(urls, owners, self)
            return score, tuple(reasons)

        object.__setattr__(self, "_links", lru_cache(maxsize=_CACHE_SIZE)(links))
        object.__setattr__(self, "_screens", {})

    def _forget(self) -> None:
        """Empty every cache of what was worked out about texts, URLs and names (the answers
        stay the same; only the time to find them changes)."""
        for value in globals().values():
            if isinstance(value, _lru_cache_wrapper):
                value.cache_clear()
        self._url_hits.cache_clear()  # type: ignore[attr-defined]
        self._links.cache_clear()  # type: ignore[attr-defined]
        self._screens.clear()
        for compiled in self._compiled:
            if compiled.hint is not None:
                compiled.hint.by_extra.clear()

    def _screen(self, extra: frozenset[str]) -> _Screen:
        """Return the strings that tell which active text cues' patterns may match a lower-case
        text whose characters outside ASCII that matter to the hints are ``extra``."""
        known = self._screens.get(extra)
        if known is not None:
            return known
        firsts: list[frozenset[str] | None] = []
        for compiled in self._active:
            tests = None if compiled.hint is None else compiled.hint.tests(extra)
            if compiled.patterns is None:
                firsts.append(frozenset())
            else:
                firsts.append(None if tests is None else frozenset(tests[0]))
        strings = frozenset().union(*(f for f in firsts if f is not None))
        screen = _Screen(tuple(sorted(strings)), tuple(firsts))
        if len(self._screens) >= _CACHE_SIZE:
            self._screens.clear()
        self._screens[extra] = screen
        return screen


class _Screen(NamedTuple):
    """Cheap first tests of which text cues can match a text (see :meth:`PromoRules._screen`)."""

    strings: tuple[str, ...]
    """Every string that :attr:`firsts` holds."""
    firsts: tuple[frozenset[str] | None, ...]
    """For each active text cue, the strings of which a text must hold one for one of its
    patterns to match (see :class:`_Hint`); None when it is not known."""


# --- matching helpers -------------------------------------------------------------------------

_NOT_A_BREAK = r"\w\s,'\"#@&£$€%*"
_JOINERS = ("so", "and", "or", "then", "please", "pls", "just", "simply", "now")
_CLAUSE_START = (
    "(?:"
    + "|".join(
        [
            r"(?<![\s\S])",
            rf"(?<=[^{_NOT_A_BREAK}/-])",
            rf"(?<=[^{_NOT_A_BREAK}]\s)",
            rf"(?<=[^{_NOT_A_BREAK}]\s\s)",
            *(rf"(?<=\b{joiner}\s)" for joiner in _JOINERS),
        ]
    )
    + ")"
)
"""Where an imperative may start: the text's start, after punctuation or emoji, or a joiner."""

_CURLY_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "\u2032")
_APOSTROPHES = str.maketrans(dict.fromkeys(_CURLY_APOSTROPHES, "'"))

_SEPARATOR = r"[\s\-]+"
_SEPARATORS = re.compile(_SEPARATOR)

_URL_IN_TEXT = re.compile(r"[hH][tT][tT][pP][sSſ]?://[^\s<>\"']+")
"""A full URL in a text: ``https?://[^\\s<>\"']+`` ignoring case, spelt out because a regex that
ignores case is slow to search (``ſ``, the long s, matches ``s`` when case is ignored)."""

_NON_WORDS = re.compile(r"(\W+)")

_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_LOWER_ASCII = tuple(c for c in map(chr, range(128)) if not c.isupper())
_NOTHING: frozenset[str] = frozenset()

_CACHE_SIZE = 4096
"""How many entries each cache of a pure function of strings (hosts, names, URLs) keeps."""


@dataclass
class _TrieNode:
    """One step of a trie of regex atoms, used to build a fast alternation of many phrases."""

    children: dict[str, _TrieNode] = field(default_factory=dict)
    end: str | None = None
    """The regex that closes a phrase ending here (a word boundary or nothing), if one does."""


def _is_word_char(char: str) -> bool:
    """Say whether ``char`` is a regex word character."""
    return bool(re.match(r"\w", char))


@lru_cache(maxsize=_CACHE_SIZE)
def _phrase_key(text: str) -> str:
    """Return the form in which a phrase and any text it matches compare equal."""
    folded = text.lower().translate(_APOSTROPHES).replace("'", "")
    return " ".join(_SEPARATORS.split(folded)).strip()


def _phrase_atoms(phrase: str) -> tuple[list[str], str]:
    """Split a phrase into regex atoms and the regex that must follow its last atom."""
    words = phrase.lower().translate(_APOSTROPHES).split()
    atoms = [r"(?<!\w)"] if _is_word_char(words[0][0]) else []
    for index, word in enumerate(words):
        if index:
            atoms.append(_SEPARATOR)
        atoms.extend("'?" if char == "'" else re.escape(char) for char in word)
    return atoms, (r"(?!\w)" if _is_word_char(words[-1][-1]) else "")


def _trie_regex(phrases: Sequence[str]) -> str:
    """Return one regex matching any of ``phrases``, preferring the longest at each position.

    Sharing prefixes keeps the number of branches tried at each position small, which is
    what makes hundreds of phrases cheap to search for.
    """
    root = _TrieNode()
    for phrase in phrases:
        atoms, end = _phrase_atoms(phrase)
        node = root
        for atom in atoms:
            node = node.children.setdefault(atom, _TrieNode())
        node.end = end if node.end is None else node.end
    return _node_regex(root)


def _node_regex(node: _TrieNode) -> str:
    """Return the regex for the phrases below one trie node, longer continuations first."""
    options = [atom + _node_regex(child) for atom, child in node.children.items()]
    if node.end is not None:
        options.append(node.end)
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _phrase_starts(phrase: str) -> tuple[frozenset[str], str] | None:
    """Say where in a lower-case text a phrase's regex (see :func:`_phrase_atoms`) can match.

    Returns the words (maximal runs of word characters) at whose start a match can begin, or
    the non-word character a match must begin with; None when a match can begin anywhere.
    """
    words = phrase.lower().translate(_APOSTROPHES).split()
    first = words[0]
    if first[0] == "'":
        return None
    if not _is_word_char(first[0]):
        return frozenset(), first[0]
    end = 0
    while end < len(first) and (first[end] == "'" or _is_word_char(first[end])):
        end += 1
    opening = first[:end]
    if opening.endswith("'") and end == len(first) and len(words) == 1:
        return None  # nothing bounds the word when its final apostrophe is left out
    # Each apostrophe is optional: the word ends at the first one written out, if any.
    segments = opening.split("'")
    return frozenset("".join(segments[:count]) for count in range(1, len(segments) + 1)), ""


def _compile_cue(cue: TextCue) -> _CompiledCue:
    """Compile a cue's phrases and imperatives into one trie regex and its patterns into another."""
    phrases = [p for p in cue.phrases if p.strip()]
    imperatives = [p for p in cue.imperatives if p.strip()]
    branches = []
    if phrases:
        branches.append(f"(?P<phrase>{_trie_regex(phrases)})")
    if imperatives:
        first = "".join(sorted({re.escape(p.strip()[0].lower()) for p in imperatives}))
        branches.append(f"(?P<imperative>(?=[{first}]){_CLAUSE_START}{_trie_regex(imperatives)})")
    starts = [_phrase_starts(p) for p in phrases + imperatives]
    return _CompiledCue(
        cue=cue,
        literals=re.compile("|".join(branches)) if branches else None,
        patterns=_alternation(cue.patterns),
        phrase_keys={_phrase_key(p): p.lower() for p in reversed(phrases)},
        imperative_keys={_phrase_key(p): p.lower() for p in reversed(imperatives)},
        heads=frozenset().union(*(s[0] for s in starts if s is not None)),
        marks="".join(sorted({s[1] for s in starts if s is not None and s[1]})),
        scan_all=None in starts,
        hint=_pattern_hint(cue.patterns),
        separable=_separable(cue.patterns),
    )


def _alternation(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """Compile regexes into one case-insensitive alternation, or None when there are none."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")

_Piece = tuple[float, "_Node"]
"""A part that every match of a regex contains, with how telling it is."""


@dataclass(frozen=True, eq=False)
class _Hint:
    """Cheap tests of which of some regexes (ignoring case) can match a lower-case text.

    Every match of the regex ``i`` contains each of the parts ``wanted[i]``; a text in which
    one of them cannot be found has no match of regex ``i``. The parts are found with plain
    string searches (``in``), which are much faster than regex searches that ignore case.
    """

    wanted: tuple[tuple[_Node, ...], ...]
    """For each regex, one or two parts that every match of it contains, most telling first."""
    chars: re.Pattern[str]
    """Matches, ignoring case, each character that a part can match."""
    in_ascii: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    """Each one-character regex of the parts -> the lower-case ASCII characters it matches."""
    plain: _Tests | None = field(init=False, repr=False)
    """The :meth:`tests` for text in which no character outside ASCII matters."""
    by_extra: dict[frozenset[str], _Tests | None] = field(init=False, repr=False)
    """The :meth:`tests` for other texts, by their characters outside ASCII that matter."""

    def __post_init__(self) -> None:
        chars: set[str] = set()
        for parts in self.wanted:
            for part in parts:
                _collect_chars(part, chars)
        in_ascii = {}
        for char in chars:
            regex = re.compile(char, re.IGNORECASE)
            in_ascii[char] = tuple(c for c in _LOWER_ASCII if regex.fullmatch(c))
        object.__setattr__(self, "in_ascii", in_ascii)
        object.__setattr__(self, "by_extra", {})
        object.__setattr__(self, "plain", self._make_tests(_NOTHING))

    def passing(
        self, text: str, extra: frozenset[str], present: AbstractSet[str] | None = None
    ) -> list[int] | None:
        """Return the indices of the regexes that may match lower-case ``text``, or None when
        that is not known, given a set ``extra`` of non-ASCII characters that holds every
        character of the text that is not ASCII and that a part can match. ``present``, if
        given, holds every string of the first parts (see :meth:`tests`) that the text has."""
        tests = self.tests(extra) if extra else self.plain
        if tests is None:
            return None
        firsts, wanted = tests
        if present is None:
            found = [string for string in firsts if string in text]
        else:
            found = [string for string in present if string in firsts]
        if not found:
            return []
        indices = sorted({index for string in found for index in firsts[string]})
        return [
            index
            for index in indices
            if all(any(map(text.__contains__, part)) for part in wanted[index][1:])
        ]

    def tests(self, extra: frozenset[str]) -> _Tests | None:
        """Return the strings to look for in a lower-case text whose non-ASCII characters that
        a part can match are among ``extra``; None if there would be too many.

        First every string the first part of any regex can be -> the indices of those regexes,
        then for each regex, for each of its parts, the strings the part can be.
        """
        if not extra:
            return self.plain
        known = self.by_extra.get(extra, _MISSING)
        if known is not _MISSING:
            return known  # type: ignore[return-value]
        mine = frozenset(char for char in extra if _char_matters(self.chars, char))
        tests = self._make_tests(mine) if mine else self.plain
        if len(self.by_extra) >= _CACHE_SIZE:
            self.by_extra.clear()
        self.by_extra[extra] = tests
        return tests

    def _make_tests(self, extra: frozenset[str]) -> _Tests | None:
        """Work out :meth:`tests` for the characters ``extra``, which all matter."""
        wanted = []
        for parts in self.wanted:
            strings = [self._strings(part, extra) for part in parts]
            if any(part is None for part in strings):
                return None
            wanted.append(tuple(part for part in strings if part is not None))
        firsts: dict[str, list[int]] = {}
        for index, parts in enumerate(wanted):
            for string in parts[0]:
                firsts.setdefault(string, []).append(index)
        return firsts, tuple(wanted)

    def _strings(self, node: _Node, extra: frozenset[str]) -> tuple[str, ...] | None:
        """Return every string a part can match in lower-case text whose non-ASCII characters
        that the part can match are among ``extra``; None if more than :data:`_MAX_STRINGS`."""
        if isinstance(node, _Choice):
            found: list[str] = []
            for option in node:
                strings = self._strings(option, extra)
                if strings is None:
                    return None
                found.extend(strings)
            return tuple(dict.fromkeys(found)) if len(found) <= _MAX_STRINGS else None
        combined = [""]
        for char in node:
            choices = self.in_ascii[char] + tuple(
                c for c in sorted(extra) if re.fullmatch(char, c, re.IGNORECASE)
            )
            if len(combined) * len(choices) > _MAX_STRINGS:
                return None
            combined = [start + choice for start in combined for choice in choices]
        return tuple(combined)


_Node = tuple[str, ...] | tuple[Any, ...]
"""A part of a regex's matches: a tuple of one-character regexes in a row, or a ``_Choice``."""


class _Choice(tuple):  # type: ignore[type-arg]
    """A part of a regex's matches that is one of several parts (``_Node``)."""


_Tests = tuple[dict[str, list[int]], tuple[tuple[tuple[str, ...], ...], ...]]
"""Strings whose presence tests a hint: see :meth:`_Hint.tests`."""

_MISSING = object()
"""Stands for a value not yet in a cache whose values may be None."""

_MAX_STRINGS = 64
"""The most strings a part of a hint may stand for."""


@lru_cache(maxsize=_CACHE_SIZE)
def _char_matters(chars: re.Pattern[str], char: str) -> bool:
    """Say whether ``chars`` matches the one character ``char``."""
    return chars.fullmatch(char) is not None


def _pattern_hint(patterns: Sequence[str]) -> _Hint | None:
    """Return cheap tests that pass on every text in which one of ``patterns`` matches.

    For each pattern, the hint looks for the one or two most telling parts (runs of
    characters, character classes, choices of such) that every match of the pattern contains,
    which is much cheaper than searching for the pattern. None when a pattern has no such
    part, or uses flags that the parts could not be trusted to keep.
    """
    if not patterns:
        return None
    alternation = "|".join(f"(?:{p})" for p in patterns)
    flags = _sre_parse.parse(alternation, re.IGNORECASE).state.flags
    if flags & ~(re.IGNORECASE | re.UNICODE):
        return None
    wanted = []
    for pattern in patterns:
        best = _best_pieces(_sre_parse.parse(pattern, flags), 2)
        if not best:
            return None
        wanted.append(tuple(node for rank, node in best if node is best[0][1] or rank >= 0.2))
    chars: set[str] = set()
    for parts in wanted:
        for part in parts:
            _collect_chars(part, chars)
    return _Hint(tuple(wanted), re.compile("|".join(sorted(chars)), re.IGNORECASE))


def _separable(patterns: Sequence[str]) -> bool:
    """Say whether any of ``patterns`` compiled without the others (by :func:`_some_patterns`)
    match as they do in :func:`_alternation` of them all, in a text where the others cannot
    match: true unless a pattern refers to a group (whose number changes) or sets flags for
    the whole alternation."""
    alternation = _sre_parse.parse("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    flags = alternation.state.flags
    return not flags & ~(re.IGNORECASE | re.UNICODE) and not _refers_to_groups(alternation)


@lru_cache(maxsize=_CACHE_SIZE)
def _some_patterns(patterns: tuple[str, ...], indices: tuple[int, ...]) -> re.Pattern[str]:
    """Return :func:`_alternation` of the ``patterns`` at ``indices``."""
    return re.compile("|".join(f"(?:{patterns[i]})" for i in indices), re.IGNORECASE)


def _refers_to_groups(parsed: Any) -> bool:
    """Say whether a parsed regex (or any part of one) refers to a group."""
    if isinstance(parsed, _sre_parse.SubPattern):
        parsed = parsed.data
    if not isinstance(parsed, list | tuple):
        return False
    return any(str(item).startswith("GROUPREF") or _refers_to_groups(item) for item in parsed)


def _collect_chars(node: _Node, chars: set[str]) -> None:
    """Add the one-character regexes of a part to ``chars``."""
    if isinstance(node, _Choice):
        for option in node:
            _collect_chars(option, chars)
    else:
        chars.update(node)


def _best_pieces(items: Any, count: int) -> list[_Piece]:
    """Return the ``count`` most telling parts that every match of parsed regex ``items`` has."""
    pieces: list[_Piece] = []
    _required_pieces(items, pieces)
    return sorted(pieces, key=lambda piece: piece[0], reverse=True)[:count]


def _required_pieces(items: Any, pieces: list[_Piece]) -> None:
    """Add to ``pieces`` the parts of parsed regex ``items`` that every match consumes.

    Optional parts, lookarounds, negated classes and groups with their own flags are skipped,
    which only ever makes a hint weaker, never wrong.
    """
    run: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            run.append(re.escape(chr(arg)))
            continue
        if run:
            pieces.append((sum(map(_char_rank, run)), tuple(run)))
            run = []
        if name == "SUBPATTERN" and not arg[1] and not arg[2]:
            _required_pieces(arg[3], pieces)
        elif name in _REPEATS and arg[0] >= 1:
            _required_pieces(arg[2], pieces)
        elif name == "IN":
            char = _char_class(arg)
            if char is not None:
                pieces.append((_char_rank(char), (char,)))
        elif name == "BRANCH":
            options = [_best_pieces(option, 1) for option in arg[1]]
            if all(options):
                rank = 0.8 * min(option[0][0] for option in options)
                pieces.append((rank, _Choice(option[0][1] for option in options)))
    if run:
        pieces.append((sum(map(_char_rank, run)), tuple(run)))


def _char_rank(char: str) -> float:
    """Return how rarely a one-character regex matches in tweets, roughly: symbols are rarer
    than letters, letters than digits, digits than spaces."""
    if len(char.lstrip("\\")) == 1:
        plain = char.lstrip("\\")
        if plain in "/.:":
            return 0.3  # in every link
        return 0.7 if plain.isalnum() else 0.5 if plain.isspace() else 3.0
    if any(category in char for category in _CATEGORIES.values() if category != r"\d"):
        return 0.01  # a space, a word character, or any but one of those
    if r"\d" in char or "-" in char[2:-1]:
        return 0.3  # a digit or a range
    return 2.5 if not any(c.isalnum() for c in char) else 0.3


def _char_class(items: Any) -> str | None:
    """Return the regex for a parsed character class, or None if it is negated."""
    parts = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            parts.append(re.escape(chr(arg)))
        elif name == "RANGE":
            parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif name == "CATEGORY" and str(arg) in _CATEGORIES:
            parts.append(_CATEGORIES[str(arg)])
        else:
            return None
    return "[" + "".join(parts) + "]"


def _normalise_text(text: str) -> str:
    """Fold compatibility characters (bold maths letters, full-width digits) and apostrophes."""
    if text.isascii():
        return text.strip()  # ASCII is already in NFKC form and has no curly apostrophes
    folded = unicodedata.normalize("NFKC", text)
    if any(apostrophe in folded for apostrophe in _CURLY_APOSTROPHES):
        folded = folded.translate(_APOSTROPHES)
    return folded.strip()


def _tidy(matched: str) -> str:
    """Return matched text lower-cased with its whitespace collapsed, for use in a reason."""
    return " ".join(matched.lower().split()).strip(" .,!?:;-")


def _word_starts(text: str, heads: re.Pattern[str] | None) -> dict[str, list[int]]:
    """Return each word of ``text`` that ``heads`` (see :func:`_heads_regex`) finds -> its starts.

    A word is a maximal run of word characters, as the regex ``\\w+`` finds them.
    """
    starts: dict[str, list[int]] = {}
    if heads is not None:
        for match in heads.finditer(text):
            starts.setdefault(match.group(), []).append(match.start())
    return starts


def _heads_regex(heads: AbstractSet[str]) -> re.Pattern[str] | None:
    """Return a regex that finds the words of a text that are among ``heads``, or None if none."""
    return re.compile(_trie_regex(sorted(heads))) if heads else None


def _unusual(text: str, chars: re.Pattern[str] | None = None) -> frozenset[str]:
    """Return the characters of ``text`` that are not ASCII (and that ``chars`` matches)."""
    if text.isascii():
        return _NOTHING
    found = set(_NOT_ASCII.findall(text))
    if chars is not None:
        found = {char for char in found if _char_matters(chars, char)}
    return frozenset(found) if found else _NOTHING


def _literal_matches(
    compiled: _CompiledCue, text: str, words: Mapping[str, list[int]]
) -> list[re.Match[str]]:
    """Return what ``compiled.literals.finditer(text)`` finds, trying only where a match can start.

    Those places are the starts of the cue's heads among ``words`` (:func:`_word_starts` of
    ``text``) and of its marks. Matches never overlap: a search resumes where the last match
    ended, as ``finditer`` does (literals never match empty text when a cue does not need
    ``scan_all``).
    """
    regex = compiled.literals
    if regex is None:
        return []
    if compiled.scan_all:
        return list(regex.finditer(text))
    heads = compiled.heads.intersection(words)
    starts = [start for word in heads for start in words[word]] if heads else []
    for mark in compiled.marks:
        at = text.find(mark)
        while at >= 0:
            starts.append(at)
            at = text.find(mark, at + 1)
    if not starts:
        return []
    if len(starts) > 1:
        starts.sort()
    matches = []
    end = 0
    for start in starts:
        if start >= end:
            match = regex.match(text, start)
            if match is not None:
                end = match.end()
                matches.append(match)
    return matches


def _pattern_matches(
    compiled: _CompiledCue,
    text: str,
    extra: frozenset[str],
    present: AbstractSet[str] | None = None,
) -> Iterator[re.Match[str]]:
    """Return what ``compiled.patterns.finditer(text)`` finds, searching only with the patterns
    that :meth:`_Hint.passing` says can match (``extra`` and ``present`` as it wants) when
    there is a hint."""
    regex = compiled.patterns
    if regex is None:
        return iter(())
    passing = None if compiled.hint is None else compiled.hint.passing(text, extra, present)
    if passing is not None:
        # Patterns that cannot match anywhere in the text change nothing in the alternation.
        if not passing:
            return iter(())
        if compiled.separable and len(passing) < len(compiled.cue.patterns):
            regex = _some_patterns(compiled.cue.patterns, tuple(passing))
    return regex.finditer(text)


def _text_matches(
    compiled: _CompiledCue,
    text: str,
    words: Mapping[str, list[int]] | None = None,
    extra: frozenset[str] | None = None,
    present: AbstractSet[str] | None = None,
) -> list[str]:
    """Return what each distinct entry of a cue matched in lower-case ``text``, in order.

    ``words`` is :func:`_word_starts` of ``text`` (for at least the cue's heads) and ``extra``
    its non-ASCII characters (or those of them that matter to the cue's hint, see
    :meth:`_Hint.passing`); both are worked out here when not given. ``present`` is as
    :meth:`_Hint.passing` wants it.
    """
    found: list[tuple[int, str]] = []
    if compiled.literals is not None:
        if words is None:
            words = _word_starts(text, _heads_regex(compiled.heads))
        for match in _literal_matches(compiled, text, words):
            keys = compiled.imperative_keys
            if match.lastgroup == "phrase":
                keys = compiled.phrase_keys
            key = _phrase_key(match.group())
            found.append((match.start(), keys.get(key, key)))
    if compiled.patterns is not None:
        if extra is None:
            extra = _unusual(text)
        matches = _pattern_matches(compiled, text, extra, present)
        found.extend((m.start(), _tidy(m.group())) for m in matches)
    if not found:
        return []
    if len(found) > 1:
        found.sort(key=itemgetter(0))  # stable: literals before patterns at the same place
    return list(dict.fromkeys(entry for _, entry in found if entry))


@lru_cache(maxsize=_CACHE_SIZE)
def _owners(username: str | None, name: str | None) -> tuple[str, ...]:
    """Return the author's names as :func:`_squash` leaves them, without empty ones."""
    return tuple(squashed for squashed in (squash(n) for n in (username, name) if n) if squashed)


def _resembles(site: str, owner: str) -> bool:
    """Say whether a squashed site name and a squashed account name look like the same business."""
    if len(site) < 3 or len(owner) < 3:
        return False
    return resembles(site, owner) or SequenceMatcher(None, site, owner).ratio() >= 0.85


@lru_cache(maxsize=_CACHE_SIZE)
def _is_own_site(host: str, owners: tuple[str, ...]) -> bool:
    """Say whether a host's site name resembles any of the author's names."""
    site = squash(site_name(host))
    return any(_resembles(site, owner) for owner in owners)


def _domain_index(domains: Sequence[str]) -> dict[str, int]:
    """Return each domain of a link cue, lower-case and without ``www.`` -> its first position."""
    index: dict[str, int] = {}
    for position, domain in enumerate(domains):
        index.setdefault(domain.lower().removeprefix("www."), position)
    return index


def _on_domain(host: str, index: Mapping[str, int]) -> str | None:
    """Return the first domain of a :func:`_domain_index` that ``host`` is or is under, or None."""
    found: str | None = None
    first = len(index)
    suffix = host
    while True:  # the host itself, then what follows each of its dots
        position = index.get(suffix)
        if position is not None and position < first:
            found, first = suffix, position
        dot = suffix.find(".")
        if dot < 0:
            return found
        suffix = suffix[dot + 1 :]


@lru_cache(maxsize=_CACHE_SIZE)
def _short_url(url: str) -> str:
    """Return a URL without its scheme, ``www.``, query or fragment, for use in a reason."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
    except ValueError:
        return url
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path}".rstrip("/")[:80] or url


def _all_urls(text: str, urls: Sequence[str]) -> list[str]:
    """Return the given URLs followed by any other full URLs written in the text."""
    seen = list(dict.fromkeys(u for u in urls if u))
    if "://" in text:  # every URL the pattern finds has one
        for found in _URL_IN_TEXT.findall(text):
            if found not in seen:
                seen.append(found)
    return seen


def _own_site_hosts(urls: Sequence[str], owners: tuple[str, ...]) -> list[str]:
    """Return the distinct hosts among ``urls`` whose names resemble one of ``owners``."""
    hosts: list[str] = []
    for url in urls:
        hostname = host(url)
        if hostname and hostname != "t.co" and hostname not in hosts and _is_own_site(
            hostname, owners
        ):
            hosts.append(hostname)
    return hosts


def _link_reasons(
    urls: Sequence[str], owners: tuple[str, ...], rules: PromoRules
) -> tuple[float, list[str]]:
    """Return the score the URLs add and the reasons for it."""
    score = 0.0
    reasons: list[str] = []
    if not urls:
        return score, reasons
    found = [rules._url_hits(url) for url in urls]
    for position, cue in enumerate(rules.link_cues):
        if not cue.weight:
            continue
        hits = list(dict.fromkeys(h for h in (row[position] for row in found) if h is not None))
        if hits:
            score += cue.weight
            reasons.extend(f"{cue.label}: {hit}" for hit in hits)
    own = _own_site_hosts(urls, owners) if rules.own_site_weight and owners else []
    if own:
        score += rules.own_site_weight
        reasons.extend(f"{rules.own_site_label}: {host}" for host in own)
    return score, reasons


# --- reading rules files ------------------------------------------------------------------------

_TEXT_CUE_LISTS = ("phrases", "imperatives", "patterns")
_LINK_CUE_LISTS = ("domains", "patterns")


def _fail(source: str, key: str, problem: str) -> ConfigError:
    """Return a one-line ConfigError naming the rules file and the offending key."""
    return ConfigError(" ".join(f"{source}: {key}: {problem}".split()))


def _check_number(value: Any, source: str, key: str, low: float, high: float) -> float:
    """Return ``value`` as a float, or raise ConfigError if it is not a number in range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(source, key, f"expected a number, got {type(value).__name__}")
    if not low <= value <= high:
        raise _fail(source, key, f"expected a number from {low} to {high}, got {value}")
    return float(value)


def _check_strings(value: Any, source: str, key: str, regex: bool) -> list[str]:
    """Return ``value`` as a list of non-empty strings (valid regexes if ``regex``), or raise."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, key, "expected a list of non-empty strings")
    if regex:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                problem = f"invalid regular expression {pattern!r}: {error}"
                raise _fail(source, key, problem) from error
    return list(value)


def _check_cue(
    table: Any, source: str, key: str, numbers: tuple[str, ...], lists: tuple[str, ...]
) -> dict[str, Any]:
    """Return a validated copy of one cue table, or raise ConfigError naming the bad key."""
    if not isinstance(table, dict):
        raise _fail(source, key, "expected a table")
    checked: dict[str, Any] = {}
    for sub, value in table.items():
        where = f"{key}.{sub}"
        if sub in numbers:
            checked[sub] = _check_number(value, source, where, -10.0, 10.0)
        elif sub == "label":
            if not isinstance(value, str) or not value.strip():
                raise _fail(source, where, "expected a non-empty string")
            checked[sub] = value.strip()
        elif sub == "replace" and lists:
            if not isinstance(value, bool):
                raise _fail(source, where, "expected true or false")
            checked[sub] = value
        elif sub in lists:
            checked[sub] = _check_strings(value, source, where, regex=sub == "patterns")
        else:
            raise _fail(source, where, "unknown key")
    return checked


def _check_document(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Return a validated copy of a parsed rules file, or raise ConfigError naming the key."""
    checked: dict[str, Any] = {}
    for key, value in data.items():
        if key == "threshold":
            checked[key] = _check_number(value, source, key, 0.0, 1.0)
        elif key == "own_site":
            checked[key] = _check_cue(value, source, key, ("weight",), ())
        elif key in ("cues", "links"):
            if not isinstance(value, dict):
                raise _fail(source, key, "expected a table of cues")
            numbers = ("weight", "extra_weight") if key == "cues" else ("weight",)
            lists = _TEXT_CUE_LISTS if key == "cues" else _LINK_CUE_LISTS
            checked[key] = {
                name: _check_cue(table, source, f"{key}.{name}", numbers, lists)
                for name, table in value.items()
            }
        else:
            raise _fail(source, key, "unknown key")
    return checked


def _merge_cue(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return a cue table with ``override``'s scalars replacing and its lists extending ``base``."""
    merged = dict(base)
    replace = bool(override.get("replace", False))
    for key, value in override.items():
        if key == "replace":
            continue
        if isinstance(value, list) and not replace:
            merged[key] = list(dict.fromkeys([*base.get(key, []), *value]))
        else:
            merged[key] = value
    return merged


def _merge(base: Mapping[str, Any], override: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Return the rules ``base`` with a user's validated rules ``override`` applied."""
    merged: dict[str, Any] = {
        "threshold": override.get("threshold", base.get("threshold")),
        "own_site": _merge_cue(base.get("own_site", {}), override.get("own_site", {})),
    }
    for group in ("cues", "links"):
        tables = {name: dict(table) for name, table in base.get(group, {}).items()}
        for name, table in override.get(group, {}).items():
            if name not in tables and "weight" not in table:
                raise _fail(source, f"{group}.{name}.weight", "a new cue needs a weight")
            tables[name] = _merge_cue(tables.get(name, {}), table)
        merged[group] = tables
    return merged


def _build(data: Mapping[str, Any], source: str) -> PromoRules:
    """Make PromoRules from a validated, merged rules document."""
    if data.get("threshold") is None:
        raise _fail(source, "threshold", "missing")

    def label(name: str, table: Mapping[str, Any]) -> str:
        return str(table.get("label", name.replace("_", " ")))

    text_cues = tuple(
        TextCue(
            name=name,
            label=label(name, table),
            weight=float(table.get("weight", 0.0)),
            extra_weight=float(table.get("extra_weight", 0.0)),
            phrases=tuple(table.get("phrases", ())),
            imperatives=tuple(table.get("imperatives", ())),
            patterns=tuple(table.get("patterns", ())),
        )
        for name, table in data.get("cues", {}).items()
    )
    link_cues = tuple(
        LinkCue(
            name=name,
            label=label(name, table),
            weight=float(table.get("weight", 0.0)),
            domains=tuple(table.get("domains", ())),
            patterns=tuple(table.get("patterns", ())),
        )
        for name, table in data.get("links", {}).items()
    )
    own_site = data.get("own_site", {})
    return PromoRules(
        threshold=float(data["threshold"]),
        text_cues=text_cues,
        link_cues=link_cues,
        own_site_label=label("link to own site", own_site),
        own_site_weight=float(own_site.get("weight", 0.0)),
    )


def _parse(raw: str, source: str) -> dict[str, Any]:
    """Parse and validate the text of a rules file, or raise ConfigError naming ``source``."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise _fail(source, "invalid TOML", str(error)) from error
    return _check_document(data, source)


_DEFAULT_SOURCE = "retweetring/promo/promo_rules.toml"
_DEFAULT_DOCUMENT = _parse(
    resources.files("retweetring.promo").joinpath("promo_rules.toml").read_text(encoding="utf-8"),
    _DEFAULT_SOURCE,
)

DEFAULT_RULES: PromoRules = _build(_merge({}, _DEFAULT_DOCUMENT, _DEFAULT_SOURCE), _DEFAULT_SOURCE)
"""The packaged rules from ``retweetring/promo/promo_rules.toml``."""


def load_rules(path: str | os.PathLike[str]) -> PromoRules:
    """Read a rules file whose keys override or extend :data:`DEFAULT_RULES`.

    Parameters
    ----------
    path : str or os.PathLike
        A TOML file in the format described in this module's docstring.

    Returns
    -------
    PromoRules
        The default rules with the file's changes applied.

    Raises
    ------
    ConfigError
        If the file cannot be read, is not valid TOML, or has a key of the wrong type or an
        invalid regular expression; the message names the file and the key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "rules.toml").write_text('[cues.offer]\\nphrases = ["mates rates"]\\n')
    >>> rules = load_rules(folder / "rules.toml")
    >>> classify("Mates rates for regulars this week", rules=rules).reasons
    ('offer: mates rates',)
    >>> import shutil; shutil.rmtree(folder)
    """
    source = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(source, "cannot read rules file", str(error)) from error
    override = _parse(raw, source)
    return _build(_merge(_DEFAULT_DOCUMENT, override, source), source)


# --- the classifier -----------------------------------------------------------------------------


def classify(
    text: str,
    urls: Sequence[str] = (),
    username: str | None = None,
    name: str | None = None,
    rules: PromoRules = DEFAULT_RULES,
) -> PromoResult:
    """Decide whether a tweet is promotional, and say why.

    Parameters
    ----------
    text : str
        The tweet's text; any unicode, possibly empty.
    urls : sequence of str, optional
        The tweet's expanded URLs. Full URLs written in the text are also considered.
    username : str, optional
        The author's handle, without ``@``; used to recognise links to the author's own site.
    name : str, optional
        The author's display name, used in the same way.
    rules : PromoRules, optional
        The cues, weights and threshold to apply; :data:`DEFAULT_RULES` by default.

    Returns
    -------
    PromoResult
        ``promotional``, the ``score`` in [0, 1] and the ``reasons`` behind it.

    Examples
    --------
    >>> result = classify("Fresh focaccia, £4 a slice. Order now!")
    >>> result.promotional, result.score
    (True, 0.8)
    >>> result.reasons
    ('call to action: order now', 'price: £4')
    >>> classify("Reading a great book while the dough proves").promotional
    False
    >>> classify("Our spring menu is live", urls=["https://hollysbakery.co.uk/menu"],
    ...          username="hollys_bakery").reasons
    ('availability: is live', 'link to own site: hollysbakery.co.uk')
    """
    clean = _normalise_text(text or "")
    lowered = clean.lower()
    score = 0.0
    reasons: list[str] = []
    words = _word_starts(lowered, rules._heads)
    extra = _unusual(lowered, rules._hint_chars)
    screen = rules._screen(extra)
    present = set(filter(lowered.__contains__, screen.strings))
    for compiled, firsts in zip(rules._active, screen.firsts, strict=True):
        # Skip the searches when neither the cue's patterns nor its phrases can match.
        if (
            firsts is not None
            and firsts.isdisjoint(present)
            and (compiled.literals is None or compiled.heads.isdisjoint(words))
            and not compiled.scan_all
            and not (compiled.marks and any(mark in lowered for mark in compiled.marks))
        ):
            continue
        hits = _text_matches(compiled, lowered, words, extra, present)
        if hits:
            score += compiled.cue.weight + compiled.cue.extra_weight * (len(hits) - 1)
            reasons.extend(f"{compiled.cue.label}: {hit}" for hit in hits)
    link_score, link_reasons = rules._links(tuple(_all_urls(clean, urls)), _owners(username, name))
    score = round(min(1.0, max(0.0, score + link_score)), 4)
    return PromoResult(
        promotional=score >= rules.threshold,
        score=score,
        reasons=(*reasons, *link_reasons),
    )
