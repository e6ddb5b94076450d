"""More accounts than one ``IN (...)`` lookup takes: every label and every row is still there.

The graph's labels and the thank list's columns are read in chunks of ids (SQLite bounds the
variables of one statement); 1,200 supporters span three chunks.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from conftest import Community

from retweetring.graph import support_graph
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database
from retweetring.thanks.lists import mark_thanked, thank_list

FANS = [f"fan{i:04d}" for i in range(1200)]
IN_W46 = datetime(2026, 11, 11, 12, 0)


def _new(i: int) -> bool:
    """fan i first supported the bakery this week (the others did in October)."""
    return i % 3 != 0


def _returned(i: int) -> bool:
    """The bakery retweeted fan i's promotion in the four weeks up to 2026-W46."""
    return i % 4 == 0


def _thanked(i: int) -> bool:
    """The bakery has thanked fan i for 2026-W46."""
    return i % 5 != 0


THANKED_IDS = {10_001 + i for i in range(len(FANS)) if _thanked(i)}
"""The fans' account ids: ``Community`` numbers users from 10,000 in order of first mention."""


def _thanked_supporters(engine):
    thanks = thank_list(engine, "bakery", "2026-W46")
    return thanks, [s for s in thanks.supporters if s.account_id in THANKED_IDS]


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """bakery, supported in 2026-W46 by 1,200 fans, in a real SQLite file; returns its path."""
    community = Community()
    week = community.post("bakery", "Order now: 20% off all loaves!", at=datetime(2026, 11, 1))
    october = community.post("bakery", "Book your cake, only £18", at=datetime(2026, 10, 1))
    for i, fan in enumerate(FANS):
        community.user(fan, name=f"Fan Shop {i}")
        community.retweet(fan, week, at=IN_W46)
        if not _new(i):
            community.retweet(fan, october, at=datetime(2026, 10, 2))
        if _returned(i):
            own = community.post(fan, f"Shop our sale at {fan}: 10% off", at=datetime(2026, 11, 1))
            community.retweet("bakery", own, at=datetime(2026, 11, 3))
    folder = tmp_path_factory.mktemp("crowd")
    db = folder / "crowd.db"
    engine = open_database(str(db))
    try:
        import_file(engine, community.write(folder / "crowd.jsonl"))
        thanks, chosen = _thanked_supporters(engine)
        mark_thanked(engine, thanks, supporters=chosen)
    finally:
        engine.dispose()
    return db


def test_every_account_of_a_large_graph_has_its_username_and_name(crowd):
    engine = open_database(str(crowd))
    try:
        graph = support_graph(engine)
    finally:
        engine.dispose()
    labels = {data["username"]: data["name"] for _, data in graph.nodes(data=True)}
    assert len(labels) == graph.number_of_nodes() == len(FANS) + 1
    assert labels == {"bakery": "Bakery", **{fan: f"Fan Shop {i}" for i, fan in enumerate(FANS)}}


def test_one_sided_lists_every_one_of_a_thousand_supporters_by_name(crowd, run):
    result = run("one-sided", "--account", "bakery", "--format", "json", db=crowd)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    # all time: the fans who also supported in October retweeted two tweets, the others one
    expected = sorted(
        ((fan, "bakery", 1 if _new(i) else 2) for i, fan in enumerate(FANS) if not _returned(i)),
        key=lambda row: (-row[2], row[0]),
    )
    assert [(r["supporter"], r["supported"], r["count"]) for r in rows] == expected


def test_a_thank_list_of_1200_supporters_has_every_name_and_flag(crowd):
    engine = open_database(str(crowd))
    try:
        thanks = thank_list(engine, "bakery", "2026-W46")
    finally:
        engine.dispose()
    got = [(s.username, s.retweets, s.new, s.returned, s.thanked) for s in thanks.supporters]
    assert got == [(f, 1, _new(i), _returned(i), _thanked(i)) for i, f in enumerate(FANS)]


def test_marking_960_supporters_thanked_again_records_nobody_twice(crowd):
    engine = open_database(str(crowd))
    try:
        thanks, chosen = _thanked_supporters(engine)
        assert len(chosen) == 960
        assert mark_thanked(engine, thanks, supporters=chosen) == 0
    finally:
        engine.dispose()
