"""The benchmark's synthetic community: reproducible, in the twarc2 shape, and realistic enough.

The benchmark's numbers only mean something if its file is the same every run (fixed seed), is
read by the importer like a real twarc2 file, and has what makes the work costly in a real
community: varied texts, both promotional and personal tweets, and returned support.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import invoke

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic  # noqa: E402

RETWEETS = 3000
ACCOUNTS = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "community.jsonl"
    return synthetic.write_jsonl(path, RETWEETS, accounts=ACCOUNTS, seed=1)


@pytest.fixture(scope="module")
def imported(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("synthetic-db") / "bench.db"
    result = invoke(db, "import", str(generated))
    assert result.exit_code == 0, result.output
    return db


def test_the_same_seed_writes_the_same_bytes(generated: Path, tmp_path: Path) -> None:
    again = synthetic.write_jsonl(tmp_path / "again.jsonl", RETWEETS, accounts=ACCOUNTS, seed=1)
    other = synthetic.write_jsonl(tmp_path / "other.jsonl", RETWEETS, accounts=ACCOUNTS, seed=2)
    assert again.read_bytes() == generated.read_bytes()
    assert other.read_bytes() != generated.read_bytes()


def test_every_retweet_has_its_original_and_both_users_included(generated: Path) -> None:
    retweets = 0
    for line in generated.read_text().splitlines():
        page = json.loads(line)
        assert len(page["data"]) <= 100
        users = {user["id"] for user in page["includes"]["users"]}
        originals = {tweet["id"]: tweet for tweet in page["includes"]["tweets"]}
        for retweet in page["data"]:
            (reference,) = retweet["referenced_tweets"]
            assert reference["type"] == "retweeted"
            original = originals[reference["id"]]
            assert retweet["author_id"] in users and original["author_id"] in users
            assert retweet["author_id"] != original["author_id"]
            retweets += 1
    assert retweets == RETWEETS


def test_tweet_texts_vary_as_real_ones_do(generated: Path) -> None:
    texts = {
        tweet["id"]: tweet["text"]
        for line in generated.read_text().splitlines()
        for tweet in json.loads(line)["includes"]["tweets"]
    }
    counts = Counter(texts.values())
    assert len(counts) >= 0.8 * len(texts)
    assert counts.most_common(1)[0][1] <= 0.03 * len(texts)


def test_the_importer_reads_all_of_it_with_both_kinds_of_tweet(imported: Path) -> None:
    rows = json.loads(invoke(imported, "accounts", "--format", "json").output)
    assert len(rows) == ACCOUNTS
    assert sum(row["retweets"] for row in rows) == RETWEETS
    tweets = sum(row["tweets"] for row in rows)
    promotional = sum(row["promotional_tweets"] for row in rows)
    assert 0.3 * tweets <= promotional <= 0.9 * tweets


def test_much_of_the_support_is_returned(imported: Path) -> None:
    report = json.loads(invoke(imported, "report", "--format", "json").output)
    assert report["support_events"] >= 0.5 * RETWEETS
    assert report["mutual_pairs"] >= 0.2 * report["edges"]
    assert report["one_sided"] > 0
