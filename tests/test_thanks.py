"""The thank list's definitions on hand-built data in a real SQLite file.

Week 2026-W46 runs from Monday 9 November 2026 to Monday 16 November 2026 (00:00 UTC).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from retweetring.errors import NoDataError, UnknownAccountError
from retweetring.sources.ingest import import_file
from retweetring.store.models import Thanks
from retweetring.thanks.lists import ThankList, mark_thanked, thank_list

PERSONAL = "What a beautiful sunrise over the harbour this morning."
W46_START = datetime(2026, 11, 9)
W46_END = datetime(2026, 11, 16)
IN_W46 = datetime(2026, 11, 11, 12, 0)


def _load(engine: Engine, community, tmp_path: Path) -> None:
    import_file(engine, community.write(tmp_path / "page.jsonl"), force=True)


def _thanks(engine: Engine, community, tmp_path: Path, week="2026-W46", **kw) -> ThankList:
    _load(engine, community, tmp_path)
    return thank_list(engine, "bakery", week, **kw)


def _supporters(thanks: ThankList) -> dict[str, int]:
    return {s.username: s.retweets for s in thanks.supporters}


def _by_name(thanks: ThankList) -> dict[str, dict]:
    return {s.username: s.to_dict() for s in thanks.supporters}


def _promo(community, author: str = "bakery", at: datetime = datetime(2026, 11, 1)) -> str:
    return community.post(author, f"Order now from {author}: 20% off this week!", at=at)


# --- the week ----------------------------------------------------------------------------------


def test_utc_week_includes_monday_00_00_and_excludes_the_next_monday_00_00(
    engine, community, tmp_path
):
    first, last, before, after = (_promo(community) for _ in range(4))
    community.retweet("florist", first, at=W46_START)  # Monday 00:00:00: in
    community.retweet("cafe", last, at=datetime(2026, 11, 15, 23, 59, 59))  # Sunday: in
    community.retweet("deli", before, at=datetime(2026, 11, 8, 23, 59, 59))  # W45
    community.retweet("grocer", after, at=W46_END)  # next Monday 00:00:00: W47
    thanks = _thanks(engine, community, tmp_path)
    assert _supporters(thanks) == {"cafe": 1, "florist": 1}
    assert _supporters(thank_list(engine, "bakery", "2026-W47")) == {"grocer": 1}
    assert _supporters(thank_list(engine, "bakery", "2026-W45")) == {"deli": 1}


def test_london_week_follows_local_midnight_across_the_clock_change(engine, community, tmp_path):
    # 2026-W43 in London: Mon 19 Oct 00:00 BST (= Sun 18 Oct 23:00 UTC) to
    # Mon 26 Oct 00:00 GMT (= 00:00 UTC); the clocks go back on Sunday 25 October.
    tweets = [_promo(community, at=datetime(2026, 10, 1)) for _ in range(4)]
    community.retweet("sunday_late", tweets[0], at=datetime(2026, 10, 18, 22, 59, 59))
    community.retweet("monday_first", tweets[1], at=datetime(2026, 10, 18, 23, 0, 0))
    community.retweet("sunday_last", tweets[2], at=datetime(2026, 10, 25, 23, 59, 59))
    community.retweet("next_monday", tweets[3], at=datetime(2026, 10, 26, 0, 0, 0))
    _load(engine, community, tmp_path)
    london = thank_list(engine, "bakery", "2026-W43", "Europe/London")
    assert _supporters(london) == {"monday_first": 1, "sunday_last": 1}
    assert london.week.tz == "Europe/London"
    # The same retweets read in UTC: Sunday 23:00 UTC still belongs to W42.
    utc = thank_list(engine, "bakery", "2026-W43", "UTC")
    assert _supporters(utc) == {"sunday_last": 1}


def test_default_week_is_the_last_complete_one_at_now(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=IN_W46)
    _load(engine, community, tmp_path)
    thanks = thank_list(engine, "bakery", now=datetime(2026, 11, 16, 0, 0))
    assert thanks.week.label == "2026-W46" and _supporters(thanks) == {"florist": 1}


# --- supporters and their retweets -------------------------------------------------------------


def test_retweets_counts_distinct_promotional_tweets_and_sorts_by_count_then_name_any_case(
    engine, community, tmp_path
):
    one, two = _promo(community), _promo(community)
    community.retweet("zest", one, at=IN_W46)
    community.retweet("zest", one, at=IN_W46)  # the same tweet again: counts once
    community.retweet("zest", two, at=IN_W46)
    community.retweet("cafe", one, at=IN_W46)
    community.retweet("Dough", two, at=IN_W46)
    community.retweet("apple", two, at=IN_W46)
    thanks = _thanks(engine, community, tmp_path)
    # ties by name ignoring case: not "Dough", "apple", "cafe" as plain string order has it
    assert [(s.username, s.retweets) for s in thanks.supporters] == [
        ("zest", 2),
        ("apple", 1),
        ("cafe", 1),
        ("Dough", 1),
    ]


def test_self_retweets_personal_tweets_and_other_accounts_are_not_support(
    engine, community, tmp_path
):
    promo = _promo(community)
    personal = community.post("bakery", PERSONAL, at=datetime(2026, 11, 1))
    community.retweet("bakery", promo, at=IN_W46)  # self-retweet
    community.retweet("florist", personal, at=IN_W46)  # personal tweet
    community.retweet("cafe", _promo(community, "deli"), at=IN_W46)  # someone else's tweet
    community.retweet("grocer", promo, at=IN_W46)
    assert _supporters(_thanks(engine, community, tmp_path)) == {"grocer": 1}
    everything = thank_list(engine, "bakery", "2026-W46", all_retweets=True)
    assert _supporters(everything) == {"florist": 1, "grocer": 1}
    assert everything.all_retweets


def test_username_is_case_insensitive_with_optional_at_sign(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=IN_W46)
    _load(engine, community, tmp_path)
    assert thank_list(engine, "@BAKERY", "2026-W46").account == "bakery"


# --- new ---------------------------------------------------------------------------------------


def test_new_means_no_support_of_the_account_before_the_week(engine, community, tmp_path):
    old, fresh = _promo(community), _promo(community)
    community.retweet("regular", old, at=datetime(2026, 9, 1))  # supported long ago
    community.retweet("regular", fresh, at=IN_W46)
    community.retweet("newcomer", fresh, at=IN_W46)
    community.retweet("newcomer", fresh, at=datetime(2026, 11, 20))  # after the week: irrelevant
    thanks = _thanks(engine, community, tmp_path)
    assert {n: s["new"] for n, s in _by_name(thanks).items()} == {
        "regular": False,
        "newcomer": True,
    }


def test_new_uses_the_same_support_definition_as_the_list(engine, community, tmp_path):
    personal = community.post("bakery", PERSONAL, at=datetime(2026, 9, 1))
    community.retweet("florist", personal, at=datetime(2026, 9, 2))  # not support ...
    community.retweet("florist", _promo(community), at=IN_W46)
    assert _by_name(_thanks(engine, community, tmp_path))["florist"]["new"] is True
    # ... unless every retweet counts.
    everything = thank_list(engine, "bakery", "2026-W46", all_retweets=True)
    assert _by_name(everything)["florist"]["new"] is False


def test_support_exactly_at_the_week_start_is_new(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=W46_START)
    assert _by_name(_thanks(engine, community, tmp_path))["florist"]["new"] is True


# --- returned and support back -----------------------------------------------------------------


def test_returned_means_the_account_supported_them_in_the_four_weeks_to_the_week_end(
    engine, community, tmp_path
):
    # The four weeks ending with W46: Monday 19 October 00:00 to Monday 16 November 00:00.
    for name in ("in_time", "too_early", "too_late", "never", "start_edge", "last_second"):
        community.retweet(name, _promo(community), at=IN_W46)
    returns = {
        "in_time": datetime(2026, 10, 25, 12, 0),
        "too_early": datetime(2026, 10, 18, 23, 59, 59),
        "too_late": W46_END,
        "start_edge": datetime(2026, 10, 19, 0, 0, 0),
        "last_second": datetime(2026, 11, 15, 23, 59, 59),
    }
    for name, when in returns.items():
        community.retweet("bakery", _promo(community, name, at=datetime(2026, 9, 1)), at=when)
    thanks = _thanks(engine, community, tmp_path)
    returned = {n: s["returned"] for n, s in _by_name(thanks).items()}
    assert returned == {
        "in_time": True,
        "too_early": False,
        "too_late": False,
        "never": False,
        "start_edge": True,
        "last_second": True,
    }
    assert [s.username for s in thanks.support_back] == ["never", "too_early", "too_late"]


def test_retweeting_their_personal_tweet_does_not_return_support(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=IN_W46)
    personal = community.post("florist", PERSONAL, at=datetime(2026, 11, 1))
    community.retweet("bakery", personal, at=IN_W46)
    thanks = _thanks(engine, community, tmp_path)
    assert [s.username for s in thanks.support_back] == ["florist"]
    everything = thank_list(engine, "bakery", "2026-W46", all_retweets=True)
    assert everything.support_back == ()


# --- the thanks ledger -------------------------------------------------------------------------


def test_mark_thanked_round_trip(engine, community, tmp_path):
    promo = _promo(community)
    community.retweet("florist", promo, at=IN_W46)
    community.retweet("cafe", promo, at=IN_W46)
    community.retweet("cafe", promo, at=datetime(2026, 11, 18))  # also supports in W47
    thanks = _thanks(engine, community, tmp_path)
    assert not any(s.thanked for s in thanks.supporters)
    assert mark_thanked(engine, thanks, now=datetime(2026, 11, 20, 9, 0)) == 2
    again = thank_list(engine, "bakery", "2026-W46")
    assert all(s.thanked for s in again.supporters)
    assert [s.thanked for s in thank_list(engine, "bakery", "2026-W47").supporters] == [False]
    with engine.connect() as conn:
        rows = conn.execute(select(Thanks.week, Thanks.retweets, Thanks.thanked_at)).all()
    assert sorted(rows) == [("2026-W46", 1, datetime(2026, 11, 20, 9, 0))] * 2


def test_marking_the_same_week_twice_records_each_supporter_once(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=IN_W46)
    thanks = _thanks(engine, community, tmp_path)
    assert mark_thanked(engine, thanks) == 1
    assert mark_thanked(engine, thanks) == 0
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Thanks)) == 1


def test_mark_thanked_can_record_some_supporters_inside_the_callers_transaction(
    engine, community, tmp_path
):
    promo = _promo(community)
    community.retweet("florist", promo, at=IN_W46)
    community.retweet("cafe", promo, at=IN_W46)
    thanks = _thanks(engine, community, tmp_path)
    cafe = [s for s in thanks.supporters if s.username == "cafe"]
    with engine.begin() as conn:
        assert mark_thanked(conn, thanks, supporters=cafe) == 1
    thanked = {s.username: s.thanked for s in thank_list(engine, "bakery", "2026-W46").supporters}
    assert thanked == {"cafe": True, "florist": False}


def test_ledger_is_per_account(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=IN_W46)
    community.retweet("florist", _promo(community, "cafe"), at=IN_W46)
    mark_thanked(engine, _thanks(engine, community, tmp_path))
    assert [s.thanked for s in thank_list(engine, "cafe", "2026-W46").supporters] == [False]


# --- no data -----------------------------------------------------------------------------------


def test_unknown_account_is_an_error(engine, community, tmp_path):
    community.retweet("florist", _promo(community), at=IN_W46)
    _load(engine, community, tmp_path)
    with pytest.raises(UnknownAccountError, match="@nobody"):
        thank_list(engine, "nobody", "2026-W46")


def test_week_without_any_stored_retweet_is_an_error_naming_the_stored_range(
    engine, community, tmp_path
):
    community.retweet("florist", _promo(community), at=IN_W46)
    _load(engine, community, tmp_path)
    with pytest.raises(
        NoDataError, match="no retweets stored in 2026-W30.*2026-11-11 to 2026-11-11"
    ):
        thank_list(engine, "bakery", "2026-W30")


def test_empty_database_says_to_import_first(engine, community, tmp_path):
    community.post("bakery")
    _load(engine, community, tmp_path)
    with pytest.raises(NoDataError, match="no retweets yet"):
        thank_list(engine, "bakery", "2026-W46")


def test_week_with_data_but_no_supporters_is_an_empty_list(engine, community, tmp_path):
    community.retweet("florist", _promo(community, "cafe"), at=IN_W46)
    community.retweet("florist", _promo(community), at=datetime(2026, 11, 20))  # W47
    thanks = _thanks(engine, community, tmp_path)
    assert thanks.supporters == ()
