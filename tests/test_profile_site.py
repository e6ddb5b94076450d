"""Profile websites: read from user objects, kept across sightings, used to classify tweets."""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import PERSONAL_TEXT, Community, profile_link
from sqlalchemy import Engine

from retweetring.promo import Classifier, PromoResult, load_classifier
from retweetring.promo.model import shipped_model
from retweetring.sources.ingest import import_file
from retweetring.sources.v2 import normalise_page
from retweetring.store.session import open_database

SITE = "https://hollysbakery.co.uk"
OWN_LINK_TEXT = f"Our spring menu is live {SITE}/menu"
T0 = datetime(2026, 11, 2, 9, 0, 0)


@dataclass(frozen=True)
class RecordingClassifier(Classifier):
    """The shipped rules, remembering the author details each tweet was classified with."""

    calls: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def classify(
        self,
        text: str,
        urls: Sequence[str] = (),
        username: str | None = None,
        name: str | None = None,
        site: str | None = None,
    ) -> PromoResult:
        self.calls.append((text, username, site))
        return super().classify(text, urls, username=username, name=name, site=site)


def _seen(page: dict[str, Any], at: datetime) -> dict[str, Any]:
    """A copy of ``page`` as twarc saves it when retrieved at ``at``."""
    page = copy.deepcopy(page)
    page["__twarc"] = {"retrieved_at": at.strftime("%Y-%m-%dT%H:%M:%S+00:00")}
    return page


def _without_users(page: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``page`` without user objects: its authors are known by id only."""
    page = copy.deepcopy(page)
    page["includes"].pop("users")
    return page


def _websites(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT username, url FROM accounts").all()
    return {username: url for username, url in rows}


def _import(engine: Engine, path: Path, pages: list[dict[str, Any]], **options: Any) -> None:
    path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    import_file(engine, path, force=True, **options)


def test_a_users_expanded_profile_link_becomes_their_website(engine, community, tmp_path):
    community.user("hollys_bakery", site=SITE)
    community.post("hollys_bakery", PERSONAL_TEXT)
    _import(engine, tmp_path / "a.jsonl", [community.page()])
    assert _websites(engine) == {"hollys_bakery": SITE}


def test_a_later_sighting_without_a_website_keeps_the_stored_one(engine, community, tmp_path):
    community.user("hollys_bakery", site=SITE)
    community.post("hollys_bakery", PERSONAL_TEXT)
    with_site = _seen(community.page(), T0)
    for key in ("url", "entities"):
        community.user("hollys_bakery").pop(key)
    community.post("hollys_bakery", "Another quiet morning")
    without_site = _seen(community.page(), T0 + timedelta(days=1))
    _import(engine, tmp_path / "a.jsonl", [with_site])
    _import(engine, tmp_path / "b.jsonl", [without_site])
    assert _websites(engine) == {"hollys_bakery": SITE}


@pytest.mark.parametrize("files", ["one file", "one file per sighting"])
def test_the_newest_sighting_of_a_website_wins(engine, community, tmp_path, files):
    community.post("hollys_bakery", PERSONAL_TEXT)
    sightings = []
    for days, site in [(1, "https://old.example"), (2, SITE), (0, "https://older.example")]:
        community.user("hollys_bakery", site=site)
        sightings.append(_seen(community.page(), T0 + timedelta(days=days)))
    if files == "one file":
        _import(engine, tmp_path / "all.jsonl", sightings)
    else:
        for i, page in enumerate(sightings):
            _import(engine, tmp_path / f"{i}.jsonl", [page])
    assert _websites(engine) == {"hollys_bakery": SITE}


@pytest.mark.parametrize(
    "fields",
    [
        {"url": 5},
        {"url": ""},
        {"url": "   "},
        {"url": ["https://t.co/x"]},
        {"entities": "https://bakery.example"},
        {"entities": {"url": []}},
        {"entities": {"url": {"urls": "https://bakery.example"}}},
        {"entities": {"url": {"urls": [None, 3, "https://bakery.example"]}}},
        {"entities": {"url": {"urls": [{"expanded_url": 7, "unwound_url": {}}]}}},
        {"entities": {"url": {"urls": [{"expanded_url": ""}]}}, "url": None},
    ],
    ids=repr,
)
def test_a_website_that_is_not_a_non_empty_string_is_ignored(fields):
    page = {"data": [{"id": "10", "username": "hollys_bakery", **fields}]}
    (account,) = normalise_page(page).accounts
    assert (account.username, account.url) == ("hollys_bakery", None)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (profile_link(SITE), SITE),
        ({"entities": {"url": {"urls": [{"unwound_url": SITE}]}}, "url": "https://t.co/x"}, SITE),
        (
            {"entities": {"url": {"urls": [{"expanded_url": None}]}}, "url": "https://t.co/x"},
            "https://t.co/x",
        ),
        ({"url": "https://t.co/x"}, "https://t.co/x"),
    ],
    ids=["expanded", "unwound", "t.co when nothing else", "t.co alone"],
)
def test_the_expanded_website_is_preferred_to_the_short_link(fields, expected):
    page = {"data": [{"id": "10", "username": "hollys_bakery", **fields}]}
    assert normalise_page(page).accounts[0].url == expected


def _split_author(community: Community) -> list[dict[str, Any]]:
    """Two pages: the author's user object with a personal tweet, then an own-site link alone."""
    community.user("hollys_bakery", site=SITE)
    first = community.post("hollys_bakery", PERSONAL_TEXT)
    second = community.post("hollys_bakery", OWN_LINK_TEXT)
    return [
        _seen(community.page([first]), T0),
        _seen(_without_users(community.page([second])), T0 + timedelta(hours=1)),
    ]


def _decisions(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, is_promotional, promo_score, promo_reason, promo_model FROM tweets"
            " ORDER BY id"
        ).fetchall()


def test_a_decision_does_not_depend_on_whether_the_author_came_in_the_same_batch(
    community, tmp_path
):
    pages = _split_author(community)
    decisions = {}
    for batch_rows in (1, 1_000_000):
        db = tmp_path / f"batch-{batch_rows}.db"
        classifier = RecordingClassifier(replace(shipped_model(), version="recording-1"))
        engine = open_database(str(db))
        _import(
            engine, tmp_path / "split.jsonl", pages, classifier=classifier, batch_rows=batch_rows
        )
        engine.dispose()
        assert classifier.calls[-1] == (OWN_LINK_TEXT, "hollys_bakery", SITE), batch_rows
        decisions[batch_rows] = _decisions(db)
    assert decisions[1] == decisions[1_000_000]
    assert "link to the author's own website: hollysbakery.co.uk (+" in decisions[1][-1][3]


def test_an_author_stored_by_an_earlier_import_is_used_for_a_later_tweet(
    engine, tmp_path, community
):
    first, second = _split_author(community)
    classifier = RecordingClassifier(replace(shipped_model(), version="recording-1"))
    _import(engine, tmp_path / "first.jsonl", [first])
    _import(engine, tmp_path / "second.jsonl", [second], classifier=classifier)
    assert classifier.calls == [(OWN_LINK_TEXT, "hollys_bakery", SITE)]


def test_each_new_decision_records_the_version_of_its_classifier(
    engine, db_path, community, tmp_path
):
    pages = _split_author(community)
    _import(engine, tmp_path / "first.jsonl", pages[:1])
    _import(
        engine,
        tmp_path / "second.jsonl",
        pages,
        classifier=Classifier(replace(shipped_model(), version="test-2")),
    )
    models = [row[-1] for row in _decisions(db_path)]
    assert models == [load_classifier(engine).version, "test-2"]


@pytest.mark.parametrize("name", ["users.jsonl", "blm_search_5pages.jsonl"])
def test_recorded_users_get_the_expanded_website_of_their_profile(engine, shared_fixtures, name):
    path = shared_fixtures / "twarc2" / name
    expected: dict[int, str | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        users = page.get("includes", {}).get("users", [])
        users += [item for item in page["data"] if "username" in item]
        for user in users:
            links = user.get("entities", {}).get("url", {}).get("urls", [])
            expected[int(user["id"])] = links[0]["expanded_url"] if links else None
    assert sum(url is not None for url in expected.values()) >= 40
    import_file(engine, path)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, url FROM accounts WHERE username IS NOT NULL")
        stored = {account_id: url for account_id, url in rows}
    assert stored == expected
