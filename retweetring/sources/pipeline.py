"""Reading a file of API v2 pages as records: in the importing process, or in a second one.

A large import has two halves that each take a core: reading, parsing and normalising the
file, and classifying and writing its records. :func:`read_in_process` runs the first half in
a child process, which hands its records over in pickled chunks, so the two overlap on a
machine with two or more cores; the records, digests, errors and their order are the same as
:func:`normalised` gives in-process (the records as plain tuples, see :func:`_plain`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from retweetring.errors import BadRecordError, InputFileError
from retweetring.records import PageRecords
from retweetring.sources.files import KnownLine, LineDigests, read_pages
from retweetring.sources.hashing import BackgroundSHA256
from retweetring.sources.v2 import normalise_page

if TYPE_CHECKING:
    from retweetring.promo import Classifier

Entry = tuple[str, PageRecords | BadRecordError | KnownLine]
"""Where in the input (a line number, an archive member's tweet) and what was found there."""

PROCESS_MIN_BYTES = 64 << 20
"""Files at least this large are read in a second process, when the machine has two cores.

Starting the child costs about a fifth of a second (a new interpreter); it pays for itself
once reading the file takes longer than that, from a few tens of megabytes."""

CHUNK_PAGES = 32
"""Pages the child sends at once: few enough to keep memory low, enough to amortise a send."""

AHEAD_CHUNKS = 8
"""Chunks the importing process holds unread, so that the child reads on while it writes."""


REPEATS_REMEMBERED = 150_000
"""Original tweets :func:`normalised` remembers having given, to leave them out of later
pages (all forgotten at once beyond that, to bound memory: about 60 bytes each)."""


def normalised(pages: Iterator[tuple[int, object | BadRecordError]]) -> Iterator[Entry]:
    """Yield each page of a file of API v2 pages as records, or the reason it is rejected.

    An original tweet that an earlier page of the file gave already is left out of a later
    page's ``tweets`` and counted in its ``repeated`` (a popular tweet comes back in the
    ``includes`` of every page with a retweet of it: 740k of 1M tweets in the benchmark's
    pages): the import stores a tweet once, as its first page gives it, so writing it
    again would change nothing. At most :data:`REPEATS_REMEMBERED` are remembered.
    """
    given: set[int] = set()  # the ids of the original tweets given so far (all from X)
    for lineno, item in pages:
        if isinstance(item, (BadRecordError, KnownLine)):
            yield str(lineno), item
            continue
        try:
            records = normalise_page(item)
        except BadRecordError as exc:
            yield str(lineno), exc
            continue
        if records.tweets:
            if len(given) > REPEATS_REMEMBERED:
                given.clear()
            records = _without_repeats(records, given)
        yield str(lineno), records


def _without_repeats(page: PageRecords, given: set[int]) -> PageRecords:
    """``page`` without the tweets whose ids are in ``given``, which receives the others."""
    tweets = []
    for tweet in page.tweets:
        if tweet.id not in given:
            given.add(tweet.id)
            tweets.append(tweet)
    repeated = len(page.tweets) - len(tweets)
    return page._replace(tweets=tweets, repeated=page.repeated + repeated) if repeated else page


def worth_a_process(path: str | os.PathLike[str]) -> bool:
    """Whether :func:`read_in_process` would make reading ``path`` faster here: the file is
    at least :data:`PROCESS_MIN_BYTES` and the machine has a second core."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return size >= PROCESS_MIN_BYTES and (os.cpu_count() or 1) > 1


class ChildLineDigests(LineDigests):
    """The :class:`LineDigests` of a file read by :func:`read_in_process`: the child computes
    the digests, this receives them (``of_line``) and the whole file's (:meth:`file_digest`)."""

    def __init__(self, known: Container[str]) -> None:
        super().__init__(known)
        self.digest: str | None = None

    def file_digest(self) -> str | None:
        return self.digest


def read_in_process(
    path: str | os.PathLike[str],
    name: str,
    digests: ChildLineDigests | None,
    on_position: Callable[[int], None] | None = None,
    classifier: Classifier | None = None,
) -> Iterator[Entry]:
    """Read, parse and normalise ``path`` in a child process; yield what :func:`normalised`
    of :func:`~retweetring.sources.files.read_pages` would.

    With ``classifier``, the child also decides the tweets whose decision does not depend on
    their author (:meth:`~retweetring.promo.Classifier.classify_alone`: 58% of the new
    tweets of the 100k benchmark file link to no site) while the importing process is
    behind (it holds :data:`AHEAD_CHUNKS` chunks unread; it tells the child so on the
    child's standard input): such a tweet's record then holds a seventh field, the decision
    as the tweets table stores it (``PromoResult.stored``), else None there. So the two
    processes share the deciding by how busy each is, with the same decisions either way.

    The child is this Python running :func:`child_main`; it starts at once. An
    :class:`InputFileError` it meets, at the start or further in, is raised here at the same
    point of the entries. ``digests`` receives each line's digest before its page is
    yielded, and the file's digest at the end. The child is stopped when the iterator is
    closed, finished or not.

    Raises
    ------
    InputFileError
        As :func:`~retweetring.sources.files.read_pages` raises it.
    """
    root = Path(__file__).resolve().parents[2]  # where this retweetring is imported from
    code = (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        "from retweetring.sources.pipeline import child_main; child_main()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    known = None if digests is None else digests.known
    try:
        # pickled apart: the child makes it again only once it first has time to decide
        deciding = None if classifier is None else pickle.dumps(classifier, protocol=5)
        request = (os.fspath(path), name, known, deciding)
        child.stdin.write(pickle.dumps(request, protocol=5))
        child.stdin.flush()
        if classifier is None:
            child.stdin.close()  # nothing more to say; else _receive says when it is behind
    except OSError:  # the child has exited already; what it said is read below
        pass
    chunks: queue.Queue[bytes | None] = queue.Queue(AHEAD_CHUNKS)
    stop = threading.Event()
    tell = None if child.stdin.closed else child.stdin
    reader = threading.Thread(
        target=_receive, args=(child.stdout, chunks, stop, tell), daemon=True
    )
    reader.start()
    # The child checks the file first, as read_pages does: those errors come before any entry.
    first = chunks.get()
    if first is not None:
        kind, *message = pickle.loads(first)
        if kind == _REFUSED:
            _stop(child, reader, stop)
            raise message[0]
    return _entries(child, reader, stop, chunks, first, digests, on_position)


def _stop(child: subprocess.Popen[bytes], reader: threading.Thread, stop: threading.Event) -> None:
    """Stop the child, if it still runs, and the thread reading from it."""
    stop.set()
    if child.poll() is None:
        child.terminate()
    child.wait()
    reader.join()
    assert child.stdout is not None and child.stdin is not None
    child.stdout.close()
    with contextlib.suppress(OSError):
        child.stdin.close()


def _entries(
    child: subprocess.Popen[bytes],
    reader: threading.Thread,
    stop: threading.Event,
    chunks: queue.Queue[bytes | None],
    chunk: bytes | None,
    digests: ChildLineDigests | None,
    on_position: Callable[[int], None] | None,
) -> Iterator[Entry]:
    """Yield the entries of ``chunk`` and the next chunks the child sends, then stop it."""
    try:
        while chunk is not None:
            kind, *message = pickle.loads(chunk)
            chunk = None
            if kind == _FAILED:
                raise message[0]
            if kind == _DONE:
                if digests is not None:
                    digests.digest = message[0]
                return
            sent, position = message
            for where, item, digest in sent:
                if digest is not None and digests is not None:
                    digests.of_line[int(where)] = digest
                yield where, item
            if on_position is not None and position is not None:
                on_position(position)
            chunk = chunks.get()
        code = child.wait()
        raise InputFileError(f"the process reading the file stopped (exit code {code})")
    finally:
        _stop(child, reader, stop)


_HEADER = struct.Struct("<Q")
"""Each message the child writes: its length, then the pickled message."""
_ENTRIES, _DONE, _FAILED, _REFUSED = "entries", "done", "failed", "refused"
"""What a message holds: entries, the file's digest at the end, the error that stopped the
reading further in, or the error that refused the file before its first entry."""


_BEHIND, _CAUGHT_UP = b"1", b"0"
"""What the importing process tells the child: it holds every chunk it may hold unread, or
it has (almost) none left."""


def _receive(
    stream: BinaryIO,
    chunks: queue.Queue[bytes | None],
    stop: threading.Event,
    tell: BinaryIO | None = None,
) -> None:
    """Move the child's messages into ``chunks`` as they come; None when it has no more.
    With ``tell``, the child's standard input, say there when ``chunks`` fills up and when
    it is nearly empty again."""
    behind = False
    try:
        while not stop.is_set():
            header = stream.read(_HEADER.size)
            if len(header) < _HEADER.size:
                break
            (size,) = _HEADER.unpack(header)
            chunk = stream.read(size)
            if len(chunk) < size:
                break
            _put(chunks, chunk, stop)
            if tell is not None:
                waiting = chunks.qsize()
                if (waiting <= 1) if behind else (waiting >= AHEAD_CHUNKS - 1):
                    behind = not behind
                    try:
                        tell.write(_BEHIND if behind else _CAUGHT_UP)
                        tell.flush()
                    except OSError:  # the child has finished
                        tell = None
    except (OSError, ValueError):  # closed as the import stops
        pass
    finally:
        _put(chunks, None, stop)


def _put(chunks: queue.Queue[bytes | None], chunk: bytes | None, stop: threading.Event) -> None:
    """Put ``chunk`` in ``chunks`` once there is room, unless ``stop`` is set meanwhile."""
    while not stop.is_set():
        try:
            chunks.put(chunk, timeout=0.1)
            return
        except queue.Full:
            continue


def _plain(page: PageRecords) -> PageRecords:
    """``page`` with its records as plain tuples of the same fields, which the writer reads
    by position: unpickling them takes a quarter of the time named tuples take, whose
    unpickling calls a Python function per record (measured on 10,000 pages of 1M retweets:
    1.25 s against 5.14 s, in the process that also classifies and writes)."""
    accounts, tweets, retweets, unattributed, repeated = page
    return PageRecords(
        list(map(tuple, accounts)),  # type: ignore[arg-type]
        list(map(tuple, tweets)),  # type: ignore[arg-type]
        list(map(tuple, retweets)),  # type: ignore[arg-type]
        unattributed,
        repeated,
    )


def _decided(page: PageRecords, classifier: Classifier) -> PageRecords:
    """A :func:`_plain` page whose tweets have a seventh field: the decision of each one
    that links to no site, else None (see :func:`read_in_process`)."""
    alone = classifier.classify_alone
    tweets = []
    for tweet in page.tweets:
        text, urls = tweet[4], tweet[5]
        # a tweet with a link is left to the importing process without a second look
        if urls or "://" in text or "www." in text or "WWW." in text:
            tweets.append((*tweet, None))
        else:
            result = alone(text, ())
            tweets.append((*tweet, None if result is None else result.stored))
    return page._replace(tweets=tweets)


def _told(fd: int, behind: bool) -> bool:
    """Whether the importing process is behind, by the last thing it said on ``fd`` (the
    child's non-blocking standard input); ``behind`` when it has said nothing since."""
    try:
        said = os.read(fd, 4096)
    except (BlockingIOError, InterruptedError):
        return behind
    except OSError:
        return False
    return said[-1:] == _BEHIND if said else False  # b"": it has closed the pipe


def child_main() -> None:
    """The child process: read the file named on standard input (with the known line
    digests) and write its entries to standard output in chunks, then the file's digest
    when it is plain (as the importing process computes it), or the error that stopped it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importing process decides what to do
    gc.disable()  # the records are freed by reference counts; the collector only costs time
    path, name, known, deciding = pickle.load(sys.stdin.buffer)
    # Made from `deciding` when first needed: importing and building it takes a third of a
    # second, which a file the importing process keeps up with never needs.
    classifier: Classifier | None = None
    told = sys.stdin.fileno()
    if deciding is not None:
        os.set_blocking(told, False)
    behind = False  # the importing process holds every chunk it may (see _receive)
    out = sys.stdout.buffer
    dumps, header = pickle.dumps, _HEADER.pack

    def send(message: tuple[Any, ...]) -> None:
        blob = dumps(message, protocol=5)
        out.write(header(len(blob)))
        out.write(blob)
        out.flush()

    try:
        digests = None if known is None else LineDigests(known)
        if digests is not None:
            digests.whole = BackgroundSHA256()
        position: list[int | None] = [None]

        def at(done: int) -> None:
            position[0] = done

        of_line = {} if digests is None else digests.of_line
        # Errors are raised in the importing process, where reading in-process raises them.
        try:
            pages = read_pages(path, on_position=at, name=name, digests=digests)
        except Exception as exc:
            send((_REFUSED, exc))
            return
        batch: list[tuple[str, PageRecords | BadRecordError | KnownLine, str | None]] = []
        try:
            for where, item in normalised(pages):
                digest = of_line.pop(int(where), None) if of_line else None
                if type(item) is PageRecords:
                    item = _plain(item)
                batch.append((where, item, digest))
                if len(batch) >= CHUNK_PAGES:
                    # While the importing process is behind, this one has time to decide.
                    if deciding is not None and (behind := _told(told, behind)):
                        if classifier is None:
                            classifier = pickle.loads(deciding)
                        batch = [
                            (w, _decided(i, classifier) if type(i) is PageRecords else i, d)
                            for w, i, d in batch
                        ]
                    send((_ENTRIES, batch, position[0]))
                    batch = []
            final: tuple[Any, ...] = (_DONE, None if digests is None else digests.file_digest())
        except Exception as exc:
            final = (_FAILED, exc)
        if batch:
            send((_ENTRIES, batch, position[0]))
        send(final)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importing process has stopped reading: nothing more to do
