"""A Bluesky and Mastodon `retweetring collect` that SIGKILLs itself: run by test_social_kill.py
(and, never killed, by test_concurrency.py).

Usage: python killed_social_collect.py DB MODE N

It runs ``members add`` for the small town's members, then ``collect --platform all
--full-history --retweeters``, on a clock stopped at :data:`NOW` (so that two runs write the
same times). MODE ``none``: no kill; prints how many Bluesky requests and page transactions it
made.
MODE ``request``: killed while its N-th request to the replayed Bluesky server is in flight.
MODE ``transaction``: killed inside the N-th page's transaction, after its rows were written
and before the commit. Nothing leaves the machine: Bluesky is an ``httpx.MockTransport``,
Mastodon ``responses``.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import httpx
import responses
from fake_social import SMALL_TOWN_MEMBERS, small_town

import retweetring.sources.social_collect as library
import retweetring.sources.social_reposters as reposters
from retweetring.cli import collect as collect_cmd
from retweetring.cli.main import main
from retweetring.sources.social_collect import BlueskyFeed

NOW = 1_794_204_000.0
"""Monday 2026-11-09 06:00 UTC: the Monday after the town's week of posts."""
COLLECT = ["collect", "--platform", "all", "--full-history", "--retweeters"]


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def run(db: str, mode: str, n: int) -> None:
    """Add the members, then collect every platform until the kill."""
    os.environ["RETWEETRING_CONFIG"] = os.devnull
    collect_cmd._clock = lambda: NOW
    sky, masto = small_town()
    real = library.feed_for
    if mode == "request":
        answer = sky.handle

        def killing(request: httpx.Request) -> httpx.Response:
            if len(sky.calls) + 1 == n:
                _die()
            return answer(request)

        sky.handle = killing  # type: ignore[method-assign]
    write = library.write_social_page
    pages = [0]

    def counted_write(*args: Any, **kwargs: Any) -> Any:
        counts = write(*args, **kwargs)
        pages[0] += 1
        if mode == "transaction" and pages[0] == n:
            _die()
        return counts

    library.write_social_page = counted_write  # type: ignore[assignment]
    reposters.write_social_page = counted_write  # type: ignore[assignment]

    def replayed(platform: str, **kwargs: Any) -> Any:
        return (
            BlueskyFeed(sky.client(**kwargs)) if platform == "bluesky" else real(platform, **kwargs)
        )

    library.feed_for = replayed  # type: ignore[assignment]
    commands = [["members", "add", "--platform", p, *hs] for p, hs in SMALL_TOWN_MEMBERS.items()]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        masto.install(mock)
        for args in [*commands, COLLECT]:
            try:
                main(["--db", db, *args])
            except SystemExit as exc:
                if exc.code:
                    raise
    print(f"finished without being killed: {len(sky.calls)} requests, {pages[0]} pages")


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2], int(sys.argv[3]))
