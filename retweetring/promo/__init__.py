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

from importlib import import_module
from typing import Any

_HOMES = {
    "Classifier": "classifier",
    "load_classifier": "classifier",
    "shipped_classifier": "classifier",
    "DEFAULT_RULES": "rules",
    "LinkCue": "rules",
    "PromoResult": "rules",
    "PromoRules": "rules",
    "TextCue": "rules",
    "classify": "rules",
    "load_rules": "rules",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use: the rules compile when a classifier is needed,
    not when a command that only reads starts."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


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
