"""What reaches a terminal, a pipe or a spreadsheet is safe and whole, whatever the data holds."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke

from retweetring.reports.formats import spreadsheet_cell

HOSTILE_NAME = "Bea \x1b]0;TITLE\x07\x1b[2J\x0b\x08\u202e Bakes"
HOSTILE_TEXT = "Fresh sourdough today \x1b[31m20% off\x1b[0m all loaves\r - order now at the shop!"
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def hostile_db(tmp_path: Path, community) -> Path:
    """Two shops who back each other, one named with terminal escapes, one with a formula."""
    community._next = 2_123_391_037_226_446_000  # ids as long as real ones
    community.user("bea_bakes", name=HOSTILE_NAME)
    community.user("flora", name=FORMULA_NAME)
    community.user("sam")
    community.user("x\x1b[2Jy")  # no X username looks like this, but a file can say anything
    for number, user in enumerate(community.users.values()):
        user["id"] = str(1_460_000_000_000_000_000 + number)  # as long as real ids
    community.retweet("x\x1b[2Jy", community.post("flora", HOSTILE_TEXT))
    for author, fan in [("bea_bakes", "flora"), ("flora", "bea_bakes"), ("bea_bakes", "sam")]:
        community.retweet(fan, community.post(author, HOSTILE_TEXT))
    path = community.write(tmp_path / "hostile.jsonl")
    db = tmp_path / "hostile.db"
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    return db


def _run(db: Path, *args: str, columns: int = 200) -> str:
    result = invoke(db, *args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


TEXT_COMMANDS = [
    ["accounts"],
    ["mutual"],
    ["one-sided"],
    ["introductions"],
    ["report"],
    ["balance"],
    ["tweets", "list"],
    ["tweets", "review"],
    ["thank", "bea_bakes", "--week", "2026-W45"],
    ["thank", "bea_bakes", "--week", "2026-W45", "--format", "markdown", "--drafts"],
]


@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=" ".join)
def test_control_characters_in_names_and_texts_never_reach_the_terminal(hostile_db, args):
    shown = _run(hostile_db, *args)
    assert not any(ch in shown for ch in "\x1b\x07\x0b\x08\r\u202e"), repr(shown)


def test_escaped_names_stay_readable(hostile_db):
    shown = _run(hostile_db, "accounts")
    assert r"Bea \x1b]0;TITLE\x07\x1b[2J\x0b\x08\u202e Bakes" in shown


def test_an_error_message_naming_a_hostile_file_is_escaped(tmp_path):
    bad = tmp_path / "shop\x1b[2J.jsonl"
    result = invoke(tmp_path / "x.db", "import", str(bad))
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert r"shop\x1b[2J.jsonl" in result.output


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1234", "'+44 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("bakery", "bakery"),
        ("", ""),
        (-2, -2),
        (0.5, 0.5),
    ],
)
def test_spreadsheet_cells_that_start_a_formula_get_a_leading_quote(value, safe):
    assert spreadsheet_cell(value) == safe


def test_csv_output_neutralises_formulas_in_names(hostile_db):
    rows = list(csv.DictReader(io.StringIO(_run(hostile_db, "accounts", "--format", "csv"))))
    names = {row["username"]: row["name"] for row in rows}
    assert names["flora"] == "'" + FORMULA_NAME
    assert names["sam"] == "Sam"


def test_exported_csv_neutralises_formulas_in_names(hostile_db, tmp_path):
    _run(hostile_db, "export", "--format", "csv", "--output", str(tmp_path / "g.csv"))
    with (tmp_path / "g-nodes.csv").open(newline="", encoding="utf-8") as f:
        names = {row["username"]: row["name"] for row in csv.DictReader(f)}
    assert names["flora"] == "'" + FORMULA_NAME


def test_ids_and_usernames_are_never_cut_at_80_columns(hostile_db):
    shown = _run(hostile_db, "tweets", "list", columns=80)
    ids = [row["id"] for row in _json_rows(hostile_db, "tweets", "list")]
    assert ids
    for tweet_id in ids:
        assert tweet_id in shown
    assert "…" not in "".join(line[:40] for line in shown.splitlines())


def test_member_usernames_are_never_cut_at_80_columns(hostile_db):
    with sqlite3.connect(hostile_db) as conn:
        conn.execute(
            "INSERT INTO members (platform, account_id, added_at) "
            "SELECT platform, id, '2026-11-01 09:00:00' FROM accounts"
        )
    shown = _run(hostile_db, "members", "list", columns=80)
    for name in ["bea_bakes", "flora", "sam"]:
        assert f" {name} " in shown
    for row in _json_rows(hostile_db, "members", "list"):
        assert row["id"] in shown


def _json_rows(db: Path, *args: str) -> list[dict[str, str]]:
    import json

    return json.loads(_run(db, *args, "--format", "json"))


def test_a_closed_pipe_ends_quietly(hostile_db):
    command = [sys.executable, "-c", "from retweetring.cli.main import main; main()"]
    proc = subprocess.Popen(
        [*command, "--db", str(hostile_db), "one-sided", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: nobody reads what follows
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert stderr == ""
