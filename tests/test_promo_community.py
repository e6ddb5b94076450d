"""A community teaches the classifier: promo fit on the database's own labels, show, reset."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import invoke

from retweetring.promo import load_classifier
from retweetring.promo.model import decision_version, shipped_model
from retweetring.store.session import create_db_engine


@pytest.fixture
def labelled(example_db, tmp_path):
    """A copy of the example with 6 tweets marked promotional (3 the model calls personal)
    and 6 marked personal; returns the database and the ids marked promotional."""
    db = tmp_path / "community.db"
    shutil.copy(example_db, db)
    tweets = json.loads(invoke(db, "tweets", "list", "--limit", "400", "--format", "json").stdout)
    promo = [t["id"] for t in tweets if t["promotional"]][:3]
    turned = [t["id"] for t in tweets if not t["promotional"]][:3]
    personal = [t["id"] for t in tweets if not t["promotional"]][3:9]
    assert invoke(db, "tweets", "mark-promo", *promo, *turned).exit_code == 0
    assert invoke(db, "tweets", "mark-personal", *personal).exit_code == 0
    return db, turned


def _score(db, tweet_id: str) -> float:
    engine = create_db_engine(str(db))
    try:
        classifier = load_classifier(engine)
        with engine.connect() as conn:
            text = conn.exec_driver_sql(
                "SELECT text FROM tweets WHERE id = ?", (int(tweet_id),)
            ).scalar_one()
        return classifier.classify(text).score
    finally:
        engine.dispose()


def test_promo_fit_stores_a_community_model_that_moves_toward_the_labels(labelled):
    db, turned = labelled
    before = {t: _score(db, t) for t in turned}
    result = invoke(db, "promo", "fit", "--format", "json")
    assert result.exit_code == 0, result.output
    fit = json.loads(result.stdout)
    assert fit["labels"] == 12 and fit["promotional_labels"] == 6
    assert fit["model"].startswith("community-") and fit["model"] != shipped_model().version
    assert set(fit["before"]) == set(fit["after"]) >= {"precision", "recall"}
    after = {t: _score(db, t) for t in turned}
    assert all(after[t] > before[t] for t in turned), (before, after)
    shown = json.loads(invoke(db, "promo", "show", "--format", "json").stdout.splitlines()[0])
    assert (shown["model"], shown["source"]) == (fit["model"], "community")


def test_the_decision_version_is_the_classifiers_version_shipped_or_community(labelled):
    db, _ = labelled
    engine = create_db_engine(str(db))
    try:
        assert decision_version(engine) == load_classifier(engine).version
        assert invoke(db, "promo", "fit").exit_code == 0
        assert (
            decision_version(engine) == load_classifier(engine).version != shipped_model().version
        )
    finally:
        engine.dispose()


def test_after_a_fit_analytics_note_stale_decisions_until_reclassified(labelled):
    db, _ = labelled
    assert invoke(db, "promo", "fit").exit_code == 0
    assert "stored decisions come from an older model" in invoke(db, "mutual").output
    assert invoke(db, "tweets", "reclassify").exit_code == 0
    assert "older model" not in invoke(db, "mutual").output


def test_promo_reset_returns_to_the_shipped_model(labelled):
    db, _ = labelled
    assert invoke(db, "promo", "fit").exit_code == 0
    assert invoke(db, "promo", "reset").exit_code == 0
    engine = create_db_engine(str(db))
    try:
        assert decision_version(engine) == shipped_model().version
    finally:
        engine.dispose()


def test_too_few_labels_is_one_clear_line(example_db, tmp_path):
    db = tmp_path / "few.db"
    shutil.copy(example_db, db)
    result = invoke(db, "promo", "fit")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and "5" in result.output
