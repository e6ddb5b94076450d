"""Concurrent use of one database, SQLite and PostgreSQL alike: readers see a snapshot,
writers wait for each other, and two writers of overlapping data end as one sequential run."""

from __future__ import annotations

import time

from children import contents, start_collect, start_import, start_social_collect, write_busy_file
from sqlalchemy import text

from retweetring.graph import support_graph
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database
from retweetring.store.tables import metadata

COUNT = text("SELECT COUNT(*) FROM retweets")
COLLECTED = tuple(
    t.name for t in metadata.sorted_tables if t.name not in ("imports", "api_requests")
)
"""Every table but the imports and the request ledger (each collector logs its own requests)."""


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(COUNT)


def test_a_report_during_an_import_sees_one_consistent_snapshot(tmp_path, any_db):
    source = write_busy_file(tmp_path / "busy.jsonl")
    engine = open_database(any_db)
    child = start_import(any_db, source, batch_rows=100)
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
        engine.dispose()
    assert child.returncode == 0


def test_two_importers_of_overlapping_files_at_once_end_as_one_sequential_run(tmp_path, any_db):
    first = write_busy_file(tmp_path / "first.jsonl", seed=1, originals=1_500)
    second = write_busy_file(tmp_path / "second.jsonl", seed=2, originals=1_500)
    # The third file overlaps both: the accounts are shared, and it holds tweets of each.
    both = tmp_path / "both.jsonl"
    lines = [f.read_text().splitlines() for f in (first, second)]
    both.write_text("\n".join(lines[0][::2] + lines[1][1::2]) + "\n")
    reference = tmp_path / "reference.db"
    engine = open_database(str(reference))
    for source in (first, second, both):
        import_file(engine, source)
    engine.dispose()

    open_database(any_db).dispose()
    children = [start_import(any_db, source, batch_rows=100) for source in (first, second, both)]
    for child in children:
        _, errors = child.communicate(timeout=180)
        assert child.returncode == 0, errors
    assert contents(any_db) == contents(reference)


def test_two_collectors_of_the_same_members_at_once_end_as_one_sequential_run(
    tmp_path, any_db, shared_fixtures
):
    reference = str(tmp_path / "reference.db")
    alone = start_collect(reference, shared_fixtures, tmp_path)
    out, err = alone.communicate(timeout=180)
    assert alone.returncode == 0, out + err

    open_database(any_db).dispose()
    children = [start_collect(any_db, shared_fixtures, tmp_path) for _ in range(2)]
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, out + err
    assert contents(any_db, COLLECTED) == contents(reference, COLLECTED)


def test_two_bluesky_and_mastodon_collectors_at_once_end_as_one_sequential_run(tmp_path, any_db):
    reference = str(tmp_path / "reference.db")
    alone = start_social_collect(reference, tmp_path)
    out, err = alone.communicate(timeout=180)
    assert alone.returncode == 0, out + err
    assert "new approximate events" in out  # the reposters lookups ran too

    open_database(any_db).dispose()
    children = [start_social_collect(any_db, tmp_path) for _ in range(2)]
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, out + err
    found = contents(any_db, COLLECTED)
    assert found == contents(reference, COLLECTED)
    assert found["approximate_retweets"] and found["social_checkpoints"]
