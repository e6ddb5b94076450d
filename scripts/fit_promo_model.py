"""Fit the shipped promotional model and measure it; writes retweetring/promo/model.json.

Usage (from the checkout, with ``../shared`` beside it)::

    python scripts/fit_promo_model.py            # fit, measure, write the model
    python scripts/fit_promo_model.py --check    # fit afresh and compare with the committed one

Training data: the real labelled tweets of ``../shared/fixtures/promo/real_sme_tweets.tsv``
and the hand-written community tweets of ``tests/data/promo_labelled.csv``. Quality is
measured by stratified 5-fold cross-validation (seed 8): each fold is scored by a model
fitted without it (its penalties, from ``SHIPPED_SETTINGS.grid``, and its threshold chosen
by an inner 5-fold cross-validation of its own training examples). A quarter of the real
tweets (seed 2026) was set aside before the structural cues were written and never read
while writing them; the "sealed" numbers score it with a model fitted on the rest (its
penalties and threshold chosen the same way, on the rest only).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retweetring.promo.features import extractor_for  # noqa: E402
from retweetring.promo.fit import (  # noqa: E402
    SHIPPED_SETTINGS,
    Example,
    cross_validated_quality,
    fit_model,
    quality,
)
from retweetring.promo.model import Model, model_version  # noqa: E402
from retweetring.promo.rules import DEFAULT_RULES  # noqa: E402

REAL = ROOT.parent / "shared" / "fixtures" / "promo" / "real_sme_tweets.tsv"
HAND = ROOT / "tests" / "data" / "promo_labelled.csv"
MODEL = ROOT / "retweetring" / "promo" / "model.json"
FOLDS, SEED, SEALED_SEED = 5, 8, 2026
PUBLIC = "member of the public"


def real_rows(path: Path = REAL) -> list[dict[str, str]]:
    """The real labelled tweets: label, text, author_kind, trade."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def hand_rows(path: Path = HAND) -> list[dict[str, str]]:
    """The hand-written tweets: label (promo/personal), username, urls, text, note."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def examples(real: list[dict[str, str]], hand: list[dict[str, str]]) -> tuple[list, list]:
    """The two sets as :class:`Example` lists (real first, then hand-written)."""
    extractor = extractor_for(DEFAULT_RULES)
    real_ex = [
        Example(frozenset(extractor.features(r["text"])), r["label"] == "1", 1.0, "real")
        for r in real
    ]
    hand_ex = [
        Example(
            frozenset(
                extractor.features(
                    r["text"], [u for u in r["urls"].split() if u], username=r["username"]
                )
            ),
            r["label"] == "promo",
            1.0,
            "hand-written",
        )
        for r in hand
    ]
    return real_ex, hand_ex


def sealed_split(real: list[dict[str, str]]) -> set[int]:
    """Indices of the quarter of the real tweets set aside (stratified, seed 2026)."""
    rng = random.Random(SEALED_SEED)
    order = list(range(len(real)))
    rng.shuffle(order)
    sealed: set[int] = set()
    for wanted in ("1", "0"):
        members = [i for i in order if real[i]["label"] == wanted]
        sealed.update(members[: len(members) // 4])
    return sealed


def fit(real: list[dict[str, str]], hand: list[dict[str, str]], info: dict) -> Model:
    """The shipped model: fitted on every real and hand-written example."""
    real_ex, hand_ex = examples(real, hand)
    model = fit_model([*real_ex, *hand_ex], "shipped", settings=SHIPPED_SETTINGS, info=info)
    return with_own_website_weight(model)


def with_own_website_weight(model: Model) -> Model:
    """No training tweet comes with its author's profile website, so a link to it takes the
    weight learned for a link to a site named like the author (the nearest cue seen)."""
    weights = dict(model.weights)
    if "link:own_website" in weights or "link:named_like_author" not in weights:
        return model
    weights["link:own_website"] = weights["link:named_like_author"]
    version = model_version("shipped", model.bias, model.threshold, weights)
    return Model(version, model.bias, model.threshold, weights, model.info)


def measure(real: list[dict[str, str]], hand: list[dict[str, str]]) -> dict:
    """Cross-validated and sealed quality, as plain numbers."""
    real_ex, hand_ex = examples(real, hand)
    settings = SHIPPED_SETTINGS
    report: dict = {"folds": FOLDS, "seed": SEED}
    q_real, called = cross_validated_quality(real_ex, FOLDS, SEED, settings=settings, fixed=hand_ex)
    report["real_cv"] = q_real.as_dict()
    public = [i for i, r in enumerate(real) if r["author_kind"] == PUBLIC]
    report["public_false_alarms"] = {
        "tweets": len(public),
        "rate": round(sum(called[i] for i in public) / len(public), 3),
    }
    for kind in ("business account", "owner or freelancer"):
        idx = [i for i, r in enumerate(real) if r["author_kind"] == kind]
        q = quality([real_ex[i].label for i in idx], [called[i] for i in idx])
        report[f"real_cv_{kind.replace(' ', '_')}"] = q.as_dict()
    q_hand, _ = cross_validated_quality(hand_ex, FOLDS, SEED, settings=settings, fixed=real_ex)
    report["hand_written_cv"] = q_hand.as_dict()
    sealed = sealed_split(real)
    train = [e for i, e in enumerate(real_ex) if i not in sealed] + hand_ex
    model = fit_model(train, settings=settings)
    test = sorted(sealed)
    decided = [
        model.probability(model.logit(real_ex[i].features)) >= model.threshold
        for i in test
    ]
    report["real_sealed_quarter"] = quality([real_ex[i].label for i in test], decided).as_dict()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh fit with the model")
    args = parser.parse_args()
    if not REAL.exists():
        print(f"fit_promo_model: {REAL} is missing (../shared beside it)", file=sys.stderr)
        return 2
    real, hand = real_rows(), hand_rows()
    if args.check:
        committed = Model.from_json(MODEL.read_bytes(), str(MODEL))
        fresh = fit(real, hand, {})
        same = fresh.version == committed.version
        print("same model" if same else f"differs: {fresh.version} != {committed.version}")
        return 0 if same else 1
    report = measure(real, hand)
    info = {
        "trained_on": {"real_sme_tweets": len(real), "hand_written": len(hand)},
        "settings": {
            "grid (l2, word_l2)": [list(pair) for pair in SHIPPED_SETTINGS.grid],
            "min_count": SHIPPED_SETTINGS.min_count,
        },
        "quality": report,
    }
    model = fit(real, hand, info)
    MODEL.write_bytes(model.to_json() + b"\n")
    print(f"{model.version}: {len(model.weights)} weights, threshold {model.threshold}")
    for key, value in report.items():
        print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
