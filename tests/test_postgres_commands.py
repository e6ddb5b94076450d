"""The commands beyond the analytics give the same output on SQLite and PostgreSQL: exports
byte for byte, maps' summaries, the promotional model's life cycle, reviews, the weekly job,
and a replayed collect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from children import contents, start_collect
from conftest import EXAMPLE, invoke

from retweetring.store.tables import metadata

EXPORTS = [
    ("graphml", "out.graphml", ["out.graphml"]),
    ("gexf", "out.gexf", ["out.gexf"]),
    ("json", "out.json", ["out.json"]),
    ("csv", "out.csv", ["out-nodes.csv", "out-edges.csv"]),
]
"""Each format, the file given to ``-o`` and the files written."""


def _imported(db: str) -> str:
    result = invoke(db, "import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, postgres_server: Any) -> list[str]:
    """The example community in an SQLite file and in a PostgreSQL database; read only."""
    sqlite = str(tmp_path_factory.mktemp("both") / "rr.db")
    return [_imported(sqlite), _imported(postgres_server.url())]


@pytest.fixture
def fresh(tmp_path: Path, pg_url: str) -> list[str]:
    """The example community in a new SQLite file and a new PostgreSQL database."""
    return [_imported(str(tmp_path / "rr.db")), _imported(pg_url)]


def _json(db: str, *args: str) -> Any:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("fmt, output, files", EXPORTS, ids=[e[0] for e in EXPORTS])
@pytest.mark.parametrize("window", [(), ("--since", "2026-11-09", "--min-support", "2")])
def test_exports_are_the_same_bytes_on_sqlite_and_postgresql(
    both: list[str],
    tmp_path: Path,
    fmt: str,
    output: str,
    files: list[str],
    window: tuple[str, ...],
) -> None:
    written = []
    for i, db in enumerate(both):
        folder = tmp_path / str(i)
        folder.mkdir()
        result = invoke(db, "export", "--format", fmt, "-o", str(folder / output), *window)
        assert result.exit_code == 0, result.output
        written.append([(folder / name).read_bytes() for name in files])
    assert written[0] == written[1]
    assert all(written[0]), "something was exported"


@pytest.mark.parametrize("account", [(), ("--account", "hollys_bakery")])
def test_maps_draw_the_same_graph_on_sqlite_and_postgresql(
    both: list[str], tmp_path: Path, account: tuple[str, ...]
) -> None:
    drawn = []
    for i, db in enumerate(both):
        png = tmp_path / f"{i}.png"
        summary = _json(db, "map", "-o", str(png), "--size", "800x600", *account)
        assert png.stat().st_size > 0
        drawn.append({k: v for k, v in summary.items() if k not in ("output", "path", "file")})
    assert drawn[0] == drawn[1]


def test_tweet_lists_and_reviews_are_the_same_on_sqlite_and_postgresql(both: list[str]) -> None:
    sqlite, postgresql = (
        (
            _json(db, "tweets", "review", "--limit", "10"),
            _json(db, "tweets", "list", "--limit", "50"),
            _json(db, "tweets", "list", "--account", "hollys_bakery", "--personal"),
        )
        for db in both
    )
    assert sqlite == postgresql
    assert all(sqlite)


def test_the_promotional_model_life_cycle_is_the_same_on_sqlite_and_postgresql(
    fresh: list[str],
) -> None:
    outputs = []
    for db in fresh:
        tweets = _json(db, "tweets", "list", "--limit", "400")
        promo = [t["id"] for t in tweets if t["promotional"]][:3]
        turned = [t["id"] for t in tweets if not t["promotional"]][:3]
        personal = [t["id"] for t in tweets if not t["promotional"]][3:9]
        assert invoke(db, "tweets", "mark-promo", *promo, *turned).exit_code == 0
        assert invoke(db, "tweets", "mark-personal", *personal).exit_code == 0
        steps = {
            "dry run": _json(db, "tweets", "reclassify", "--dry-run"),
            "fit": _json(db, "promo", "fit"),
            "show": invoke(db, "promo", "show", "--format", "json").stdout,
            "reclassify": _json(db, "tweets", "reclassify"),
            "after": _json(db, "report"),
        }
        reset = invoke(db, "promo", "reset")
        assert reset.exit_code == 0, reset.output
        steps["reset"] = reset.stdout
        steps["back"] = _json(db, "tweets", "reclassify")
        outputs.append(steps)
    assert outputs[0] == outputs[1]
    assert outputs[0]["reclassify"]["changed"] > 0, "the fitted model changed decisions"


def test_the_weekly_job_writes_the_same_files_on_sqlite_and_postgresql(
    fresh: list[str], tmp_path: Path
) -> None:
    written = []
    for i, db in enumerate(fresh):
        out = tmp_path / str(i)
        summary = _json(db, "weekly", "hollys_bakery", "-o", str(out), "--week", "2026-W46")
        week = out / "2026-W46"
        texts = {p.name: p.read_text() for p in sorted(week.iterdir()) if p.suffix != ".png"}
        pngs = sorted(p.name for p in week.iterdir() if p.suffix == ".png")
        written.append((json.loads(json.dumps(summary).replace(str(out), "OUT")), texts, pngs))
    assert written[0] == written[1]
    assert written[0][1]["thank-you.md"] and written[0][2], "a list and maps were written"


def _collect(db: str, shared_fixtures: Path, cwd: Path) -> str:
    """A replayed ``members add`` and ``collect --retweeters`` in a child; its stdout."""
    child = start_collect(db, shared_fixtures, cwd)
    out, err = child.communicate(timeout=180)
    assert child.returncode == 0, out + err
    return out


def test_a_replayed_collect_stores_and_says_the_same_on_sqlite_and_postgresql(
    tmp_path: Path, pg_url: str, shared_fixtures: Path
) -> None:
    tables = tuple(t.name for t in metadata.sorted_tables if t.name not in ("imports",))
    runs = []
    for db in (str(tmp_path / "rr.db"), pg_url):
        said = _collect(db, shared_fixtures, tmp_path)
        runs.append((said, contents(db, tables), _json(db, "report"), _json(db, "members", "list")))
    assert runs[0] == runs[1]
    stored = runs[0][1]
    assert stored["retweets"] and stored["approximate_retweets"] and stored["api_requests"]
