"""Live collection from the X API, replayed: members, checkpoints, faults, costs, secrets.

Every HTTP request is answered by ``responses`` (see ``fake_x.py``): real recorded status lines
and headers, bodies in the documented v2 shape. Waits use a fake clock.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import responses
from conftest import PERSONAL_TEXT, invoke
from fake_x import (
    CLOCK_START,
    MEMBERS,
    TOKEN,
    FakeClock,
    FakeX,
    Fault,
    SnowflakeCommunity,
    load_cassette,
    make_town,
)

import retweetring.sources.collect as library
from retweetring.cli import collect as collect_cmd
from retweetring.config import Secret
from retweetring.graph import support_graph
from retweetring.sources.collect import (
    Ledger,
    PageEvent,
    approximate_retweet_id,
    collect,
    snowflake_for,
)
from retweetring.sources.x_api import XApi
from retweetring.store.session import open_database

TABLES = (
    "accounts",
    "tweets",
    "retweets",
    "members",
    "collect_checkpoints",
    "retweeter_checks",
    "approximate_retweets",
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(collect_cmd, "_clock", fake.time)
    monkeypatch.setattr(collect_cmd, "_sleep", fake.sleep)
    return fake


@pytest.fixture
def town() -> SnowflakeCommunity:
    return make_town()


@pytest.fixture
def x(shared_fixtures, town, clock, monkeypatch, tmp_path):
    """The replayed X API, with the token in the environment and no config file."""
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    monkeypatch.setenv("RETWEETRING_CONFIG", str(tmp_path / "no-config.toml"))
    fake = FakeX(shared_fixtures, town, clock)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        yield fake


def dump(db: Path, tables=TABLES) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}


def restart(fake: FakeX, clock: FakeClock, faults: list[Fault] = ()) -> None:
    """Start a scenario afresh: call counters, faults and the clock."""
    fake.calls = dict.fromkeys(fake.calls, 0)
    fake.requests.clear()
    fake.faults = list(faults)
    clock.now = CLOCK_START
    clock.slept.clear()


def clean_run(tmp_path: Path, fake: FakeX, clock: FakeClock, *collect_args: str) -> Path:
    """A fault-free run into a new database: the reference the fault tests compare with."""
    restart(fake, clock)
    db = tmp_path / "clean.db"
    assert invoke(db, "members", "add", *MEMBERS).exit_code == 0
    result = invoke(db, "collect", *collect_args)
    assert result.exit_code == 0, result.output
    return db


def timeline_ids(town: SnowflakeCommunity, username: str) -> set[int]:
    uid = town.user(username)["id"]
    return {int(t["id"]) for t in town.tweets.values() if t["author_id"] == uid}


# --- members ----------------------------------------------------------------------------------


def test_members_add_resolves_usernames_and_reports_unknown_ones(x, tmp_path):
    db = tmp_path / "r.db"
    result = invoke(db, "members", "add", "@bakery", "cafe", "nosuchshop")
    assert result.exit_code == 1
    assert "added: @bakery, @cafe" in result.output
    assert "not found on X (skipped): @nosuchshop" in result.output
    assert x.requests[0][1]["usernames"] == "bakery,cafe,nosuchshop"
    listed = json.loads(invoke(db, "members", "list", "--format", "json").output)
    assert [(m["username"], m["id"]) for m in listed] == [
        ("bakery", x.community.user("bakery")["id"]),
        ("cafe", x.community.user("cafe")["id"]),
    ]
    again = invoke(db, "members", "add", "cafe")
    assert again.exit_code == 0 and "already members: @cafe" in again.output


def test_members_import_reads_one_username_a_line_with_comments(x, tmp_path):
    listing = tmp_path / "community.txt"
    listing.write_text("# our town\nbakery\n\n@cafe   # the harbour one\nflorist\n")
    db = tmp_path / "r.db"
    result = invoke(db, "members", "import", str(listing))
    assert result.exit_code == 0, result.output
    assert "added: @bakery, @cafe, @florist" in result.output


def test_members_import_names_the_file_and_line_of_a_bad_entry(x, tmp_path):
    listing = tmp_path / "community.txt"
    listing.write_text("bakery\nnot a username\n")
    result = invoke(tmp_path / "r.db", "members", "import", str(listing))
    assert result.exit_code == 1
    assert f"{listing}:2: 'not a username' is not an X username" in result.output
    assert x.calls["users"] == 0


def test_members_remove_stops_tracking_but_keeps_the_data(x, tmp_path):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    invoke(db, "collect")
    before = dump(db, ("tweets", "retweets"))
    result = invoke(db, "members", "remove", "cafe")
    assert result.exit_code == 0 and "removed: @cafe" in result.output
    names = [
        m["username"] for m in json.loads(invoke(db, "members", "list", "--format", "json").output)
    ]
    assert names == ["bakery", "florist"]
    assert dump(db, ("tweets", "retweets")) == before
    missing = invoke(db, "members", "remove", "nosuchshop")
    assert missing.exit_code == 1 and "not a member: @nosuchshop" in missing.output


# --- collecting -------------------------------------------------------------------------------


def test_collect_stores_every_members_tweets_and_retweets(x, tmp_path, town):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        tweets = {r[0] for r in conn.execute("SELECT id FROM tweets")}
        retweets = {r[0] for r in conn.execute("SELECT id FROM retweets")}
    member_tweets = set().union(*(timeline_ids(town, m) for m in MEMBERS))
    assert tweets | retweets == member_tweets
    assert len(retweets) == 7  # the members' retweets; fans are not members
    assert "@bakery: 2 pages, 6 tweets read, 6 new tweets, 2 new retweets (up to date)" in (
        result.output
    )
    total = sum(len(timeline_ids(town, m)) for m in MEMBERS)
    assert f"collect: {x.calls['tweets']} requests, {total} tweets read" in result.output


def test_collected_pages_give_the_same_rows_as_importing_them(x, tmp_path, town):
    """One code path: what collect stores equals `import` of the very pages it was served."""
    db = tmp_path / "r.db"
    pages = []
    original = x._answer

    def keep(endpoint, n, body, fault):
        answer = original(endpoint, n, body, fault)
        if endpoint == "tweets":
            pages.append(answer[2])
        return answer

    x._answer = keep
    invoke(db, "members", "add", *MEMBERS)
    invoke(db, "collect")
    saved = tmp_path / "served.jsonl"
    saved.write_text("\n".join(pages) + "\n")
    imported = tmp_path / "imported.db"
    assert invoke(imported, "import", str(saved)).exit_code == 0
    assert dump(db, ("tweets", "retweets")) == dump(imported, ("tweets", "retweets"))


def test_requests_ask_for_the_documented_fields_and_expansions(x, tmp_path):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    invoke(db, "collect")
    endpoint, params, _ = x.requests[1]
    assert endpoint == "tweets"
    assert params["tweet.fields"] == (
        "created_at,author_id,referenced_tweets,entities,public_metrics,conversation_id,note_tweet"
    )
    assert params["expansions"] == "referenced_tweets.id,referenced_tweets.id.author_id"
    assert params["user.fields"] == "username,name,url,entities,description"
    assert params["max_results"] == "100"


def test_every_request_for_users_asks_for_their_profile_website(x, tmp_path):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    invoke(db, "collect", "--retweeters")
    asked = {endpoint: params.get("user.fields") for endpoint, params, _ in x.requests}
    assert {"users", "tweets", "retweeted_by"} <= set(asked)
    for endpoint in ("users", "tweets", "retweeted_by"):
        assert {"url", "entities"} <= set(asked[endpoint].split(",")), endpoint


def test_the_next_run_asks_only_for_newer_tweets(x, tmp_path, town):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    invoke(db, "collect")
    newest = max(timeline_ids(town, "bakery"))
    fresh = town.post("bakery", "New: gingerbread, order now at the shop! 10% off")
    x.requests.clear()
    result = invoke(db, "collect")
    assert result.exit_code == 0
    assert [p.get("since_id") for _, p, _ in x.requests] == [str(newest)]
    assert "until_id" not in x.requests[0][1]
    assert "1 new tweet, 0 new retweets" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT 1 FROM tweets WHERE id = ?", (int(fresh),)).fetchone()
        assert conn.execute("SELECT since_id FROM collect_checkpoints").fetchone() == (int(fresh),)


def test_since_bounds_the_first_run_of_a_member(x, tmp_path, town):
    town.START = datetime(2026, 11, 5, 9, 0)  # the town's tweets so far are from 2026-11-02
    recent = {int(town.post("bakery")), int(town.post("bakery", PERSONAL_TEXT))}
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    assert invoke(db, "collect", "--since", "2026-11-04").exit_code == 0
    assert x.requests[-1][1]["since_id"] == str(snowflake_for(date(2026, 11, 4)) - 1)
    assert {r[1] for r in dump(db, ("tweets",))["tweets"]} == recent
    x.requests.clear()
    invoke(db, "collect", "--since", "2020-01-01")  # collected before: --since no longer applies
    assert x.requests[0][1]["since_id"] == str(max(recent))


def test_a_first_run_that_finds_nothing_since_the_date_keeps_the_bound(x, tmp_path):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    invoke(db, "collect", "--since", "2026-11-03")
    assert dump(db, ("tweets",))["tweets"] == []
    x.requests.clear()
    invoke(db, "collect")  # not the whole timeline: still only what is newer than the date
    assert x.requests[0][1]["since_id"] == str(snowflake_for(date(2026, 11, 3)) - 1)
    assert dump(db, ("tweets",))["tweets"] == []


def test_paging_follows_the_recorded_next_token(x, tmp_path, shared_fixtures, town):
    """The real recorded page (with its real next_token) leads to pagination_token."""
    recorded = load_cassette(shared_fixtures, "test_client_get_users_tweets.yaml")[0]
    assert recorded["status"] == 200
    body = recorded["body"]
    uid = town.user("bakery")["id"]
    for tweet in body["data"]:  # recorded with default fields only: no author_id
        tweet["author_id"] = uid
    x.overrides[("tweets", 1)] = body
    x.overrides[("tweets", 2)] = {"meta": {"result_count": 0}}
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    result = invoke(db, "collect")
    assert result.exit_code == 0, result.output
    first, second = (p for e, p, _ in x.requests if e == "tweets")
    assert "pagination_token" not in first
    assert second["pagination_token"] == body["meta"]["next_token"]
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM tweets")}
        since = conn.execute("SELECT since_id FROM collect_checkpoints").fetchone()[0]
    assert stored == {int(t["id"]) for t in body["data"]}
    assert since == int(body["meta"]["newest_id"])


# --- faults -------------------------------------------------------------------------------


RECOVERED = {
    "429 with a reset header": [Fault("tweets", 2, "429", reset_in=300)],
    "503 twice then success": [Fault("tweets", 2, "503", times=2)],
    "a connection reset mid-pagination": [Fault("tweets", 2, "reset")],
    "a truncated JSON body": [Fault("tweets", 3, "truncated")],
    "the window used up (remaining 0)": [Fault("tweets", 1, "exhausted", reset_in=120)],
}


@pytest.mark.parametrize("faults", RECOVERED.values(), ids=RECOVERED.keys())
def test_a_fault_is_survived_and_a_rerun_equals_a_fault_free_run(x, clock, tmp_path, faults):
    clean = clean_run(tmp_path, x, clock, "--retweeters")
    restart(x, clock, faults)
    db = tmp_path / "faulty.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", "--retweeters")
    assert result.exit_code == 0, result.output
    assert dump(db) == dump(clean)
    rerun = invoke(db, "collect", "--retweeters")
    assert rerun.exit_code == 0
    assert dump(db) == dump(clean)


def test_a_429_waits_for_the_reset_with_a_countdown(x, clock, tmp_path):
    restart(x, clock, [Fault("tweets", 2, "429", reset_in=300)])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect")
    assert result.exit_code == 0
    assert "rate limit reached: waiting 05:00 until 22:48:18 UTC" in result.output
    assert "waiting 04:00" in result.output  # a line a minute when not on a terminal
    assert sum(clock.slept) >= 300
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM api_requests ORDER BY id")]
    assert statuses.count(429) == 1


def test_server_errors_are_retried_with_exponential_backoff(x, clock, tmp_path):
    restart(x, clock, [Fault("tweets", 1, "503", times=4)])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    assert invoke(db, "collect").exit_code == 0
    assert clock.slept == [1.0, 2.0, 4.0, 8.0]


def test_each_retry_is_announced_with_its_wait(x, clock, tmp_path):
    restart(x, clock, [Fault("tweets", 1, "reset", times=2)])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    result = invoke(db, "collect")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "retry" in line]
    assert len(lines) == 2
    assert "connection failed" in lines[0]
    assert "retry 1 of 6 in 1 s" in lines[0]
    assert "retry 2 of 6 in 2 s" in lines[1]


PERSISTENT = {
    "429 with --no-wait": ([Fault("tweets", 3, "429", reset_in=600)], ("--no-wait",), 75),
    "503 on every retry": ([Fault("tweets", 3, "503", times=7)], (), 1),
    "connection resets on every retry": ([Fault("tweets", 3, "reset", times=7)], (), 1),
    "truncated bodies on every retry": ([Fault("tweets", 3, "truncated", times=7)], (), 1),
    "503 while reading retweeters": ([Fault("retweeted_by", 2, "503", times=7)], (), 1),
    "402 out of credits": ([Fault("tweets", 3, "402")], (), 76),
    "402 while reading retweeters": ([Fault("retweeted_by", 1, "402")], (), 76),
    "429 usage cap": ([Fault("tweets", 3, "usage-cap")], (), 77),
    "the daily app limit used up": ([Fault("tweets", 3, "daily")], (), 75),
    "429 at the daily app limit": ([Fault("tweets", 3, "daily-429")], (), 75),
}


@pytest.mark.parametrize("faults, options, status", PERSISTENT.values(), ids=PERSISTENT.keys())
def test_a_run_stopped_by_a_fault_is_completed_by_the_next_run(
    x, clock, tmp_path, faults, options, status
):
    clean = clean_run(tmp_path, x, clock, "--retweeters")
    restart(x, clock, faults)
    db = tmp_path / "faulty.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", "--retweeters", *options)
    assert result.exit_code == status
    assert "Traceback" not in result.output
    assert "collect: " in result.output  # the summary is printed even when stopped
    assert dump(db) != dump(clean)
    x.faults.clear()
    rerun = invoke(db, "collect", "--retweeters")
    assert rerun.exit_code == 0, rerun.output
    assert dump(db) == dump(clean)


def test_no_wait_says_when_to_resume(x, clock, tmp_path):
    restart(x, clock, [Fault("tweets", 2, "429", reset_in=600)])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", "--no-wait")
    assert result.exit_code == 75
    assert "Run again after 2022-10-07 22:53:18 UTC to continue" in result.output
    assert clock.slept == []


@pytest.mark.parametrize("stop_after", [1, 2, 3, 5, 8])
def test_a_run_stopped_between_two_pages_resumes_without_gaps_or_duplicates(
    x, clock, tmp_path, stop_after
):
    """In-process stand-in for a kill: a hook raises right after a page's commit."""
    clean = clean_run(tmp_path, x, clock, "--retweeters")
    restart(x, clock)
    db = tmp_path / "killed.db"
    invoke(db, "members", "add", *MEMBERS)

    class Killed(Exception):
        pass

    def kill(event: PageEvent) -> None:
        pages.append(event)
        if len(pages) == stop_after:
            raise Killed

    pages: list[PageEvent] = []
    engine = open_database(str(db))
    ledger = Ledger()
    api = XApi(Secret(TOKEN), on_request=ledger, sleep=clock.sleep, clock=clock.time)
    with pytest.raises(Killed):
        collect(engine, api, ledger, retweeters=True, on_page=kill, clock=clock.time)
    api.close()
    engine.dispose()
    x.requests.clear()
    rerun = invoke(db, "collect", "--retweeters")
    assert rerun.exit_code == 0, rerun.output
    assert dump(db) == dump(clean)
    if not pages[-1].last:  # stopped inside a sweep: resumed by until_id, not by a token
        resumed = x.requests[0][1]
        assert "until_id" in resumed and "pagination_token" not in resumed


# --- budget, usage, dry run ------------------------------------------------------------------


def test_max_reads_stops_cleanly_and_the_next_run_continues(x, clock, tmp_path):
    clean = clean_run(tmp_path, x, clock)
    restart(x, clock)
    db = tmp_path / "budget.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", "--max-reads", "9")
    assert result.exit_code == 0
    assert "stopped: read budget of 9 reached" in result.output
    assert "collect: 2 requests, 6 tweets read" in result.output  # 4 + 2: bakery's timeline
    assert "@cafe: 0 pages, 0 tweets read" in result.output
    assert [p["max_results"] for _, p, _ in x.requests[1:]] == ["9", "5"]
    assert invoke(db, "collect").exit_code == 0
    assert dump(db) == dump(clean)


def test_usage_shows_this_months_requests_and_tweets_read(x, clock, tmp_path, town):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    invoke(db, "collect", "--retweeters")
    result = invoke(db, "collect", "--usage", "--format", "json")
    usage = json.loads(result.output)
    assert usage["requests"] == sum(x.calls.values())
    looked_up = sum(len(p["ids"].split(",")) for e, p, _ in x.requests if e == "lookup")
    assert looked_up == 9  # the members' promotional tweets get fresh retweet counts
    assert usage["tweets"] == sum(len(timeline_ids(town, m)) for m in MEMBERS) + looked_up
    # 3 members looked up + 10 retweeters listed (members too; only fans become events)
    assert usage["users"] == 13
    assert usage["since"].startswith("2022-10-01")
    text = invoke(db, "collect", "--usage").output
    assert f"{usage['requests']} requests, {usage['tweets']} tweets read" in text


def test_dry_run_makes_no_request_and_needs_no_token(x, tmp_path, monkeypatch):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    monkeypatch.delenv("X_BEARER_TOKEN")
    before = sum(x.calls.values())
    result = invoke(db, "collect", "--dry-run", "--since", "2026-10-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert sum(x.calls.values()) == before
    planned = json.loads(result.output)["members"]
    assert [(m["username"], m["what"], m["since_id"]) for m in planned] == [
        (m, "first sweep: tweets since 2026-10-01", str(snowflake_for(date(2026, 10, 1)) - 1))
        for m in MEMBERS
    ]
    assert "dry run: no request made" in invoke(db, "collect", "--dry-run").output


# --- retweeters ------------------------------------------------------------------------------


def test_retweeters_become_approximate_events_keyed_to_be_idempotent(x, clock, tmp_path, town):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", "--retweeters")
    assert result.exit_code == 0, result.output
    fans = {town.user(f)["id"] for f in ("fan_ann", "fan_bob")}
    with sqlite3.connect(db) as conn:
        approx = conn.execute(
            "SELECT r.id, r.retweeter_id, r.original_id, r.created_at FROM retweets r "
            "JOIN approximate_retweets a ON a.platform = r.platform AND a.id = r.id"
        ).fetchall()
    assert {str(r[1]) for r in approx} == fans
    assert len(approx) == 3  # ann: two originals, bob: one; members' retweets stay exact
    assert all(r[0] == approximate_retweet_id(r[1], r[2]) < 0 for r in approx)
    assert {r[3] for r in approx} == {"2021-09-20 22:41:51.000000"}  # the answer's Date
    snapshot = dump(db)
    assert invoke(db, "collect", "--retweeters").exit_code == 0
    assert dump(db) == snapshot  # seen again: nothing new, nothing changed
    ann_only = {r[2] for r in approx if str(r[1]) == town.user("fan_ann")["id"]} - {
        r[2] for r in approx if str(r[1]) == town.user("fan_bob")["id"]
    }
    town.retweet("fan_bob", str(ann_only.pop()))  # a later retweet: the count grows
    assert invoke(db, "collect", "--retweeters").exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM approximate_retweets").fetchone() == (4,)


def test_a_later_real_retweet_does_not_double_count_support(x, tmp_path, town):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    invoke(db, "collect", "--retweeters")
    ann, bakery = int(town.user("fan_ann")["id"]), int(town.user("bakery")["id"])
    engine = open_database(str(db))
    assert support_graph(engine)[ann][bakery]["weight"] == 1
    invoke(db, "members", "add", "fan_ann")  # her timeline now brings the real retweet
    invoke(db, "collect")
    graph = support_graph(engine)
    engine.dispose()
    with sqlite3.connect(db) as conn:
        events = conn.execute(
            "SELECT count(*) FROM retweets WHERE retweeter_id = ? AND original_id IN "
            "(SELECT id FROM tweets WHERE author_id = ?)",
            (ann, bakery),
        ).fetchone()[0]
    assert events == 2  # the approximate event and the real one
    assert graph[ann][bakery]["weight"] == 1  # one distinct original


def test_the_recorded_retweeted_by_answer_is_stored(x, tmp_path, shared_fixtures, town):
    recorded = load_cassette(shared_fixtures, "test_client_get_retweeters.yaml")[0]
    paged = load_cassette(shared_fixtures, "test_asyncclient_get_retweeters.yaml")[0]
    x.overrides[("retweeted_by", 1)] = paged["body"]
    x.overrides[("retweeted_by", 2)] = recorded["body"]
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    assert invoke(db, "collect", "--retweeters").exit_code == 0
    tokens = [p.get("pagination_token") for e, p, _ in x.requests if e == "retweeted_by"]
    assert tokens[:2] == [None, paged["body"]["meta"]["next_token"]]
    users = {u["id"] for u in paged["body"]["data"] + recorded["body"]["data"]}
    with sqlite3.connect(db) as conn:
        stored = {
            str(r[0])
            for r in conn.execute(
                "SELECT retweeter_id FROM retweets JOIN approximate_retweets USING (platform, id)"
            )
        }
    assert users <= stored


# --- credentials ----------------------------------------------------------------------------


def test_the_token_appears_in_no_output_log_or_database_byte(x, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "r.db"
    outputs = [invoke(db, "members", "add", *MEMBERS).output]
    outputs.append(invoke(db, "collect", "--retweeters").output)
    outputs.append(invoke(db, "collect", "--usage").output)
    assert all(h["Authorization"] == f"Bearer {TOKEN}" for _, _, h in x.requests)
    assert "Making API request" in caplog.text  # tweepy's debug log was captured
    for text in outputs + [caplog.text]:
        assert TOKEN not in text
    files = [p for p in tmp_path.iterdir() if p.name.startswith("r.db")]
    assert files
    for path in files:
        assert TOKEN.encode() not in path.read_bytes()


@pytest.mark.parametrize(
    "status, expected",
    [
        (401, "the X API rejected the bearer token (401 Unauthorized)"),
        (403, "the X API refused access (403 Forbidden): the token is valid but your plan"),
    ],
)
def test_401_and_403_are_one_line_explanations(x, clock, tmp_path, status, expected):
    restart(x, clock, [Fault("tweets", 1, str(status))])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    result = invoke(db, "collect")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and expected in errors[0]
    assert TOKEN not in result.output and "Traceback" not in result.output


def _config(tmp_path: Path, monkeypatch, mode: int, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(mode)
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.setenv("RETWEETRING_CONFIG", str(path))
    return path


def test_the_token_is_read_from_a_private_config_file(x, tmp_path, monkeypatch):
    _config(tmp_path, monkeypatch, 0o600, f'[x]\nbearer_token = "{TOKEN}"\n')
    result = invoke(tmp_path / "r.db", "members", "add", "bakery")
    assert result.exit_code == 0, result.output
    assert x.requests[0][2]["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_config_file_others_can_read_is_refused_with_the_fix(x, tmp_path, monkeypatch, mode):
    path = _config(tmp_path, monkeypatch, mode, f'[x]\nbearer_token = "{TOKEN}"\n')
    result = invoke(tmp_path / "r.db", "members", "add", "bakery")
    assert result.exit_code == 1
    assert f"Fix: chmod 600 {path}" in result.output
    assert TOKEN not in result.output and x.requests == []


def test_a_malformed_token_is_refused_without_showing_it(x, tmp_path, monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", "secret part\nsecond line")
    result = invoke(tmp_path / "r.db", "members", "add", "bakery")
    assert result.exit_code == 1
    assert "$X_BEARER_TOKEN is not valid" in result.output
    assert "secret" not in result.output and x.requests == []


def test_no_token_at_all_says_how_to_set_one(x, tmp_path, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN")
    result = invoke(tmp_path / "r.db", "members", "add", "bakery")
    assert result.exit_code == 1
    assert "no X API bearer token: set X_BEARER_TOKEN" in result.output


KILLS = {
    "during the 2nd request": ("request", 2),
    "inside the `members add` transaction": ("transaction", 1),
    "inside the 1st page's transaction": ("transaction", 2),
    "inside the retweet counts' transaction": ("transaction", 8),
    "inside a retweeters page's transaction": ("transaction", 10),
}


@pytest.mark.parametrize("mode, n", KILLS.values(), ids=KILLS.keys())
def test_a_process_killed_with_sigkill_resumes_without_gaps_or_duplicates(
    x, clock, tmp_path, shared_fixtures, mode, n
):
    """A real SIGKILL of a child process, then a rerun: the database equals a clean run's."""
    clean = clean_run(tmp_path, x, clock, "--retweeters")
    _kill_and_resume(x, clock, tmp_path / "killed.db", shared_fixtures, mode, n, clean)


def test_collects_killed_at_random_points_resume_without_gaps_or_duplicates(
    x, clock, tmp_path, shared_fixtures, monkeypatch, soak
):
    """SIGKILL at a request or a transaction picked at random (several seeds; more with --soak)."""
    pages = [0]
    write = library.write_pages

    def counting_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        pages[0] += 1
        return write(*args, **kwargs)

    monkeypatch.setattr(library, "write_pages", counting_write)
    clean = clean_run(tmp_path, x, clock, "--retweeters")
    monkeypatch.setattr(library, "write_pages", write)
    bounds = {"request": x.calls["tweets"], "transaction": pages[0]}
    for seed in range(20 if soak else 3):
        rng = random.Random(seed)
        mode = rng.choice(sorted(bounds))
        n = rng.randint(1, bounds[mode])
        db = tmp_path / f"killed-{seed}.db"
        _kill_and_resume(x, clock, db, shared_fixtures, mode, n, clean)


def test_two_collectors_at_once_lose_and_duplicate_nothing(x, clock, tmp_path, shared_fixtures):
    clean = clean_run(tmp_path, x, clock, "--retweeters")
    db = tmp_path / "shared.db"
    open_database(str(db)).dispose()
    children = [_collector(db, shared_fixtures, "none", 0) for _ in range(2)]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, out + err
    assert dump(db) == dump(clean)


def _collector(db: Path, shared_fixtures: Path, mode: str, n: int) -> subprocess.Popen[str]:
    """Start tests/killed_collect.py in a child process (see its docstring for mode and n)."""
    tests = Path(__file__).resolve().parent
    return subprocess.Popen(
        [sys.executable, str(tests / "killed_collect.py"), str(db), str(shared_fixtures), mode,
         str(n)],
        cwd=db.parent,
        env={**os.environ, "PYTHONPATH": str(tests)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_and_resume(x, clock, db, shared_fixtures, mode, n, clean) -> None:  # type: ignore[no-untyped-def]
    """Run a collect in a child that SIGKILLs itself at (mode, n); rerun; compare with clean."""
    restart(x, clock)
    child = _collector(db, shared_fixtures, mode, n)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, (mode, n, stdout + stderr)
    assert dump(db) != dump(clean)
    restart(x, clock)
    assert invoke(db, "members", "add", *MEMBERS).exit_code == 0  # in case it was killed there
    rerun = invoke(db, "collect", "--retweeters")
    assert rerun.exit_code == 0, rerun.output
    assert dump(db) == dump(clean), (mode, n)


def test_an_account_the_api_will_not_show_is_reported_not_hidden(x, tmp_path, town):
    x.overrides[("tweets", 1)] = {
        "errors": [
            {
                "detail": f"Sorry, you are not authorized to see the user with id: "
                f"[{town.user('bakery')['id']}].",
                "title": "Authorization Error",
                "resource_type": "user",
                "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
            }
        ]
    }
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery", "cafe")
    result = invoke(db, "collect")
    assert result.exit_code == 1
    assert "@bakery: the X API said: Sorry, you are not authorized to see the user" in (
        result.output
    )
    retweeters = {r[2] for r in dump(db, ("retweets",))["retweets"]}
    assert int(town.user("bakery")["id"]) not in retweeters  # nothing from bakery's timeline
    assert int(town.user("cafe")["id"]) in retweeters  # the others are collected


def test_a_request_the_api_refuses_skips_that_member_only(x, clock, tmp_path, town):
    restart(x, clock)
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    original = x._answer

    def not_found_first(endpoint, n, body, fault):
        if endpoint == "tweets" and n == 1:
            return (
                404,
                dict(x.headers["tweets"]),
                json.dumps(
                    {"title": "Not Found Error", "detail": "Could not find user", "status": 404}
                ),
            )
        return original(endpoint, n, body, fault)

    x._answer = not_found_first
    result = invoke(db, "collect")
    assert result.exit_code == 1
    assert "@bakery: the X API said: GET /2/users/:id/tweets: the X API answered 404" in (
        result.output
    )
    assert "@cafe: 2 pages" in result.output and "@florist: 2 pages" in result.output


# --- money: credits, the usage cap, the daily app limit ---------------------------------------


def _statuses(db: Path) -> list[int]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT status FROM api_requests ORDER BY id")]


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "Error" in line or "stopped:" in line]


def test_out_of_credits_stops_the_run_at_the_first_402_and_keeps_what_was_stored(
    x, clock, tmp_path, town
):
    """The 402 body is X's (fake_x.CREDITS_DEPLETED): one line, exit 76, no member tried after."""
    restart(x, clock, [Fault("tweets", 3, "402", times=10)])  # cafe's first page, and after
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect")
    assert result.exit_code == 76
    assert x.calls["tweets"] == 3  # not once per member: the run stopped at the first 402
    (line,) = _error_lines(result.output)
    assert "out of credits (402 Payment Required: CreditsDepleted" in line
    assert "https://console.x.com" in line and "everything fetched so far is saved" in line
    assert "Traceback" not in result.output and TOKEN not in result.output
    stored = {r[1] for r in dump(db, ("tweets",))["tweets"]} | {
        r[1] for r in dump(db, ("retweets",))["retweets"]
    }
    assert timeline_ids(town, "bakery") <= stored  # bakery's pages, stored before the 402
    assert _statuses(db).count(402) == 1


def test_members_add_out_of_credits_is_one_line_and_exit_76(x, clock, tmp_path):
    restart(x, clock, [Fault("users", 1, "402")])
    result = invoke(tmp_path / "r.db", "members", "add", "bakery")
    assert result.exit_code == 76
    assert len(_error_lines(result.output)) == 1 and "out of credits" in result.output


@pytest.mark.parametrize("no_wait", [False, True], ids=["waiting allowed", "--no-wait"])
def test_a_usage_cap_is_not_taken_for_the_rate_limit(x, clock, tmp_path, no_wait):
    """X's 429 UsageCapExceeded while x-rate-limit-remaining is 39999 (fake_x.USAGE_CAPPED)."""
    restart(x, clock, [Fault("tweets", 2, "usage-cap", times=10)])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", *(["--no-wait"] if no_wait else []))
    assert result.exit_code == 77
    assert clock.slept == []  # no wait for a window that is not used up
    assert x.calls["tweets"] == 2
    (line,) = _error_lines(result.output)
    assert "usage cap or spending limit is reached (429: UsageCapExceeded" in line
    assert "not the rate limit" in line and "monthly billing cycle" in line
    assert "Run again after" not in result.output and "waiting 0" not in result.output


def test_the_daily_app_limit_stops_before_the_next_request_and_says_when(x, clock, tmp_path):
    """``x-app-limit-24hour-remaining: 0`` on a good answer: it is stored, nothing more is asked."""
    restart(x, clock, [Fault("tweets", 1, "daily", reset_in=7200)])
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    result = invoke(db, "collect", "--retweeters")
    assert result.exit_code == 75
    assert x.calls["tweets"] == 1 and x.calls["retweeted_by"] == 0
    assert clock.slept == []  # a day is too long to wait in a cron job
    assert "daily app limit is reached" in result.output
    assert "Run again after 2022-10-08 00:43:18 UTC" in result.output  # CLOCK_START + 2 h
    assert "@bakery: 1 page, 4 tweets read" in result.output
    x.faults.clear()
    assert invoke(db, "collect").exit_code == 0


# --- long posts -------------------------------------------------------------------------------


LONG_POST = (
    "Such a lovely sunrise over the harbour this morning. The gulls were calling and the fishing "
    "boats were coming in, one by one, past the old lighthouse. Grateful to live in a place like "
    "this, and for all the friendly faces on the quay who stop and say hello. Happy Tuesday all"
    " - and our Christmas menu is out now: 20% off all bookings this week, order online!"
)


def test_a_long_posts_whole_note_tweet_text_is_stored_and_classified(x, tmp_path, town):
    """A post over 280 characters: ``text`` is cut, ``note_tweet.text`` is whole (X API v2 post
    object, field ``note_tweet``); the cut part alone reads as personal."""
    uid = town.user("bakery")["id"]
    tweet_id = str(snowflake_for(datetime(2026, 11, 3, 9)) + 7)
    x.overrides[("tweets", 1)] = {
        "data": [
            {
                "id": tweet_id,
                "author_id": uid,
                "created_at": "2026-11-03T09:00:00.000Z",
                "text": LONG_POST[:270] + "…",
                "note_tweet": {"text": LONG_POST, "entities": {}},
                "public_metrics": {"retweet_count": 0},
            }
        ],
        "meta": {"result_count": 1, "newest_id": tweet_id, "oldest_id": tweet_id},
    }
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    assert invoke(db, "collect").exit_code == 0, "collect failed"
    assert "note_tweet" in x.requests[1][1]["tweet.fields"].split(",")
    with sqlite3.connect(db) as conn:
        text, promotional = conn.execute(
            "SELECT text, is_promotional FROM tweets WHERE id = ?", (int(tweet_id),)
        ).fetchone()
    assert text == LONG_POST
    assert promotional == 1


# --- the first run ----------------------------------------------------------------------------


def _at(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def test_a_first_run_reads_the_last_30_days_by_default_and_says_so(x, clock, tmp_path, town):
    old = timeline_ids(town, "bakery")  # from 2026-11-02
    town.START = datetime(2026, 11, 20, 9, 0)
    recent = {int(town.post("bakery")), int(town.post("bakery", PERSONAL_TEXT))}
    clock.now = _at(datetime(2026, 12, 10, 12, 0))
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    result = invoke(db, "collect")
    assert result.exit_code == 0, result.output
    assert x.requests[-1][1]["since_id"] == str(snowflake_for(date(2026, 11, 10)) - 1)
    assert "1 member never collected: reading their tweets since 2026-11-10 only" in result.output
    stored = {r[1] for r in dump(db, ("tweets",))["tweets"]}
    assert recent <= stored and not old & stored


def test_full_history_reads_the_whole_timeline_on_a_first_run(x, clock, tmp_path, town):
    clock.now = _at(datetime(2026, 12, 10, 12, 0))
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    result = invoke(db, "collect", "--full-history")
    assert result.exit_code == 0, result.output
    assert "since_id" not in x.requests[-1][1]
    assert "never collected" not in result.output
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM tweets UNION SELECT id FROM retweets")}
    assert timeline_ids(town, "bakery") <= stored


def test_since_and_full_history_together_are_refused(x, tmp_path):
    result = invoke(tmp_path / "r.db", "collect", "--since", "2026-11-01", "--full-history")
    assert result.exit_code == 2
    assert "--since and --full-history cannot be used together" in result.output


def test_dry_run_estimates_reads_and_dollars_before_anything_is_spent(x, tmp_path, monkeypatch):
    """Members never collected and no activity known: 2 a day from 2022-09-07 00:00 to the
    clock's 2022-10-07 22:43:18, 30.95 days: 62 tweets each."""
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    monkeypatch.delenv("X_BEARER_TOKEN")
    before = sum(x.calls.values())
    planned = json.loads(invoke(db, "collect", "--dry-run", "--format", "json").output)
    assert sum(x.calls.values()) == before
    assert [m["reads"] for m in planned["members"]] == [62, 62, 62]
    assert planned["estimate"] == {
        "tweets": 186,
        "users": 0,
        "dollars": pytest.approx(0.93),
        "most_tweets": 9600,
        "most_users": 0,
        "most_dollars": pytest.approx(48.0),
    }
    text = invoke(db, "collect", "--dry-run").output
    assert "estimated: about 186 tweets and 0 users read, about $0.93" in text
    assert "at most 9,600 tweets and 0 users, $48.00" in text
    assert "members never collected are read from 2022-09-07 (the last 30 days" in text
    whole = invoke(db, "collect", "--dry-run", "--full-history", "--format", "json").output
    whole = json.loads(whole)
    assert whole["estimate"]["tweets"] == 9600 and whole["estimate"]["dollars"] == 48.0
    capped = invoke(db, "collect", "--dry-run", "--max-reads", "100", "--format", "json").output
    assert json.loads(capped)["estimate"]["most_tweets"] == 100


def test_dry_run_estimates_a_weekly_run_from_each_members_past_activity(x, clock, tmp_path, town):
    x.headers["tweets"]["date"] = "Tue, 03 Nov 2026 06:00:00 GMT"  # when the first run ended
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    assert invoke(db, "collect").exit_code == 0
    clock.now = _at(datetime(2026, 11, 10, 6, 0))
    planned = json.loads(invoke(db, "collect", "--dry-run", "--format", "json").output)
    for member in planned["members"]:
        items = timeline_ids(town, member["username"])  # all within the 28 days before
        days = (datetime(2026, 11, 10, 6, 0) - library.tweet_time(max(items))).total_seconds()
        assert member["what"] == "tweets newer than since_id"
        assert member["reads"] == round(len(items) / 28 * days / 86400)
    assert planned["estimate"]["tweets"] == sum(m["reads"] for m in planned["members"])


# --- money in the ledger -----------------------------------------------------------------------


def test_usage_shows_reads_and_dollars_per_day_and_per_billing_period_at_your_prices(
    x, clock, tmp_path, monkeypatch
):
    _config(
        tmp_path,
        monkeypatch,
        0o600,
        f'[x]\nbearer_token = "{TOKEN}"\n\n[x.prices]\npost_read = 0.01\nuser_read = 0.02\n'
        "billing_day = 15\n",
    )
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)  # 2022-10-07: the period from 2022-09-15
    invoke(db, "collect")
    clock.now = _at(datetime(2022, 10, 20, 8, 0))  # the next period, from 2022-10-15
    x.community.post("bakery")
    invoke(db, "collect")
    usage = json.loads(invoke(db, "collect", "--usage", "--format", "json").output)
    assert usage["since"].startswith("2022-10-15")
    assert [(d["start"], d["tweets"], d["users"]) for d in usage["days"]] == [("2022-10-20", 1, 0)]
    assert usage["dollars"] == pytest.approx(0.01)
    (now, before) = usage["periods"]
    assert (now["start"], now["end"]) == ("2022-10-15", "2022-11-14")
    assert (before["start"], before["end"]) == ("2022-09-15", "2022-10-14")
    tweets = sum(len(timeline_ids(x.community, m)) for m in MEMBERS) - 1
    assert (before["tweets"], before["users"]) == (tweets, 3)
    assert before["dollars"] == pytest.approx(tweets * 0.01 + 3 * 0.02)
    assert usage["prices"]["post_read"] == 0.01
    text = invoke(db, "collect", "--usage").output
    assert "2022-10-20: 3 requests, 1 tweets, 0 users, $0.01" in text
    assert f"2022-09-15 to 2022-10-14: 7 requests, {tweets} tweets, 3 users" in text
    assert "of the 3,000,000 post reads a period allows" in text
    assert "X may also bill the retweeted originals and their authors" in text
    assert "bills a post read twice in one UTC day once" in text


def test_usage_prices_default_to_xs_dated_public_prices(x, tmp_path):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    text = invoke(db, "collect", "--usage").output
    assert "3 users read, about $0.03" in text
    assert "$0.005 a post read, $0.01 a user read (the defaults: X's public prices of February" in (
        text
    )


@pytest.mark.parametrize(
    "prices, message",
    [
        ("post_read = -1", "post_read must be a number not below zero"),
        ('user_read = "cheap"', "user_read must be a number not below zero"),
        ("billing_day = 40", "billing_day must be a day of the month"),
        ("posts = 0.1", "has no setting 'posts'"),
    ],
)
def test_a_bad_price_table_is_one_line_naming_the_file(x, tmp_path, monkeypatch, prices, message):
    path = _config(tmp_path, monkeypatch, 0o600, f"[x.prices]\n{prices}\n")
    result = invoke(tmp_path / "r.db", "collect", "--usage")
    assert result.exit_code == 1
    assert f"{path}: [x.prices] {message}" in result.output and "Traceback" not in result.output


# --- finishing what was started ------------------------------------------------------------------


def test_an_interrupted_member_continues_its_older_part_then_reads_new_tweets_in_one_run(
    x, clock, tmp_path, town
):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    first = invoke(db, "collect", "--max-reads", "5")  # one page of 4, then the budget stops it
    assert "not finished, continues next run" in first.output
    fresh = int(town.post("bakery", "Just out of the oven: cinnamon buns, order now! 10% off"))
    x.requests.clear()
    rerun = invoke(db, "collect")
    assert rerun.exit_code == 0, rerun.output
    asked = [p for e, p, _ in x.requests if e == "tweets"]
    assert "until_id" in asked[0]  # the older part first
    sweep_newest = max(timeline_ids(town, "bakery") - {fresh})
    assert asked[-1]["since_id"] == str(sweep_newest) and "until_id" not in asked[-1]
    # the 2 older tweets the first run left, then the new one: 2 pages, up to date
    assert "@bakery: 2 pages, 3 tweets read" in rerun.output
    assert "(up to date)" in rerun.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT 1 FROM tweets WHERE id = ?", (fresh,)).fetchone()
        assert conn.execute(
            "SELECT since_id, sweep_until_id FROM collect_checkpoints"
        ).fetchone() == (
            fresh,
            None,
        )


def test_dry_run_says_an_interrupted_member_is_finished_then_caught_up(x, tmp_path):
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "bakery")
    invoke(db, "collect", "--max-reads", "5")
    planned = json.loads(invoke(db, "collect", "--dry-run", "--format", "json").output)
    assert planned["members"][0]["what"] == (
        "resume the interrupted sweep (tweets older than until_id), then newer tweets"
    )


# --- retweeter events on time -------------------------------------------------------------------


def _approximate_times(db: Path) -> dict[int, str]:
    with sqlite3.connect(db) as conn:
        return dict(
            conn.execute(
                "SELECT r.retweeter_id || ':' || r.original_id, r.created_at FROM retweets r "
                "JOIN approximate_retweets a ON a.platform = r.platform AND a.id = r.id"
            ).fetchall()
        )


@pytest.mark.parametrize(
    "tz, dated",
    [
        ("UTC", "2026-11-08 23:59:59.000000"),  # Sunday, the last second of 2026-W45
        ("Europe/London", "2026-11-08 23:59:59.000000"),  # GMT in November
        ("America/New_York", "2026-11-09 04:59:59.000000"),  # Monday 00:00 EST is 05:00 UTC
    ],
)
def test_retweeters_seen_on_monday_morning_are_dated_in_the_week_of_the_original(
    x, tmp_path, tz, dated
):
    """The originals are from Monday 2 November 2026 (2026-W45); X answers on 9 November 06:00."""
    x.headers["retweeted_by"]["date"] = "Mon, 09 Nov 2026 06:00:00 GMT"
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    assert invoke(db, "collect", "--retweeters", "--tz", tz).exit_code == 0
    times = _approximate_times(db)
    assert len(times) == 3 and set(times.values()) == {dated}


def test_a_retweeter_new_since_the_last_lookup_is_dated_in_that_lookups_week(x, tmp_path, town):
    x.headers["retweeted_by"]["date"] = "Wed, 11 Nov 2026 10:00:00 GMT"  # 2026-W46
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    invoke(db, "collect", "--retweeters")
    before = _approximate_times(db)
    assert set(before.values()) == {"2026-11-08 23:59:59.000000"}  # the originals' week
    ann, bob = town.user("fan_ann")["id"], town.user("fan_bob")["id"]
    ann_only = {k.split(":")[1] for k in before if k.startswith(ann)} - {
        k.split(":")[1] for k in before if k.startswith(bob)
    }
    original = ann_only.pop()
    town.retweet("fan_bob", original)  # after the lookup of 11 November, or it would be listed
    x.headers["retweeted_by"]["date"] = "Mon, 16 Nov 2026 06:00:00 GMT"
    invoke(db, "collect", "--retweeters")
    after = _approximate_times(db)
    assert after[f"{bob}:{original}"] == "2026-11-15 23:59:59.000000"  # 2026-W46, not W45
    assert {k: v for k, v in after.items() if k in before} == before  # the others stay


def test_the_monday_thank_list_has_the_retweeters_collected_that_morning(x, tmp_path, town):
    x.headers["retweeted_by"]["date"] = "Mon, 09 Nov 2026 06:00:00 GMT"
    db = tmp_path / "r.db"
    invoke(db, "members", "add", *MEMBERS)
    invoke(db, "collect", "--retweeters", "--tz", "Europe/London")
    result = invoke(
        db, "thank", "bakery", "--week", "2026-W45", "--tz", "Europe/London", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    supporters = {s["username"] for s in json.loads(result.output)["supporters"]}
    assert {"fan_ann", "fan_bob"} <= supporters


# --- the README for a shop owner ---------------------------------------------------------------

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_has_one_cron_line_that_collects_and_then_writes_the_weekly_folder():
    blocks = re.findall(r"```cron\n(.*?)```", README, re.S)
    assert len(blocks) == 1, "one cron block in README.md"
    (line,) = blocks[0].strip().splitlines()
    assert line.startswith("0 6 * * 1 ")
    assert line.index("retweetring collect") < line.index("retweetring weekly")
    assert "; .venv/bin/retweetring weekly" in line  # after collect, whatever its status
    assert len(set(re.findall(r"--tz (\S+)", line))) == 1  # the same weeks for both
    collect_options = re.search(r"retweetring collect (.*?) >>", line).group(1)
    help_text = invoke(None, "collect", "--help").output
    for option in re.findall(r"--[a-z-]+", collect_options):
        assert option in help_text
    assert "bearer_token" not in line and "X_BEARER_TOKEN" not in line


def test_the_help_and_the_readme_name_every_exit_status_and_the_dated_prices():
    from retweetring.cli.collect import EX_NO_CREDITS, EX_TEMPFAIL, EX_USAGE_CAP
    from retweetring.config import PRICES_AS_OF, Prices

    help_text = " ".join(invoke(None, "collect", "--help").output.split())
    for status in (EX_TEMPFAIL, EX_NO_CREDITS, EX_USAGE_CAP):
        assert f" {status} " in help_text and f"| {status} |" in README
    assert len({EX_TEMPFAIL, EX_NO_CREDITS, EX_USAGE_CAP, 0, 1}) == 5
    prices = Prices()
    assert f"${prices.post_read:.3f} a post read, ${prices.user_read:.3f} a user read" in help_text
    assert f"X's public prices of {PRICES_AS_OF}" in help_text
    readme = " ".join(README.split())
    assert f"${prices.post_read:.3f} a post read and ${prices.user_read:.3f} a user read" in readme
