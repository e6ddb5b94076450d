"""``retweetring balance``: the share of each account's original tweets that are promotional."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime

import pytest
from conftest import PERSONAL_TEXT, PROMO_TEXT, invoke
from sqlalchemy import insert

from retweetring.graph import Window
from retweetring.posting import posting_balance
from retweetring.store.models import Member, Tweet
from retweetring.store.queries import find_account, posting_counts


def _by_account(counts, **options):
    result = posting_balance(counts, **options)
    return result, {b.account: b for b in result.accounts}


# --- the definitions, on literal counts --------------------------------------------------------


def test_share_is_promotional_originals_over_all_originals():
    _, got = _by_account({"ann": (8, 2)})
    assert got["ann"].share == 0.25


def test_median_of_an_odd_number_of_accounts_is_the_middle_share():
    result, _ = _by_account({"a": (4, 1), "b": (4, 2), "c": (4, 4)})
    assert (result.median, result.counted) == (0.5, 3)


def test_median_of_an_even_number_of_accounts_is_the_mean_of_the_middle_two():
    result, got = _by_account({"a": (4, 0), "b": (4, 1), "c": (4, 3), "d": (4, 4)})
    assert result.median == 0.5
    assert got["b"].from_median == -0.25
    assert got["c"].from_median == 0.25


def test_every_original_promotional_only_sells():
    _, got = _by_account({"ann": (3, 3)})
    assert got["ann"].mark == "only sells"


def test_no_original_promotional_never_sells():
    _, got = _by_account({"ann": (3, 0)})
    assert got["ann"].mark == "never sells"


def test_a_mix_has_no_mark():
    _, got = _by_account({"ann": (3, 1)})
    assert got["ann"].mark == ""


def test_fewer_than_min_tweets_is_too_few_and_not_in_the_median():
    result, got = _by_account({"few": (2, 2), "a": (3, 0), "b": (3, 1), "c": (3, 2)})
    assert got["few"].mark == "too few tweets"
    assert (result.median, result.counted) == (pytest.approx(1 / 3), 3)
    assert got["few"].from_median == pytest.approx(2 / 3)


def test_min_tweets_moves_the_threshold():
    result, got = _by_account({"a": (2, 2), "b": (5, 1)}, min_tweets=2)
    assert got["a"].mark == "only sells"
    assert result.counted == 2


def test_no_originals_means_no_share_and_sorts_last():
    result, got = _by_account({"quiet": (0, 0), "a": (3, 0)})
    assert (got["quiet"].share, got["quiet"].from_median, got["quiet"].mark) == (
        None,
        None,
        "too few tweets",
    )
    assert [b.account for b in result.accounts] == ["a", "quiet"]


def test_no_median_when_no_account_has_enough_originals():
    result, got = _by_account({"a": (2, 1)})
    assert (result.median, result.counted, got["a"].from_median) == (None, 0, None)


def test_sorted_by_share_descending_then_account():
    result, _ = _by_account({"cy": (4, 2), "ann": (2, 1), "bob": (3, 3), "di": (5, 0)})
    assert [b.account for b in result.accounts] == ["bob", "ann", "cy", "di"]


@pytest.mark.parametrize("counts", [{"a": (2, 3)}, {"a": (2, -1)}, {"a": (-1, -1)}])
def test_impossible_counts_are_refused(counts):
    with pytest.raises(ValueError, match="impossible"):
        posting_balance(counts)


def test_min_tweets_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        posting_balance({}, min_tweets=0)


# --- the counts, from a real database ----------------------------------------------------------


@pytest.fixture
def town(community, tmp_path, run):
    """bakery: 2 promotional + 1 personal; florist: 3 promotional; cafe: 3 personal;
    deli: 1 promotional; lurker only retweets. All on 2026-11-02..04."""
    day = [datetime(2026, 11, d, 12) for d in (2, 3, 4)]
    ids = {}
    for author, texts in {
        "bakery": [PROMO_TEXT, PROMO_TEXT, PERSONAL_TEXT],
        "florist": [PROMO_TEXT] * 3,
        "cafe": [PERSONAL_TEXT] * 3,
        "deli": [PROMO_TEXT],
    }.items():
        times = day[: len(texts)]
        ids[author] = [community.post(author, t, at) for t, at in zip(texts, times, strict=True)]
    community.retweet("lurker", ids["bakery"][0], at=datetime(2026, 11, 5))
    result = run("import", str(community.write(tmp_path / "town.jsonl")))
    assert result.exit_code == 0, result.output
    return ids


def _counts(engine, window=None):
    return {r.username: (r.originals, r.promotional) for r in posting_counts(engine, window)}


def test_counts_originals_and_promotional_per_author(town, engine):
    assert _counts(engine) == {
        "bakery": (3, 2),
        "florist": (3, 3),
        "cafe": (3, 0),
        "deli": (1, 1),
    }


def test_the_override_wins_over_the_classifier(town, engine, run):
    assert run("tweets", "mark-personal", town["florist"][0]).exit_code == 0
    assert run("tweets", "mark-promo", town["cafe"][0]).exit_code == 0
    counts = _counts(engine)
    assert counts["florist"] == (3, 2)
    assert counts["cafe"] == (3, 1)


def test_the_window_is_half_open(community, tmp_path, run, engine):
    for at in [
        datetime(2026, 11, 1, 23, 59, 59),
        datetime(2026, 11, 2, 0, 0, 0),
        datetime(2026, 11, 2, 23, 59, 59),
        datetime(2026, 11, 3, 0, 0, 0),
    ]:
        community.post("bakery", PROMO_TEXT, at)
    run("import", str(community.write(tmp_path / "edges.jsonl")))
    window = Window(datetime(2026, 11, 2).date(), datetime(2026, 11, 3).date())
    assert _counts(engine, window) == {"bakery": (2, 2)}


def test_authors_with_no_originals_in_the_window_are_listed_with_zero(town, engine):
    window = Window(datetime(2026, 11, 4).date(), None)
    assert _counts(engine, window) == {
        "bakery": (1, 0),
        "florist": (1, 1),
        "cafe": (1, 0),
        "deli": (0, 0),
    }


def test_a_tweet_without_a_time_counts_only_when_the_window_is_unbounded(town, engine):
    with engine.begin() as conn:
        conn.execute(
            insert(Tweet).values(
                platform="x",
                id=-1,
                author_id=find_account(conn, "cafe"),
                created_at=None,
                text=PROMO_TEXT,
                is_promotional=True,
                promo_score=1.0,
            )
        )
    assert _counts(engine)["cafe"] == (4, 1)
    assert _counts(engine, Window(datetime(2026, 1, 1).date(), None))["cafe"] == (3, 0)
    assert _counts(engine, Window(None, datetime(2027, 1, 1).date()))["cafe"] == (3, 0)


def test_members_without_tweets_are_listed_and_retweeters_only_are_not(town, engine):
    assert "lurker" not in _counts(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(Member).values(
                platform="x", account_id=find_account(conn, "lurker"), added_at=datetime.now()
            )
        )
    assert _counts(engine)["lurker"] == (0, 0)


# --- the command ---------------------------------------------------------------------------------


def test_json_rows_carry_share_median_distance_and_mark(town, run):
    result = run("balance", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "username": "deli",
            "originals": 1,
            "promotional": 1,
            "share": 1.0,
            "median": 0.6667,
            "from_median": 0.3333,
            "mark": "too few tweets",
        },
        {
            "username": "florist",
            "originals": 3,
            "promotional": 3,
            "share": 1.0,
            "median": 0.6667,
            "from_median": 0.3333,
            "mark": "only sells",
        },
        {
            "username": "bakery",
            "originals": 3,
            "promotional": 2,
            "share": 0.6667,
            "median": 0.6667,
            "from_median": 0.0,
            "mark": "",
        },
        {
            "username": "cafe",
            "originals": 3,
            "promotional": 0,
            "share": 0.0,
            "median": 0.6667,
            "from_median": -0.6667,
            "mark": "never sells",
        },
    ]


def test_csv_has_a_header_and_one_row_per_account(town, run):
    result = run("balance", "--format", "csv", "--min-tweets", "1")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "username",
        "originals",
        "promotional",
        "share",
        "median",
        "from_median",
        "mark",
    ]
    assert [(r["username"], r["mark"]) for r in rows] == [
        ("deli", "only sells"),
        ("florist", "only sells"),
        ("bakery", ""),
        ("cafe", "never sells"),
    ]
    assert {r["median"] for r in rows} == {"0.8333"}


def test_text_is_a_table_titled_with_the_window_and_median(town, run):
    result = run("balance", "--since", "2026-11-01", "--until", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "Posting balance (2026-11-01 to 2026-12-01 (exclusive); median 0.667" in result.stdout
    assert "never sells" in result.stdout and "too few tweets" in result.stdout


def test_account_shows_one_row_against_the_community_median(town, run):
    result = run("balance", "--account", "@Bakery", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["username"], r["median"]) for r in rows] == [("bakery", 0.6667)]


def test_an_account_that_only_retweets_has_no_row(town, run):
    result = run("balance", "--account", "lurker")
    assert result.exit_code == 0, result.output
    assert "@lurker is not a member and has no stored tweet." in result.stdout


def test_an_unknown_account_is_one_line_and_exit_1(town, run):
    result = run("balance", "--account", "nobody")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Error: no account @nobody in the database"]


def test_since_not_before_until_is_refused(run):
    result = run("balance", "--since", "2026-11-02", "--until", "2026-11-02")
    assert result.exit_code == 2
    assert "must be before" in result.stderr


def test_an_empty_database_says_so(run):
    result = run("balance")
    assert result.exit_code == 0, result.output
    assert "No members or stored tweets" in result.stdout


# --- the bundled example, against sqlite3 directly -----------------------------------------------


def _independent(db, since: str, until: str) -> dict[str, tuple[int, int]]:
    con = sqlite3.connect(db)
    try:
        listed = con.execute(
            "SELECT id, username FROM accounts WHERE platform = 'x' AND ("
            " id IN (SELECT author_id FROM tweets WHERE platform = 'x')"
            " OR id IN (SELECT account_id FROM members WHERE platform = 'x'))"
        ).fetchall()
        posted = dict.fromkeys((account for account, _ in listed), (0, 0))
        for author, override, decided, created in con.execute(
            "SELECT author_id, promo_override, is_promotional, created_at FROM tweets"
            " WHERE platform = 'x'"
        ):
            if created is not None and since <= created < until:
                n, promo = posted[author]
                promotional = decided if override is None else override
                posted[author] = (n + 1, promo + bool(promotional))
    finally:
        con.close()
    return {username: posted[account] for account, username in listed}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@pytest.mark.parametrize(
    "since, until, min_tweets",
    [(None, None, 3), ("2026-10-12", "2026-11-09", 4), ("2026-11-20", None, 2)],
)
def test_the_example_matches_an_independent_sqlite3_count(example_db, since, until, min_tweets):
    expected = _independent(example_db, since or "", until or "9999")
    window = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    result = invoke(
        example_db, "balance", *window, "--min-tweets", str(min_tweets), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["username"]: (r["originals"], r["promotional"]) for r in rows} == expected
    median = _median([p / n for n, p in expected.values() if n >= min_tweets])
    assert {r["median"] for r in rows} == {round(median, 4)}
    for r in rows:
        n, p = expected[r["username"]]
        assert r["share"] == (round(p / n, 4) if n else None)
        assert r["from_median"] == (round(p / n - median, 4) if n else None)
        if n < min_tweets:
            assert r["mark"] == "too few tweets"
        else:
            assert r["mark"] == ("only sells" if p == n else "never sells" if p == 0 else "")
    order = [(r["share"] is None, -(r["share"] or 0), r["username"]) for r in rows]
    assert order == sorted(order)
