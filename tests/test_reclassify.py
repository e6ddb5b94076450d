"""``tweets reclassify`` and the note about decisions an older model made.

The classifier is replaced by ``MarkerClassifier`` (promotional exactly when a tweet says
"zebra"), and the stored decisions are set by hand, so the expected changes do not depend on
the real model. Every expected number is also counted independently with sqlite3.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PERSONAL_TEXT, PROMO_TEXT
from fake_classifier import MarkerClassifier

import retweetring.promo
import retweetring.promo.model
from retweetring.promo.reclassify import reclassify
from retweetring.store.queries import count_stale_decisions
from retweetring.store.session import open_database

TESTS = Path(__file__).resolve().parent
NOTE = (
    "note: {n} stored decisions come from an older model than test-2; "
    "run 'retweetring tweets reclassify'"
)


@pytest.fixture
def classifier(monkeypatch) -> MarkerClassifier:
    """The classifier every command loads, in place of the real one."""
    fake = MarkerClassifier()
    monkeypatch.setattr(retweetring.promo, "load_classifier", lambda db, rules=None: fake)
    monkeypatch.setattr(retweetring.promo.model, "decision_version", lambda db: fake.version)
    return fake


def _decide(db_path: Path, decisions: dict[str, bool], model: str | None = "old-1") -> None:
    """Store these decisions as an earlier model made them."""
    with sqlite3.connect(db_path) as conn:
        for tweet_id, promotional in decisions.items():
            conn.execute(
                "UPDATE tweets SET is_promotional = ?, promo_score = ?, promo_reason = 'old', "
                "promo_model = ? WHERE id = ?",
                (promotional, 0.8 if promotional else 0.2, model, int(tweet_id)),
            )


@pytest.fixture
def shop(community, tmp_path, run, db_path) -> dict[str, str]:
    """Six tweets: the marker classifier reverses two decisions and two overrides.

    Stored (old) decisions: bread and both promotional, zebra and sunrise personal; kept_promo
    is marked promotional and kept_personal personal. The marker classifier says zebra, both
    and kept_personal are promotional, the rest personal.
    """
    t = {
        "bread": community.post("bakery", PROMO_TEXT),
        "zebra": community.post("florist", "Our zebra of the week is here"),
        "both": community.post("cafe", PROMO_TEXT + " zebra"),
        "sunrise": community.post("deli", PERSONAL_TEXT),
        "kept_promo": community.post("bakery", "Fresh loaves today, order now!"),
        "kept_personal": community.post("cafe", "A zebra crossing outside"),
    }
    for who, what in [
        ("florist", "bread"),
        ("bakery", "zebra"),
        ("florist", "zebra"),  # the author's own retweet: never support
        ("deli", "zebra"),
        ("bakery", "both"),
        ("florist", "both"),
        ("bakery", "sunrise"),
        ("florist", "kept_promo"),
        ("bakery", "kept_personal"),
    ]:
        community.retweet(who, t[what])
    assert run("import", str(community.write(tmp_path / "shop.jsonl"))).exit_code == 0
    _decide(
        db_path,
        {
            t["bread"]: True,
            t["zebra"]: False,
            t["both"]: True,
            t["sunrise"]: False,
            t["kept_promo"]: False,
            t["kept_personal"]: True,
        },
    )
    assert run("tweets", "mark-promo", t["kept_promo"]).exit_code == 0
    assert run("tweets", "mark-personal", t["kept_personal"]).exit_code == 0
    return t


# --- independent counts -------------------------------------------------------------------------

_SUPPORT = """
SELECT DISTINCT r.retweeter_id AS supporter, t.author_id AS supported, r.original_id
FROM retweets r JOIN tweets t ON t.platform = r.platform AND t.id = r.original_id
WHERE r.retweeter_id != t.author_id AND COALESCE(t.promo_override, t.is_promotional) = 1
"""


def _support_events(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM ({_SUPPORT})").fetchone()[0]


def _mutual_pairs(db_path: Path) -> int:
    edges = f"SELECT DISTINCT supporter, supported FROM ({_SUPPORT})"
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            f"SELECT COUNT(*) FROM ({edges}) x JOIN ({edges}) y "
            "ON x.supporter = y.supported AND x.supported = y.supporter "
            "WHERE x.supporter < x.supported"
        ).fetchone()[0]


def _tweets(db_path: Path) -> dict[int, tuple]:
    """Each tweet's (is_promotional, promo_score, promo_reason, promo_override, promo_model)."""
    with sqlite3.connect(db_path) as conn:
        return {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, is_promotional, promo_score, promo_reason, promo_override, "
                "promo_model FROM tweets"
            )
        }


def _effective(rows: dict[int, tuple]) -> dict[int, bool]:
    return {i: bool(row[3] if row[3] is not None else row[0]) for i, row in rows.items()}


# --- reclassify -----------------------------------------------------------------------------------


def test_reclassify_reports_the_changes_an_independent_count_finds(run, db_path, shop, classifier):
    before = _tweets(db_path)
    events_before, mutual_before = _support_events(db_path), _mutual_pairs(db_path)
    result = run("tweets", "reclassify", "--format", "json")
    assert result.exit_code == 0, result.output
    after = _tweets(db_path)
    old, new = _effective(before), _effective(after)
    flipped = [i for i in old if old[i] != new[i]]
    assert json.loads(result.stdout) == {
        "tweets": len(after),
        "changed": len(flipped),
        "became_promotional": sum(new[i] for i in flipped),
        "became_personal": sum(not new[i] for i in flipped),
        "support_events_before": events_before,
        "support_events_after": _support_events(db_path),
        "mutual_pairs_before": mutual_before,
        "mutual_pairs_after": _mutual_pairs(db_path),
        "model": "test-2",
        "dry_run": False,
    }
    # ... and those are the numbers worked out by hand from the fixture's docstring.
    assert sorted(flipped) == sorted(int(shop[k]) for k in ("bread", "zebra"))
    assert (events_before, _support_events(db_path)) == (4, 5)
    assert (mutual_before, _mutual_pairs(db_path)) == (0, 1)


def test_reclassify_says_what_changed_in_one_line(run, shop, classifier):
    result = run("tweets", "reclassify")
    assert result.exit_code == 0
    assert result.stdout == (
        "2 of 6 tweets changed (1 to promotional, 1 to personal); support events 4 -> 5; "
        "mutual pairs 0 -> 1; model test-2\n"
    )


def test_reclassify_stores_decision_score_reasons_and_model(run, db_path, shop, classifier):
    run("tweets", "reclassify")
    rows = _tweets(db_path)
    assert rows[int(shop["zebra"])] == (1, 0.9, "marker: zebra; second reason", None, "test-2")
    assert rows[int(shop["bread"])] == (0, 0.1, "", None, "test-2")
    assert {row[4] for row in rows.values()} == {"test-2"}


def test_overrides_are_never_touched_and_keep_winning(run, db_path, shop, classifier):
    before = _tweets(db_path)
    run("tweets", "reclassify")
    after = _tweets(db_path)
    assert {i: row[3] for i, row in after.items()} == {i: row[3] for i, row in before.items()}
    promo, personal = int(shop["kept_promo"]), int(shop["kept_personal"])
    # The classifier's own decision is stored beside the override, which still wins.
    assert (after[promo][0], after[promo][3]) == (0, 1)
    assert (after[personal][0], after[personal][3]) == (1, 0)
    assert _effective(after)[promo] and not _effective(after)[personal]


def test_dry_run_reports_the_same_numbers_and_writes_nothing(run, db_path, shop, classifier):
    before = _tweets(db_path)
    dry = run("tweets", "reclassify", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    assert _tweets(db_path) == before
    real = json.loads(run("tweets", "reclassify", "--format", "json").stdout)
    assert json.loads(dry.stdout) == {**real, "dry_run": True}


def test_dry_run_says_so(run, shop, classifier):
    result = run("tweets", "reclassify", "--dry-run")
    assert result.stdout.startswith("dry run, nothing written: 2 of 6 tweets would change ")


def test_a_second_run_changes_nothing(run, db_path, shop, classifier):
    run("tweets", "reclassify")
    written = _tweets(db_path)
    again = json.loads(run("tweets", "reclassify", "--format", "json").stdout)
    assert (again["changed"], again["became_promotional"], again["became_personal"]) == (0, 0, 0)
    assert again["support_events_before"] == again["support_events_after"] == 5
    assert _tweets(db_path) == written


def test_the_classifier_sees_each_authors_username_name_and_website(
    engine, db_path, shop, classifier
):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE accounts SET url = 'https://bakery.example' WHERE username = 'bakery'")
    reclassify(engine, classifier)
    bread = next(seen for seen in classifier.seen if seen["text"] == PROMO_TEXT)
    assert bread == {
        "text": PROMO_TEXT,
        "urls": [],
        "username": "bakery",
        "name": "Bakery",
        "site": "https://bakery.example",
    }
    assert len(classifier.seen) == 6


def test_small_batches_cover_every_tweet_once_and_report_progress(engine, shop, classifier):
    progress: list[tuple[int, int]] = []
    result = reclassify(engine, classifier, batch_size=4, on_progress=lambda *p: progress.append(p))
    assert progress == [(4, 6), (6, 6)]
    assert result.tweets == 6 and len(classifier.seen) == 6
    assert result.changed == 2


class _Interrupted(Exception):
    pass


class _FailingAfter(MarkerClassifier):
    """Raises on its ``n``-th decision, like a run stopped part-way."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def classify(self, text, urls=(), username=None, name=None, site=None):
        if len(self.seen) + 1 == self.n:
            raise _Interrupted
        return super().classify(text, urls, username, name, site)


def test_a_run_stopped_mid_way_leaves_whole_batches_new_and_the_rest_old(
    engine, db_path, shop, classifier
):
    before = _tweets(db_path)
    with pytest.raises(_Interrupted):
        reclassify(engine, _FailingAfter(5), batch_size=2)
    ids = sorted(before)
    partway = _tweets(db_path)
    assert [partway[i][4] for i in ids] == ["test-2"] * 4 + ["old-1"] * 2
    assert all(partway[i] == before[i] for i in ids[4:])
    result = reclassify(engine, classifier, batch_size=2)
    assert result.changed == 0  # both changing decisions were in the finished batches
    assert {row[4] for row in _tweets(db_path).values()} == {"test-2"}


# --- a real kill --------------------------------------------------------------------------------


def _copy(source: Path, target: Path) -> Path:
    """Copy an SQLite database (WAL included) with the backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


RECLASSIFIER = """
import sys
sys.path.insert(0, sys.argv[2])
from fake_classifier import MarkerClassifier
from retweetring.promo.reclassify import reclassify
from retweetring.store.session import open_database
engine = open_database(sys.argv[1])
print("ready", flush=True)
reclassify(engine, MarkerClassifier(marker="shop1", delay=0.0003), batch_size=100)
print("done", flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
def test_reclassify_killed_at_random_points_leaves_each_tweet_old_or_new(tmp_path, soak):
    from children import write_busy_file

    from retweetring.sources.ingest import import_file

    source = write_busy_file(tmp_path / "busy.jsonl", originals=1_000)
    pristine = tmp_path / "pristine.db"
    engine = open_database(str(pristine))
    import_file(engine, source)
    engine.dispose()
    old = _tweets(pristine)
    reference = _copy(pristine, tmp_path / "reference.db")
    engine = open_database(str(reference))
    reclassify(engine, MarkerClassifier(marker="shop1"), batch_size=100)
    engine.dispose()
    new = _tweets(reference)
    assert sum(old[i][0] != new[i][0] for i in old) > 100
    ids = sorted(old)

    def start(db: Path) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, "-c", RECLASSIFIER, str(db), str(TESTS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        return child

    timing = _copy(pristine, tmp_path / "timing.db")
    timed = start(timing)
    started = time.perf_counter()  # after "ready": the kills below are timed from it too
    assert timed.communicate()[0].strip() == "done"
    duration = time.perf_counter() - started
    partial = 0
    # At least `runs` kills; more (up to 30) while none has landed mid-run, since the wall time
    # of one run varies on a loaded machine and a kill can land before or after all batches.
    runs = 30 if soak else 3
    for seed in range(30):
        if seed >= runs and partial:
            break
        db = _copy(pristine, tmp_path / f"killed-{seed}.db")
        child = start(db)
        time.sleep(random.Random(seed).uniform(0.1, 0.9) * duration)
        child.send_signal(signal.SIGKILL)
        child.wait()
        rows = _tweets(db)
        done = sum(rows[i][4] == "test-2" for i in ids)
        # Batches are keyed ranges written whole: the new decisions are a prefix in id order,
        # a whole number of batches long, and every tweet is entirely old or entirely new.
        assert all(rows[i] == new[i] for i in ids[:done]), f"seed {seed}"
        assert all(rows[i] == old[i] for i in ids[done:]), f"seed {seed}"
        assert done % 100 == 0 or done == len(ids), f"seed {seed}"
        partial += 0 < done < len(ids)
        engine = open_database(str(db))
        reclassify(engine, MarkerClassifier(marker="shop1"), batch_size=100)
        engine.dispose()
        assert _tweets(db) == new, f"seed {seed}"
    assert partial >= 1, "no kill landed mid-run: the test proved nothing"


# --- the note about decisions another model made ---------------------------------------------


def test_stale_decisions_are_counted_without_overrides(engine, db_path, shop):
    assert count_stale_decisions(engine, "old-1") == 0
    assert count_stale_decisions(engine, "test-2") == 4  # the two overridden never count
    _decide(db_path, {shop["bread"]: True}, model=None)
    _decide(db_path, {shop["zebra"]: True}, model="test-2")
    assert count_stale_decisions(engine, "test-2") == 3
    assert count_stale_decisions(engine, "old-1") == 2


ANALYTICS = {
    "report": ["report", "--format", "json"],
    "mutual": ["mutual", "--format", "json"],
    "one-sided": ["one-sided", "--format", "json"],
    "introductions": ["introductions", "--format", "json"],
    "accounts": ["accounts", "--format", "json"],
    "thank": ["thank", "bakery", "--week", "2026-W45", "--format", "json"],
    "weekly": ["weekly", "bakery", "-o", "{tmp}/weekly", "--week", "2026-W45", "--format", "json"],
    "map": ["map", "-o", "{tmp}/map.png", "--format", "json"],
    "export": ["export", "--format", "json", "-o", "{tmp}/graph.json"],
    "review": ["tweets", "review", "--format", "json"],
}


@pytest.mark.parametrize("command", ANALYTICS.values(), ids=ANALYTICS.keys())
def test_analytics_note_stale_decisions_once_on_stderr_only(
    run, shop, classifier, tmp_path, command
):
    args = [arg.format(tmp=tmp_path) for arg in command]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines().count(NOTE.format(n=4)) == 1
    assert "note:" not in result.stdout
    if command[0] != "export":  # export writes its JSON to a file and says so
        json.loads(result.stdout)  # still clean JSON
    run("tweets", "reclassify")
    again = run(*args)
    assert again.exit_code == 0, again.output
    assert "note:" not in again.stderr + again.stdout


def test_the_note_counts_with_thousands_separators_and_names_the_current_model(
    run, db_path, tmp_path, classifier
):
    from children import write_busy_file

    run("import", str(write_busy_file(tmp_path / "busy.jsonl", originals=1_200)))
    classifier.version = "community-7"
    result = run("mutual")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "note: 1,200 stored decisions come from an older model than community-7; "
        "run 'retweetring tweets reclassify'"
    ]


def test_no_note_when_the_command_fails(run, shop, classifier):
    result = run("thank", "nobody", "--week", "2026-W45")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no account @nobody in the database"
