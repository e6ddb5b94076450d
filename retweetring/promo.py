"""Is this tweet promotional? An explainable, rule-based classifier.

A tweet is *promotional* ("salesy") when it tries to sell something the author offers: a
product, a service, an event ticket, a job. :func:`classify` scores a tweet by adding up the
weights of the *cues* it shows (calls to action, offers, prices, availability, hiring, a link
to the author's own site or to a shop platform) and subtracting the weights of cues that point
the other way (personal chat, a news link). Every cue that fires leaves a short reason, so a
score can always be explained.

The rules live in a TOML file. The defaults are packaged as ``retweetring/promo_rules.toml``
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from retweetring.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
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
    """A text cue made ready to match: its literals as one regex, its patterns as another."""

    cue: TextCue
    literals: re.Pattern[str] | None
    """Phrases (group ``phrase``) and imperatives (group ``imperative``), for lower-case text."""
    patterns: re.Pattern[str] | None
    """The cue's regular expressions, case-insensitive."""
    phrase_keys: Mapping[str, str]
    """The :func:`_phrase_key` of each phrase -> the phrase, to name what matched."""
    imperative_keys: Mapping[str, str]
    """The same for imperatives."""


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", tuple(_compile_cue(c) for c in self.text_cues))
        object.__setattr__(
            self, "_link_regexes", tuple(_alternation(c.patterns) for c in self.link_cues)
        )


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

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})

_SEPARATOR = r"[\s\-]+"
_SEPARATORS = re.compile(_SEPARATOR)

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)

_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "ltd", "plc", "me", "sch"})

_NAME_STOPWORDS = ("the",)


@dataclass
class _TrieNode:
    """One step of a trie of regex atoms, used to build a fast alternation of many phrases."""

    children: dict[str, _TrieNode] = field(default_factory=dict)
    end: str | None = None
    """The regex that closes a phrase ending here (a word boundary or nothing), if one does."""


def _is_word_char(char: str) -> bool:
    """Say whether ``char`` is a regex word character."""
    return bool(re.match(r"\w", char))


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
    return _CompiledCue(
        cue=cue,
        literals=re.compile("|".join(branches)) if branches else None,
        patterns=_alternation(cue.patterns),
        phrase_keys={_phrase_key(p): p.lower() for p in reversed(phrases)},
        imperative_keys={_phrase_key(p): p.lower() for p in reversed(imperatives)},
    )


def _alternation(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """Compile regexes into one case-insensitive alternation, or None when there are none."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _normalise_text(text: str) -> str:
    """Fold compatibility characters (bold maths letters, full-width digits) and apostrophes."""
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).strip()


def _tidy(matched: str) -> str:
    """Return matched text lower-cased with its whitespace collapsed, for use in a reason."""
    return " ".join(matched.lower().split()).strip(" .,!?:;-")


def _text_matches(compiled: _CompiledCue, text: str) -> list[str]:
    """Return what each distinct entry of a cue matched in lower-case ``text``, in order."""
    found: list[tuple[int, str]] = []
    if compiled.literals is not None:
        for match in compiled.literals.finditer(text):
            keys = compiled.phrase_keys if match.lastgroup == "phrase" else compiled.imperative_keys
            key = _phrase_key(match.group())
            found.append((match.start(), keys.get(key, key)))
    if compiled.patterns is not None:
        found.extend((m.start(), _tidy(m.group())) for m in compiled.patterns.finditer(text))
    shown = [entry for _, entry in sorted(found, key=lambda item: item[0]) if entry]
    return list(dict.fromkeys(shown))


def _host(url: str) -> str:
    """Return a URL's host name, lower-cased and without ``www.``; empty if there is none."""
    candidate = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _site_name(host: str) -> str:
    """Return a host's registrable name: ``"hollysbakery"`` for ``shop.hollysbakery.co.uk``."""
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return labels[0] if labels else ""
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2]


def _squash(name: str) -> str:
    """Reduce an account or site name to unaccented lower-case letters and digits, minus "the"."""
    folded = unicodedata.normalize("NFKD", name).casefold().replace("&", "and")
    squashed = "".join(ch for ch in folded if ch.isalnum())
    for word in _NAME_STOPWORDS:
        if squashed.startswith(word) and len(squashed) > len(word) + 3:
            squashed = squashed[len(word) :]
    return squashed


def _resembles(site: str, owner: str) -> bool:
    """Say whether a squashed site name and a squashed account name look like the same business."""
    if len(site) < 3 or len(owner) < 3:
        return False
    if site == owner:
        return True
    shorter, longer = sorted((site, owner), key=len)
    if len(shorter) >= 5 and shorter in longer:
        return True
    return SequenceMatcher(None, site, owner).ratio() >= 0.85


def _is_own_site(host: str, owners: Sequence[str]) -> bool:
    """Say whether a host's site name resembles any of the author's names."""
    site = _squash(_site_name(host))
    return any(_resembles(site, owner) for owner in owners)


def _on_domain(host: str, domains: Sequence[str]) -> str | None:
    """Return the first of ``domains`` that ``host`` is or is a subdomain of, else None."""
    for domain in domains:
        domain = domain.lower().removeprefix("www.")
        if host == domain or host.endswith("." + domain):
            return domain
    return None


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
    for found in _URL_IN_TEXT.findall(text):
        if found not in seen:
            seen.append(found)
    return seen


def _link_cue_hits(cue: LinkCue, regex: re.Pattern[str] | None, urls: Sequence[str]) -> list[str]:
    """Return the distinct domains (or short URLs, for pattern matches) a link cue finds."""
    hits: list[str] = []
    for url in urls:
        host = _host(url)
        hit = _on_domain(host, cue.domains) if host else None
        if hit is None and regex is not None and regex.search(url):
            hit = _short_url(url)
        if hit is not None and hit not in hits:
            hits.append(hit)
    return hits


def _own_site_hosts(urls: Sequence[str], owners: Sequence[str]) -> list[str]:
    """Return the distinct hosts among ``urls`` whose names resemble one of ``owners``."""
    hosts: list[str] = []
    for url in urls:
        host = _host(url)
        if host and host != "t.co" and host not in hosts and _is_own_site(host, owners):
            hosts.append(host)
    return hosts


def _link_reasons(
    urls: Sequence[str], owners: Sequence[str], rules: PromoRules
) -> tuple[float, list[str]]:
    """Return the score the URLs add and the reasons for it."""
    score = 0.0
    reasons: list[str] = []
    for cue, regex in zip(rules.link_cues, rules._link_regexes, strict=True):
        hits = _link_cue_hits(cue, regex, urls) if cue.weight else []
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
            checked[sub] = _check_number(value, source, where, -1.0, 1.0)
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


_DEFAULT_SOURCE = "retweetring/promo_rules.toml"
_DEFAULT_DOCUMENT = _parse(
    resources.files("retweetring").joinpath("promo_rules.toml").read_text(encoding="utf-8"),
    _DEFAULT_SOURCE,
)

DEFAULT_RULES: PromoRules = _build(_merge({}, _DEFAULT_DOCUMENT, _DEFAULT_SOURCE), _DEFAULT_SOURCE)
"""The packaged rules from ``retweetring/promo_rules.toml``."""


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
    for compiled in rules._compiled:
        if not compiled.cue.weight:
            continue
        hits = _text_matches(compiled, lowered)
        if hits:
            score += compiled.cue.weight + compiled.cue.extra_weight * (len(hits) - 1)
            reasons.extend(f"{compiled.cue.label}: {hit}" for hit in hits)
    owners = [squashed for squashed in (_squash(n) for n in (username, name) if n) if squashed]
    link_score, link_reasons = _link_reasons(_all_urls(clean, urls), owners, rules)
    score = round(min(1.0, max(0.0, score + link_score)), 4)
    return PromoResult(
        promotional=score >= rules.threshold,
        score=score,
        reasons=tuple(reasons + link_reasons),
    )
