"""`retweetring weekly`: one folder per week, written whole or not at all."""

from __future__ import annotations

import json

import matplotlib.image
import pytest

from retweetring.thanks import weekly
from retweetring.thanks.tweet_length import weighted_length

FILES = {"thank-you.md", "drafts.txt", "my-support-map.png", "community-map.png"}


@pytest.fixture
def db_path(example_db):
    """Every test here reads the shared example database (the ``run`` fixture's default)."""
    return example_db


def test_weekly_writes_the_thank_list_drafts_and_both_maps(run, tmp_path):
    result = run("weekly", "hollys_bakery", "-o", str(tmp_path), "--week", "2026-W47",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    folder = tmp_path / "2026-W47"
    assert report["folder"] == str(folder) and set(report["files"]) == FILES
    assert {p.name for p in tmp_path.iterdir()} == {"2026-W47"}  # no work folders left over
    assert {p.name for p in folder.iterdir()} == FILES
    thanks = json.loads(run("thank", "hollys_bakery", "--week", "2026-W47",
                            "--format", "json").stdout)
    markdown = (folder / "thank-you.md").read_text(encoding="utf-8")
    drafts = (folder / "drafts.txt").read_text(encoding="utf-8")
    assert report["supporters"] == len(thanks["supporters"]) > 0
    for supporter in thanks["supporters"]:
        assert supporter["username"].replace("_", "\\_") in markdown
        assert f"@{supporter['username']}" in drafts
    for post in drafts.split("\n\n"):
        body = "\n".join(line for line in post.splitlines() if not line.startswith("# "))
        assert weighted_length(body) <= 280
    for name in ("my-support-map.png", "community-map.png"):
        image = matplotlib.image.imread(folder / name)
        assert image.shape[:2] == (1200, 1600) and image.std() > 0.01


def test_running_again_replaces_the_week_folder(run, tmp_path):
    folder = tmp_path / "2026-W47"
    folder.mkdir()
    (folder / "stale.txt").write_text("from an older run")
    result = run("weekly", "hollys_bakery", "-o", str(tmp_path), "--week", "2026-W47")
    assert result.exit_code == 0, result.output
    assert {p.name for p in folder.iterdir()} == FILES
    assert {p.name for p in tmp_path.iterdir()} == {"2026-W47"}


def test_a_crash_mid_way_leaves_the_older_folder_and_no_half_written_one(
    run, tmp_path, monkeypatch
):
    folder = tmp_path / "2026-W47"
    folder.mkdir()
    (folder / "thank-you.md").write_text("last run's list")

    def broken_map(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(weekly, "community_map", broken_map)
    result = run("weekly", "hollys_bakery", "-o", str(tmp_path), "--week", "2026-W47")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert f"cannot write {folder}: No space left on device; nothing was written" in result.output
    assert "[Errno" not in result.output and "Traceback" not in result.output
    assert {p.name for p in tmp_path.iterdir()} == {"2026-W47"}
    assert {p.name for p in folder.iterdir()} == {"thank-you.md"}
    assert (folder / "thank-you.md").read_text() == "last run's list"


def test_a_map_with_nothing_to_draw_is_skipped_with_a_note(run, tmp_path):
    # the newcomer opens in week 5: in week 1 nobody supports it and it supports nobody
    result = run("weekly", "tideandtonic", "-o", str(tmp_path), "--week", "2026-W40")
    assert result.exit_code == 0, result.output
    assert "skipped my-support-map.png: @tideandtonic gives and receives no support" in (
        result.output
    )
    assert {p.name for p in (tmp_path / "2026-W40").iterdir()} == FILES - {"my-support-map.png"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody_here", "--week", "2026-W47"], "nobody_here"),
        (["hollys_bakery", "--week", "2025-W10"], "2025-W10"),
    ],
    ids=["unknown account", "week without data"],
)
def test_unknown_account_or_empty_week_is_one_line_and_writes_nothing(
    run, tmp_path, args, message
):
    out = tmp_path / "out"
    result = run("weekly", *args, "-o", str(out))
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_work_folders_left_by_a_killed_run_are_removed_by_the_next(run, tmp_path):
    import os
    import time

    killed = tmp_path / ".2026-W46-k1ll3d_x"
    killed.mkdir()
    (killed / "thank-you.md").write_text("half")
    fresh = tmp_path / ".2026-W47-running"  # another run that is still writing
    fresh.mkdir()
    mine = tmp_path / ".notes"  # the user's own hidden folder
    mine.mkdir()
    hour_ago = time.time() - 2 * weekly.STALE_AFTER
    for path in (killed, mine):
        os.utime(path, (hour_ago, hour_ago))
    result = run("weekly", "hollys_bakery", "-o", str(tmp_path), "--week", "2026-W47")
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"2026-W47", ".2026-W47-running", ".notes"}
