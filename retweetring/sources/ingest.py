"""Importing files of X API v2 pages (twarc2 JSONL, saved responses) and X archives."""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, cast

from sqlalchemy import Connection, Engine, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from retweetring.errors import BadRecordError, InputFileError, UnknownAccountError
from retweetring.promo import Classifier, load_classifier
from retweetring.records import PageRecords, account_label
from retweetring.sources import read_pages, sha256_file
from retweetring.sources.archive import ArchiveSource, open_archive
from retweetring.sources.files import (
    KnownLine,
    LineDigests,
    display_name,
    is_stream,
    regular_file,
)
from retweetring.sources.hashing import BackgroundSHA256
from retweetring.sources.pipeline import (
    ChildLineDigests,
    Entry,
    normalised,
    read_in_process,
    worth_a_process,
)
from retweetring.store import indexes
from retweetring.store.dialect import dialect_of
from retweetring.store.pair_weights import refresh as refresh_pair_weights
from retweetring.store.session import connection, loading_connection, refresh_statistics
from retweetring.store.tables import imports
from retweetring.store.writer import (
    AccountsWritten,
    KnownTweets,
    PendingAccounts,
    WriteCounts,
    write_pages,
)

BATCH_ROWS = 400_000
"""Rows written in one transaction.

Every commit writes each page its transaction changed, and new retweets touch pages all
over the secondary indexes, so fewer commits write less. Measured on 1M retweets (100k
accounts), with the load's 128 MiB page cache: 20k rows with the default cache (before)
40.6 s and 5.3 GB written; 100k rows 29.4 s and 0.76 GB; 200k rows 24.9 s and 0.49 GB
(0.35 GB once the WAL is checkpointed only at the end); 400k rows 0.27 GB, x2.7 of the
database. The write lock is held from a transaction's first write to its commit, about
10 s for 400k rows here, well within the 30 s other writers wait."""

BULK_GROWTH = 2
"""In a bulk load (see :func:`_store`), a transaction may hold this many times the rows
committed before it."""

FLUSH_ROWS = 50_000
"""Rows gathered in memory before they are written into the open transaction.

This bounds the import's memory whatever ``batch_rows`` is: gathered records take about
750 bytes a row (peak RSS 308 MB at 200k rows with the page cache, 381 MB at 400k). With the
indexes built after the load (its sort uses memory too), 1M retweets peaked at 480 MB with
200k rows and 431 MB with 100k (one run each). 2M retweets, with the reader in a child
process and larger bulk transactions: the importing process peaked at 517 MB with 100k rows
and the child's 16 chunks ahead, 499 MB with 50k rows and 8 chunks (one run each)."""

ACCOUNTS_REMEMBERED = 150_000
"""At most this many account rows an import has written are remembered, so that an account
offered again unchanged in a later batch is not offered to the upsert again (~300 bytes each).

Measured on 1M retweets among 100k accounts: nearly every account appears in every 200k-row
batch, and the upsert of those unchanged rows took 4.1 s of 28 s. 150k rather than 250k keeps
45 MB off the peak memory of larger files (2M retweets: 200k accounts)."""

ACCOUNTS_PENDING = 25_000
"""At most this many accounts' sightings wait for the commit to be written (see
:class:`~retweetring.store.writer.PendingAccounts`). With 100k, a 5M import peaked at 539 MB
(both processes) against 482 MB with 25k. At 1M the accounts upsert takes 4.1 s with 25k
waiting, 2.0 s with 100k and 6.1 s with none."""

TWEETS_REMEMBERED = 150_000
"""At most this many tweets an import has stored are remembered, so that a page repeating
them does not look them up in the database again. Measured on 1M retweets: pages offered
831k tweets of which 260k were new; looking all of them up took 3.4 s, 0.96 s remembering
400k. Measured on 2M retweets: remembering 400k tweets raised the peak memory by 55 MB."""

BYTES_PER_RETWEET = 2_000
"""About how many bytes of an API v2 file one retweet takes, with its share of the page's
``includes`` (2,358 in the benchmark's files): a file is expected to bring its size over this
many retweets, to decide whether the import builds the secondary indexes after its rows
(:mod:`retweetring.store.indexes`)."""

_LINE_COLUMNS = ("digest", "tweets", "retweets", "unattributed")
_NEW_LINES = "ON CONFLICT (digest) DO NOTHING"

Reader = Literal["auto", "inline", "child"]
"""Where :func:`import_file` reads an API v2 file (see its ``reader``)."""

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
    """``FILE:LINE: reason`` (``FILE:MEMBER:tweet N: reason`` for an archive) for the first
    :data:`MAX_ERRORS_KEPT` rejected lines."""
    reasons: Counter[str] = field(default_factory=Counter)
    """How many lines were rejected for each reason."""
    owner: str | None = None
    """For an X archive, its owner's username; the "lines" are then the archive's tweets."""

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
    classifier: Classifier | None = None,
    force: bool = False,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    batch_rows: int = BATCH_ROWS,
    owner: str | None = None,
    reader: Reader = "auto",
) -> ImportResult:
    """Import one file of X API v2 pages, or an X archive; return what was read and stored.

    Rows are written in transactions of about ``batch_rows`` rows; the file is recorded in the
    ``imports`` table in the last one. A file whose content was imported before is skipped
    unless ``force`` is set; importing it again would change nothing anyway.

    Parameters
    ----------
    engine : Engine
        An open database at the newest schema revision.
    path : path-like
        A twarc2 JSONL file, or a saved API response, plain or gzip-compressed; or the X
        archive as its ``.zip``, its extracted folder, or its ``data/tweets.js``.
    classifier : Classifier, optional
        Decides which original tweets are promotional; by default the one the database uses
        (:func:`retweetring.promo.load_classifier`).
    force : bool
        Read the file even if the same content was imported before.
    on_error : callable, optional
        Called with each ``FILE:LINE: reason`` line as it is found; for an archive,
        ``FILE:MEMBER:tweet N: reason``.
    on_progress : callable, optional
        Called now and then with ``(bytes read, file size)`` of the file as stored.
    batch_rows : int
        Rows per transaction.
    owner : str, optional
        The archive owner's username, for a bare ``tweets.js`` without ``account.js`` beside
        it; checked against ``account.js`` otherwise. Ignored for API v2 files.
    reader : {"auto", "inline", "child"}
        Where an API v2 file is read, parsed and normalised: in this process, in a child
        process beside it (:mod:`retweetring.sources.pipeline`), or ``auto``: in a child for
        a large file on a machine with two cores. The result is the same.

    Raises
    ------
    InputFileError
        The file cannot be read at all, or an archive file is malformed or its owner unknown;
        nothing was written.
    """
    name = display_name(path)
    if classifier is None:
        classifier = load_classifier(engine)
    archive = None if is_stream(path) else open_archive(path)
    if archive is not None:
        return _import_archive(
            engine, archive, owner, force, classifier, on_error, on_progress, batch_rows
        )
    with ExitStack() as stack:
        file = stack.enter_context(regular_file(path))
        size = os.path.getsize(file) if os.path.isfile(file) else 0
        position = None if on_progress is None else (lambda done: on_progress(done, size))
        known = _imported_lines(engine)
        # The file is checked first: InputFileError comes before anything is written. The
        # file's digest comes from the same read, for a plain file.
        lines: LineDigests | None
        if reader == "child" or (reader == "auto" and worth_a_process(file)):
            remote = None if known is None else ChildLineDigests(known)
            # the child decides what it can with the real classifier (a stand-in may not pickle)
            decider = classifier if type(classifier) is Classifier else None
            entries = read_in_process(file, name, remote, position, decider)
            lines = remote
        else:
            lines = None if known is None else LineDigests(known)
            if lines is not None:
                lines.whole = BackgroundSHA256()
            entries = normalised(read_pages(file, on_position=position, name=name, digests=lines))
        stack.callback(getattr(entries, "close", lambda: None))
        result = ImportResult(path=name, sha256="")
        if lines is None:  # a schema without line digests: decide from the file's digest first
            result.sha256 = sha256_file(file)
            if not force and _imported_before(engine, result.sha256):
                result.already_imported = True
                return result

        def file_digest() -> str:
            return (lines.file_digest() if lines is not None else None) or sha256_file(file)

        expected = size // BYTES_PER_RETWEET
        _store(
            engine,
            result,
            entries,
            classifier,
            on_error,
            batch_rows,
            expected,
            lines,
            file_digest,
            skip_known_file=not force,
        )
    if on_progress is not None:
        on_progress(size, size)
    return result


def _import_archive(
    engine: Engine,
    archive: ArchiveSource,
    owner: str | None,
    force: bool,
    classifier: Classifier,
    on_error: Callable[[str], None] | None,
    on_progress: Callable[[int, int], None] | None,
    batch_rows: int,
) -> ImportResult:
    """Import an X archive: every tweets file is parsed (and checked) before anything is written."""
    result = ImportResult(path=archive.name, sha256=archive.sha256())
    if not force and _imported_before(engine, result.sha256):
        result.already_imported = True
        return result
    owner_id = None
    if owner is not None:
        from retweetring.store.queries import find_account

        with suppress(UnknownAccountError):  # the archive may still name the owner's id
            owner_id = find_account(engine, owner)
    with _gc_paused():
        records = archive.read(owner=owner, owner_id=owner_id)
    result.owner = account_label(records.owner.id, records.owner.username)
    entries: Iterator[tuple[str, PageRecords | BadRecordError]] = iter(records.entries)
    if on_progress is not None:
        entries = _reporting(entries, len(records.entries), archive.size, on_progress)
    _store(engine, result, entries, classifier, on_error, batch_rows)
    if on_progress is not None:
        on_progress(archive.size, archive.size)
    return result


def _reporting(
    entries: Iterator[tuple[str, PageRecords | BadRecordError]],
    count: int,
    size: int,
    on_progress: Callable[[int, int], None],
) -> Iterator[tuple[str, PageRecords | BadRecordError]]:
    """Yield ``entries``, reporting the share written so far as bytes of the ``size`` input."""
    for i, entry in enumerate(entries):
        if i % 1024 == 0:
            on_progress(size * i // max(count, 1), size)
        yield entry


def _imported_before(db: Engine | Connection, digest: str) -> bool:
    """Whether a file with this SHA-256 was imported before."""
    with connection(db) as conn:
        found = select(imports.c.id).where(imports.c.sha256 == digest).limit(1)
        return conn.scalar(found) is not None


LineCounts = tuple[int, int, int]
"""What an imported line's page held: tweets, retweets, unattributed retweets."""


def _imported_lines(engine: Engine) -> dict[str, LineCounts] | None:
    """The ``import_lines`` table: each imported line's digest and what its page held; None
    for a database of a schema before it (tests build old databases with today's writer)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("import_lines"):
            return None
        rows = conn.exec_driver_sql(
            "SELECT digest, tweets, retweets, unattributed FROM import_lines"
        )
        return {digest: (tweets, retweets, other) for digest, tweets, retweets, other in rows}


def _store(
    engine: Engine,
    result: ImportResult,
    entries: Iterator[Entry],
    classifier: Classifier,
    on_error: Callable[[str], None] | None,
    batch_rows: int,
    expected_retweets: int = 0,
    lines: LineDigests | None = None,
    file_digest: Callable[[], str] | None = None,
    skip_known_file: bool = False,
) -> None:
    """Write ``(where, records)`` entries in batches, then record the import in ``imports``.

    With ``lines``, each page from a line with a digest is recorded in ``import_lines`` with
    its rows, and a :class:`KnownLine` entry counts as that line's page (not written again).
    ``file_digest`` gives ``result.sha256`` once every entry is read, when it is empty. With
    ``skip_known_file``, a file whose digest ``imports`` already holds is not recorded again:
    ``result.already_imported`` is set instead (its lines were known, so nothing was written).

    When the first flush is full and ``expected_retweets`` is more than the retweets table
    holds, the secondary indexes are dropped in the first transaction and built in the last (see
    :mod:`retweetring.store.indexes`); otherwise any that an interrupted import left missing
    are built in the first. In such a bulk load each transaction after the first may hold
    twice as many rows as the committed ones: a commit writes every page its transaction
    changed, and new rows land all over the tables, so transactions of a fixed size would
    rewrite the stored pages again and again (measured on 1M retweets: 10 transactions of 400k
    rows wrote 4.4x the database, one transaction 2.7x, growing ones 2.9x in 4 commits).
    """
    name = result.path
    started = _utcnow()
    pending: list[PageRecords] = []
    pending_lines: list[tuple[str, int, int, int]] = []  # import_lines rows of the pending pages
    pending_rows = 0
    flush_rows = min(batch_rows, FLUSH_ROWS)
    in_transaction = 0  # rows written in the open transaction
    committed = 0  # rows written in committed transactions
    limit = batch_rows  # rows the open transaction may hold
    written: AccountsWritten = {}  # account rows committed by this import
    sent: AccountsWritten = {}  # account rows offered in the open transaction
    stored_tweets = KnownTweets(TWEETS_REMEMBERED)  # tweets this import has stored
    accounts = PendingAccounts(ACCOUNTS_PENDING)  # sightings the next commit writes
    started_load = False  # the first transaction has begun
    dropped = False  # this import dropped the deferrable indexes
    unindexed = False  # a committed transaction left them dropped

    with loading_connection(engine) as conn:

        def flush(final: bool = False, commit: bool = False) -> None:
            """Write the pending pages; commit when the transaction is full or asked to."""
            nonlocal pending, pending_lines, pending_rows, in_transaction, committed, limit
            nonlocal started_load, dropped, unindexed
            if not conn.in_transaction():
                conn.begin()
                if not started_load:
                    started_load = True
                    # Only a full first flush drops them: a file that gathers fewer rows (a
                    # small one, or one whose lines are almost all known) has no bulk to load.
                    full = bool(pending) and not (final or commit)
                    dropped = full and indexes.worth_deferring(conn, expected_retweets)
                    if dropped:
                        indexes.drop(conn)
                    else:
                        indexes.build_missing(conn)
            if pending:
                counts = write_pages(
                    conn,
                    pending,
                    classifier,
                    written=written,
                    sent=sent,
                    known_tweets=stored_tweets,
                    accounts=accounts,
                )
                result.counts.add(counts)
                if len(sent) > ACCOUNTS_REMEMBERED:  # a large transaction: remember none
                    written.clear()
                    sent.clear()
            if pending_lines:
                dialect_of(conn).insert_rows(
                    conn, "import_lines", _LINE_COLUMNS, pending_lines, _NEW_LINES
                )
            in_transaction += pending_rows
            pending, pending_lines, pending_rows = [], [], 0
            if not (final or commit or in_transaction >= limit):
                return
            result.counts.accounts += accounts.write(conn, written, sent)
            if final or commit:  # the last transaction of this import
                indexes.build_missing(conn, indexes.BUILD_CACHE_KIB)
            if final and not result.sha256 and file_digest is not None:
                result.sha256 = file_digest()
            if final and skip_known_file and _imported_before(conn, result.sha256):
                result.already_imported = True
            elif final and result.lines_accepted > 0:  # a file of nothing usable is not recorded
                conn.execute(
                    insert(imports).values(
                        source=name if name == "<stdin>" else str(Path(name).resolve()),
                        sha256=result.sha256,
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
            conn.commit()
            unindexed = dropped and not (final or commit)
            committed += in_transaction
            in_transaction = 0
            if dropped:
                limit = max(batch_rows, BULK_GROWTH * committed)
            # Committed: these rows are in the database (a rolled-back transaction adds none).
            if len(written) + len(sent) > ACCOUNTS_REMEMBERED:
                written.clear()
            if len(sent) <= ACCOUNTS_REMEMBERED:
                written.update(sent)
            sent.clear()

        with _gc_paused():
            try:
                try:
                    for where, page in entries:
                        result.lines_read += 1
                        if isinstance(page, BadRecordError):
                            result.lines_rejected += 1
                            line = f"{name}:{where}: {page}"
                            result.reasons[str(page)] += 1
                            if len(result.errors) < MAX_ERRORS_KEPT:
                                result.errors.append(line)
                            if on_error is not None:
                                on_error(line)
                            continue
                        result.pages += 1
                        if isinstance(page, KnownLine):
                            known = cast(dict[str, LineCounts], lines.known if lines else {})
                            tweets, retweets, unattributed = known[page.digest]
                            result.counts.tweets += tweets
                            result.counts.retweets += retweets
                            result.unattributed += unattributed
                            continue
                        result.unattributed += page.unattributed
                        pending.append(page)
                        digest = None if lines is None else lines.of_line.pop(int(where), None)
                        if digest is not None:
                            pending_lines.append(
                                (digest, page.tweets_offered, len(page.retweets), page.unattributed)
                            )
                        offered = len(page.accounts) + page.tweets_offered + len(page.retweets)
                        pending_rows += offered
                        if pending_rows >= flush_rows:
                            flush()
                except InputFileError as exc:  # the file is damaged or cut short further in
                    flush(commit=True)  # every line before the damage is kept
                    raise InputFileError(
                        f"{exc}; the {result.lines_read:,} lines before it were imported (the "
                        "file is not recorded as imported)"
                    ) from None
                flush(final=True)
            except BaseException:
                if conn.in_transaction():
                    conn.rollback()  # the open transaction's rows are lost, earlier ones kept
                if unindexed:
                    # Best effort: the error above is the one to report, and if this fails
                    # too the next import builds the indexes.
                    with suppress(SQLAlchemyError), conn.begin():
                        indexes.build_missing(conn)
                raise
    if result.counts.tweets_new or result.counts.retweets_new:
        refresh_statistics(engine)
    else:  # nothing new; an earlier import killed before its refresh may have left them stale
        refresh_pair_weights(engine)
