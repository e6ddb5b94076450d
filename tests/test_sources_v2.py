"""The X API v2 page normaliser, on tiny literal pages."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.errors import BadRecordError
from retweetring.records import PLATFORM_X, Account, PageRecords, Retweet, Tweet
from retweetring.sources.v2 import normalise_page, parse_time

ALICE = {"id": "10", "username": "alice", "name": "Alice"}
BOB = {"id": "20", "username": "bob", "name": "Bob"}
ORIGINAL = {
    "id": "100",
    "author_id": "10",
    "created_at": "2021-06-26T19:00:00.000Z",
    "text": "Fresh bread today https://t.co/abc",
    "entities": {
        "urls": [
            {"url": "https://t.co/abc", "expanded_url": "https://bakery.example/bread"},
            {"url": "https://t.co/def"},
        ]
    },
}
RETWEET = {
    "id": "200",
    "author_id": "20",
    "created_at": "2021-06-26T19:56:26.000Z",
    "text": "RT @alice: Fresh bread today",
    "referenced_tweets": [{"type": "retweeted", "id": "100"}],
}


def page(
    data: Any, tweets: list[Any] | None = None, users: list[Any] | None = None
) -> dict[str, Any]:
    """An API v2 page of ``data`` with ``tweets`` and ``users`` as includes."""
    return {
        "data": data,
        "includes": {"tweets": tweets or [], "users": users or []},
        "meta": {"result_count": len(data) if isinstance(data, list) else 1},
    }


def accounts_by_id(records: PageRecords) -> dict[int, Account]:
    return {a.id: a for a in records.accounts}


def test_retweet_with_its_original_in_includes() -> None:
    records = normalise_page(page([RETWEET], [ORIGINAL], [ALICE, BOB]))
    assert records.retweets == [
        Retweet(PLATFORM_X, 200, 20, 100, datetime(2021, 6, 26, 19, 56, 26))
    ]
    assert records.tweets == [
        Tweet(
            PLATFORM_X,
            100,
            10,
            datetime(2021, 6, 26, 19, 0),
            "Fresh bread today https://t.co/abc",
            ("https://bakery.example/bread", "https://t.co/def"),
        )
    ]
    assert records.unattributed == 0
    assert sorted(records.accounts) == [
        Account(PLATFORM_X, 10, "alice", "Alice", None),
        Account(PLATFORM_X, 20, "bob", "Bob", None),
    ]


def test_retweet_of_an_original_in_data_is_attributed() -> None:
    records = normalise_page(page([RETWEET, ORIGINAL], users=[ALICE, BOB]))
    assert [r.id for r in records.retweets] == [200]
    assert [t.id for t in records.tweets] == [100]


def test_retweet_without_its_original_is_unattributed() -> None:
    records = normalise_page(page([RETWEET], users=[BOB]))
    assert records.retweets == []
    assert records.tweets == []
    assert records.unattributed == 1


@pytest.mark.parametrize("kind", ["quoted", "replied_to"])
def test_quotes_and_replies_are_original_tweets_not_retweets(kind: str) -> None:
    response = {
        "id": "300",
        "author_id": "20",
        "text": "So good!",
        "referenced_tweets": [{"type": kind, "id": "100"}],
    }
    records = normalise_page(page([response], [ORIGINAL], [ALICE, BOB]))
    assert records.retweets == []
    assert records.unattributed == 0
    assert sorted(t.id for t in records.tweets) == [100, 300]


def test_quote_of_a_missing_tweet_is_still_a_tweet() -> None:
    quote = {
        "id": "300",
        "author_id": "20",
        "text": "!",
        "referenced_tweets": [{"type": "quoted", "id": "999"}],
    }
    records = normalise_page(page([quote], users=[BOB]))
    assert [t.id for t in records.tweets] == [300]
    assert records.unattributed == 0


def test_retweet_of_a_retweet_is_unattributed() -> None:
    again = dict(RETWEET, id="300", referenced_tweets=[{"type": "retweeted", "id": "200"}])
    records = normalise_page(page([again], [RETWEET, ORIGINAL], [ALICE, BOB]))
    assert [r.id for r in records.retweets] == [200]
    assert records.unattributed == 1


def test_self_retweet_is_still_normalised() -> None:
    self_rt = dict(RETWEET, author_id="10")
    records = normalise_page(page([self_rt], [ORIGINAL], [ALICE]))
    assert records.retweets == [
        Retweet(PLATFORM_X, 200, 10, 100, datetime(2021, 6, 26, 19, 56, 26))
    ]


def test_retweets_in_includes_are_classified_like_data() -> None:
    reply = {
        "id": "300",
        "author_id": "10",
        "text": "@bob thanks",
        "referenced_tweets": [{"type": "replied_to", "id": "200"}],
    }
    records = normalise_page(page([reply], [RETWEET, ORIGINAL], [ALICE, BOB]))
    assert [r.id for r in records.retweets] == [200]
    assert sorted(t.id for t in records.tweets) == [100, 300]


def test_authors_missing_from_includes_get_id_only_accounts() -> None:
    records = normalise_page(page([RETWEET], [ORIGINAL], [BOB]))
    assert accounts_by_id(records) == {
        20: Account(PLATFORM_X, 20, "bob", "Bob", None),
        10: Account(PLATFORM_X, 10, None, None, None),
    }


def test_every_included_user_is_an_account_even_if_only_mentioned() -> None:
    carol = {"id": "30", "username": "carol", "name": "Carol"}
    records = normalise_page(page([ORIGINAL], users=[ALICE, carol]))
    assert set(accounts_by_id(records)) == {10, 30}


def test_records_are_deduplicated_within_a_page() -> None:
    records = normalise_page(page([ORIGINAL, RETWEET, RETWEET], [ORIGINAL], [ALICE, BOB, ALICE]))
    assert [t.id for t in records.tweets] == [100]
    assert [r.id for r in records.retweets] == [200]
    assert sorted(a.id for a in records.accounts) == [10, 20]


def test_seen_at_argument_wins_over_twarc_retrieved_at() -> None:
    p = dict(page([ORIGINAL], users=[ALICE]), __twarc={"retrieved_at": "2021-06-26T19:56:43+00:00"})
    assert normalise_page(p).accounts[0].seen_at == datetime(2021, 6, 26, 19, 56, 43)
    given = datetime(2026, 1, 1)
    assert normalise_page(p, seen_at=given).accounts[0].seen_at == given
    assert normalise_page(page([ORIGINAL], users=[ALICE])).accounts[0].seen_at is None


def test_integer_ids_are_accepted() -> None:
    tweet = {"id": 100, "author_id": 10, "text": "hi"}
    records = normalise_page({"data": [tweet]})
    assert records.tweets[0].id == 100
    assert records.accounts == [Account(PLATFORM_X, 10, None, None, None)]


@pytest.mark.parametrize(
    ("tweet", "reason"),
    [
        ({"id": "101", "text": "hi"}, "tweet 101: missing author_id"),
        ({"id": "101", "author_id": "abc", "text": "hi"}, "tweet 101: author_id 'abc' is not"),
        ({"id": "101", "author_id": "1e5", "text": "hi"}, "tweet 101: author_id '1e5' is not"),
        (
            {"id": "101", "author_id": " 10", "text": "hi"},
            "tweet 101: author_id ' 10' is not a numeric id",
        ),
        (
            {"id": "101", "author_id": True, "text": "hi"},
            "tweet 101: author_id True is not a numeric id",
        ),
        (
            {"id": "101", "author_id": "99999999999999999999", "text": "hi"},
            "tweet 101: author_id '99999999999999999999' is not a numeric id",
        ),
        ({"author_id": "10", "text": "hi"}, "a tweet has no id (text 'hi')"),
        ({"id": "x1", "author_id": "10", "text": "hi"}, "tweet id 'x1' is not a numeric id"),
        (
            {
                "id": "200",
                "author_id": "20",
                "text": "RT",
                "referenced_tweets": [{"type": "retweeted"}],
            },
            "tweet 200: missing retweeted id",
        ),
        (
            {
                "id": "200",
                "author_id": "20",
                "text": "RT",
                "referenced_tweets": [{"type": "retweeted", "id": "n/a"}],
            },
            "tweet 200: retweeted id 'n/a' is not a numeric id",
        ),
        (
            {"id": "101", "author_id": "10", "text": "hi", "created_at": "yesterday"},
            "tweet 101: created_at 'yesterday' is not an ISO 8601 time",
        ),
    ],
)
def test_bad_ids_and_times_reject_the_page(tweet: dict[str, Any], reason: str) -> None:
    with pytest.raises(BadRecordError, match="^" + re.escape(reason)):
        normalise_page(page([ORIGINAL, tweet], users=[ALICE]))


def test_bad_id_in_includes_rejects_the_page() -> None:
    with pytest.raises(BadRecordError, match="tweet 100: missing author_id"):
        normalise_page(page([RETWEET], [{"id": "100", "text": "hi"}], [BOB]))
    with pytest.raises(BadRecordError, match="a user has no id \\(username 'bob'\\)"):
        normalise_page(page([ORIGINAL], users=[{"username": "bob"}]))


def test_streaming_message_has_a_single_tweet_as_data() -> None:
    message = {
        "data": RETWEET,
        "includes": {"tweets": [ORIGINAL], "users": [ALICE, BOB]},
        "matching_rules": [{"id": 1377649934414049282, "tag": None}],
    }
    records = normalise_page(message)
    assert [r.id for r in records.retweets] == [200]
    assert [t.id for t in records.tweets] == [100]


def test_user_lookup_page_yields_accounts_only() -> None:
    pinned = {"id": "100", "author_id": "10", "text": "pinned"}
    users = {"data": [ALICE, BOB, ALICE], "includes": {"tweets": [pinned]}}
    records = normalise_page(users)
    assert records == PageRecords(
        [
            Account(PLATFORM_X, 10, "alice", "Alice", None),
            Account(PLATFORM_X, 20, "bob", "Bob", None),
        ],
        [],
        [],
        0,
    )


def test_tweet_counts_page_is_refused_by_name() -> None:
    counts = {
        "data": [
            {
                "end": "2021-06-27T00:00:00.000Z",
                "start": "2021-06-26T00:00:00.000Z",
                "tweet_count": 4,
            }
        ],
        "meta": {"total_tweet_count": 4},
    }
    with pytest.raises(BadRecordError, match="looks like a tweet counts page, not tweets"):
        normalise_page(counts)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([1, 2], "not a JSON object"),
        ("data", "not a JSON object"),
        (None, "not a JSON object"),
        ({"data": "x"}, "data is neither a list nor an object"),
        ({"data": [{"id": "1", "name": "My list"}]}, "looks like a lists page"),
        ({"id_str": "1", "text": "hi", "user": {}}, "looks like an X API v1.1 object"),
        ({"tweet": {"id": "1"}}, "looks like an X archive tweets.js entry"),
        (
            {
                "title": "Unauthorized",
                "detail": "Unauthorized",
                "type": "about:blank",
                "status": 401,
            },
            "looks like an API error response: 'Unauthorized'",
        ),
        ({"hello": "world"}, r"not an X API v2 tweet or user page \(keys: hello\)"),
        ({"data": [ORIGINAL], "includes": []}, "includes is not an object"),
        ({"data": [ORIGINAL], "includes": {"users": {}}}, "includes.users is not a list"),
        ({"data": [ORIGINAL, "x"]}, "a tweet is not a JSON object"),
    ],
)
def test_other_shapes_are_refused(value: object, reason: str) -> None:
    with pytest.raises(BadRecordError, match=reason):
        normalise_page(value)


@pytest.mark.parametrize(
    "empty",
    [
        {"meta": {"result_count": 0}},
        {"data": [], "meta": {"result_count": 0}},
        {"errors": [{"title": "Not Found Error", "detail": "Could not find tweet 1."}]},
        {"errors": [{"title": "operational-disconnect"}], "__twarc": {"retrieved_at": "x"}},
    ],
)
def test_empty_and_errors_only_pages_yield_nothing(empty: dict[str, Any]) -> None:
    assert normalise_page(empty) == PageRecords([], [], [], 0)


def test_page_with_errors_still_yields_its_data() -> None:
    p = page([RETWEET], [ORIGINAL], [ALICE, BOB])
    p["errors"] = [{"title": "Forbidden", "detail": "User has been suspended: [x]."}]
    assert len(normalise_page(p).retweets) == 1


def test_flattened_tweet_gives_the_same_records_as_its_page() -> None:
    mention = {"start": 0, "end": 6, "username": "carol", "id": "30"}
    carol = {"id": "30", "username": "carol", "name": "Carol"}
    reply = {
        "id": "300",
        "author_id": "20",
        "text": "@carol look",
        "in_reply_to_user_id": "30",
        "entities": {"mentions": [mention]},
        "referenced_tweets": [{"type": "replied_to", "id": "200"}],
    }
    full = page([reply], [RETWEET, ORIGINAL], [ALICE, BOB, carol])
    # twarc flatten: authors, mentions and referenced tweets inlined, recursively
    flat_original = dict(ORIGINAL, author=ALICE)
    flat_retweet = dict(
        RETWEET, author=BOB, referenced_tweets=[dict(flat_original, type="retweeted")]
    )
    flat_reply = dict(
        reply,
        author=BOB,
        in_reply_to_user=carol,
        entities={"mentions": [{**mention, **carol}]},
        referenced_tweets=[dict(flat_retweet, type="replied_to")],
        __twarc={"retrieved_at": "2021-06-26T19:56:43+00:00"},
    )
    expected = normalise_page(dict(full, __twarc={"retrieved_at": "2021-06-26T19:56:43+00:00"}))
    flat = normalise_page(flat_reply)
    assert sorted(flat.accounts) == sorted(expected.accounts)
    assert sorted(flat.tweets) == sorted(expected.tweets)
    assert flat.retweets == expected.retweets
    assert flat.unattributed == expected.unattributed == 0
    assert sorted(a.id for a in flat.accounts) == [10, 20, 30]


def test_flattened_retweet_whose_original_is_missing_is_unattributed() -> None:
    # twarc inlines {} for a missing author and nothing for a missing referenced tweet
    flat = dict(RETWEET, author={}, referenced_tweets=[{"type": "retweeted", "id": "100"}])
    records = normalise_page(flat)
    assert records.unattributed == 1
    assert records.accounts == [Account(PLATFORM_X, 20, None, None, None)]


def test_flattened_user_is_an_account() -> None:
    flat_user = dict(ALICE, pinned_tweet_id="100", pinned_tweet=ORIGINAL)
    assert normalise_page(flat_user).accounts == [Account(PLATFORM_X, 10, "alice", "Alice", None)]


def test_input_page_is_not_modified() -> None:
    flat = dict(
        RETWEET, author=BOB, referenced_tweets=[dict(ORIGINAL, type="retweeted", author=ALICE)]
    )
    data = [flat]
    before = repr(data)
    normalise_page({"data": data, "includes": {"users": [BOB]}})
    assert repr(data) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-06-26T19:56:26.000Z", datetime(2021, 6, 26, 19, 56, 26)),
        ("2021-06-26T19:56:26Z", datetime(2021, 6, 26, 19, 56, 26)),
        ("2021-06-26T19:56:26.123456Z", datetime(2021, 6, 26, 19, 56, 26, 123456)),
        ("2021-06-26T19:56:43+00:00", datetime(2021, 6, 26, 19, 56, 43)),
        ("2021-06-27T01:26:26+05:30", datetime(2021, 6, 26, 19, 56, 26)),
        ("2021-06-26T19:56:26", datetime(2021, 6, 26, 19, 56, 26)),
        (None, None),
    ],
)
def test_parse_time_gives_naive_utc(text: str | None, expected: datetime | None) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is None


@pytest.mark.parametrize("text", ["", "Z", "yesterday", "2021-13-01T00:00:00Z", 1624737386])
def test_parse_time_refuses_non_times(text: object) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_missing_created_at_is_none() -> None:
    records = normalise_page({"data": [{"id": "1", "author_id": "2", "text": "hi"}]})
    assert records.tweets[0].created_at is None


KEYS = st.sampled_from(
    [
        "data",
        "includes",
        "meta",
        "errors",
        "users",
        "tweets",
        "id",
        "author_id",
        "text",
        "username",
        "name",
        "created_at",
        "referenced_tweets",
        "type",
        "entities",
        "urls",
        "mentions",
        "expanded_url",
        "url",
        "author",
        "in_reply_to_user",
        "tweet_count",
        "__twarc",
        "retrieved_at",
    ]
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["1", "20", "retweeted", "quoted", "2021-06-26T19:56:26.000Z", "x", ""]),
    st.text(max_size=5),
)
JSON = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_value_gives_records_or_a_bad_record_error(value: object) -> None:
    try:
        records = normalise_page(value)
    except BadRecordError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(records, PageRecords)


IDS = st.one_of(st.sampled_from(["1", "2", "3", "10", "20"]), LEAVES)
TWEETS = st.fixed_dictionaries(
    {"id": IDS, "text": LEAVES},
    optional={
        "author_id": IDS,
        "created_at": LEAVES,
        "referenced_tweets": st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from(["retweeted", "quoted", "replied_to"]), "id": IDS}
            ),
            max_size=2,
        )
        | JSON,
        "entities": st.fixed_dictionaries({"urls": JSON, "mentions": JSON}) | JSON,
        "author": JSON,
    },
)
USERS = st.fixed_dictionaries({"id": IDS, "username": LEAVES}, optional={"name": LEAVES})
PAGES = st.fixed_dictionaries(
    {"data": st.lists(TWEETS, min_size=1, max_size=4) | TWEETS},
    optional={
        "includes": st.fixed_dictionaries(
            {}, optional={"tweets": st.lists(TWEETS, max_size=3), "users": st.lists(USERS)}
        ),
        "__twarc": st.fixed_dictionaries({"retrieved_at": LEAVES}),
    },
)


@settings(max_examples=500, deadline=None)
@given(PAGES)
def test_any_tweet_like_page_gives_consistent_records_or_a_bad_record_error(page: object) -> None:
    try:
        records = normalise_page(page)
    except BadRecordError as exc:
        assert "\n" not in str(exc)
        return
    accounts = {a.id for a in records.accounts}
    assert len(accounts) == len(records.accounts)
    assert {t.author_id for t in records.tweets} <= accounts
    assert {r.retweeter_id for r in records.retweets} <= accounts
    tweet_ids = [t.id for t in records.tweets] + [r.id for r in records.retweets]
    assert len(tweet_ids) == len(set(tweet_ids))
    assert {r.original_id for r in records.retweets} <= {t.id for t in records.tweets}


def test_a_long_post_is_read_from_its_note_tweet():
    whole = "Christmas menu is out! " + "Three courses of local produce. " * 10 + "Book now"
    page = {
        "data": [
            {
                "id": "5",
                "author_id": "10",
                "text": whole[:270] + "…",
                "entities": {"urls": [{"expanded_url": "https://harbourcafe.co.uk/menu"}]},
                "note_tweet": {
                    "text": whole,
                    "entities": {
                        "urls": [
                            {"expanded_url": "https://harbourcafe.co.uk/menu"},
                            {"expanded_url": "https://harbourcafe.co.uk/book"},
                        ]
                    },
                },
            }
        ]
    }
    (tweet,) = normalise_page(page).tweets
    assert tweet.text == whole
    assert tweet.urls == ("https://harbourcafe.co.uk/menu", "https://harbourcafe.co.uk/book")
