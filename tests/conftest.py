"""Shared fixtures: a real temporary SQLite database, the command line, the example database,
and tiny hand-built API v2 pages."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import postgres
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from retweetring.cli.main import cli
from retweetring.store.session import open_database

SHARED_FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "community.jsonl"
PROMO_TEXT = "Fresh sourdough today, 20% off all loaves - order now at the shop!"
PERSONAL_TEXT = "What a beautiful sunrise over the harbour this morning."


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--soak",
        action="store_true",
        help="run the kill and fuzz tests many more times (minutes instead of seconds)",
    )


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis import settings

    settings.register_profile("soak", max_examples=2_000, deadline=None)
    if config.getoption("--soak"):
        settings.load_profile("soak")


@pytest.fixture
def soak(request: pytest.FixtureRequest) -> bool:
    """True when the suite runs with ``--soak``: long runs instead of CI-sized ones."""
    return bool(request.config.getoption("--soak"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    """A throwaway PostgreSQL server for the session; skips when none can be started
    (fails instead when ``RETWEETRING_REQUIRE_POSTGRES=1``, as in CI)."""
    with started_server() as server:
        yield server


@contextmanager
def started_server(**options: Any) -> Iterator[postgres.Server]:
    """``postgres.server(**options)``, skipping the test when none can be started (failing it
    when ``RETWEETRING_REQUIRE_POSTGRES=1``)."""
    try:
        with postgres.server(**options) as server:
            yield server
    except postgres.NoServer as exc:
        if os.environ.get(postgres.REQUIRE_ENV) == "1":
            pytest.fail(f"{exc} (and {postgres.REQUIRE_ENV}=1 requires one)")
        pytest.skip(str(exc))


@pytest.fixture
def pg_url(postgres_server: postgres.Server) -> str:
    """URL of a new empty database on the session's PostgreSQL server."""
    return postgres_server.url()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new empty database: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "any.db")
    server: postgres.Server = request.getfixturevalue("postgres_server")
    return server.url()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a database file that does not exist yet."""
    return tmp_path / "retweetring.db"


@pytest.fixture(scope="session")
def promo_reference() -> ModuleType:
    """The promotional classifier before its speed-up, read from git (promo_reference.py)."""
    from promo_reference import load_reference

    try:
        return load_reference()
    except FileNotFoundError as exc:
        pytest.skip(f"the reference classifier needs the git history: {exc}")


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    """A real SQLite database file at the newest schema revision."""
    eng = open_database(str(db_path))
    yield eng
    eng.dispose()


def invoke(
    db: Path | str | None, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run ``retweetring [--db DB] ARGS`` in this process and return click's Result.

    ``db=None`` passes no ``--db``. An exception that escapes the command line fails the test
    with its traceback (``catch_exceptions=False``); errors the command line expects are still
    one line and exit status 1, as for a user. ``env`` sets environment variables (``COLUMNS``).
    """
    options = [] if db is None else ["--db", str(db)]
    return CliRunner().invoke(cli, [*options, *args], input=input, env=env, catch_exceptions=False)


@pytest.fixture
def run(db_path: Path) -> Callable[..., Result]:
    """``run(*args, db=None, input=None)``: :func:`invoke` on the test's database by default."""

    def run_cli(*args: str, db: Path | str | None = None, input: str | None = None) -> Result:
        return invoke(db_path if db is None else db, *args, input=input)

    return run_cli


def _data_dump(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    with sqlite3.connect(path) as conn:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return [
            (table, sorted(conn.execute(f'SELECT * FROM "{table}"'), key=repr))
            for table in sorted(tables)
        ]


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database file holding the bundled example community, imported through the CLI.

    Built once for the whole session, so tests must only read it; the fixture checks at the
    end of the session that no test changed a row.
    """
    path = tmp_path_factory.mktemp("example") / "example.db"
    result = invoke(path, "import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    before = _data_dump(path)
    yield path
    assert _data_dump(path) == before, "a test changed the shared example database"


@pytest.fixture
def shared_fixtures() -> Path:
    """The recorded X API fixtures beside the checkout; skips the test when absent."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(
            "../shared/fixtures not present: the recorded fixtures live beside the checkout"
        )
    return SHARED_FIXTURES


def profile_link(site: str) -> dict[str, Any]:
    """The ``url`` and ``entities`` fields of a user whose profile website is ``site``."""
    short = f"https://t.co/{zlib.crc32(site.encode()):010d}"
    link = {"start": 0, "end": 23, "url": short, "expanded_url": site, "display_url": site}
    return {"url": short, "entities": {"url": {"urls": [link]}}}


class Community:
    """Builds X API v2 pages by hand: users post tweets, others retweet, quote and reply."""

    START = datetime(2026, 11, 2, 9, 0, 0)

    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        self.timeline: list[str] = []
        self._next = 1_000_000

    def _id(self) -> str:
        self._next += 1
        return str(self._next)

    def user(
        self, username: str, name: str | None = None, site: str | None = None
    ) -> dict[str, Any]:
        """The user called ``username``, created on first mention; ``site`` sets their website."""
        if username not in self.users:
            self.users[username] = {
                "id": str(10_000 + len(self.users)),
                "username": username,
                "name": name or username.replace("_", " ").title(),
            }
        if site is not None:
            self.users[username].update(profile_link(site))
        return self.users[username]

    def post(self, author: str, text: str = PROMO_TEXT, at: datetime | None = None) -> str:
        """``author`` tweets ``text``; returns the tweet id."""
        return self._tweet(author, text, at, [])

    def retweet(self, who: str, tweet_id: str, at: datetime | None = None) -> str:
        """``who`` retweets ``tweet_id``; returns the retweet's own id."""
        original = self.tweets[tweet_id]
        author = next(u for u in self.users.values() if u["id"] == original["author_id"])
        text = f"RT @{author['username']}: {original['text']}"[:140]
        return self._tweet(who, text, at, [{"type": "retweeted", "id": tweet_id}])

    def quote(self, who: str, tweet_id: str, text: str = "Love this!") -> str:
        """``who`` quotes ``tweet_id``."""
        return self._tweet(who, text, None, [{"type": "quoted", "id": tweet_id}])

    def reply(self, who: str, tweet_id: str, text: str = "Congratulations!") -> str:
        """``who`` replies to ``tweet_id``."""
        return self._tweet(who, text, None, [{"type": "replied_to", "id": tweet_id}])

    def _tweet(self, who: str, text: str, at: datetime | None, refs: list[dict[str, str]]) -> str:
        tweet_id = self._id()
        when = at or self.START + timedelta(minutes=len(self.tweets))
        tweet: dict[str, Any] = {
            "id": tweet_id,
            "author_id": self.user(who)["id"],
            "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "text": text,
        }
        if refs:
            tweet["referenced_tweets"] = refs
        self.tweets[tweet_id] = tweet
        self.timeline.append(tweet_id)
        return tweet_id

    def page(self, tweet_ids: list[str] | None = None) -> dict[str, Any]:
        """One API v2 page holding ``tweet_ids`` (default: all), with their originals."""
        ids = self.timeline if tweet_ids is None else tweet_ids
        data = [self.tweets[i] for i in ids]
        referenced = {ref["id"] for tweet in data for ref in tweet.get("referenced_tweets", [])}
        includes = [self.tweets[i] for i in sorted(referenced)]
        authors = {t["author_id"] for t in data + includes}
        users = [u for u in self.users.values() if u["id"] in authors]
        return {
            "data": data,
            "includes": {"users": users, "tweets": includes},
            "meta": {"result_count": len(data)},
        }

    def write(self, path: Path, pages: list[dict[str, Any]] | None = None) -> Path:
        """Write ``pages`` (default: one page of everything) as twarc2 JSONL."""
        lines = [json.dumps(p) for p in (pages or [self.page()])]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@pytest.fixture
def community() -> Community:
    """An empty hand-built community."""
    return Community()
