"""Is this tweet promotional? A learned, explainable classifier and the rules that extend it.

Public API
----------
:class:`Classifier`
    A model plus rules, applied to one tweet at a time with :meth:`Classifier.classify`.
:func:`load_classifier`
    The classifier a database uses: its active community model, else the shipped one.
:class:`PromoResult`
    One decision: ``promotional``, ``score``, ``reasons``.
"""

from __future__ import annotations

from retweetring.promo.classifier import Classifier, load_classifier, shipped_classifier
from retweetring.promo.rules import (
    DEFAULT_RULES,
    LinkCue,
    PromoResult,
    PromoRules,
    TextCue,
    classify,
    load_rules,
)

__all__ = [
    "DEFAULT_RULES",
    "Classifier",
    "LinkCue",
    "PromoResult",
    "PromoRules",
    "TextCue",
    "classify",
    "load_classifier",
    "load_rules",
    "shipped_classifier",
]
