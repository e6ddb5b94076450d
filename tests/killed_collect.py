"""A `retweetring collect` that SIGKILLs itself: run by test_collect.py in a child process.

Usage: python killed_collect.py DB SHARED_FIXTURES MODE N

MODE ``none``: no kill, a plain run. MODE ``request``: the process is killed while its
N-th timeline request is in flight (every earlier page committed). MODE ``transaction``:
killed inside the N-th page's transaction, after its rows were written and before the
commit. The HTTP answers are replayed with ``responses`` as in the in-process tests;
nothing leaves the machine.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import responses
from fake_x import MEMBERS, TOKEN, FakeClock, FakeX, make_town

import retweetring.sources.collect as library
from retweetring.cli import collect as collect_cmd
from retweetring.cli.main import main


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def run(db: str, shared: Path, mode: str, n: int) -> None:
    """Add the members, then collect until the kill."""
    os.environ["X_BEARER_TOKEN"] = TOKEN
    os.environ["RETWEETRING_CONFIG"] = os.devnull
    clock = FakeClock()
    collect_cmd._clock = clock.time
    collect_cmd._sleep = clock.sleep
    fake = FakeX(shared, make_town(), clock)
    if mode == "none":  # a plain run, for concurrency tests
        pass
    elif mode == "request":
        answer = fake._tweets

        def killing_tweets(request):  # type: ignore[no-untyped-def]
            if fake.calls["tweets"] + 1 == n:
                _die()
            return answer(request)

        fake._tweets = killing_tweets  # type: ignore[method-assign]
    elif mode == "transaction":
        write = library.write_pages
        pages = [0]

        def killing_write(*args, **kwargs):  # type: ignore[no-untyped-def]
            counts = write(*args, **kwargs)
            pages[0] += 1
            if pages[0] == n:
                _die()
            return counts

        library.write_pages = killing_write
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        for args in (["members", "add", *MEMBERS], ["collect", "--retweeters"]):
            try:
                main(["--db", db, *args])
            except SystemExit as exc:
                if exc.code:
                    raise
    print("finished without being killed")


if __name__ == "__main__":
    run(sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
