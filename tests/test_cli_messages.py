"""The words of the command line: counts that read right, hints that work, no blank names."""

from __future__ import annotations

import json

from conftest import invoke


def _run(*args: str):
    return invoke(None, *args)


def test_one_rejected_line_is_singular(community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    path = community.write(tmp_path / "one.jsonl")
    with path.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    result = _run("--db", str(tmp_path / "s.db"), "import", str(path))
    assert result.exit_code == 1
    assert ", 1 rejected line, " in result.output
    assert "1 rejected lines" not in result.output


def test_a_flattened_file_counts_lines_not_pages(community, tmp_path):
    community.retweet("florist", community.post("bakery"))
    page = community.page()
    flat = tmp_path / "flat.jsonl"
    tweets = [
        {
            **tweet,
            "author": next(u for u in page["includes"]["users"] if u["id"] == tweet["author_id"]),
        }
        for tweet in page["data"]
    ]
    flat.write_text("".join(json.dumps(t) + "\n" for t in tweets), encoding="utf-8")
    result = _run("--db", str(tmp_path / "f.db"), "import", str(flat))
    assert result.exit_code == 0, result.output
    assert f"{flat}: 2 lines, " in result.output
    assert "pages" not in result.output


def test_demo_run_twice_on_a_kept_database_suggests_nothing_it_lacks(tmp_path):
    db = tmp_path / "demo.db"
    assert _run("demo", "--db", str(db)).exit_code == 0
    again = _run("demo", "--db", str(db))
    assert again.exit_code == 0
    assert "--force" not in again.output
    assert "the example is already in this database" in again.output


def test_an_account_known_only_by_its_id_is_listed_by_its_id(community, tmp_path):
    original = community.post("bakery")
    community.retweet("florist", original)
    page = community.page()
    bakery_id = community.user("bakery")["id"]
    page["includes"]["users"] = [u for u in page["includes"]["users"] if u["id"] != bakery_id]
    path = community.write(tmp_path / "noname.jsonl", [page])
    db = str(tmp_path / "n.db")
    assert _run("--db", db, "import", str(path)).exit_code == 0
    accounts = json.loads(_run("--db", db, "accounts", "--format", "json").output)
    assert sorted(a["username"] for a in accounts) == ["florist", f"id:{bakery_id}"]
    tweets = json.loads(_run("--db", db, "tweets", "list", "--format", "json").output)
    assert [t["author"] for t in tweets] == [f"id:{bakery_id}"]
    shown = _run("--db", db, "accounts").output
    assert f"id:{bakery_id}" in shown
