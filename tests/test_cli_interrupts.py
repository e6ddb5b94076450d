"""Ctrl-C and failed files: the import says what it kept and lists every file it was given."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import invoke

import retweetring.sources.ingest as ingest


def _two_files(community, tmp_path: Path) -> tuple[Path, Path]:
    first = community.post("bakery")
    community.retweet("florist", first)
    one = community.write(tmp_path / "one.jsonl", [community.page()])
    second = community.post("florist")
    community.retweet("bakery", second)
    two = community.write(tmp_path / "two.jsonl", [community.page()])
    return one, two


def test_ctrl_c_during_an_import_keeps_the_finished_files_and_says_how_to_go_on(
    community, tmp_path, monkeypatch
):
    one, two = _two_files(community, tmp_path)
    real = ingest.import_file

    def interrupted_on_the_second(engine, path, **kwargs):
        if Path(path) == two:
            raise KeyboardInterrupt
        return real(engine, path, **kwargs)

    monkeypatch.setattr(ingest, "import_file", interrupted_on_the_second)
    db = tmp_path / "c.db"
    result = invoke(db, "import", str(one), str(two))
    assert result.exit_code == 130
    assert "Aborted" not in result.output
    assert f"interrupted while importing {two}: 1 of 2 files imported completely" in result.output
    assert "running the same command again finishes" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone() == (1,)

    monkeypatch.setattr(ingest, "import_file", real)
    again = invoke(db, "import", str(one), str(two))
    assert again.exit_code == 0, again.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone() == (2,)


def test_import_json_lists_the_files_that_failed_with_their_error(community, tmp_path):
    one, _ = _two_files(community, tmp_path)
    missing = tmp_path / "missing.jsonl"
    result = invoke(tmp_path / "j.db", "import", "--format", "json", str(one), str(missing))
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert [entry["path"] for entry in entries] == [str(one), str(missing)]
    assert entries[0]["error"] is None
    assert entries[0]["retweets_new"] == 1
    assert "no such file" in entries[1]["error"]
