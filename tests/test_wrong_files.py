"""Files of the wrong kind: one clear message naming what the file looks like, nothing written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import invoke

COUNTS = {
    "data": [{"end": "2026-11-02T00:00:00.000Z", "start": "2026-11-01T00:00:00.000Z",
              "tweet_count": 12}],
    "meta": {"total_tweet_count": 12},
}
LISTS = {"data": [{"id": "1580000000000000000", "name": "Saltby shops"}],
         "meta": {"result_count": 1}}
COMPLIANCE = {"id": "1580000000000000001", "action": "delete",
              "created_at": "2026-11-01T10:00:00.000Z", "redacted_at": "2026-11-02T10:00:00.000Z",
              "reason": "deleted"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def _lines(*pages: dict) -> bytes:
    return "".join(json.dumps(page) + "\n" for page in pages).encode()


def _rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("accounts", "tweets", "retweets", "imports")
        }


NOTHING = {"accounts": 0, "tweets": 0, "retweets": 0, "imports": 0}


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("counts.jsonl", _lines(COUNTS, COUNTS), "every line looks like a tweet counts page"),
        ("lists.jsonl", _lines(LISTS), "every line looks like a lists page"),
        ("compliance.json", _lines(COMPLIANCE, COMPLIANCE, COMPLIANCE),
         "every line looks like compliance job output"),
        ("picture.jsonl", PNG, "looks like a PNG image, not JSON"),
        ("empty.jsonl", b"", "empty file"),
        ("blank.jsonl", b"\n  \n\n", "empty file (only whitespace)"),
    ],
)
def test_file_of_the_wrong_kind_says_what_it_looks_like_and_writes_nothing(
    tmp_path, name, content, message
):
    source = tmp_path / name
    source.write_bytes(content)
    db = tmp_path / "r.db"
    result = invoke(db, "import", str(source))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert _rows(db) == NOTHING


def test_user_pages_add_accounts_only(tmp_path):
    users = {"data": [{"id": "10", "username": "hollys_bakery", "name": "Holly's Bakery"},
                      {"id": "11", "username": "harbour_cafe", "name": "The Harbour Café"}]}
    source = tmp_path / "users.jsonl"
    source.write_bytes(_lines(users))
    db = tmp_path / "r.db"
    result = invoke(db, "import", str(source))
    assert result.exit_code == 0, result.output
    assert _rows(db) == {"accounts": 2, "tweets": 0, "retweets": 0, "imports": 1}


def test_recorded_user_lookup_pages_add_accounts_only(tmp_path, shared_fixtures):
    db = tmp_path / "r.db"
    source = shared_fixtures / "twarc2" / "users.jsonl"
    result = invoke(db, "import", str(source))
    assert result.exit_code == 0, result.output
    rows = _rows(db)
    assert rows["accounts"] > 0 and (rows["tweets"], rows["retweets"]) == (0, 0)


def test_many_bad_lines_show_twenty_then_a_count_by_reason(tmp_path):
    source = tmp_path / "counts.jsonl"
    source.write_bytes(_lines(*[COUNTS] * 50))
    result = invoke(tmp_path / "r.db", "import", str(source))
    lines = result.output.splitlines()
    assert sum(line.startswith(f"{source}:") and ": looks like" in line for line in lines) == 20
    assert f"{source}: 30 more rejected lines not shown" in result.output
    assert "50 x looks like a tweet counts page" in result.output
