"""The classifier a database uses, with the version that each stored decision records.

INTERIM: wraps the rule-based scorer until the learned model lands (issue 8); the interface
(``Classifier.version``, ``.threshold``, ``.classify``) is the one the rest of the code uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from retweetring.promo.rules import DEFAULT_RULES, PromoResult, PromoRules, classify

__all__ = ["Classifier", "load_classifier", "shipped_classifier"]


@dataclass(frozen=True)
class Classifier:
    """A model and rules applied together; ``version`` names the model in stored decisions."""

    version: str
    rules: PromoRules = DEFAULT_RULES

    @property
    def threshold(self) -> float:
        """A tweet is promotional when its score reaches this."""
        return self.rules.threshold

    def classify(
        self,
        text: str,
        urls: Sequence[str] = (),
        username: str | None = None,
        name: str | None = None,
        site: str | None = None,
    ) -> PromoResult:
        """Decide whether one tweet is promotional; ``site`` is the author's profile website."""
        return classify(text, urls, username=username, name=name, rules=self.rules)


def shipped_classifier(rules: PromoRules = DEFAULT_RULES) -> Classifier:
    """Return the classifier shipped in the package, with ``rules``."""
    return Classifier(version="rules-1", rules=rules)


def load_classifier(db: Engine | Connection, rules: PromoRules = DEFAULT_RULES) -> Classifier:
    """Return the classifier ``db`` uses: its active community model, else the shipped one."""
    return shipped_classifier(rules)
