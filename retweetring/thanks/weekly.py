"""The weekly job: the thank-you list, drafts and maps for one week, written into one folder."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from retweetring.errors import EmptyMapError, OutputError
from retweetring.people import network_graph
from retweetring.records import PLATFORM_X
from retweetring.reports.maps import community_map, ego_map
from retweetring.reports.thanks import flat_drafts, render_markdown
from retweetring.thanks.drafts import drafts_by_network
from retweetring.thanks.lists import Week, thank_list
from retweetring.thanks.person import person_thank_list

THANKS_FILE = "thank-you.md"
DRAFTS_FILE = "drafts.txt"
EGO_MAP_FILE = "my-support-map.png"
COMMUNITY_MAP_FILE = "community-map.png"
STALE_AFTER = 3600.0
"""Seconds after which a hidden work folder of an earlier run is taken as left by a kill."""
_WORK_FOLDER = re.compile(r"\.\d{4}-W\d{2}-[A-Za-z0-9_]+")


@dataclass
class WeeklyResult:
    """What the weekly job wrote, and what it had to leave out."""

    folder: Path
    week: str
    supporters: int
    support_back: int
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per file not written, saying why (e.g. no support to map that week)."""

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data, for ``--format json``."""
        return {
            "folder": str(self.folder),
            "week": self.week,
            "supporters": self.supporters,
            "support_back": self.support_back,
            "files": self.files,
            "skipped": self.skipped,
        }


def _drafts_text(posts: dict[str, list[str]]) -> str:
    """All draft posts as plain text, ready to copy, one blank line between posts."""
    blocks = []
    for style, style_posts in posts.items():
        blocks.append(f"# {style}\n")
        blocks.extend(f"{post}\n" for post in style_posts)
    return (
        "\n".join(blocks) if any(posts.values()) else "No supporters this week: nothing to post.\n"
    )


def write_weekly(
    engine: Engine,
    username: str,
    out_dir: str | Path,
    week: Week | str | None = None,
    tz: str = "UTC",
    *,
    now: datetime | None = None,
    all_retweets: bool = False,
    size: tuple[int, int] = (1600, 1200),
    platform: str = PLATFORM_X,
) -> WeeklyResult:
    """Write the week's thank-you list, drafts, ego map and community map into ``OUT/WEEK/``.

    ``platform`` is the network of ``username`` and of the maps; ``all`` thanks the person
    of the account ``username`` (``platform:handle``) across their linked accounts, with
    drafts for each network they post on, and maps every network's persons.

    The folder is built beside its final place and then moved there, so a crash never leaves
    half of it; running again for the same week replaces it. A map with nothing to draw is
    skipped and said so in ``skipped``.

    Raises
    ------
    UnknownAccountError
        ``username`` is not stored.
    NoDataError
        The database holds no retweets in the week.
    """
    if platform == "all":
        thanks = person_thank_list(engine, username, week, tz, now=now, all_retweets=all_retweets)
    else:
        thanks = thank_list(
            engine, username, week, tz, now=now, all_retweets=all_retweets, platform=platform
        )
    posts = flat_drafts(thanks, drafts_by_network(thanks))
    window = thanks.week.window()
    label = thanks.week.describe()
    graph = network_graph(engine, window, all_retweets=all_retweets, platform=platform)
    out = Path(out_dir)
    final = out / thanks.week.label
    result = WeeklyResult(
        final, thanks.week.label, len(thanks.supporters), len(thanks.support_back)
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_work(out)
        work = Path(tempfile.mkdtemp(prefix=f".{thanks.week.label}-", dir=out))
        work.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the folder is the user's own
    except OSError as exc:
        raise OutputError(f"cannot write the weekly folder in {out}: {exc.strerror}") from None
    try:
        (work / THANKS_FILE).write_text(render_markdown(thanks, posts), encoding="utf-8")
        (work / DRAFTS_FILE).write_text(_drafts_text(posts), encoding="utf-8")
        result.files += [THANKS_FILE, DRAFTS_FILE]
        maps = (
            (
                EGO_MAP_FILE,
                lambda path: ego_map(
                    graph,
                    thanks.account_id,
                    path,
                    window_label=label,
                    size=size,
                    username=thanks.account,
                ),
            ),
            (
                COMMUNITY_MAP_FILE,
                lambda path: community_map(
                    graph,
                    path,
                    window_label=label,
                    size=size,
                ),
            ),
        )
        for name, draw in maps:
            try:
                draw(work / name)
            except EmptyMapError as exc:
                result.skipped.append(f"{name}: {exc}")
            else:
                result.files.append(name)
        _replace_folder(work, final)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise OutputError(
            f"cannot write {final}: {exc.strerror or exc}; nothing was written (an older "
            "folder for the week, if any, is kept)"
        ) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return result


def remove_stale_work(out: Path, now: float | None = None) -> list[Path]:
    """Remove the hidden work folders (``.YYYY-Www-xxxx``) a killed run left in ``out``.

    Only folders of that pattern older than :data:`STALE_AFTER` are removed: a run in
    progress finishes in seconds. Returns what was removed.
    """
    now = time.time() if now is None else now
    removed = []
    for path in out.iterdir():
        stale = now - path.stat().st_mtime > STALE_AFTER
        if stale and path.is_dir() and _WORK_FOLDER.fullmatch(path.name):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace_folder(new: Path, final: Path) -> None:
    """Put the finished folder ``new`` at ``final``, replacing an older one."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    new.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
