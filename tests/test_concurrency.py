"""Concurrent use of one database: readers see a snapshot, writers wait for each other."""

from __future__ import annotations

import time

from children import contents, start_import, write_busy_file
from sqlalchemy import text

from retweetring.graph import support_graph
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database

COUNT = text("SELECT COUNT(*) FROM retweets")


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(COUNT)


def test_a_report_during_an_import_sees_one_consistent_snapshot(tmp_path):
    source = write_busy_file(tmp_path / "busy.jsonl")
    db = tmp_path / "shared.db"
    engine = open_database(str(db))
    child = start_import(db, source, batch_rows=100)
    try:
        while _count(engine) == 0 and child.poll() is None:
            time.sleep(0.01)
        with engine.connect() as report:  # what a report does: one connection, one snapshot
            first = report.scalar(COUNT)
            graph = support_graph(report)
            changed = False
            deadline = time.monotonic() + 20
            while not changed and time.monotonic() < deadline and child.poll() is None:
                changed = _count(engine) != first
                time.sleep(0.02)
            assert changed, "the import wrote nothing while the report was open"
            assert report.scalar(COUNT) == first
            assert first > 0
            assert sorted(support_graph(report).edges(data="weight")) == sorted(
                graph.edges(data="weight")
            )
    finally:
        child.wait(timeout=60)
    assert child.returncode == 0


def test_two_importers_at_once_lose_and_duplicate_nothing(tmp_path):
    first = write_busy_file(tmp_path / "first.jsonl", seed=1, originals=1_500)
    second = write_busy_file(tmp_path / "second.jsonl", seed=2, originals=1_500)
    reference = tmp_path / "reference.db"
    engine = open_database(str(reference))
    import_file(engine, first)
    import_file(engine, second)
    engine.dispose()

    db = tmp_path / "shared.db"
    open_database(str(db)).dispose()
    children = [start_import(db, source, batch_rows=100) for source in (first, second)]
    for child in children:
        _, errors = child.communicate(timeout=120)
        assert child.returncode == 0, errors
    assert contents(db) == contents(reference)
