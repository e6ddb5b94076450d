"""A Bluesky and Mastodon collect killed with SIGKILL at any point resumes without gaps."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import responses
from conftest import invoke
from fake_social import SMALL_TOWN_MEMBERS, small_town
from killed_social_collect import COLLECT

import retweetring.sources.social_collect as library
from retweetring.sources.social_collect import BlueskyFeed

TESTS = Path(__file__).resolve().parent
QUERIES = {
    "accounts": "SELECT platform, id, username, name, key FROM accounts",
    "tweets": "SELECT * FROM tweets",
    "retweets": "SELECT * FROM retweets",
    "approximate_retweets": "SELECT * FROM approximate_retweets",
    "members": "SELECT platform, account_id FROM members",
    "checkpoints": "SELECT platform, account_id, newest, newest_at, sweep_cursor, pds "
    "FROM social_checkpoints",
    "repost_counts": "SELECT platform, tweet_id, retweet_count, checked_count "
    "FROM retweeter_checks",
}
"""What a run stores, without the times of day it ran (sightings, ledger, updated_at)."""


def dump(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {name: sorted(conn.execute(query), key=repr) for name, query in QUERIES.items()}


def child(db: Path, mode: str, n: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TESTS / "killed_social_collect.py"), str(db), mode, str(n)],
        cwd=db.parent,
        env={**os.environ, "PYTHONPATH": str(TESTS)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def rerun(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the same commands again in this process, against a fresh replay of the town."""
    sky, masto = small_town()
    real = library.feed_for

    def replayed(platform: str, **kwargs):  # type: ignore[no-untyped-def]
        return (
            BlueskyFeed(sky.client(**kwargs)) if platform == "bluesky" else real(platform, **kwargs)
        )

    monkeypatch.setattr(library, "feed_for", replayed)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        masto.install(mock)
        for platform, handles in SMALL_TOWN_MEMBERS.items():
            invoke(db, "members", "add", "--platform", platform, *handles)
        result = invoke(db, *COLLECT)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    done = child(db, "none", 0)
    assert done.returncode == 0 and "finished" in done.stdout, done.stdout + done.stderr
    found = dump(db)
    assert found["retweets"] and found["checkpoints"]
    return found


KILLS = {
    "during the 1st feed request": ("request", 4),
    "during a later feed request": ("request", 11),
    "during a DID document request": ("request", 7),
    "during a repost records request": ("request", 14),
    "during the repost counts request": ("request", 22),
    "during a reposters request": ("request", 24),
    "inside a members add transaction": ("transaction", 2),
    "inside a feed page's transaction": ("transaction", 7),
    "inside the 1st records page's transaction": ("transaction", 9),
    "inside a records page's transaction": ("transaction", 14),
    "inside a reposters page's transaction": ("transaction", 25),
    "inside a Mastodon page's transaction": ("transaction", 30),
    "inside a Mastodon boosters page's transaction": ("transaction", 35),
}


def _kill_and_resume(tmp_path: Path, mode: str, n: int, clean, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / f"killed-{mode}-{n}.db"
    done = child(db, mode, n)
    assert done.returncode == -signal.SIGKILL, (mode, n, done.stdout + done.stderr)
    assert dump(db) != clean
    rerun(db, monkeypatch)
    assert dump(db) == clean, (mode, n)


@pytest.mark.parametrize(("mode", "n"), KILLS.values(), ids=KILLS.keys())
def test_a_collect_killed_with_sigkill_resumes_without_gaps_or_duplicates(
    tmp_path: Path, clean, monkeypatch: pytest.MonkeyPatch, mode: str, n: int
) -> None:
    _kill_and_resume(tmp_path, mode, n, clean, monkeypatch)


def test_collects_killed_at_random_points_resume_without_gaps(
    tmp_path: Path, clean, monkeypatch: pytest.MonkeyPatch, soak: bool
) -> None:
    for seed in range(12 if soak else 2):
        rng = random.Random(seed)
        mode = rng.choice(["request", "transaction"])
        n = rng.randint(4, 30) if mode == "request" else rng.randint(1, 37)
        _kill_and_resume(tmp_path, mode, n, clean, monkeypatch)
