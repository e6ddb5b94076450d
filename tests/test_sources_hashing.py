"""The file digest hashed on a thread of its own equals hashlib's, whatever the pieces."""

from __future__ import annotations

import gc
import hashlib
import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from retweetring.sources import hashing
from retweetring.sources.hashing import BackgroundSHA256


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=3000), max_size=40), st.integers(1, 5000))
def test_a_background_digest_equals_hashlib_for_any_pieces(pieces, batch):
    old = hashing.BATCH_BYTES
    hashing.BATCH_BYTES = batch  # small blocks: every path of handing over is taken
    try:
        background = BackgroundSHA256()
        for piece in pieces:
            background.update(piece)
        assert background.hexdigest() == hashlib.sha256(b"".join(pieces)).hexdigest()
        assert background.hexdigest() == hashlib.sha256(b"".join(pieces)).hexdigest()
    finally:
        hashing.BATCH_BYTES = old


def _hashing_threads() -> int:
    return sum(t.name != "MainThread" and t.is_alive() for t in threading.enumerate())


def test_a_digest_dropped_before_its_end_stops_its_thread():
    before = _hashing_threads()
    background = BackgroundSHA256()
    background.update(b"x" * (3 * hashing.BATCH_BYTES))  # starts the thread
    assert _hashing_threads() == before + 1
    del background
    gc.collect()
    deadline = time.monotonic() + 5
    while _hashing_threads() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _hashing_threads() == before
