"""A file's SHA-256 computed on a thread of its own while the file is read for other work."""

from __future__ import annotations

import hashlib
import queue
import threading
from typing import Any

BATCH_BYTES = 1 << 20
"""Bytes gathered before they are handed to the thread: hashing a large block releases the
GIL, so the reading thread goes on meanwhile; small lines are joined into such blocks."""

AHEAD_BATCHES = 2
"""Blocks waiting for the thread at most: one keeps it busy; with the block it hashes and the
one gathering, about 4 MiB are held at most (a reader faster than the hash waits for it)."""


class BackgroundSHA256:
    """A SHA-256 that hashes the bytes given to :meth:`update` on a second thread.

    The same digest as ``hashlib.sha256`` of the same bytes; :meth:`hexdigest` waits for the
    thread. Reading a file line by line, hashing each line (the line digests) and hashing
    the whole file then run on two cores: ``hashlib`` releases the GIL for large blocks.

    Examples
    --------
    >>> h = BackgroundSHA256()
    >>> for part in (b"ab", b"c" * 3_000_000):
    ...     h.update(part)
    >>> h.hexdigest() == hashlib.sha256(b"ab" + b"c" * 3_000_000).hexdigest()
    True
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._pending: list[bytes] = []
        self._size = 0
        self._blocks: queue.Queue[bytes | None] = queue.Queue(AHEAD_BATCHES)
        self._thread: threading.Thread | None = None
        self._dropped = threading.Event()
        self._digest: str | None = None

    def update(self, data: bytes) -> None:
        """Add ``data`` to the bytes hashed."""
        self._pending.append(data)
        self._size += len(data)
        if self._size >= BATCH_BYTES:
            self._hand_over()

    def hexdigest(self) -> str:
        """The hex digest of every byte given so far; no more may be given after it."""
        if self._digest is None:
            self._hand_over()
            if self._thread is not None:
                self._blocks.put(None)
                self._thread.join()
            self._digest = self._hash.hexdigest()
        return self._digest

    def _hand_over(self) -> None:
        if not self._pending:
            return
        block = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending, self._size = [], 0
        if self._thread is None:
            # The thread holds the hash and the queue, not this object: once it is dropped
            # unfinished (a read stopped early), __del__ ends the thread.
            self._thread = threading.Thread(
                target=_hash_blocks, args=(self._hash, self._blocks, self._dropped), daemon=True
            )
            self._thread.start()
        self._blocks.put(block)

    def __del__(self) -> None:
        self._dropped.set()


def _hash_blocks(digest: Any, blocks: queue.Queue[bytes | None], dropped: threading.Event) -> None:
    """Hash the blocks of ``blocks`` into ``digest`` until None, or until the hash is dropped
    and no block is left."""
    while True:
        try:
            block = blocks.get(timeout=0.2)
        except queue.Empty:
            if dropped.is_set():
                return
            continue
        if block is None:
            return
        digest.update(block)
