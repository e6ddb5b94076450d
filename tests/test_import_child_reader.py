"""A file read in a child process (``reader="child"``) imports exactly as one read in-process:
the same rows, results, errors and digests; and the child never outlives the import."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import sys
from pathlib import Path

import pytest
from children import contents
from conftest import Community

from retweetring.errors import InputFileError
from retweetring.sources import ingest, pipeline
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synthetic  # noqa: E402

READERS = ("inline", "child")


def _mixed_file(path: Path) -> Path:
    """A synthetic file with blank lines, a line that is not JSON, a page that is not a
    tweet page, a repeated line, and one line holding a JSON array of two pages."""
    source = synthetic.write_jsonl(path.with_suffix(".src"), 1_500, accounts=150, seed=4)
    lines = source.read_bytes().splitlines(keepends=True)
    pair = b"[" + lines[1].rstrip() + b"," + lines[2].rstrip() + b"]\n"
    mixed = [lines[0], b"\n", b"{not json\n", pair, *lines[3:8], lines[3], b'{"data": 5}\n']
    path.write_bytes(b"".join([*mixed, *lines[8:]]))
    return path


def _import_both(tmp_path: Path, source: Path, **kwargs: object) -> list[tuple]:
    """Import ``source`` with each reader into a new database; the results and rows."""
    found = []
    for reader in READERS:
        db = tmp_path / f"{reader}.db"
        engine = open_database(str(db))
        errors: list[str] = []
        positions: list[int] = []
        try:
            result = import_file(
                engine,
                source,
                reader=reader,
                on_error=errors.append,
                on_progress=lambda done, _size, seen=positions: seen.append(done),
                **kwargs,
            )
        finally:
            engine.dispose()
        found.append((dataclasses.asdict(result), errors, positions[-1], contents(db)))
    return found


def test_a_file_read_in_a_child_stores_the_same_rows_and_result(tmp_path: Path) -> None:
    source = _mixed_file(tmp_path / "mixed.jsonl")
    inline, child = _import_both(tmp_path, source, batch_rows=700)
    assert inline[0]["lines_rejected"] == 2 and inline[0]["counts"]["retweets_new"] > 1_000
    assert child == inline
    assert child[2] == source.stat().st_size  # the last progress report is the whole file


def test_a_gzip_file_read_in_a_child_stores_the_same_rows(tmp_path: Path) -> None:
    source = _mixed_file(tmp_path / "mixed.jsonl")
    packed = tmp_path / "mixed.jsonl.gz"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    inline, child = _import_both(tmp_path, packed)
    assert inline[0]["sha256"] == child[0]["sha256"] != ""
    assert child == inline


def test_a_truncated_gzip_read_in_a_child_keeps_the_same_lines_and_error(tmp_path: Path) -> None:
    source = synthetic.write_jsonl(tmp_path / "c.jsonl", 3_000, accounts=300, seed=6)
    packed = gzip.compress(source.read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) * 2 // 3])
    raised = []
    for reader in READERS:
        engine = open_database(str(tmp_path / f"{reader}.db"))
        try:
            with pytest.raises(InputFileError) as error:
                import_file(engine, cut, reader=reader, batch_rows=500)
        finally:
            engine.dispose()
        raised.append(str(error.value))
    assert "truncated" in raised[0] and raised[1] == raised[0]
    kept = contents(tmp_path / "child.db")
    assert kept["retweets"] and kept == contents(tmp_path / "inline.db")


def test_a_file_refused_by_a_child_raises_before_anything_is_written(tmp_path: Path) -> None:
    source = tmp_path / "photo.jsonl"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    messages = []
    for reader in READERS:
        db = tmp_path / f"{reader}.db"
        engine = open_database(str(db))
        try:
            with pytest.raises(InputFileError) as error:
                import_file(engine, source, reader=reader)
        finally:
            engine.dispose()
        messages.append(str(error.value))
        assert not any(contents(db).values())
    assert "PNG" in messages[0] and messages[1] == messages[0]


def test_a_file_imported_before_is_found_by_its_digest_with_either_reader(tmp_path: Path) -> None:
    source = synthetic.write_jsonl(tmp_path / "c.jsonl", 1_000, accounts=100, seed=7)
    engine = open_database(str(tmp_path / "r.db"))
    try:
        first = import_file(engine, source, reader="inline")
        again = [import_file(engine, source, reader=reader) for reader in READERS]
        forced = import_file(engine, source, reader="child", force=True)
    finally:
        engine.dispose()
    assert not first.already_imported and first.counts.retweets_new == 1_000
    assert [r.already_imported for r in again] == [True, True]
    assert [r.counts.retweets_new for r in (*again, forced)] == [0, 0, 0]
    assert not forced.already_imported and forced.sha256 == first.sha256
    imports = contents(tmp_path / "r.db")["imports"]
    assert len(imports) == 2  # the first import and the forced one, not the skipped ones


def _children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_an_import_stopped_midway_stops_its_child_and_keeps_committed_rows(
    tmp_path: Path,
) -> None:
    source = synthetic.write_jsonl(tmp_path / "c.jsonl", 3_000, accounts=300, seed=8)
    lines = source.read_bytes().splitlines(keepends=True)
    source.write_bytes(b"".join([*lines[:20], b"{broken\n", *lines[20:]]))
    before = set(_children_of(os.getpid()))

    def stop(_line: str) -> None:
        raise KeyboardInterrupt

    engine = open_database(str(tmp_path / "r.db"))
    try:
        with pytest.raises(KeyboardInterrupt):
            import_file(engine, source, reader="child", batch_rows=300, on_error=stop)
    finally:
        engine.dispose()
    assert set(_children_of(os.getpid())) == before
    kept = contents(tmp_path / "r.db")
    assert 0 < len(kept["retweets"]) < 3_000 and not kept["imports"]


def test_auto_reads_a_large_file_in_a_child_and_a_small_one_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = ingest.read_in_process

    def counted(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append("child")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "read_in_process", counted)
    small = Community()
    small.retweet("florist", small.post("bakery"))
    path = small.write(tmp_path / "a.jsonl", [small.page()])
    engine = open_database(str(tmp_path / "r.db"))
    try:
        import_file(engine, path)
        assert calls == []
        monkeypatch.setattr(pipeline, "PROCESS_MIN_BYTES", path.stat().st_size)
        monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
        import_file(engine, path, force=True)
    finally:
        engine.dispose()
    assert calls == ["child"]
    assert json.loads(path.read_text())["data"]


def test_pages_of_plain_tuples_write_the_same_rows_as_pages_of_records(tmp_path: Path) -> None:
    from retweetring.sources.files import read_pages
    from retweetring.store.session import write_connection
    from retweetring.store.writer import write_pages

    source = synthetic.write_jsonl(tmp_path / "s.jsonl", 600, accounts=80, seed=9)
    pages = [page for _, page in pipeline.normalised(read_pages(source))]
    plain = [pipeline._plain(page) for page in pages]
    assert type(plain[0].tweets[0]) is tuple and type(pages[0].tweets[0]) is not tuple
    counts = []
    for name, written in (("records", pages), ("plain", plain)):
        engine = open_database(str(tmp_path / f"{name}.db"))
        try:
            with write_connection(engine) as conn:
                counts.append(write_pages(conn, written))
        finally:
            engine.dispose()
    assert counts[0] == counts[1] and counts[0].tweets_new > 0
    assert contents(tmp_path / "records.db") == contents(tmp_path / "plain.db")


def test_tweets_a_file_repeats_are_given_once_and_still_counted_with_either_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retweetring.sources.files import read_pages

    source = synthetic.write_jsonl(tmp_path / "s.jsonl", 2_000, accounts=100, seed=5)
    pages = [page for _, page in pipeline.normalised(read_pages(source))]
    given = [tweet.id for page in pages for tweet in page.tweets]
    assert len(given) == len(set(given))  # each original once, on its first page
    assert sum(page.repeated for page in pages) > len(given)  # popular tweets come back often
    inline, child = _import_both(tmp_path, source, batch_rows=500)
    # forgetting each page's tweets, the in-process reader leaves none out (the child, a new
    # interpreter, is not patched: it is not asked again)
    monkeypatch.setattr(pipeline, "REPEATS_REMEMBERED", -1)
    (tmp_path / "every").mkdir()
    every = _import_both(tmp_path / "every", source, batch_rows=500)[0]
    # the same rows, counts (the repeats among the tweets offered), errors and progress
    assert inline == child == every
    assert inline[0]["counts"]["tweets"] == len(given) + sum(p.repeated for p in pages)


def test_a_child_given_the_classifier_decides_the_tweets_linking_to_no_site_when_ahead(
    tmp_path: Path,
) -> None:
    import time

    from retweetring.promo import shipped_classifier

    clf = shipped_classifier()
    source = synthetic.write_jsonl(tmp_path / "s.jsonl", 60_000, accounts=300, seed=6)
    tweets = []
    for _, page in pipeline.read_in_process(source, "s.jsonl", None, classifier=clf):
        time.sleep(0.005)  # an importing process slower than the child
        tweets.extend(page.tweets)
    decided = [tweet for tweet in tweets if len(tweet) == 7 and tweet[6] is not None]
    assert 0 < len(decided) < len(tweets)  # the others link to a site: decided on import
    for tweet in tweets:
        if len(tweet) == 7:
            alone = clf.classify_alone(tweet[4], tweet[5])
            assert tweet[6] == (None if alone is None else alone.stored)


def test_a_child_goes_by_the_last_thing_the_importing_process_said() -> None:
    read, write = os.pipe()
    os.set_blocking(read, False)
    try:
        assert pipeline._told(read, True) and not pipeline._told(read, False)  # nothing said
        os.write(write, pipeline._BEHIND)
        assert pipeline._told(read, False)
        os.write(write, pipeline._BEHIND + pipeline._CAUGHT_UP)
        assert not pipeline._told(read, True)
        os.close(write)
        write = -1
        assert not pipeline._told(read, True)  # the importing process has gone
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
