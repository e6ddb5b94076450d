"""The command line, through click's CliRunner, on a real temporary SQLite file."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
from datetime import datetime

import pytest
from conftest import invoke

PERSONAL = "What a beautiful sunrise over the harbour this morning."


@pytest.fixture
def triangle(community, tmp_path):
    """bakery<->florist and florist<->cafe are mutual; cafe->bakery... nothing; deli->bakery."""
    for a, b in [
        ("bakery", "florist"),
        ("florist", "bakery"),
        ("florist", "cafe"),
        ("cafe", "florist"),
    ]:
        community.retweet(a, community.post(b, f"Order now from {b}: 10% off this week!"))
    community.retweet("deli", community.post("bakery", "Book your cake for Saturday, only £20"))
    return community.write(tmp_path / "triangle.jsonl")


def test_import_then_mutual_as_json(run, triangle):
    assert run("import", str(triangle)).exit_code == 0
    result = run("mutual", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    pairs = {frozenset((r["a"], r["b"])): (r["a_to_b"], r["b_to_a"]) for r in rows}
    assert pairs == {
        frozenset(("bakery", "florist")): (1, 1),
        frozenset(("cafe", "florist")): (1, 1),
    }
    assert set(rows[0]) >= {"a", "b", "a_to_b", "b_to_a"}


def test_one_sided_lists_unreturned_support(run, triangle):
    run("import", str(triangle))
    result = run("one-sided", "--format", "json")
    rows = json.loads(result.stdout)
    assert [(r["supporter"], r["supported"], r["count"]) for r in rows] == [("deli", "bakery", 1)]


def test_one_sided_for_an_account_lists_exactly_its_relationships(run, triangle):
    run("import", str(triangle))

    def rows(account: str) -> list[tuple[str, str, int, int]]:
        result = run("one-sided", "--account", account, "--format", "json")
        assert result.exit_code == 0, result.output
        found = json.loads(result.stdout)
        return [(r["supporter"], r["supported"], r["count"], r["returned"]) for r in found]

    assert rows("@Bakery") == [("deli", "bakery", 1, 0)]  # as supported
    assert rows("deli") == [("deli", "bakery", 1, 0)]  # as supporter
    assert rows("florist") == []  # only mutual relationships


def test_introductions_suggest_partners_of_partners(run, triangle):
    run("import", str(triangle))
    rows = json.loads(run("introductions", "--format", "json").stdout)
    assert [(sorted((r["a"], r["b"])), r["via"]) for r in rows] == [
        (["bakery", "cafe"], ["florist"])
    ]
    assert rows[0]["score"] == pytest.approx(1 / __import__("math").log(2))


def test_report_json_counts(run, triangle):
    run("import", str(triangle))
    result = run("report", "--format", "json")
    data = json.loads(result.stdout)
    assert data["accounts"] == 4
    assert data["edges"] == 5
    assert data["support_events"] == 5
    assert data["mutual_pairs"] == 2
    assert data["one_sided"] == 1
    assert data["reciprocity"] == pytest.approx(0.8)
    assert {"communities", "top_supporters"} <= set(data)


def _cells(text: str) -> list[list[str]]:
    """The non-empty cells of every table row in rich ``text`` output."""
    rows = [[c.strip() for c in line.split("│")] for line in text.splitlines() if "│" in line]
    return [[c for c in row if c] for row in rows]


def test_report_text_shows_the_counts_communities_and_relationships(run, triangle):
    run("import", str(triangle))
    result = run("report")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    for expected in [
        "Accounts stored 4",
        "Support events (distinct promotional tweets retweeted) 5",
        "Mutual pairs 2",
        "One-sided relationships 1",
        "Reciprocity 0.8",
    ]:
        assert expected in lines
    cells = _cells(result.stdout)
    assert ["1", "3", "@bakery, @cafe, @florist"] in cells  # the one community
    assert ["florist", "2", "2", "2"] in cells  # the top supporter: given, received, accounts
    assert ["bakery", "florist", "1", "1"] in cells and ["cafe", "florist", "1", "1"] in cells
    assert ["deli", "bakery", "1", "0"] in cells  # the unreturned support
    assert ["florist", "1.000"] in cells  # the only connector


def test_until_and_since_choose_the_retweets_that_count(run, community, tmp_path):
    early = community.post("bakery", "Order now: 20% off all loaves!", at=datetime(2026, 10, 1))
    late = community.post("bakery", "Book your Christmas cake, only £18", at=datetime(2026, 10, 1))
    community.retweet("florist", early, at=datetime(2026, 11, 2, 9, 0))
    community.retweet("cafe", late, at=datetime(2026, 11, 9, 23, 59))
    community.retweet("deli", late, at=datetime(2026, 11, 10, 0, 0))  # --until is exclusive
    run("import", str(community.write(tmp_path / "window.jsonl")))

    def supporters(*window: str) -> list[str]:
        result = run("one-sided", *window, "--format", "json")
        assert result.exit_code == 0, result.output
        return sorted(r["supporter"] for r in json.loads(result.stdout))

    assert supporters() == ["cafe", "deli", "florist"]
    assert supporters("--until", "2026-11-10") == ["cafe", "florist"]
    assert supporters("--until", "2026-11-03") == ["florist"]
    assert supporters("--since", "2026-11-03") == ["cafe", "deli"]
    assert supporters("--since", "2026-11-03", "--until", "2026-11-10") == ["cafe"]
    report = json.loads(run("report", "--until", "2026-11-03", "--format", "json").stdout)
    assert (report["window"], report["support_events"]) == (
        "the beginning to 2026-11-03 (exclusive)",
        1,
    )


def test_csv_output_has_a_header_row(run, triangle):
    run("import", str(triangle))
    rows = list(csv.reader(io.StringIO(run("mutual", "--format", "csv").stdout)))
    assert rows[0] == ["a", "b", "a_to_b", "b_to_a"]
    assert len(rows) == 3


def test_bad_line_is_reported_with_file_and_line_and_the_rest_imported(run, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    good = json.dumps(community.page())
    path = tmp_path / "mixed.jsonl"
    path.write_text(f'{good}\n{{"data": [{{"text": "no id"}}]}}\nnot json at all\n{good}\n')
    result = run("import", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: " in result.output
    assert f"{path}:3: " in result.output
    rows = json.loads(run("mutual", "--format", "json", "--all-retweets").stdout)
    assert rows == []
    assert json.loads(run("report", "--format", "json").stdout)["support_events"] == 1


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.jsonl", b""),
        ("image.jsonl", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
        ("broken.jsonl.gz", b"\x1f\x8b\x08\x00garbage"),
    ],
)
def test_unreadable_file_is_one_line_error_and_writes_nothing(
    run, db_path, tmp_path, name, content
):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(path) in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (0,)


def test_missing_file_is_one_line_error(run, tmp_path):
    result = run("import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 1
    assert "nope.jsonl" in result.output and "Traceback" not in result.output


def test_gzip_file_imports_like_plain(run, community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    plain = community.write(tmp_path / "a.jsonl")
    packed = tmp_path / "a.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert run("import", str(packed)).exit_code == 0
    assert json.loads(run("report", "--format", "json").stdout)["support_events"] == 1


def test_import_classifies_with_the_rules_file_given(run, community, tmp_path, db_path):
    community.post("bakery", "Mates rates for regulars this week")
    path = community.write(tmp_path / "page.jsonl")
    rules = tmp_path / "rules.toml"
    rules.write_text('[cues.offer]\nphrases = ["mates rates"]\n', encoding="utf-8")
    result = run("import", "--rules", str(rules), str(path))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        ((reason, model),) = conn.execute("SELECT promo_reason, promo_model FROM tweets")
    # the phrase joins the offer family, with the model's weight for that family
    assert reason.startswith("offer: mates rates (+") and "+rules-" in model


def test_import_json_summary(run, triangle):
    result = run("import", "--format", "json", str(triangle))
    (summary,) = json.loads(result.stdout)
    assert summary["retweets"] == 5 and summary["lines_rejected"] == 0


def test_mark_personal_removes_support(run, community, tmp_path):
    tweet = community.post("bakery")
    community.retweet("florist", tweet)
    run("import", str(community.write(tmp_path / "a.jsonl")))
    assert run("tweets", "mark-personal", tweet).exit_code == 0
    assert json.loads(run("report", "--format", "json").stdout)["support_events"] == 0
    assert run("tweets", "mark-promo", tweet).exit_code == 0
    assert json.loads(run("report", "--format", "json").stdout)["support_events"] == 1


def test_marking_an_unknown_tweet_is_a_clear_error(run):
    result = run("tweets", "mark-promo", "12345")
    assert result.exit_code == 1
    assert "no original tweet 12345" in result.output


def test_unknown_account_is_a_clear_error(run, triangle):
    run("import", str(triangle))
    result = run("introductions", "--account", "nobody")
    assert result.exit_code == 1
    assert "no account @nobody" in result.output


def test_since_after_until_is_a_usage_error(run):
    result = run("mutual", "--since", "2026-11-09", "--until", "2026-11-02")
    assert result.exit_code == 2
    assert "must be before" in result.output


def test_bad_date_names_the_option(run):
    result = run("mutual", "--since", "last week")
    assert result.exit_code == 2 and "--since" in result.output


def test_classify_reads_stdin_and_prints_json_lines(run):
    result = run("classify", input=f"20% off all bread today - order online!\n{PERSONAL}\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["promotional"] for line in lines] == [True, False]
    assert set(lines[0]) == {"text", "promotional", "score", "reasons"}
    assert lines[0]["reasons"]


def test_tweets_and_accounts_list_stored_data(run, triangle):
    run("import", str(triangle))
    tweets = json.loads(run("tweets", "list", "--format", "json").stdout)
    assert len(tweets) == 5 and all(t["promotional"] for t in tweets)
    accounts = json.loads(run("accounts", "--format", "json").stdout)
    assert {a["username"] for a in accounts} == {"bakery", "florist", "cafe", "deli"}


def test_accounts_with_equal_activity_are_listed_by_name_ignoring_case(run, community, tmp_path):
    tweet = community.post("Dough", "Order now: 20% off all loaves!")
    for fan in ("bob", "Carol", "alice"):
        community.retweet(fan, tweet)
    run("import", str(community.write(tmp_path / "fans.jsonl")))
    accounts = json.loads(run("accounts", "--format", "json").stdout)
    # one tweet or retweet each; by name ignoring case, not "Carol", "Dough", "alice", "bob"
    assert [a["username"] for a in accounts] == ["alice", "bob", "Carol", "Dough"]


def test_db_current_and_upgrade(run):
    assert "current: empty" in run("db", "current").output
    assert "created at revision" in run("db", "upgrade").output
    assert "up to date" in run("db", "current").output
    assert "nothing to do" in run("db", "upgrade").output


def test_empty_database_reports_are_messages_not_errors(run):
    result = run("mutual")
    assert result.exit_code == 0 and "No mutual pairs" in result.output


def test_demo_without_a_database_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RETWEETRING_DB", raising=False)
    result = invoke(None, "demo", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["mutual_pairs"] > 0 and report["accounts"] > 30
    assert list(tmp_path.iterdir()) == []  # not ./retweetring.db, nor anything else


def test_demo_keeps_its_database_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RETWEETRING_DB", raising=False)
    kept = tmp_path / "kept" / "demo.db"
    kept.parent.mkdir()
    result = invoke(None, "demo", "--db", str(kept))
    assert result.exit_code == 0, result.output
    assert f"demo database kept at {kept}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"] and kept.is_file()
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] > 30
    demo_report = json.loads(invoke(kept, "report", "--format", "json").stdout)
    assert demo_report["mutual_pairs"] > 0
