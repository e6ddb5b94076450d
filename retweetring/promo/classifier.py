"""The classifier: a model and rules applied to one tweet, with the reasons for the decision."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from retweetring.promo.features import Extractor, Vocabulary, extractor_for
from retweetring.promo.model import Model, shipped_model
from retweetring.promo.rules import DEFAULT_RULES, PromoResult, PromoRules

if TYPE_CHECKING:  # SQLAlchemy only where a database is read: a reading child never needs it
    from sqlalchemy import Connection, Engine

__all__ = ["Classifier", "active_model", "load_classifier", "shipped_classifier"]

REASONS = 5
"""How many contributions a decision lists, strongest first."""

Tweet = tuple[str, Sequence[str], "str | None", "str | None", "str | None"]
"""What :meth:`Classifier.classify_many` takes per tweet: text, urls, username, name, site."""


@dataclass(frozen=True)
class Classifier:
    """A model and rules applied together.

    Cue families of the rules that the model has a weight for use the model's weight; the
    others (a user's own cues) use the weight written in the rules file, in log-odds.

    Attributes
    ----------
    model : Model
        The fitted weights, bias and threshold.
    rules : PromoRules
        The cue families and link cues whose features the model weighs.
    """

    model: Model
    rules: PromoRules = DEFAULT_RULES
    _extractor: Extractor = field(init=False, repr=False, compare=False)
    _words: Vocabulary = field(init=False, repr=False, compare=False)
    _weights: dict[str, float] = field(init=False, repr=False, compare=False)
    """Feature -> weight, for every feature of non-zero weight."""
    _ranks: dict[str, int] = field(init=False, repr=False, compare=False)
    """The same features -> rank: 0 is the strongest (largest absolute weight, then name)."""
    _by_rank: tuple[float, ...] = field(init=False, repr=False, compare=False)
    """The weights of those features by rank."""
    _bias: float = field(init=False, repr=False, compare=False)
    _threshold: float = field(init=False, repr=False, compare=False)
    _reasons: tuple[tuple[str, str, str], ...] = field(init=False, repr=False, compare=False)
    """By rank: what a reason writes before and after the snippet, and the feature."""
    _said: tuple[str | None, ...] = field(init=False, repr=False, compare=False)
    """By rank: the whole reason of a word feature (its snippet is the word), else None."""
    _version: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = dict(self.model.weights)
        for cue in (*self.rules.text_cues, *self.rules.link_cues):
            prefix = "cue:" if cue in self.rules.text_cues else "link:"
            weights.setdefault(prefix + cue.name, cue.weight)
        extractor = extractor_for(self.rules)
        object.__setattr__(self, "_extractor", extractor)
        words = [k[2:] for k in weights if k.startswith("w:")]
        object.__setattr__(self, "_words", extractor.vocabulary(dict.fromkeys(words)))
        ranked = sorted(((w, f) for f, w in weights.items() if w), key=lambda p: (-abs(p[0]), p[1]))
        object.__setattr__(self, "_weights", {f: w for w, f in ranked})
        object.__setattr__(self, "_by_rank", tuple(w for w, _ in ranked))
        object.__setattr__(self, "_bias", self.model.bias)
        object.__setattr__(self, "_threshold", self.model.threshold)
        object.__setattr__(self, "_ranks", {f: r for r, (_, f) in enumerate(ranked)})
        object.__setattr__(self, "_reasons", tuple(self._reason(f, w) for w, f in ranked))
        said = tuple(b + f[2:] + a if f.startswith("w:") else None for b, a, f in self._reasons)
        object.__setattr__(self, "_said", said)
        version = self.model.version
        if self.rules is not DEFAULT_RULES and self.rules != DEFAULT_RULES:
            version += "+rules-" + hashlib.sha256(repr(self.rules).encode()).hexdigest()[:8]
        object.__setattr__(self, "_version", version)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its model and rules (what they derive is made again)."""
        return Classifier, (self.model, self.rules)

    @property
    def version(self) -> str:
        """The model's version, with a hash of the rules when they are not the defaults."""
        return self._version

    @property
    def threshold(self) -> float:
        """A tweet is promotional when its score reaches this."""
        return self.model.threshold

    def classify(
        self,
        text: str,
        urls: Sequence[str] = (),
        username: str | None = None,
        name: str | None = None,
        site: str | None = None,
    ) -> PromoResult:
        """Decide whether one tweet is promotional, and say why.

        Parameters
        ----------
        text : str
            The tweet's text.
        urls : sequence of str
            Its expanded URLs.
        username, name : str, optional
            The author's handle and display name.
        site : str, optional
            The author's profile website (a link to it is a strong cue).

        Returns
        -------
        PromoResult
            ``promotional``, the ``score`` in [0, 1] and up to five ``reasons``, strongest
            first, each with its signed weight.

        Examples
        --------
        >>> clf = shipped_classifier()
        >>> clf.classify("20% off all bread this weekend, order now!").promotional
        True
        >>> clf.classify("Lovely walk on the beach with the dog this morning").promotional
        False
        """
        found = self._extractor.features(text or "", urls, username, name, site, self._words)
        score, reasons = self._decide(found)
        return PromoResult(score >= self._threshold, score, reasons)

    def classify_alone(self, text: str, urls: Sequence[str] = ()) -> PromoResult | None:
        """:meth:`classify` for a tweet whose decision does not depend on its author, before
        its author is known; None when it may.

        Only the cues of a link to the author's own site look at the author: a tweet that
        links to no site is decided here, and equals ``classify(text, urls, ...)`` with any
        author. The importing process reads a large file in a second process, which decides
        such tweets there (:mod:`retweetring.sources.pipeline`).

        Examples
        --------
        >>> clf = shipped_classifier()
        >>> clf.classify_alone("20% off all bread this weekend!") == clf.classify(
        ...     "20% off all bread this weekend!", username="bakery")
        True
        >>> clf.classify_alone("New loaves in", ["https://bakery.example/bread"]) is None
        True
        """
        found, sites, tail = self._extractor.text_features(text or "", urls, self._words)
        if sites:
            return None
        found.update(tail)
        score, reasons = self._decide(found)
        return PromoResult(score >= self._threshold, score, reasons)

    def _text(self, rank: int, found: dict[str, str]) -> str:
        """The reason for the feature of ``rank``, with its snippet in ``found``."""
        before, after, feature = self._reasons[rank]
        return before + found[feature] + after

    def classify_many(self, tweets: Iterable[Tweet]) -> list[PromoResult]:
        """Decide a batch of tweets: ``classify(*tweet)`` for each, in order.

        Parameters
        ----------
        tweets : iterable of tuples
            ``(text, urls, username, name, site)`` per tweet, as :meth:`classify` takes them.

        Returns
        -------
        list of PromoResult
            One per tweet, equal to what :meth:`classify` returns for it.

        Examples
        --------
        >>> clf = shipped_classifier()
        >>> [r.promotional for r in clf.classify_many([
        ...     ("20% off all bread this weekend, order now!", (), None, None, None),
        ...     ("Lovely walk on the beach with the dog", (), None, None, None),
        ... ])]
        [True, False]
        """
        features, words, decide = self._extractor.features, self._words, self._decide
        threshold = self._threshold
        return [
            PromoResult(score >= threshold, score, reasons)
            for score, reasons in (
                decide(features(text or "", urls, username, name, site, words))
                for text, urls, username, name, site in tweets
            )
        ]

    def _logit(self, found: dict[str, str]) -> tuple[float, list[int]]:
        """The log-odds of a tweet with the features ``found``, and their ranks, in order."""
        ranks = list(map(self._ranks.get, found))
        if None in ranks:
            ranks = [r for r in ranks if r is not None]
        # summed in the order found, as ever
        logit = sum(map(self._by_rank.__getitem__, ranks), self._bias)
        ranks.sort()
        return logit, ranks

    def _decide(self, found: dict[str, str]) -> tuple[float, tuple[str, ...]]:
        """The score and reasons of a tweet with the features ``found`` (feature -> snippet)."""
        logit, ranks = self._logit(found)
        said = self._said
        return round(_probability(logit), 4), tuple(
            [said[rank] or self._text(rank, found) for rank in ranks[:REASONS]]
        )

    def _reason(self, feature: str, weight: float) -> tuple[str, str, str]:
        """What one reason writes around its snippet: ``"try our" (+1.2)`` for words,
        ``invitation: come in (+1.1)`` else; and the feature."""
        if feature.startswith("w:"):
            return '"', f'" ({weight:+.1f})', feature
        label = self._extractor.labels.get(feature, feature)
        return f"{label}: ", f" ({weight:+.1f})", feature


_probability = Model.probability


@lru_cache(maxsize=8)
def shipped_classifier(rules: PromoRules = DEFAULT_RULES) -> Classifier:
    """Return the classifier with the model shipped in the package and ``rules``."""
    return Classifier(shipped_model(), rules)


def active_model(db: Engine | Connection) -> Model | None:
    """Return the database's active community model, or None when it uses the shipped one."""
    from sqlalchemy import select

    from retweetring.store.session import connection
    from retweetring.store.tables import promo_models

    with connection(db) as conn:
        row = conn.execute(
            select(promo_models.c.version, promo_models.c.document).where(
                promo_models.c.active.is_(True)
            )
        ).first()
    return None if row is None else Model.from_json(row.document, f"community model {row.version}")


def load_classifier(db: Engine | Connection, rules: PromoRules = DEFAULT_RULES) -> Classifier:
    """Return the classifier ``db`` uses: its active community model, else the shipped one."""
    model = active_model(db)
    return shipped_classifier(rules) if model is None else Classifier(model, rules)
