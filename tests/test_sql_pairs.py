"""The SQL pairs (retweetring.store.pairs) equal the networkx reference on random databases.

Each example writes random accounts, tweets (promotional or not, with overrides) and retweets
(self-retweets and repeats included, times around the window's edges) straight into a real
SQLite file, then compares the SQL rows with ``summary.*_rows(support_graph(...))``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, insert

from retweetring.graph import Window, support_graph
from retweetring.records import PLATFORM_X
from retweetring.reports import summary
from retweetring.store import pair_weights, pairs
from retweetring.store.models import Account, Retweet, Tweet
from retweetring.store.pair_weights import fresh_platforms
from retweetring.store.session import open_database

# Ids whose string order differs from their numeric order; usernames that tie, are missing,
# are empty or look like another account's label.
IDS = [1, 2, 9, 10, 11, 100]
USERNAMES = st.sampled_from(["ann", "bob", "Bob", "cat", "id:9", "10", "", None])
EDGE = datetime(2026, 10, 2)
TIMES = st.one_of(
    st.none(),
    st.sampled_from([EDGE + timedelta(days=d, seconds=s) for d in (-1, 0, 1) for s in (-1, 0, 1)]),
)
DAYS = st.sampled_from([None, date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)])


@st.composite
def databases(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """Rows for the accounts, tweets and retweets tables."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, unique=True))
    # Some ids may have no account row (only possible with foreign keys off, see _fill).
    stored = draw(st.lists(st.sampled_from(ids), unique=True))
    accounts = [{"platform": PLATFORM_X, "id": i, "username": draw(USERNAMES)} for i in stored]
    tweets = [
        {
            "platform": PLATFORM_X,
            "id": 1000 + n,
            "author_id": draw(st.sampled_from(ids)),
            "created_at": draw(TIMES),
            "text": "t",
            "is_promotional": draw(st.booleans()),
            "promo_score": 0.5,
            "promo_override": draw(st.sampled_from([None, True, False])),
        }
        for n in range(draw(st.integers(0, 8)))
    ]
    retweets = []
    if tweets:
        for n in range(draw(st.integers(0, 40))):
            retweets.append(
                {
                    "platform": PLATFORM_X,
                    "id": 5000 + n,
                    "retweeter_id": draw(st.sampled_from(ids)),
                    "original_id": draw(st.sampled_from([t["id"] for t in tweets])),
                    "created_at": draw(TIMES),
                }
            )
    return {"accounts": accounts, "tweets": tweets, "retweets": retweets}


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """A window with open or closed ends, never empty."""
    since, until = draw(DAYS), draw(DAYS)
    if since is not None and until is not None and since >= until:
        since, until = until, None if since == until else since
    return Window(since, until)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One database file, emptied and refilled by each example."""
    eng = open_database(str(Path(tmp_path_factory.mktemp("pairs")) / "pairs.db"))
    yield eng
    eng.dispose()


def _fill(engine: Engine, rows: dict[str, list[dict[str, Any]]], stored: bool = False) -> None:
    """Replace the stored data by ``rows``, with foreign keys off: ids may lack an account.

    The stored pair weights are left stale, so the analytics join the tables; with
    `stored` they are then rebuilt (``pair_weights.refresh``), so the analytics read them.
    """
    with engine.connect() as conn:
        conn.exec_driver_sql("COMMIT")  # PRAGMA foreign_keys is ignored inside a transaction
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for model in (Retweet, Tweet, Account):
            conn.execute(delete(model))
        for model, key in ((Account, "accounts"), (Tweet, "tweets"), (Retweet, "retweets")):
            if rows[key]:
                conn.execute(insert(model), rows[key])
        conn.exec_driver_sql("UPDATE pair_weights_state SET fresh = false")  # when none changed
        conn.commit()
    if stored:
        pair_weights.refresh(engine)
        with engine.connect() as conn:
            assert PLATFORM_X in fresh_platforms(conn)


def _asked(window: Window, all_retweets: bool, stored: bool) -> tuple[Window, bool]:
    """The window and ``all_retweets`` of an example: with `stored`, the question the stored
    pair weights answer (all time, promotional tweets only), so that the fast path runs."""
    return (Window(), False) if stored else (window, all_retweets)


CASES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CASES
@given(
    rows=databases(),
    window=windows(),
    k=st.integers(1, 3),
    all_retweets=st.booleans(),
    stored=st.booleans(),
)
def test_sql_mutual_rows_equal_the_networkx_reference(
    scratch, rows, window, k, all_retweets, stored
):
    _fill(scratch, rows, stored)
    window, all_retweets = _asked(window, all_retweets, stored)
    graph = support_graph(scratch, window, all_retweets=all_retweets)
    expected = summary.mutual_rows(graph, k)
    assert pairs.mutual_rows(scratch, window, k, all_retweets=all_retweets) == expected


@CASES
@given(
    rows=databases(),
    window=windows(),
    k=st.integers(1, 3),
    all_retweets=st.booleans(),
    account=st.one_of(st.none(), st.sampled_from([*IDS, 7])),
    stored=st.booleans(),
)
def test_sql_one_sided_rows_equal_the_networkx_reference(
    scratch, rows, window, k, all_retweets, account, stored
):
    _fill(scratch, rows, stored)
    window, all_retweets = _asked(window, all_retweets, stored)
    graph = support_graph(scratch, window, all_retweets=all_retweets)
    expected = summary.one_sided_rows(graph, k, account=account)
    got = pairs.one_sided_rows(scratch, window, k, account, all_retweets=all_retweets)
    assert got == expected


def test_sql_pairs_reject_a_threshold_below_one(scratch):
    with pytest.raises(ValueError, match="min_support"):
        pairs.mutual_rows(scratch, Window(), 0)


def _reference_json(path: Path, command: str, window: Window, k: int, account: str | None) -> str:
    """The JSON `command` printed when it walked the networkx support graph."""
    from retweetring.reports.formats import to_json
    from retweetring.store.queries import find_account

    eng = open_database(str(path))
    try:
        graph = support_graph(eng, window)
        if command == "mutual":
            return to_json(summary.mutual_rows(graph, k))
        node = None if account is None else find_account(eng, account)
        return to_json(summary.one_sided_rows(graph, k, account=node))
    finally:
        eng.dispose()


@pytest.mark.parametrize(
    ("command", "args", "window", "k", "account"),
    [
        ("mutual", [], Window(), 1, None),
        ("mutual", ["--min-support", "2"], Window(), 2, None),
        ("mutual", ["--since", "2026-10-05"], Window(date(2026, 10, 5)), 1, None),
        ("one-sided", [], Window(), 1, None),
        ("one-sided", ["--min-support", "2"], Window(), 2, None),
        ("one-sided", ["--until", "2026-10-10"], Window(until=date(2026, 10, 10)), 1, None),
        ("one-sided", ["--account", "hollys_bakery"], Window(), 1, "hollys_bakery"),
    ],
)
def test_cli_json_equals_the_networkx_reference_on_the_example(
    example_db, command, args, window, k, account
):
    result = invoke(example_db, command, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    expected = _reference_json(example_db, command, window, k, account)
    assert result.output == expected + "\n"
    assert expected != "[]"
