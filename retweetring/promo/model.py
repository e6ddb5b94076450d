"""The promotional model: weights over named features, stored as a small JSON document.

A model is a logistic regression: the score of a tweet is ``1 / (1 + exp(-z))`` where ``z`` is
the model's bias plus the weights of the features the tweet shows (see
:mod:`retweetring.promo.features`); the tweet is promotional when the score reaches the
model's threshold. The shipped model is ``retweetring/promo/model.json``, fitted by
``scripts/fit_promo_model.py``; a community model fitted by ``retweetring promo fit`` is the
same document stored in the database.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import orjson

from retweetring.errors import ConfigError

__all__ = ["FORMAT", "Model", "shipped_model"]

FORMAT = 1
"""The version of the JSON layout; a document of another format is refused."""


@dataclass(frozen=True)
class Model:
    """A fitted promotional model.

    Attributes
    ----------
    version : str
        Names the model in stored decisions: ``shipped-`` or ``community-`` and a hash of the
        weights, so the same fit always has the same version.
    bias : float
        The log-odds of a tweet that shows no weighted feature.
    threshold : float
        A tweet is promotional when its score (0 to 1) reaches this.
    weights : dict of str to float
        Feature name -> weight in log-odds; features not listed weigh 0.
    info : dict
        What it was fitted on and how well it did (free-form, shown by ``promo show``).
    """

    version: str
    bias: float
    threshold: float
    weights: dict[str, float]
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    def logit(self, features: Iterable[str]) -> float:
        """Return the log-odds for a tweet with ``features`` (feature names)."""
        weights = self.weights
        return self.bias + sum(weights.get(f, 0.0) for f in features)

    @staticmethod
    def probability(logit: float) -> float:
        """Return the score in [0, 1] for a log-odds value."""
        if logit < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-logit))

    def to_json(self) -> bytes:
        """Return the model as its JSON document."""
        return orjson.dumps(
            {
                "format": FORMAT,
                "version": self.version,
                "bias": self.bias,
                "threshold": self.threshold,
                "weights": dict(sorted(self.weights.items())),
                "info": self.info,
            },
            option=orjson.OPT_INDENT_2,
        )

    @classmethod
    def from_json(cls, document: bytes | str, source: str = "model") -> Model:
        """Read a model document; a malformed one raises :class:`ConfigError` naming ``source``."""
        try:
            data = orjson.loads(document)
        except orjson.JSONDecodeError as exc:
            raise ConfigError(f"{source}: not a model document: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(f"{source}: not a retweetring model of format {FORMAT}")
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            return cls(
                version=str(data["version"]),
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                weights=weights,
                info=dict(data.get("info") or {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{source}: model field missing or invalid: {exc}") from None


def model_version(kind: str, bias: float, threshold: float, weights: dict[str, float]) -> str:
    """Return ``KIND-HASH``: a name that changes whenever the decisions could change.

    Examples
    --------
    >>> model_version("shipped", 0.5, 0.5, {"w:sale": 1.0})  # doctest: +ELLIPSIS
    'shipped-...'
    """
    digest = hashlib.sha256(
        orjson.dumps([round(bias, 6), round(threshold, 6), sorted(weights.items())])
    ).hexdigest()
    return f"{kind}-{digest[:12]}"


def shipped_model() -> Model:
    """Return the model shipped in the package (``retweetring/promo/model.json``)."""
    document = resources.files("retweetring.promo").joinpath("model.json").read_bytes()
    return Model.from_json(document, "retweetring/promo/model.json")


def decision_version(db: Any) -> str:
    """Return the version of the model ``db``'s decisions should come from, without building a
    classifier: its active community model's (``promo fit``), else the shipped model's. It is
    :attr:`retweetring.promo.Classifier.version` for the database's classifier without rules.
    """
    from sqlalchemy import select

    from retweetring.store.session import connection
    from retweetring.store.tables import promo_models

    with connection(db) as conn:
        version = conn.scalar(select(promo_models.c.version).where(promo_models.c.active.is_(True)))
    return str(version) if version is not None else shipped_model().version
