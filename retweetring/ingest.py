"""Importing files of X API v2 pages (twarc2 JSONL, saved responses) into the database."""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, insert, select

from retweetring.errors import BadRecordError
from retweetring.promo import DEFAULT_RULES, PromoRules
from retweetring.records import PageRecords
from retweetring.sources import normalise_page, read_pages, sha256_file
from retweetring.store.models import Import
from retweetring.store.session import begin_write
from retweetring.store.writer import WriteCounts, write_pages

BATCH_ROWS = 20_000
"""Rows gathered before they are written in one transaction."""

MAX_ERRORS_KEPT = 1_000
"""Rejected lines listed in an ImportResult; all of them still reach ``on_error``."""


@dataclass
class ImportResult:
    """What importing one file did."""

    path: str
    sha256: str
    already_imported: bool = False
    lines_read: int = 0
    lines_rejected: int = 0
    pages: int = 0
    unattributed: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)
    errors: list[str] = field(default_factory=list)
    """``FILE:LINE: reason`` for the first :data:`MAX_ERRORS_KEPT` rejected lines."""
    reasons: Counter[str] = field(default_factory=Counter)
    """How many lines were rejected for each reason."""

    @property
    def lines_accepted(self) -> int:
        """Lines that were imported."""
        return self.lines_read - self.lines_rejected

    def wrong_kind(self) -> str | None:
        """What the file looks like, when every line was rejected as the same wrong kind."""
        if self.lines_read == 0 or self.lines_accepted > 0:
            return None
        if len(self.reasons) == 1:
            (reason,) = self.reasons
            if reason.startswith("looks like"):
                return reason
        return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: with millions of row objects it dominates the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def import_file(
    engine: Engine,
    path: str | os.PathLike[str],
    *,
    rules: PromoRules = DEFAULT_RULES,
    force: bool = False,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Import one file of X API v2 pages; return what was read, stored and rejected.

    Rows are written in transactions of about ``batch_rows`` rows; the file is recorded in the
    ``imports`` table in the last one. A file whose content was imported before is skipped
    unless ``force`` is set; importing it again would change nothing anyway.

    Parameters
    ----------
    engine : Engine
        An open database at the newest schema revision.
    path : path-like
        A twarc2 JSONL file, or a saved API response, plain or gzip-compressed.
    rules : PromoRules
        The rules deciding which original tweets are promotional.
    force : bool
        Read the file even if the same content was imported before.
    on_error : callable, optional
        Called with each ``FILE:LINE: reason`` line as it is found.
    on_progress : callable, optional
        Called now and then with ``(bytes read, file size)`` of the file as stored.
    batch_rows : int
        Rows per transaction.

    Raises
    ------
    InputFileError
        The file cannot be read at all; nothing was written.
    """
    name = str(path)
    size = os.path.getsize(path) if os.path.isfile(path) else 0
    position = None if on_progress is None else (lambda done: on_progress(done, size))
    # read_pages checks the file first: InputFileError comes before anything is written.
    pages = read_pages(path, on_position=position)
    digest = sha256_file(path)
    result = ImportResult(path=name, sha256=digest)
    if not force:
        with engine.connect() as conn:
            if conn.scalar(select(Import.id).where(Import.sha256 == digest).limit(1)) is not None:
                result.already_imported = True
                return result
    started = _utcnow()
    pending: list[PageRecords] = []
    pending_rows = 0

    def flush(final: bool) -> None:
        nonlocal pending, pending_rows
        with begin_write(engine) as conn:
            if pending:
                result.counts.add(write_pages(conn, pending, rules))
            if final and result.lines_accepted > 0:  # a file of nothing usable is not recorded
                conn.execute(
                    insert(Import).values(
                        source=str(Path(name).resolve()),
                        sha256=digest,
                        lines_read=result.lines_read,
                        lines_accepted=result.lines_accepted,
                        lines_rejected=result.lines_rejected,
                        tweets=result.counts.tweets,
                        retweets=result.counts.retweets,
                        unattributed=result.unattributed,
                        started_at=started,
                        finished_at=_utcnow(),
                    )
                )
        pending, pending_rows = [], 0

    def reject(lineno: int, reason: str) -> None:
        result.lines_rejected += 1
        line = f"{name}:{lineno}: {reason}"
        result.reasons[reason] += 1
        if len(result.errors) < MAX_ERRORS_KEPT:
            result.errors.append(line)
        if on_error is not None:
            on_error(line)

    with _gc_paused():
        for lineno, item in pages:
            result.lines_read += 1
            if isinstance(item, BadRecordError):
                reject(lineno, str(item))
                continue
            try:
                page = normalise_page(item)
            except BadRecordError as exc:
                reject(lineno, str(exc))
                continue
            result.pages += 1
            result.unattributed += page.unattributed
            pending.append(page)
            pending_rows += len(page.accounts) + len(page.tweets) + len(page.retweets)
            if pending_rows >= batch_rows:
                flush(final=False)
        flush(final=True)
    if on_progress is not None:
        on_progress(size, size)
    return result
