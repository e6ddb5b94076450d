"""Fitting promotional models and measuring them honestly (cross-validation).

Fitting is an L2-regularised logistic regression solved with SciPy's L-BFGS (SciPy is already
a dependency, so ``retweetring promo fit`` needs nothing more). The penalty pulls each weight
towards a *prior*: zero for the shipped model, the shipped model's weights for a community
model, so a few dozen labels adjust the shipped model instead of replacing it. Word features
(thousands, each seen in a few tweets) and the named cues (a few dozen, each seen in many)
have penalties of their own; the shipped fit chooses both, and the threshold, by an inner
cross-validation of its training examples (:attr:`FitSettings.grid`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from retweetring.promo.model import Model, model_version

__all__ = [
    "Example",
    "Quality",
    "cross_validate",
    "fit_model",
    "quality",
    "stratified_folds",
]


@dataclass(frozen=True)
class Example:
    """One labelled tweet, as features.

    Attributes
    ----------
    features : frozenset of str
        The tweet's feature names (:meth:`Extractor.features` keys).
    label : bool
        True for promotional.
    weight : float
        How much the example counts in the fit (community labels count more).
    group : str
        Where it comes from, for per-group results ("real", "hand-written", "community").
    """

    features: frozenset[str]
    label: bool
    weight: float = 1.0
    group: str = ""


@dataclass(frozen=True)
class Quality:
    """Precision, recall and false alarms of decisions against labels."""

    examples: int
    positives: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        """Share of tweets called promotional that are (1.0 when none is called)."""
        called = self.true_positives + self.false_positives
        return self.true_positives / called if called else 1.0

    @property
    def recall(self) -> float:
        """Share of promotional tweets called promotional (1.0 when there are none)."""
        return self.true_positives / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of non-promotional tweets called promotional."""
        negatives = self.examples - self.positives
        return self.false_positives / negatives if negatives else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """Plain numbers, rounded, for JSON and the model's info."""
        return {
            "examples": self.examples,
            "positives": self.positives,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "false_alarm_rate": round(self.false_alarm_rate, 3),
        }


def quality(labels: Sequence[bool], called: Sequence[bool]) -> Quality:
    """Return the :class:`Quality` of decisions ``called`` against ``labels``.

    Examples
    --------
    >>> q = quality([True, True, False, False], [True, False, True, False])
    >>> q.precision, q.recall, q.false_alarm_rate
    (0.5, 0.5, 0.5)
    """
    tp = sum(1 for y, c in zip(labels, called, strict=True) if y and c)
    fp = sum(1 for y, c in zip(labels, called, strict=True) if c and not y)
    return Quality(len(labels), sum(map(bool, labels)), tp, fp)


def stratified_folds(labels: Sequence[bool], folds: int, seed: int) -> list[int]:
    """Return a fold number (0 to ``folds - 1``) per example, positives and negatives each
    spread evenly over the folds in an order shuffled by ``seed``.

    Examples
    --------
    >>> stratified_folds([True, True, False, False, False, False], 2, seed=1)
    [1, 0, 1, 0, 0, 1]
    """
    rng = random.Random(seed)
    assignment = [0] * len(labels)
    for wanted in (True, False):
        members = [i for i, y in enumerate(labels) if bool(y) is wanted]
        rng.shuffle(members)
        for position, index in enumerate(members):
            assignment[index] = position % folds
    return assignment


@dataclass(frozen=True)
class FitSettings:
    """Hyperparameters of a fit; fixed in advance or chosen by inner cross-validation, never
    tuned on the data measured."""

    l2: float = 1.0
    """Strength of the pull towards the prior weights, for cue, structural and link features."""
    word_l2: float = 1.0
    """The same for word and word-pair features (``w:``)."""
    min_count: int = 2
    """Word features seen in fewer training examples are left out."""
    threshold_folds: int = 5
    """Folds of the inner cross-validation that chooses the threshold (and penalties)."""
    seed: int = 8
    grid: tuple[tuple[float, float], ...] = ()
    """``(l2, word_l2)`` pairs to choose from: when given, a fit that chooses its threshold
    chooses the pair and the threshold together, those with the highest F1 over the inner
    cross-validated scores of its training examples (ties: the first pair)."""

    def penalties(self, names: Sequence[str]) -> np.ndarray:
        """The penalty of each feature in ``names``."""
        return np.array([self.word_l2 if f.startswith("w:") else self.l2 for f in names])


SHIPPED_SETTINGS = FitSettings(
    grid=tuple((l2, word_l2) for word_l2 in (1.0, 3.0, 10.0, 30.0) for l2 in (1.0, 3.0))
)
"""How the shipped model is fitted (``scripts/fit_promo_model.py``)."""


def _matrix(examples: Sequence[Example], names: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for row, example in enumerate(examples):
        for feature in example.features:
            col = names.get(feature)
            if col is not None:
                rows.append(row)
                cols.append(col)
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(examples), len(names)))


def _vocabulary(examples: Sequence[Example], min_count: int, keep: set[str]) -> dict[str, int]:
    """Feature -> column: cue, structural and link features always, words seen often enough."""
    counts: dict[str, int] = {}
    for example in examples:
        for feature in example.features:
            counts[feature] = counts.get(feature, 0) + 1
    chosen = sorted(
        f for f, n in counts.items() if f in keep or not f.startswith("w:") or n >= min_count
    )
    return {f: i for i, f in enumerate(chosen)}


def _solve(
    X: sparse.csr_matrix,
    y: np.ndarray,
    sample_weight: np.ndarray,
    l2: np.ndarray,
    prior: np.ndarray,
    prior_bias: float,
) -> tuple[float, np.ndarray]:
    """Minimise the weighted log-loss plus ``sum(l2 / 2 * (w - prior)^2)`` (a penalty per
    feature); return (bias, w)."""
    sign = np.where(y, 1.0, -1.0)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        bias, w = params[0], params[1:]
        z = X @ w + bias
        margin = sign * z
        # log(1 + exp(-m)), stable for large |m|
        value = np.logaddexp(0.0, -margin)
        sigma = np.exp(-np.logaddexp(0.0, margin))  # 1 / (1 + exp(m))
        g_z = -sign * sigma * sample_weight
        diff = w - prior
        total = float(sample_weight @ value) + 0.5 * float((l2 * diff) @ diff)
        grad = np.empty_like(params)
        grad[0] = g_z.sum()
        grad[1:] = X.T @ g_z + l2 * diff
        return total, grad

    start = np.concatenate([[prior_bias], prior])
    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return float(result.x[0]), result.x[1:]


def _balanced(examples: Sequence[Example]) -> np.ndarray:
    """Example weights with each class of each group weighing as much as the other class."""
    weights = np.array([e.weight for e in examples], dtype=float)
    for group in {e.group for e in examples}:
        members = [i for i, e in enumerate(examples) if e.group == group]
        for wanted in (True, False):
            chosen = [i for i in members if examples[i].label is wanted]
            if chosen:
                weights[chosen] *= len(members) / (2 * len(chosen))
    return weights


def _best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> tuple[float, float]:
    """The score threshold with the highest F1 over out-of-fold scores (ties: the higher),
    and that F1."""
    best, best_f1 = 0.5, -1.0
    for candidate in np.round(np.arange(0.20, 0.91, 0.01), 2):
        q = quality(labels, [s >= candidate for s in scores])
        denominator = q.precision + q.recall
        f1 = 2 * q.precision * q.recall / denominator if denominator and q.true_positives else 0.0
        if f1 >= best_f1:
            best, best_f1 = float(candidate), f1
    return best, best_f1


def fit_model(
    examples: Sequence[Example],
    kind: str = "shipped",
    prior: Model | None = None,
    settings: FitSettings = FitSettings(),
    threshold: float | None = None,
    info: dict | None = None,
) -> Model:
    """Fit a model to ``examples``.

    Parameters
    ----------
    examples : sequence of Example
        The labelled tweets; both classes must be present.
    kind : str
        The start of the model's version: ``"shipped"`` or ``"community"``.
    prior : Model, optional
        Weights start from, and are pulled towards, this model's (a community fit); without
        one they are pulled towards zero.
    settings : FitSettings
        Penalty, minimum word count, folds and seed.
    threshold : float, optional
        Use this threshold; by default it is chosen by an inner cross-validation on
        ``examples`` (the F1-best threshold of out-of-fold scores), together with the
        penalties when ``settings.grid`` offers a choice.
    info : dict, optional
        Stored with the model.

    Returns
    -------
    Model
    """
    if threshold is None and settings.grid:
        settings, threshold = _choose(examples, prior, settings)
        info = {**(info or {}), "chosen": {"l2": settings.l2, "word_l2": settings.word_l2}}
    keep = set(prior.weights) if prior is not None else set()
    names = _vocabulary(examples, settings.min_count, keep)
    X = _matrix(examples, names)
    y = np.array([e.label for e in examples])
    sw = _balanced(examples)
    prior_w = np.array([prior.weights.get(f, 0.0) if prior else 0.0 for f in names])
    prior_b = prior.bias if prior is not None else 0.0
    bias, w = _solve(X, y, sw, settings.penalties(list(names)), prior_w, prior_b)
    weights = {f: round(float(w[i]), 4) for f, i in names.items() if abs(w[i]) >= 1e-4}
    if prior is not None:  # features the community never showed keep their shipped weights
        for feature, value in prior.weights.items():
            weights.setdefault(feature, value)
    if threshold is None:
        inner = cross_validate(
            examples, settings.threshold_folds, settings.seed, prior, settings, threshold=0.5
        )
        threshold, _ = _best_threshold([e.label for e in examples], inner)
    bias = round(bias, 4)
    return Model(
        version=model_version(kind, bias, threshold, weights),
        bias=bias,
        threshold=threshold,
        weights=weights,
        info=info or {},
    )


def _choose(
    examples: Sequence[Example], prior: Model | None, settings: FitSettings
) -> tuple[FitSettings, float]:
    """The penalties of ``settings.grid`` and the threshold an inner cross-validation of
    ``examples`` chooses (see :attr:`FitSettings.grid`)."""
    labels = [e.label for e in examples]
    best: tuple[float, FitSettings, float] | None = None
    for l2, word_l2 in settings.grid:
        candidate = replace(settings, l2=l2, word_l2=word_l2, grid=())
        inner = cross_validate(
            examples, settings.threshold_folds, settings.seed, prior, candidate, threshold=0.5
        )
        threshold, f1 = _best_threshold(labels, inner)
        if best is None or f1 > best[0]:
            best = (f1, candidate, threshold)
    assert best is not None, "an empty grid chooses nothing"
    return best[1], best[2]


def _out_of_fold(
    examples: Sequence[Example],
    folds: int,
    seed: int,
    prior: Model | None,
    settings: FitSettings,
    threshold: float | None,
    fixed: Sequence[Example],
) -> list[tuple[float, float]]:
    """Each example's (score, threshold) from the model fitted without its fold."""
    assignment = stratified_folds([e.label for e in examples], folds, seed)
    found = [(0.0, 0.0)] * len(examples)
    for fold in range(folds):
        train = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
        train.extend(fixed)
        model = fit_model(train, prior=prior, settings=settings, threshold=threshold)
        for i, f in enumerate(assignment):
            if f == fold:
                found[i] = (model.probability(model.logit(examples[i].features)), model.threshold)
    return found


def cross_validate(
    examples: Sequence[Example],
    folds: int,
    seed: int,
    prior: Model | None = None,
    settings: FitSettings = FitSettings(),
    threshold: float | None = None,
    fixed: Sequence[Example] = (),
) -> list[float]:
    """Return each example's score from a model fitted without its fold.

    ``fixed`` examples are added to every training set and never scored. The fold models use
    ``threshold`` (0.5 by default) instead of choosing one, so no search is nested.
    """
    scored = _out_of_fold(examples, folds, seed, prior, settings, threshold or 0.5, fixed)
    return [score for score, _ in scored]


def cross_validated_quality(
    examples: Sequence[Example],
    folds: int,
    seed: int,
    prior: Model | None = None,
    settings: FitSettings = FitSettings(),
    fixed: Sequence[Example] = (),
    threshold: float | None = None,
) -> tuple[Quality, list[bool]]:
    """Return the quality of decisions made by models fitted without each example's fold.

    Each fold's model chooses its threshold on its own training examples (unless
    ``threshold`` is given), so nothing about the scored fold is used. Returns the quality
    and each example's decision.
    """
    scored = _out_of_fold(examples, folds, seed, prior, settings, threshold, fixed)
    called = [score >= cut for score, cut in scored]
    return quality([e.label for e in examples], called), called
