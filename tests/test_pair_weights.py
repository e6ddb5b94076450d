"""The stored pair weights (``store.pair_weights``) equal the support graph after every writer.

The contract: while a platform's ``pair_weights_state`` row says fresh, its ``pair_weights``
rows are exactly the edges of ``support_graph(db)`` (weight, first, last). Writers that keep
them fresh (import, ``tweets mark-*``, ``reclassify``) are checked against the networkx
reference after each step; every other change (raw SQL included) must mark them stale,
through the triggers of migration 0007, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke
from fake_classifier import MarkerClassifier
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from test_sql_pairs import CASES, _fill, databases

from retweetring.graph import support_graph
from retweetring.promo.reclassify import reclassify
from retweetring.records import PLATFORM_X
from retweetring.store import pair_weights
from retweetring.store.pair_weights import fresh_platforms
from retweetring.store.queries import set_promo_override
from retweetring.store.session import create_db_engine, open_database
from retweetring.store.tables import pair_weights as pair_table

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"
EPOCH = datetime(1970, 1, 1)


def stored_edges(engine: Engine) -> dict[tuple[int, int], tuple[Any, ...]] | None:
    """The stored pair weights of X as ``{(supporter, supported): (weight, first, last)}``,
    or None when they are stale."""
    with engine.connect() as conn:
        if PLATFORM_X not in fresh_platforms(conn):
            return None
        rows = conn.execute(
            select(
                pair_table.c.supporter_id,
                pair_table.c.supported_id,
                pair_table.c.weight,
                pair_table.c.first_us,
                pair_table.c.last_us,
            ).where(pair_table.c.platform == PLATFORM_X)
        )
        return {(u, v): (w, _time(first), _time(last)) for u, v, w, first, last in rows}


def _time(microseconds: int | None) -> datetime | None:
    """A stored time (microseconds since 1970) as the naive UTC datetime the graph gives."""
    return None if microseconds is None else EPOCH + timedelta(microseconds=microseconds)


def graph_edges(engine: Engine) -> dict[tuple[int, int], tuple[Any, ...]]:
    """The networkx reference: the all-time support graph's edges, in the same shape."""
    graph = support_graph(engine)
    return {(u, v): (d["weight"], d["first"], d["last"]) for u, v, d in graph.edges(data=True)}


def assert_fresh_and_equal(engine: Engine) -> None:
    found = stored_edges(engine)
    assert found is not None, "the stored pair weights were left stale"
    assert found == graph_edges(engine)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    eng = open_database(str(Path(tmp_path_factory.mktemp("weights")) / "weights.db"))
    yield eng
    eng.dispose()


@CASES
@given(
    rows=databases(),
    texts=st.lists(st.sampled_from(["t", "zebra"]), min_size=8, max_size=8),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("override"), st.integers(0, 7), st.sampled_from([None, True, False])),
            st.tuples(st.just("reclassify"), st.sampled_from(["zebra", "t"]), st.booleans()),
        ),
        max_size=4,
    ),
)
def test_overrides_and_reclassify_keep_the_stored_weights_equal_to_the_graph(
    scratch, rows, texts, steps
):
    for tweet, text in zip(rows["tweets"], texts, strict=False):
        tweet["text"] = text
    _fill(scratch, rows)
    assert stored_edges(scratch) is None
    pair_weights.refresh(scratch)
    assert_fresh_and_equal(scratch)
    for step in steps:
        if step[0] == "override" and rows["tweets"]:
            tweet = rows["tweets"][step[1] % len(rows["tweets"])]
            set_promo_override(scratch, tweet["id"], step[2])
        elif step[0] == "reclassify":
            # with `whole`, one rebuild of the platform at the end instead of one per batch
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(pair_weights, "MOST_REBUILT", 0 if step[2] else 1_000)
                reclassify(scratch, MarkerClassifier(marker=step[1]), batch_size=3)
        assert_fresh_and_equal(scratch)


def test_import_reclassify_and_reimport_keep_the_stored_weights_equal_to_the_graph(
    tmp_path, community, monkeypatch
):
    db = tmp_path / "h.db"
    assert invoke(db, "import", str(EXAMPLE)).exit_code == 0
    engine = create_db_engine(str(db))
    assert_fresh_and_equal(engine)
    assert stored_edges(engine), "the example has support"

    marker = MarkerClassifier(marker="a")  # flips many of the example's decisions
    monkeypatch.setattr("retweetring.promo.load_classifier", lambda db, rules=None: marker)
    before = stored_edges(engine)
    assert invoke(db, "tweets", "reclassify").exit_code == 0
    assert_fresh_and_equal(engine)
    assert stored_edges(engine) != before, "the reclassification moved no weight"

    assert invoke(db, "import", "--force", str(EXAMPLE)).exit_code == 0
    assert_fresh_and_equal(engine)
    # new retweets of stored originals, and new originals, on top
    shop = community.post("hollys_bakery", "Fresh bread, 20% off today at our shop #order")
    community.retweet("corner_cafe", shop)
    extra = community.write(tmp_path / "extra.jsonl", [community.page(community.timeline)])
    assert invoke(db, "import", str(extra)).exit_code == 0
    assert_fresh_and_equal(engine)
    engine.dispose()


def test_an_import_killed_before_its_refresh_is_refreshed_by_the_next_import(tmp_path):
    db = tmp_path / "k.db"
    assert invoke(db, "import", str(EXAMPLE)).exit_code == 0
    engine = create_db_engine(str(db))
    with engine.begin() as conn:  # as an import killed after its last commit leaves them
        conn.exec_driver_sql("UPDATE pair_weights_state SET fresh = false")
    assert invoke(db, "import", "--force", str(EXAMPLE)).exit_code == 0  # nothing new
    assert_fresh_and_equal(engine)
    engine.dispose()


CHANGES = {
    "new retweet": "INSERT INTO retweets (platform, id, retweeter_id, original_id, created_at)"
    " SELECT platform, id + 1, retweeter_id, original_id, created_at FROM retweets"
    " WHERE id = (SELECT max(id) FROM retweets)",
    "retweet removed": "DELETE FROM retweets WHERE id = (SELECT min(id) FROM retweets)",
    "retweet time": "UPDATE retweets SET created_at = NULL",
    "retweeter": "UPDATE retweets SET retweeter_id = (SELECT min(id) FROM accounts)",
    "new original": "INSERT INTO tweets (platform, id, author_id, text, urls, is_promotional,"
    " promo_score, promo_reason) SELECT platform, id + 1, author_id, text, urls,"
    " is_promotional, promo_score, promo_reason FROM tweets"
    " WHERE id = (SELECT max(id) FROM tweets)",
    "decision": "UPDATE tweets SET is_promotional = NOT is_promotional",
    "override": "UPDATE tweets SET promo_override = true",
    "author": "UPDATE tweets SET author_id = (SELECT min(id) FROM accounts)",
}
KEPT = {
    "score": "UPDATE tweets SET promo_score = 0.5, promo_reason = 'x', text = 'y'",
    "account": "UPDATE accounts SET username = 'someone', name = 'x'",
}


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("example") / "example.db"
    assert invoke(db, "import", str(EXAMPLE)).exit_code == 0
    return db


def _at(any_db: str, example_copy: Path, tmp_path: Path) -> Engine:
    """The example copied into `any_db` (PostgreSQL) or a new SQLite file, weights fresh."""
    if any_db.startswith("postgresql"):
        assert invoke(example_copy, "db", "copy", "--to", any_db).exit_code == 0
        engine = create_db_engine(any_db)
    else:
        shutil.copy(example_copy, tmp_path / "c.db")
        engine = create_db_engine(str(tmp_path / "c.db"))
    pair_weights.refresh(engine)
    assert_fresh_and_equal(engine)
    return engine


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_that_can_move_a_weight_marks_the_stored_weights_stale(
    any_db, example_copy, tmp_path, change
):
    engine = _at(any_db, example_copy, tmp_path)
    with engine.begin() as conn:
        conn.exec_driver_sql(CHANGES[change])
    with engine.connect() as conn:
        assert fresh_platforms(conn) == set(), "every platform is marked stale"
    engine.dispose()


@pytest.mark.parametrize("change", sorted(KEPT))
def test_a_change_that_moves_no_weight_keeps_them_fresh(any_db, example_copy, tmp_path, change):
    engine = _at(any_db, example_copy, tmp_path)
    with engine.begin() as conn:
        conn.exec_driver_sql(KEPT[change])
    assert_fresh_and_equal(engine)
    engine.dispose()


def test_a_rolled_back_change_leaves_them_fresh(example_copy, tmp_path):
    engine = _at("sqlite", example_copy, tmp_path)
    with engine.connect() as conn:
        conn.exec_driver_sql(CHANGES["decision"])
        assert PLATFORM_X not in fresh_platforms(conn)
        conn.rollback()
    assert_fresh_and_equal(engine)
    engine.dispose()
