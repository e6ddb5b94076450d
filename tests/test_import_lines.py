"""A line whose exact bytes were imported before is not parsed again: a forced re-import reads
only what is new, and ends with the same rows and the same counts."""

from __future__ import annotations

import orjson
import pytest
from children import contents

from retweetring.sources import files
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database


@pytest.fixture
def parses(monkeypatch) -> list[bytes]:
    """Every line the JSON Lines reader parses from now on."""
    seen: list[bytes] = []
    real = orjson.loads

    def counting(line):
        seen.append(line)
        return real(line)

    monkeypatch.setattr(files.orjson, "loads", counting)
    return seen


def _pages(community, count: int, first: int = 0) -> list[dict]:
    """``count`` pages, each of a new promotion and its retweet."""
    pages = []
    for n in range(first, first + count):
        original = community.post(f"shop{n}", f"Order now, 10% off #{n}")
        pages.append(community.page([community.retweet(f"fan{n}", original), original]))
    return pages


def _summary(result) -> tuple:
    c = result.counts
    return (result.lines_read, result.pages, c.tweets, c.retweets, result.unattributed)


def test_a_forced_reimport_parses_only_the_first_line_and_reports_the_same_counts(
    tmp_path, community, parses
):
    path = community.write(tmp_path / "ten.jsonl", _pages(community, 10))
    db = tmp_path / "lines.db"
    engine = open_database(str(db))
    first = import_file(engine, path)
    before = contents(db)
    parses.clear()
    again = import_file(engine, path, force=True)
    assert len(parses) == 1  # the first line tells the format; lines 2-10 are known
    assert _summary(again) == _summary(first)
    assert (again.counts.tweets_new, again.counts.retweets_new) == (0, 0)
    assert contents(db)["retweets"] == before["retweets"]


def test_a_file_that_grew_is_parsed_only_from_its_new_lines(tmp_path, community, parses):
    pages = _pages(community, 6)
    path = community.write(tmp_path / "growing.jsonl", pages)
    db = tmp_path / "grown.db"
    engine = open_database(str(db))
    import_file(engine, path)
    pages += _pages(community, 4, first=6)
    community.write(path, pages)
    parses.clear()
    result = import_file(engine, path)  # new content: not skipped by the file's digest
    assert len(parses) == 1 + 4
    assert result.counts.retweets_new == 4
    fresh = tmp_path / "fresh.db"
    import_file(open_database(str(fresh)), path)
    got, want = contents(db), contents(fresh)
    assert {t: got[t] for t in ("accounts", "tweets", "retweets")} == {
        t: want[t] for t in ("accounts", "tweets", "retweets")
    }


def test_rejected_lines_are_read_and_reported_again(tmp_path, community):
    lines = [orjson.dumps(page).decode() for page in _pages(community, 3)]
    lines.insert(2, '{"data": [{"id": "x"}]}')
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    engine = open_database(str(tmp_path / "bad.db"))
    first = import_file(engine, path)
    again = import_file(engine, path, force=True)
    assert first.errors and again.errors == first.errors
    assert again.lines_rejected == first.lines_rejected == 1


def test_a_line_repeated_in_a_file_is_stored_once(tmp_path, community):
    page = _pages(community, 1)[0]
    path = community.write(tmp_path / "twice.jsonl", [_pages(community, 1, 1)[0], page, page])
    engine = open_database(str(tmp_path / "twice.db"))
    result = import_file(engine, path)
    assert result.counts.retweets == 3 and result.counts.retweets_new == 2
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM import_lines").scalar() == 1


def test_the_digest_ignores_a_missing_final_newline():
    assert files.line_digest(b'{"data": []}\n') == files.line_digest(b'{"data": []}')
    assert files.line_digest(b'{"data": []}') != files.line_digest(b'{"data": [1]}')


def test_lines_of_a_single_json_document_get_no_digest(tmp_path, community):
    _pages(community, 2)
    path = tmp_path / "saved.json"
    path.write_bytes(orjson.dumps(community.page(), option=orjson.OPT_INDENT_2))
    engine = open_database(str(tmp_path / "doc.db"))
    assert import_file(engine, path).counts.retweets_new == 2
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM import_lines").scalar() == 0


def _recorded_digests(engine) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql("SELECT sha256 FROM imports ORDER BY id")]


def test_a_forced_import_takes_the_file_digest_from_its_one_read(tmp_path, community, monkeypatch):
    path = community.write(tmp_path / "plain.jsonl", _pages(community, 5))
    engine = open_database(str(tmp_path / "digest.db"))
    want = files.sha256_file(path)
    import_file(engine, path)
    from retweetring.sources import ingest

    monkeypatch.setattr(ingest, "sha256_file", lambda _path: pytest.fail("a second read"))
    result = import_file(engine, path, force=True)
    assert result.sha256 == want
    assert _recorded_digests(engine) == [want, want]


def test_the_digest_read_along_covers_every_byte_of_a_line_too_long_to_keep(
    tmp_path, community, monkeypatch
):
    lines = [orjson.dumps(page) for page in _pages(community, 3)]
    lines.insert(1, b'{"data": [], "padding": "' + b"x" * 5000 + b'"}')
    path = tmp_path / "long.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n\n")
    monkeypatch.setattr(files, "MAX_LINE_BYTES", 4096)
    engine = open_database(str(tmp_path / "long.db"))
    result = import_file(engine, path, force=True)
    assert result.lines_rejected == 1
    assert result.sha256 == files.sha256_file(path)


def test_a_forced_import_of_a_gzip_file_records_the_digest_of_the_file_as_stored(
    tmp_path, community
):
    import gzip

    plain = community.write(tmp_path / "pages.jsonl", _pages(community, 3))
    packed = tmp_path / "pages.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    engine = open_database(str(tmp_path / "gz.db"))
    result = import_file(engine, packed, force=True)
    assert result.sha256 == files.sha256_file(packed) != files.sha256_file(plain)
