"""What a tweet shows: the named, explainable features the promotional model weighs.

A tweet becomes a set of features, each with the snippet of the tweet that produced it, so a
decision can be explained by what the tweet says:

- ``w:WORD`` and ``w:WORD WORD``: its words and pairs of adjacent words, lower-cased, with
  digits reduced to ``0`` and mentions to ``@``;
- ``cue:NAME``: a cue family of the rules file (``promo_rules.toml``, extended by ``--rules``);
- ``s:NAME``: a structural cue (:data:`STRUCTURAL_CUES`): where and when to find the
  business, a question followed by an offer, a launch, an invitation to come, try, watch or
  listen, a phone number, an e-mail address, an item for sale ("for sale", "sold", "in
  stock"), the details of an item or offer (sizes, shipping, prices, tickets), a price, a
  business-hour chat tag, one's own work;
- ``link``, ``link:NAME``: links, links to shops and marketplaces (the rules' link cues), a
  link to the author's own website (the profile's website, or a site named like the author),
  a link after a text cut short with an ellipsis (posts copied from Facebook or Instagram).

Matching works on the word tokens of the tweet through one dictionary lookup per word, pair
and triple, so extracting the features of a tweet costs a few microseconds.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from retweetring.promo.sites import CACHE_ENTRIES, host, resembles, site_name, squash

if TYPE_CHECKING:
    from retweetring.promo.rules import PromoRules

if sys.version_info >= (3, 11):
    from re import _constants as _sre
    from re import _parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

__all__ = [
    "STRUCTURAL_CUES",
    "Extractor",
    "Site",
    "Vocabulary",
    "own_links",
    "tokens",
]

_URL = re.compile(r"https?://\S+|\bwww\.[\w-]+\.\S+", re.I)
_URL_SPLIT = re.compile(r"(https?://\S+|w(?<!\w\w)ww\.[\w-]+\.\S+)")
""":data:`_URL` for a lower-case text without "ſ" (the one letter there that matches one of
its letters, s, when case is ignored), in a group to split on, starting with its letters so
that a search skips to them."""
_TOKEN = re.compile(r"(?=\S)(?:[#@$£€]?[\w'’&]+|[^\w\s])")
"""Words, tags, mentions, amounts and single marks; the look-ahead skips blanks at once."""
_DIGITS = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
_PHONE = re.compile(
    r"(?<![\d.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]?\d{2,5}){1,3}(?![\d.,])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TIME = re.compile(
    # "\b\d{1,2}(?::\d\d|[.:]\d\d\s?(?:am|pm)|\s?(?:am|pm))\b|\b\d{1,2}(?:st|nd|rd|th)\b",
    # written to start with a digit (the \b before it as a look-behind) so that a search
    # skips to the digits instead of trying every position
    r"\d(?<!\w\d)\d?(?:(?::\d\d|[.:]\d\d\s?(?:am|pm)|\s?(?:am|pm))\b|(?:st|nd|rd|th)\b)"
)
_MONEY = re.compile(
    r"[$£€]\s?\d[\d,]*(?:\.\d\d)?k?|\b\d+(?:\.\d\d)?\s?(?:usd|gbp|eur|dollars|bucks|quid)\b"
)
_MONEY_NEEDS = ("$", "£", "€", "usd", "gbp", "eur", "dollars", "bucks", "quid")
"""A text without one of these has no amount of money (:data:`_MONEY` is case-sensitive)."""
_MENTION = re.compile(r"@[\w'’&]+")
"""A mention: the token :data:`_TOKEN` finds at an "@" followed by a word."""
_HOUR_CHAT = re.compile(r"#[\w'’&]+hour(?![\w'’&])")
"""A business-hour chat tag ("#smallbizhour"): a whole tag token ending in "hour"."""
_PHONE_DIGITS = 9
"""A phone number has this many digits or more."""
_CASE_TWINS = ("ſ", "ı")  # tested inline in Extractor.features
"""Lower-case letters that match an ASCII letter when case is ignored (s, i) but contain
none: a text with one may match a pattern without containing its ASCII literals."""

CLAUSE_CONNECTORS = frozenset({"so", "and", "or", "then", "please", "just", "now", "also"})
"""Words after which an imperative still starts a clause ("so come and see us")."""


@dataclass(frozen=True)
class StructuralCue:
    """A cue that the model learns a weight for, described by words and pairs of words.

    Attributes
    ----------
    name : str
        The feature is ``s:NAME``.
    label : str
        How a reason names it, such as ``"invitation"``.
    phrases : tuple of str
        Words or phrases (up to three words) that fire the cue anywhere.
    imperatives : tuple of str
        Phrases that fire it only at the start of a clause.
    """

    name: str
    label: str
    phrases: tuple[str, ...] = ()
    imperatives: tuple[str, ...] = ()


_DAYS = (
    "today", "tonight", "tomorrow", "this weekend", "this week", "next week", "weekend",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "morning", "afternoon",
    "evening", "lunchtime", "noon", "midnight", "this month", "all week", "every day",
    "everyday", "daily",
)

STRUCTURAL_CUES: tuple[StructuralCue, ...] = (
    StructuralCue(
        "place",
        "where to find us",
        phrases=(
            "we're at", "we are at", "we'll be at", "we will be at", "we're in", "we'll be in",
            "find us at", "find us in", "find us on", "catch us at", "catch me at", "catch us",
            "catch me", "see us at", "see me at", "join us at", "join me at", "come see us",
            "i'm at", "i'll be at", "we're open", "we are open", "open today", "open tonight",
            "open until", "open till", "located", "located in", "located at", "at our",
            "in our", "our shop", "our store", "our studio", "our salon", "our booth",
            "our stand", "our stall", "booth", "stall", "visit us", "live at", "playing at",
            "performing at", "appearing at", "expo", "market", "fair", "festival", "venue",
        ),
    ),
    StructuralCue("when", "a day or time", phrases=_DAYS),
    StructuralCue(
        "launch",
        "launch",
        phrases=(
            "launch", "launching", "launched", "launches", "launch night", "launch party",
            "official launch", "introducing", "introduce", "new release", "new releases",
            "released", "release", "debut", "premiere", "premieres", "out now", "coming soon",
            "just released", "just dropped", "dropping", "drops", "new single", "new album",
            "new ep", "new book", "new ebook", "ebook", "e-book", "new video", "new track",
            "new song", "new mixtape", "mixtape", "new collection", "new range", "new product",
            "new products", "new line", "new menu", "new website", "new site", "new items",
            "new arrivals", "new stock", "sneak peek", "preview", "pre-order", "preorder",
            "pre order", "now available", "available now", "now open", "grand opening",
            "first look", "unveil", "unveiled", "unveiling", "newest", "latest",
        ),
    ),
    StructuralCue(
        "invite",
        "invitation",
        phrases=(
            "come in", "come on in", "come and", "come see", "come try", "come down",
            "come by", "come join", "come visit", "come check", "come hear", "come along",
            "come out", "stop in", "stop by", "pop in", "pop by", "pop down", "swing by",
            "drop by", "drop in", "join us", "join me", "try our", "try out", "try the",
            "tune in", "check out", "check it out", "check us out", "check out our", "go check",
            "take a look", "have a look", "see more", "find out more", "find out", "learn more",
            "read more", "more info", "info on", "details at", "see you there", "don't miss",
            "be there", "bring the", "bring your", "listen to", "listen now", "watch now",
            "watch the", "click here", "click the", "here's our", "here is our", "here's my",
            "here is my", "follow us", "like us", "like our", "visit our", "visit my",
            "head to", "head over", "go to",
        ),
        imperatives=(
            "watch", "listen", "try", "come", "join", "visit", "grab", "get", "bring", "enjoy",
            "download", "stream", "shop", "order", "book", "call", "email", "contact",
            "message", "register", "subscribe", "sign up", "discover", "explore", "treat",
            "hop on", "hit", "pick up", "support", "follow", "like", "share", "see", "check",
            "ask", "let us", "let's", "want", "need", "looking for", "catch", "buy", "save",
        ),
    ),
    StructuralCue(
        "for_sale",
        "item for sale",
        phrases=(
            "for sale", "for rent", "for hire", "for lease", "sold", "sold out", "brand new",
            "new with tags", "in stock", "back in stock", "just listed", "made to order",
        ),
    ),
    StructuralCue(
        "item_details",
        "item details",
        phrases=(
            "size", "sizes", "colour", "colours", "color", "colors", "colorway", "condition",
            "with case", "handmade", "hand made", "custom", "bespoke", "limited edition",
            "one of a kind", "ooak", "available in", "available at", "available for",
            "available on", "available", "shipping", "free shipping", "ships", "delivery",
            "delivered", "pendant", "necklace", "earrings", "print", "prints", "canvas",
            "painting", "original", "listing", "warranty", "guarantee", "guaranteed",
            "quality", "price", "prices", "priced", "pricing", "deal", "deals", "offer",
            "offers", "special", "specials", "discount", "sale", "coupon", "free", "giveaway",
            "win", "tickets", "tix", "ticket", "rsvp", "entry", "admission",
        ),
    ),
    StructuralCue(
        "own_work",
        "own work",
        phrases=(
            "my book", "my new", "my latest", "my novel", "my ebook", "my album", "my single",
            "my track", "my music", "my song", "my mixtape", "my video", "my art", "my work",
            "my shop", "my store", "my business", "my website", "my site", "my page",
            "my blog", "my podcast", "my channel", "my designs", "my products", "my services",
            "my app", "my course", "my class", "my show", "my gig", "my company", "our new",
            "our latest", "our website", "our site", "our page", "our products", "our services",
            "our team", "our clients", "our customers", "we offer", "we provide", "we help",
            "we can help", "we make", "we sell", "we do", "we specialise", "we specialize",
            "we have", "we've got", "we also", "we now", "can help", "let us", "our",
            "bestselling", "best-selling", "author", "#amwriting", "#kindle", "#books",
        ),
    ),
    StructuralCue(
        "personal",
        "personal chat",
        phrases=(
            "congrats", "congratulations", "happy birthday", "thank you", "thanks", "thx",
            "lol", "lmao", "omg", "haha", "i love", "love you", "my mom", "my mum", "my dad",
            "my wife", "my husband", "my kids", "my son", "my daughter", "my boyfriend",
            "my girlfriend", "my family", "my friend", "my friends", "rip", "ugh", "miss you",
            "so proud", "well done", "good luck", "#ff", "#followfriday", "i hate",
            "i'm so", "i am so", "i can't", "i don't", "i just", "i think", "i feel",
            "i need", "i wish", "my life", "me and", "feeling", "tired", "sleep",
        ),
    ),
)
"""The structural cues whose weights the model learns (besides the rules file's cue families)."""


def _fold(text: str) -> str:
    """Return ``text`` lower-cased, with HTML entities decoded and curly apostrophes straight."""
    if "&" in text:
        text = html.unescape(text)
    return text.lower().replace("’", "'")


def tokens(text: str) -> list[str]:
    """Return the tokens of a folded text without its URLs: words, ``#tags``, ``@names``,
    ``$12``-like amounts and single punctuation marks.

    Examples
    --------
    >>> tokens("we're at the market today! #shoplocal @bea")
    ["we're", 'at', 'the', 'market', 'today', '!', '#shoplocal', '@bea']
    """
    return _TOKEN.findall(text)


def _word_key(token: str) -> str:
    """Return the form a token takes in word features: ``@`` for mentions, digits as ``0``."""
    first = token[0]
    if first == "@" and len(token) > 1:
        return "@"
    if any(ch.isdigit() for ch in token):
        return _DIGITS.sub("0", token)
    return token


@lru_cache(maxsize=CACHE_ENTRIES)
def _owners(username: str | None, name: str | None) -> tuple[str, ...]:
    """Return the squashed handle and display name of an author, those not empty."""
    return tuple(o for o in (squash(n) for n in (username, name) if n) if o)


@lru_cache(maxsize=CACHE_ENTRIES)
def _site_key(url: str | None) -> str:
    """Return the registrable name of a profile website, or ``""``."""
    return site_name(host(url)) if url else ""


@dataclass(frozen=True)
class LinkTable:
    """Domains and URL patterns of one link cue, matched against each URL of a tweet."""

    name: str
    label: str
    domains: frozenset[str]
    pattern: re.Pattern[str] | None

    def match(self, url: str, host: str) -> str | None:
        """Return what of ``url`` matches (its domain or its short form), or None."""
        suffix = host
        while suffix:
            if suffix in self.domains:
                return suffix
            dot = suffix.find(".")
            if dot < 0:
                break
            suffix = suffix[dot + 1 :]
        if self.pattern is not None and self.pattern.search(url):
            return host + urlsplit(url).path.rstrip("/")[:40]
        return None


@dataclass(frozen=True)
class TextTable:
    """A cue family of the rules file: phrases, clause-start imperatives and patterns."""

    name: str
    label: str
    phrases: tuple[str, ...]
    imperatives: tuple[str, ...]
    patterns: tuple[str, ...]


_Pair = tuple[tuple[str, ...], tuple[str, ...], bool]
"""What a pair of tokens gives: its features anywhere (its word feature first), its features
at the start of a clause, and whether longer phrases start with it."""
_Head = tuple[
    str | None, dict[str, _Pair] | None, tuple[tuple[str, ...], tuple[str, ...]] | None
]
"""What a token gives: its word feature or None, the pairs it starts (next token ->
:data:`_Pair`) or None, and its features anywhere and at the start of a clause, or None; a
token that gives only its word feature gives that feature alone (a str)."""


@dataclass(frozen=True)
class Vocabulary:
    """The words and phrases an :class:`Extractor` looks for, indexed by their first token,
    so a token that starts nothing costs one dictionary lookup and a pair is looked up only
    after a token that starts one (see :meth:`Extractor.vocabulary`)."""

    heads: dict[str, _Head | str]
    grams: Mapping[str, tuple[str, ...]]
    """Phrases of three tokens or more, anywhere."""
    starts: Mapping[str, tuple[str, ...]]
    """Phrases of three tokens or more, at the start of a clause."""


def _vocabulary(
    words: Iterable[str],
    grams: Mapping[str, tuple[str, ...]],
    starts: Mapping[str, tuple[str, ...]],
    prefixes: Iterable[str],
) -> Vocabulary:
    """Index ``words`` (word features without ``w:``), phrases anywhere (``grams``), phrases at
    clause starts (``starts``) and the pairs that start longer phrases (``prefixes``)."""
    heads: dict[str, list] = {}
    pairs: dict[tuple[str, str], list] = {}

    def entry(gram: str) -> list | None:
        parts = gram.split(" ")
        if len(parts) == 1:
            return heads.setdefault(gram, [None, [], [], None])
        if len(parts) == 2 and parts[0] and parts[1]:
            heads.setdefault(parts[0], [None, [], [], None])
            return pairs.setdefault((parts[0], parts[1]), [None, [], [], False])
        return None  # never a token or a pair: looked up whole from its prefix

    for word in words:
        found = entry(word)
        if found is not None:
            found[0] = "w:" + word
    for table, slot in ((grams, 1), (starts, 2)):
        for gram, features in table.items():
            found = entry(gram)
            if found is not None:
                found[slot].extend(features)
    for prefix in prefixes:
        found = entry(prefix)
        if found is not None and " " in prefix:
            found[3] = True
    for (first, second), (word, anywhere, at_start, prefix) in pairs.items():
        head = heads[first]
        if head[3] is None:
            head[3] = {}
        features = ((word,) if word else ()) + tuple(anywhere)
        head[3][second] = (features, tuple(at_start), prefix)
    return Vocabulary(
        {
            k: w
            if p is None and not a and not s and w
            else (w, p, (tuple(a), tuple(s)) if a or s else None)
            for k, (w, a, s, p) in heads.items()
        },
        {k: v for k, v in grams.items() if k.count(" ") >= 2},
        {k: v for k, v in starts.items() if k.count(" ") >= 2},
    )


def _breaks(key: str) -> bool:
    """Whether a clause starts after this token: a mark or a connector."""
    return key in CLAUSE_CONNECTORS or (len(key) == 1 and not key.isalnum())


@dataclass
class Extractor:
    """Finds the features of tweets for one set of cue families and link cues.

    Parameters
    ----------
    text_cues : sequence of TextTable
        Cue families of the rules file; each gives the feature ``cue:NAME``.
    link_cues : sequence of LinkTable
        Link cues of the rules file; each gives ``link:NAME``.
    structural : sequence of StructuralCue
        Structural cues, ``s:NAME``; :data:`STRUCTURAL_CUES` by default.
    """

    text_cues: Sequence[TextTable]
    link_cues: Sequence[LinkTable]
    structural: Sequence[StructuralCue] = STRUCTURAL_CUES
    _grams: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    _starts: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    _digit_grams: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    _prefixes: frozenset[str] = field(init=False, repr=False)
    _bare: Vocabulary = field(init=False, repr=False)
    _digits: Vocabulary = field(init=False, repr=False)
    _checked_patterns: dict[bool, dict[bool, tuple[_Checked, ...]]] = field(init=False, repr=False)
    """[has digits][gated]: the cue patterns that can match such a text, with the strings
    they need (:func:`_checked`)."""
    _digit_heads: frozenset[str] = field(init=False, repr=False)
    _digit_needs: tuple[tuple[str, ...], ...] = field(init=False, repr=False)
    """Per phrase with digits, its tokens as written: a text has them all if it has the phrase."""
    _link_features: tuple[str, ...] = field(init=False, repr=False)
    """``link:NAME`` for each link cue, in order."""
    """The word-feature forms of the tokens that start a phrase with digits."""
    labels: dict[str, str] = field(init=False, repr=False)
    """Feature name -> the label its reasons start with."""

    def __post_init__(self) -> None:
        grams: dict[str, list[str]] = {}
        starts: dict[str, list[str]] = {}
        prefixes: set[str] = set()
        self.labels = {}

        digit_grams: dict[str, list[str]] = {}

        def add(table: dict[str, list[str]], phrase: str, feature: str) -> None:
            words = tokens(_fold(phrase))
            if not words:
                return
            if _ANY_DIGIT.search(phrase):
                table = digit_grams  # matched among the tokens as written
            else:
                words = [_word_key(t) for t in words]
            key = " ".join(words)
            if len(words) > 3:  # looked up through the first three words, checked in full
                prefixes.add(" ".join(words[:3]))
            elif len(words) == 3:
                prefixes.add(" ".join(words[:2]))
            found = table.setdefault(key, [])
            if feature not in found:
                found.append(feature)

        for cue in self.structural:
            feature = f"s:{cue.name}"
            self.labels[feature] = cue.label
            for phrase in cue.phrases:
                add(grams, phrase, feature)
            for phrase in cue.imperatives:
                add(starts, phrase, feature)
        patterns: list[_Pattern] = []
        for cue in self.text_cues:
            feature = f"cue:{cue.name}"
            self.labels[feature] = cue.label
            for phrase in cue.phrases:
                add(grams, phrase, feature)
            for phrase in cue.imperatives:
                add(starts, phrase, feature)
            for pattern in cue.patterns:
                patterns.append(_pattern(feature, pattern))
        for link in self.link_cues:
            self.labels[f"link:{link.name}"] = link.label
        self.labels.update(_LINK_LABELS)
        self._link_features = tuple(f"link:{link.name}" for link in self.link_cues)
        self._grams = {k: tuple(v) for k, v in grams.items()}
        self._digit_grams = {k: tuple(v) for k, v in digit_grams.items()}
        self._starts = {k: tuple(v) for k, v in starts.items()}
        self._prefixes = frozenset(prefixes)
        # Without digits, a pattern that needs one, or whose first required strings are all
        # digits, cannot match.
        self._checked_patterns = {
            digits: {gated: _checked(patterns, digits, gated) for gated in (False, True)}
            for digits in (False, True)
        }
        long_digit_grams = [k for k in self._digit_grams if k.count(" ") >= 2]
        self._bare = self.vocabulary({})
        # Among the tokens as written: phrases with digits; phrases at clause starts never
        # have digits, so they were all found among the word features' tokens already.
        # A pair starting a longer phrase matters there only if it starts one with digits.
        digit_prefixes = [
            p for p in self._prefixes if any(g.startswith(p + " ") for g in long_digit_grams)
        ]
        self._digits = _vocabulary({}, self._digit_grams, {}, digit_prefixes)
        self._digit_heads = frozenset(_word_key(k) for k in self._digits.heads)
        self._digit_needs = tuple(tuple(dict.fromkeys(g.split(" "))) for g in self._digit_grams)

    def features(
        self,
        text: str,
        urls: Iterable[str] = (),
        username: str | None = None,
        name: str | None = None,
        site: str | None = None,
        words: Mapping[str, object] | Vocabulary | None = None,
    ) -> dict[str, str]:
        """Return the features of one tweet, each with the snippet that produced it.

        Parameters
        ----------
        text : str
            The tweet's text.
        urls : iterable of str
            Its expanded URLs; full URLs written in the text count too.
        username, name : str, optional
            The author's handle and display name, to recognise a site named like the author.
        site : str, optional
            The author's profile website: a link to the same site is a link to their own site.
        words : mapping or Vocabulary, optional
            Keep only the word features that are keys of this mapping (a model's weights),
            or the :meth:`vocabulary` built from one; by default every word and pair of
            words is returned.

        Returns
        -------
        dict of str to str
            Feature name -> the words of the tweet behind it.

        Examples
        --------
        >>> from retweetring.promo.rules import DEFAULT_RULES
        >>> found = extractor_for(DEFAULT_RULES).features("Come in and try our new menu today!")
        >>> found["s:invite"], found["s:when"], found["w:try our"]
        ('come in', 'today', 'try our')
        """
        found, sites, tail = self.text_features(text, urls, words)
        if sites:
            owned = own_links(sites, username, name, site)
            for (hits, _, _, hostname), own in zip(sites, owned or repeat(None), strict=False):
                for feature, snippet in hits:
                    found.setdefault(feature, snippet)
                if own is not None:
                    found.setdefault(own, hostname)
        found.update(tail)
        return found

    def text_features(
        self,
        text: str,
        urls: Iterable[str] = (),
        words: Mapping[str, object] | Vocabulary | None = None,
    ) -> tuple[dict[str, str], list[Site], dict[str, str]]:
        """Return what of :meth:`features` does not depend on the author.

        Returns
        -------
        found : dict of str to str
            The features before the first link's cues (all of them when the tweet has no
            link to a site), in the order :meth:`features` finds them.
        sites : list of Site
            Per link to a site, in order: the link cues it is the first to show, and its
            site's names (for the author's own-site cues, :func:`own_links`).
        tail : dict of str to str
            The features :meth:`features` finds after the links' (empty without sites).
        """
        folded = _fold(text)
        found: dict[str, str] = {}
        links = list(dict.fromkeys(u for u in urls if u)) if urls else []
        if "://" in folded or "www." in folded:
            # A t.co link in the text is the shortened form of an expanded URL when those are
            # given: it is not another link.
            if "ſ" in folded:
                found_urls = _URL.findall(folded)
                folded = _URL.sub(" ", folded)
            else:
                parts = _URL_SPLIT.split(folded)
                found_urls = parts[1::2]
                folded = " ".join(parts[::2])
            for url in found_urls:
                if url not in links and not (urls and host(url) == "t.co"):
                    links.append(url)
        # Digits become 0 in word features (both texts split into the same tokens); phrases
        # with digits ("2 for 1") are looked up among the tokens as written.
        worded, runs = _DIGITS.subn("0", folded)
        digits = runs > 0
        digit_count = len(folded) - len(worded) + runs
        if "@" in folded:  # a mention is the token "@"
            worded = _MENTION.sub("@", worded)
        keys = _TOKEN.findall(worded)
        if words is None:  # every word and pair
            vocabulary = self._bare
            for i, key in enumerate(keys):
                found.setdefault("w:" + key, key)
                if i < len(keys) - 1:
                    pair = f"{key} {keys[i + 1]}"
                    found.setdefault("w:" + pair, pair)
        elif isinstance(words, Vocabulary):
            vocabulary = words
        else:
            vocabulary = self.vocabulary(words)
        self._scan(keys, vocabulary, found)
        if digits and not self._digit_heads.isdisjoint(keys):
            for needs in self._digit_needs:
                if all(map(folded.__contains__, needs)):
                    self._scan(_TOKEN.findall(folded), self._digits, found)
                    break
        if "#" in folded:
            chat = _HOUR_CHAT.search(worded)
            if chat:
                found["s:hour_chat"] = chat.group()
        if "?" in keys:
            found["s:question"] = "?"
        if "s:question" in found:
            self._question_offer(keys, found)
        if digits:
            self._numbers(folded, digit_count, found)
        if "@" in folded and "." in folded:
            email = _EMAIL.search(folded)
            if email:
                found["s:email"] = email.group()
        gated = "ſ" not in folded and "ı" not in folded  # see _CASE_TWINS
        for feature, gate, members in self._checked_patterns[digits][gated]:
            if feature in found:
                continue
            if gate and not any(map(folded.__contains__, gate)):
                continue  # no pattern of the family can match
            for regex, checks in members:
                for strings in checks:
                    for string in strings:
                        if string in folded:
                            break
                    else:
                        break  # none of them: the pattern cannot match
                else:
                    match = regex.search(folded)
                    if match:
                        found[feature] = match.group().strip()
                        break
        sites: list[Site] = []
        if links:
            sites = self._link_sites(links, found)
            if "…" in text or "..." in text:
                self._after_ellipsis(sites, found)
        tail = {} if sites else found  # without sites, the tail follows the text's features
        if "s:place" in found and "s:when" in found:
            tail["s:place_when"] = f"{found['s:place']} ... {found['s:when']}"
        if folded.lstrip().startswith("@"):
            tail["s:reply"] = "@…"
        return found, sites, ({} if tail is found else tail)

    def vocabulary(self, words: Mapping[str, object]) -> Vocabulary:
        """Return the table :meth:`features` matches tokens with when it keeps only ``words``.

        Build it once for a model (its word features without the ``w:`` prefix) and pass it
        as ``words``; a mapping passed there is turned into one on every call.
        """
        return _vocabulary(words, self._grams, self._starts, self._prefixes)

    def _scan(self, keys: list[str], vocabulary: Vocabulary, found: dict[str, str]) -> None:
        """Add the word and phrase features of a tweet's tokens, in the order of the text.

        At each token: its word feature, then its pair's word and phrase features, then its
        own phrase features; then the clause-start phrases; then phrases of three words or
        more, looked up from the pairs that start them.
        """
        if not keys:
            return  # an empty or blank text has no words
        starts: list[tuple[int, tuple[str, ...], tuple[str, ...]]] = []
        longer: list[int] = []
        last = len(keys) - 1
        for i, head in enumerate(map(vocabulary.heads.get, keys)):
            if head is None:
                continue
            # a word feature's snippet is the token itself: setting it again changes nothing
            if head.__class__ is str:
                found[head] = keys[i]  # type: ignore[index]
                continue
            word, pairs, extra = head  # type: ignore[misc]
            key = keys[i]
            if word is not None:
                found[word] = key
            pair_starts: tuple[str, ...] = ()
            if pairs is not None and i < last:
                after = keys[i + 1]
                entry = pairs.get(after)
                if entry is not None:
                    features, pair_starts, prefix = entry
                    if features:
                        pair = f"{key} {after}"
                        for feature in features:
                            if feature not in found:
                                found[feature] = pair
                    if prefix:
                        longer.append(i)
            if extra is not None:
                grams, key_starts = extra
                for feature in grams:
                    if feature not in found:
                        found[feature] = key
                if key_starts or pair_starts:
                    starts.append((i, key_starts, pair_starts))
            elif pair_starts:
                starts.append((i, (), pair_starts))
        for i, key_starts, pair_starts in starts:
            if i and not _breaks(keys[i - 1]):
                continue
            for feature in key_starts:
                found.setdefault(feature, keys[i])
            if pair_starts:
                pair = f"{keys[i]} {keys[i + 1]}"
                for feature in pair_starts:
                    found.setdefault(feature, pair)
        if longer:
            grams_table, starts_table = vocabulary.grams, vocabulary.starts
            for i in longer:
                tables = (
                    (grams_table, starts_table)
                    if starts_table and (not i or _breaks(keys[i - 1]))
                    else (grams_table,)
                )
                for length in range(3, min(len(keys) - i, 6) + 1):
                    phrase = " ".join(keys[i : i + length])
                    for table in tables:
                        for feature in table.get(phrase, ()):
                            found.setdefault(feature, phrase)

    def _question_offer(self, keys: list[str], found: dict[str, str]) -> None:
        """A question, then an offer or an invitation: "Need a website? We have slots free"."""
        asked = keys.index("?")
        after = keys[asked + 1 :]
        for key in after:
            if key in _OFFER_WORDS:
                found["s:question_offer"] = f"? ... {key}"
                return

    def _numbers(self, folded: str, digits: int, found: dict[str, str]) -> None:
        """Add the cues that need digits (``digits`` of them in ``folded``): phone numbers,
        times and dates, amounts of money."""
        if digits >= _PHONE_DIGITS:
            phone = _PHONE.search(folded)
            if phone and sum(ch.isdigit() for ch in phone.group()) >= _PHONE_DIGITS:
                found["s:phone"] = phone.group().strip()
        if "s:when" not in found:
            when = _TIME.search(folded)
            if when:
                found["s:when"] = when.group()
        if any(map(folded.__contains__, _MONEY_NEEDS)):
            money = _MONEY.search(folded)
            if money:
                found["s:money"] = money.group()

    def _link_sites(self, links: list[str], found: dict[str, str]) -> list[Site]:
        """Add the features of having links to ``found``; return the :data:`Site` of each link
        to a site, with the link cues it is the first to show."""
        found["link"] = "a link"
        if len(links) > 1:
            found["link:several"] = f"{len(links)} links"
        sites: list[Site] = []
        taken: set[str] = set()
        for url in links:
            hostname = host(url)
            if not hostname or hostname == "t.co":
                continue
            hits: list[tuple[str, str]] = []
            for cue, feature in zip(self.link_cues, self._link_features, strict=True):
                hit = cue.match(url, hostname)
                if hit is not None and feature not in found and feature not in taken:
                    taken.add(feature)
                    hits.append((feature, hit))
            own = site_name(hostname)
            sites.append((tuple(hits), own, squash(own), hostname))
        return sites

    def _after_ellipsis(self, sites: list[Site], found: dict[str, str]) -> None:
        """Add ``link:after_ellipsis``: after the links' cues, or in the place of a link cue
        of that name (which it overrides)."""
        feature, snippet = "link:after_ellipsis", "… link"
        if not sites:
            found[feature] = snippet
            return
        if feature in self._link_features:
            for i, (hits, own, squashed, hostname) in enumerate(sites):
                if any(f == feature for f, _ in hits):
                    hits = tuple((f, snippet if f == feature else s) for f, s in hits)
                    sites[i] = (hits, own, squashed, hostname)
                    return
        # after every link's cues and own-site cue: as a site of no name, which no author owns
        sites.append((((feature, snippet),), "", "", ""))


Site = tuple[tuple[tuple[str, str], ...], str, str, str]
"""A link to a site: the link cues it is the first to show (feature, snippet), its registrable
name, that name squashed (:func:`~retweetring.promo.sites.squash`) and its host name."""


def own_links(
    sites: Sequence[Site], username: str | None, name: str | None, site: str | None
) -> list[str | None] | None:
    """Return, per site, the author's own-site feature it shows: ``link:own_website`` when it
    is the author's profile website, ``link:named_like_author`` when it is named like the
    author, or None; return None when no site is the author's."""
    profile = _site_key(site)
    owners = _owners(username, name)
    if not profile and not owners:
        return None
    owned: list[str | None] = []
    for _, own, squashed, hostname in sites:
        if not hostname:
            owned.append(None)
        elif profile and own == profile:
            owned.append("link:own_website")
        elif owners and any(resembles(squashed, o) for o in owners):
            owned.append("link:named_like_author")
        else:
            owned.append(None)
    return owned if any(owned) else None


_OFFER_WORDS = frozenset(
    {
        "we", "our", "we're", "we've", "we'll", "us", "check", "get", "try", "call", "visit",
        "book", "order", "free", "here", "look", "help", "let", "contact", "find", "click",
        "sign", "register", "join", "come", "quote", "slots", "available", "offer", "shop",
    }
)

_LINK_LABELS = {
    "link": "has a link",
    "link:several": "several links",
    "link:own_website": "link to the author's own website",
    "link:named_like_author": "link to a site named like the author",
    "link:after_ellipsis": "link after a cut-off text (auto-posted)",
    "s:place_when": "where and when to find us",
    "s:question": "asks a question",
    "s:question_offer": "question, then an offer",
    "s:phone": "phone number",
    "s:email": "e-mail address",
    "s:money": "price",
    "s:hour_chat": "business-hour chat tag",
    "s:reply": "reply",
}


_DIGIT = "\\d"
"""In :func:`required_strings`, stands for any digit."""


def required_strings(pattern: str) -> tuple[str, ...] | None:
    """Return strings one of which a lower-case text must contain for ``pattern`` to match
    it (``"\\d"`` stands for any digit), or None when no such strings are known.

    Examples
    --------
    >>> required_strings(r"\\bprices? (?:from|start)")
    ('price',)
    >>> required_strings(r"[£$€]\\s?\\d+ off")
    ('£', '$', '€')
    >>> required_strings(r"\\d+% off")
    ('\\\\d',)
    """
    try:
        parsed = _sre_parse.parse(pattern, re.I)
    except re.error:
        return None
    return _needs(list(parsed))


def _needs(items: list[tuple[object, object]]) -> tuple[str, ...] | None:
    """Required strings of the first element of a parsed sequence that has some."""
    literal = ""
    for op, arg in items:
        if op is _sre.AT:
            if literal:
                break
            continue
        if op is _sre.LITERAL:
            literal += chr(arg).lower()  # type: ignore[arg-type]
            continue
        if literal:
            break
        if op is _sre.SUBPATTERN:
            found = _needs(list(arg[-1]))  # type: ignore[index]
            if found is not None:
                return found
            return None
        if op is _sre.BRANCH:
            options: list[str] = []
            for branch in arg[1]:  # type: ignore[index]
                found = _needs(list(branch))
                if found is None:
                    return None
                options.extend(found)
            return tuple(dict.fromkeys(options))
        if op is _sre.IN:
            return _class_strings(arg)  # type: ignore[arg-type]
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, _high, item = arg  # type: ignore[misc]
            if low >= 1:
                return _needs(list(item))
            return None
        return None
    return (literal,) if literal else None


def _class_strings(items: list[tuple[object, object]]) -> tuple[str, ...] | None:
    """The characters a character class allows, or ``("\\d",)`` for digits, or None."""
    chars: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            chars.append(chr(arg).lower())  # type: ignore[arg-type]
        elif op is _sre.CATEGORY and arg is _sre.CATEGORY_DIGIT:
            chars.append(_DIGIT)
        else:
            return None
    return tuple(dict.fromkeys(chars)) or None


_Pattern = tuple[str, re.Pattern[str], tuple[str, ...] | None, bool, tuple[str, ...], bool]
"""A cue family's pattern: (feature, regex, its :func:`required_strings` without the digit
marker, whether a digit is one of them, a rarer gate, whether a digit is required too)."""


_Checked = tuple[
    str, tuple[str, ...], tuple[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]], ...]
]
"""A cue family's patterns, in order, that can match a kind of text: its feature, strings of
which the text needs one for any of them to match (empty: no such strings), and each regex
with the sets of strings the text needs one of each of for it to match."""


def _checked(patterns: Sequence[_Pattern], digits: bool, gated: bool) -> tuple[_Checked, ...]:
    """The ``patterns`` that can match a text with (or without) ``digits``, by runs of the same
    feature, and what they need of it: their required strings (unless a digit does) and,
    when ``gated`` (a text without :data:`_CASE_TWINS`), their gate; the smallest set first,
    to fail soonest."""
    runs: list[tuple[str, list[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]]]]] = []
    for feature, regex, needs, needs_digit, gate, gate_digit in patterns:
        if gate_digit and not digits:
            continue
        checks: list[tuple[str, ...]] = []
        if needs is not None and not (needs_digit and digits):
            checks.append(needs)
        if gated and gate:
            checks.append(gate)
        if () in checks:
            continue  # needs one of no strings: never matches
        if not runs or runs[-1][0] != feature:
            runs.append((feature, []))
        runs[-1][1].append((regex, tuple(sorted(checks, key=len))))
    return tuple((feature, _family_gate(members), tuple(members)) for feature, members in runs)


def _family_gate(
    members: Sequence[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]]],
) -> tuple[str, ...]:
    """Strings one of which a text contains if any of ``members`` can match it (each needs one
    of its first set), without those that contain another; empty if one member needs none."""
    if any(not checks for _, checks in members):
        return ()
    strings = list(dict.fromkeys(s for _, checks in members for s in checks[0]))
    return tuple(s for s in strings if not any(o != s and o in s for o in strings))


def _pattern(feature: str, pattern: str) -> _Pattern:
    """Compile one pattern of a cue family with the strings a text needs for it to match.

    Beside the first required strings (:func:`required_strings`, whose absence skips the
    pattern, as it always has), two shortcuts: a required digit, and the most telling of the
    other required sets of ASCII strings, checked only when the text has none of
    :data:`_CASE_TWINS` (so a plain substring test is exact).
    """
    needs = required_strings(pattern)
    required = _required_sets(pattern)
    gate_digit = (_DIGIT,) in required
    telling = [
        r
        for r in required
        if r != needs
        and _DIGIT not in r
        and all(n.isascii() and len(n.strip()) >= (1 if len(r) == 1 else 2) for n in r)
    ]
    gate = max(telling, key=lambda r: (min(len(n.strip()) for n in r), -len(r)), default=())
    return (
        feature,
        re.compile(pattern, re.I),
        None if needs is None else tuple(n for n in needs if n != _DIGIT),
        needs is not None and _DIGIT in needs,
        gate,
        gate_digit,
    )


def _required_sets(pattern: str) -> list[tuple[str, ...]]:
    """Every set of strings one of which a match of ``pattern`` contains: the
    :func:`required_strings` of each part of the pattern onwards.

    Examples
    --------
    >>> _required_sets(r"\\b(?:meal|special) deals?\\b")
    [('meal', 'special'), (' deal',)]
    """
    try:
        items = list(_sre_parse.parse(pattern, re.I))
    except re.error:
        return []
    found: list[tuple[str, ...]] = []
    for j in range(len(items)):
        if j and items[j - 1][0] is _sre.LITERAL and items[j][0] is _sre.LITERAL:
            continue  # inside a literal already counted from its start
        needs = _needs(items[j:])
        if needs is not None and needs not in found:
            found.append(needs)
    return found


@lru_cache(maxsize=16)
def extractor_for(rules: PromoRules) -> Extractor:
    """Return the :class:`Extractor` for the cue families and link cues of ``rules``."""
    text = [
        TextTable(c.name, c.label, c.phrases, c.imperatives, c.patterns)
        for c in rules.text_cues
        if c.weight
    ]
    links = [
        LinkTable(
            c.name,
            c.label,
            frozenset(d.lower().removeprefix("www.") for d in c.domains),
            re.compile("|".join(f"(?:{p})" for p in c.patterns), re.I) if c.patterns else None,
        )
        for c in rules.link_cues
        if c.weight
    ]
    return Extractor(text, links)
