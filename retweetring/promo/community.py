"""Teaching the model a community's own language: fitting on the tweets its members marked.

``tweets mark-promo`` and ``mark-personal`` (and ``tweets review``) store overrides; each is a
labelled example. :func:`fit_community` fits a model on them, starting from the shipped model
and pulled towards it (see :mod:`retweetring.promo.fit`), and measures both models on the same
labels: the shipped model as it is (it never saw them), the community model by
cross-validation (each fold scored by a model fitted without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import orjson
from sqlalchemy import Connection, Engine, select, update

from retweetring.errors import NotEnoughLabelsError
from retweetring.promo.classifier import shipped_classifier
from retweetring.promo.features import extractor_for
from retweetring.promo.fit import (
    Example,
    FitSettings,
    Quality,
    cross_validated_quality,
    fit_model,
    quality,
)
from retweetring.promo.model import Model
from retweetring.promo.rules import DEFAULT_RULES, PromoRules

__all__ = ["CommunityFit", "fit_community", "reset_community", "save_community"]

LABEL_WEIGHT = 5.0
"""How much one of the community's own labels counts against the shipped model's pull."""
MIN_PER_CLASS = 5
"""Fewer promotional or personal labels than this cannot be cross-validated."""
FOLDS, SEED = 5, 8


@dataclass(frozen=True)
class CommunityFit:
    """A community model and how both models do on the community's labels."""

    model: Model
    labels: int
    promotional_labels: int
    before: Quality
    """The model in use until now (the shipped one), on every label."""
    after: Quality
    """The community model, cross-validated on the labels."""


def labelled_examples(db: Engine | Connection, rules: PromoRules = DEFAULT_RULES) -> list[Example]:
    """Return every tweet the users marked, as examples (with the author's names and site)."""
    from retweetring.store.models import Account, Tweet
    from retweetring.store.session import connection

    extractor = extractor_for(rules)
    query = (
        select(
            Tweet.text,
            Tweet.urls,
            Tweet.promo_override,
            Account.username,
            Account.name,
            Account.url,
        )
        .outerjoin(Account, (Account.platform == Tweet.platform) & (Account.id == Tweet.author_id))
        .where(Tweet.promo_override.is_not(None))
        .order_by(Tweet.platform, Tweet.id)
    )
    with connection(db) as conn:
        rows = conn.execute(query).all()
    return [
        Example(
            frozenset(extractor.features(text, orjson.loads(urls or "[]"), username, name, site)),
            bool(label),
            LABEL_WEIGHT,
            "community",
        )
        for text, urls, label, username, name, site in rows
    ]


def fit_community(db: Engine | Connection, rules: PromoRules = DEFAULT_RULES) -> CommunityFit:
    """Fit a community model on the database's labels and measure it against the shipped one.

    Raises
    ------
    NotEnoughLabelsError
        Fewer than five tweets are marked promotional, or fewer than five personal.
    """
    examples = labelled_examples(db, rules)
    positives = sum(e.label for e in examples)
    negatives = len(examples) - positives
    if positives < MIN_PER_CLASS or negatives < MIN_PER_CLASS:
        raise NotEnoughLabelsError(
            f"promo fit needs at least {MIN_PER_CLASS} tweets marked promotional and "
            f"{MIN_PER_CLASS} marked personal; the database has {positives} and {negatives} "
            "(mark more with 'retweetring tweets review')"
        )
    shipped = shipped_classifier(rules).model
    labels = [e.label for e in examples]
    before = quality(
        labels,
        [
            shipped.probability(shipped.logit(e.features)) >= shipped.threshold
            for e in examples
        ],
    )
    settings = FitSettings()
    after, _ = cross_validated_quality(
        examples, FOLDS, SEED, prior=shipped, settings=settings, threshold=shipped.threshold
    )
    model = fit_model(
        examples,
        "community",
        prior=shipped,
        settings=settings,
        threshold=shipped.threshold,
        info={
            "fitted_on": {"community_labels": len(examples), "promotional": positives},
            "prior": shipped.version,
            "label_weight": LABEL_WEIGHT,
            "quality": {
                "shipped_on_labels": before.as_dict(),
                "community_cv": {**after.as_dict(), "folds": FOLDS, "seed": SEED},
            },
        },
    )
    return CommunityFit(model, len(examples), positives, before, after)


def save_community(engine: Engine, fit: CommunityFit) -> None:
    """Store the community model and make it the one the database uses."""
    from retweetring.store.models import PromoModel
    from retweetring.store.session import begin_write

    with begin_write(engine) as conn:
        conn.execute(update(PromoModel).values(active=False))
        conn.execute(PromoModel.__table__.delete().where(PromoModel.version == fit.model.version))
        conn.execute(
            PromoModel.__table__.insert().values(
                version=fit.model.version,
                created_at=datetime.now(timezone.utc).replace(tzinfo=None),
                labels=fit.labels,
                active=True,
                document=fit.model.to_json().decode(),
            )
        )


def reset_community(engine: Engine) -> bool:
    """Go back to the shipped model; return whether a community model was in use."""
    from retweetring.store.models import PromoModel
    from retweetring.store.session import begin_write

    with begin_write(engine) as conn:
        return bool(
            conn.execute(
                update(PromoModel).where(PromoModel.active.is_(True)).values(active=False)
            ).rowcount
        )
