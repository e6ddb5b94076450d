"""`retweetring thank` through click's CliRunner on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import example_counts
import pytest

from retweetring.store.session import open_database
from retweetring.thanks.lists import thank_list
from retweetring.thanks.tweet_length import weighted_length

IN_W46 = datetime(2026, 11, 11, 12, 0)


@pytest.fixture
def week46(community, tmp_path, run):
    """bakery is supported by florist (2 tweets, returned), cafe (1, new) in 2026-W46."""
    one = community.post("bakery", "Order now: 20% off all loaves!", at=datetime(2026, 11, 1))
    two = community.post("bakery", "Book your Christmas cake, only £18", at=datetime(2026, 11, 2))
    old = community.post("bakery", "Shop our sale, 10% off", at=datetime(2026, 10, 1))
    community.retweet("florist", old, at=datetime(2026, 10, 2))
    community.retweet("florist", one, at=IN_W46)
    community.retweet("florist", two, at=IN_W46)
    community.retweet("cafe", one, at=IN_W46)
    florist_promo = community.post(
        "florist", "Order your wreath now, £25", at=datetime(2026, 11, 1)
    )
    community.retweet("bakery", florist_promo, at=datetime(2026, 11, 3))
    assert run("import", str(community.write(tmp_path / "w46.jsonl"))).exit_code == 0


def test_json_has_the_documented_shape(run, week46):
    result = run("thank", "bakery", "--week", "2026-W46", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["account"], data["week"]) == ("bakery", "2026-W46")
    assert data["supporters"] == [
        {"username": "florist", "retweets": 2, "new": False, "returned": True, "thanked": False},
        {"username": "cafe", "retweets": 1, "new": True, "returned": False, "thanked": False},
    ]
    assert data["support_back"] == ["cafe"]


def test_csv_lists_the_supporters(run, week46):
    result = run("thank", "bakery", "--week", "2026-W46", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["username"], r["retweets"], r["new"]) for r in rows] == [
        ("florist", "2", "False"),
        ("cafe", "1", "True"),
    ]


def test_markdown_has_the_table_and_support_them_back(run, week46):
    result = run("thank", "bakery", "--week", "2026-W46", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "## Who to thank: @bakery, 2026-W46 (Mon 9 Nov to Sun 15 Nov 2026, UTC)"
    assert "| [@florist](https://x.com/florist) | 2 | - | yes | - |" in lines
    assert "| [@cafe](https://x.com/cafe) | 1 | yes | - | - |" in lines
    back = lines[lines.index("### Support them back") :]
    assert any(line.startswith("- [@cafe](https://x.com/cafe): 1 retweet") for line in back)
    assert not any("florist" in line for line in back)


def test_text_shows_both_lists(run, week46):
    result = run("thank", "bakery", "--week", "2026-W46")
    assert result.exit_code == 0, result.output
    assert "Who to thank: @bakery" in result.output
    assert "Support them back" in result.output


def test_mark_thanked_shows_in_the_next_run(run, week46):
    first = run("thank", "bakery", "--week", "2026-W46", "--format", "json", "--mark-thanked")
    assert first.exit_code == 0, first.output
    assert "recorded 2 supporters of @bakery as thanked for 2026-W46" in first.stderr
    assert not any(s["thanked"] for s in json.loads(first.stdout)["supporters"])
    second = run("thank", "bakery", "--week", "2026-W46", "--format", "json")
    assert all(s["thanked"] for s in json.loads(second.stdout)["supporters"])


def test_drafts_in_json_fit_and_mention_everyone(run, week46):
    result = run("thank", "bakery", "--week", "2026-W46", "--format", "json", "--drafts")
    assert result.exit_code == 0, result.output
    drafts = json.loads(result.stdout)["drafts"]
    assert set(drafts) == {"thanks", "followfriday"}
    for posts in drafts.values():
        assert all(weighted_length(p) <= 280 for p in posts)
        assert "@florist @cafe" in posts[0]


def test_drafts_in_markdown(run, week46):
    result = run("thank", "bakery", "--week", "2026-W46", "--format", "markdown", "--drafts")
    assert "### Drafts: followfriday" in result.output and "#FollowFriday" in result.output


def test_unknown_account_is_one_line(run, week46):
    result = run("thank", "nobody", "--week", "2026-W46")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no account @nobody in the database"


def test_week_without_data_is_one_line(run, week46):
    result = run("thank", "bakery", "--week", "2026-W30", "--format", "json")
    assert result.exit_code == 1
    assert "Error: no retweets stored in 2026-W30" in result.output
    assert "Traceback" not in result.output


def test_nobody_supported_is_a_sentence_not_an_empty_table(run, week46):
    result = run("thank", "florist", "--week", "2026-W46")
    assert result.exit_code == 0, result.output
    assert "Nobody retweeted @florist's promotional tweets in 2026-W46" in result.output
    assert "┏" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--week", "46"], "not an ISO week like 2026-W46"),
        (["--tz", "Mars/Olympus"], "unknown time zone"),
        (["--format", "csv", "--drafts"], "--drafts needs --format"),
    ],
)
def test_bad_options_are_one_clear_line(run, week46, args, message):
    result = run("thank", "bakery", *args)
    assert result.exit_code == 2 and message in result.output


def test_readme_example_hollys_bakery_week_47_is_real(run, example_db):
    result = run("thank", "hollys_bakery", "--week", "2026-W47", "--format", "json", db=example_db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    names = [s["username"] for s in data["supporters"]]
    assert names == ["elliemarshphoto", "harbour_cafe", "saltbychamber"]
    assert data["support_back"] == ["saltbychamber"]


@pytest.fixture(scope="module")
def example_engine(example_db):
    """The shared example database, opened once for the module."""
    engine = open_database(str(example_db))
    yield engine
    engine.dispose()


@pytest.mark.parametrize("label, tz", [("2026-W47", "UTC"), ("2026-W43", "Europe/London")])
def test_thank_lists_agree_with_an_independent_count_for_every_example_account(
    example_engine, label, tz
):
    """Every field, recomputed from the example's JSONL with plain Python (example_counts)."""
    checked = 0
    for account in sorted(example_counts.authors()):
        thanks = thank_list(example_engine, account, label, tz)
        got = {s.username: (s.retweets, s.new, s.returned) for s in thanks.supporters}
        assert got == example_counts.thank_rows(account, label, tz), account
        checked += len(got)
    assert checked > 50  # the example has plenty of support in both weeks
