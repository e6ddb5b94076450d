"""A classifier whose decisions tests can predict, standing in for the real one."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from retweetring.promo import PromoResult

MARKER = "zebra"


@dataclass
class MarkerClassifier:
    """Promotional exactly when the text contains ``marker``; remembers what it was shown.

    Has the interface of ``retweetring.promo.Classifier``: ``version``, ``threshold``,
    ``classify``, ``classify_many``.
    """

    marker: str = MARKER
    version: str = "test-2"
    threshold: float = 0.5
    delay: float = 0.0
    """Seconds each decision takes, to give a kill time to land."""
    seen: list[dict[str, object]] = field(default_factory=list)

    def classify(
        self,
        text: str,
        urls: Sequence[str] = (),
        username: str | None = None,
        name: str | None = None,
        site: str | None = None,
    ) -> PromoResult:
        self.seen.append(
            {"text": text, "urls": list(urls), "username": username, "name": name, "site": site}
        )
        if self.delay:
            time.sleep(self.delay)
        if self.marker in text.lower():
            return PromoResult(True, 0.9, (f"marker: {self.marker}", "second reason"))
        return PromoResult(False, 0.1, ())

    def classify_many(
        self, tweets: Iterable[tuple[str, Sequence[str], str | None, str | None, str | None]]
    ) -> list[PromoResult]:
        return [self.classify(*tweet) for tweet in tweets]
