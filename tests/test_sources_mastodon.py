"""The Mastodon source, replayed with ``responses``: never the network."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
import yaml

from retweetring.errors import AccountGoneError, ServerUnreachableError, UnknownHandleError
from retweetring.records import SocialCheckpoint
from retweetring.sources.mastodon import MastodonSource, statuses_page

SERVER = "bakers.example"
BASE = f"https://{SERVER}/api/v1"
RESET = "2030-01-01T00:05:00.000Z"
RESET_EPOCH = datetime(2030, 1, 1, 0, 5).timestamp()


def account(name: str, server: str = SERVER, n: int = 1) -> dict[str, Any]:
    local = server == SERVER
    return {
        "id": str(n),
        "username": name,
        "acct": name if local else f"{name}@{server}",
        "display_name": name.title(),
        "url": f"https://{server}/@{name}",
        "uri": f"https://{server}/users/{name}",
        "created_at": "2023-01-01T00:00:00.000Z",
    }


def status(n: int, who: dict[str, Any], content: str = "<p>Fresh bread</p>", **extra: Any) -> dict:
    server = who["uri"].split("/")[2]
    return {
        "id": str(n),
        "uri": f"https://{server}/users/{who['username']}/statuses/{n}",
        "url": f"https://{server}/@{who['username']}/{n}",
        "created_at": f"2024-05-{n:02d}T10:00:00.000Z",
        "account": who,
        "content": content,
        "reblog": None,
        "card": None,
        "visibility": "public",
        **extra,
    }


def boost(n: int, who: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    return status(n, who, content="", reblog=original)


BEA = account("bea")
CAL = account("cal", "other.example", 2)


def source(waits: list[float] | None = None, now: float = RESET_EPOCH - 30) -> MastodonSource:
    recorded = waits if waits is not None else []
    return MastodonSource(SERVER, wait=recorded.append, clock=lambda: now)


def test_html_is_stripped_and_links_come_from_content_and_card() -> None:
    html = (
        '<p>New <a href="https://other.example/tags/bread" class="mention hashtag">#<span>bread'
        '</span></a> at <a href="https://shop.example/">shop.example</a> &amp; more</p>'
    )
    card = {"url": "https://blog.example/post", "title": "Blog"}
    page = statuses_page([status(1, BEA, html, card=card)], SERVER)
    assert page.posts[0].text == "New #bread at shop.example & more"
    assert page.posts[0].urls == ("https://shop.example/", "https://blog.example/post")


def test_boost_is_a_status_with_reblog_timed_by_the_boost() -> None:
    original = status(3, CAL, "<p>Our menu</p>")
    page = statuses_page([boost(5, BEA, original), status(4, BEA)], SERVER)
    assert [(r.reposter_key, r.original_key, r.created_at, r.exact) for r in page.reposts] == [
        (BEA["uri"], original["uri"], datetime(2024, 5, 5, 10), True)
    ]
    assert {a.handle for a in page.accounts} == {"bea@bakers.example", "cal@other.example"}
    assert {p.key for p in page.posts} == {original["uri"], status(4, BEA)["uri"]}


def test_self_boost_is_kept() -> None:
    own = status(1, BEA)
    page = statuses_page([boost(2, BEA, own)], SERVER)
    assert [(r.reposter_key, r.original_key) for r in page.reposts] == [(BEA["uri"], own["uri"])]


@responses.activate
def test_statuses_page_by_link_and_stop_at_the_since_id_checkpoint() -> None:
    first = [boost(9, BEA, status(8, CAL)), status(7, BEA)]
    second = [status(6, BEA), status(5, BEA)]

    def statuses(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        older = "max_id" in (request.url or "")
        headers = {} if older else {"Link": f'<{BASE}/accounts/1/statuses?max_id=7>; rel="next"'}
        return 200, headers, json.dumps(second if older else first)

    responses.add(responses.GET, f"{BASE}/accounts/lookup", json=BEA)
    responses.add_callback(responses.GET, f"{BASE}/accounts/1/statuses", callback=statuses)
    reader = source()
    member = reader.lookup("@bea@bakers.example")
    checkpoint = SocialCheckpoint("mastodon", BEA["uri"], "5", None)
    results = list(reader.statuses(member, checkpoint))
    keys = [p.key for page, _ in results for p in page.posts]
    assert keys == [status(8, CAL)["uri"], status(7, BEA)["uri"], status(6, BEA)["uri"]]
    assert "since_id=5" in responses.calls[1].request.url
    assert "max_id=7" in responses.calls[2].request.url
    assert results[-1][1] == SocialCheckpoint("mastodon", BEA["uri"], "9", datetime(2024, 5, 9, 10))


@responses.activate
def test_reblogged_by_follows_the_link_header() -> None:
    mine = status(1, BEA)
    url = f"{BASE}/statuses/1/reblogged_by"
    more = f'<{url}?limit=80&max_id=50>; rel="next"'
    responses.add(responses.GET, url, json=[CAL], headers={"Link": more})
    responses.add(responses.GET, url, json=[account("dee", n=3)])
    responses.add(responses.GET, url, json=[])
    pages = list(source().reblogged_by(mine))
    assert [r.reposter_key for p, _last in pages for r in p.reposts] == [
        CAL["uri"],
        account("dee")["uri"],
    ]
    assert all(r.created_at is None and not r.exact for p, _last in pages for r in p.reposts)
    assert "max_id=50" in responses.calls[1].request.url
    assert len(responses.calls) == 2  # the second page has no Link next


@responses.activate
def test_rate_limit_waits_until_the_reset() -> None:
    url = f"{BASE}/statuses/1/reblogged_by"
    spent = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RESET}
    responses.add(
        responses.GET, url, json=[CAL], headers={**spent, "Link": f'<{url}?max_id=2>; rel="next"'}
    )
    responses.add(responses.GET, url, json=[])
    waits: list[float] = []
    list(source(waits, now=RESET_EPOCH - 30).reblogged_by(status(1, BEA)))
    assert waits == [pytest.approx(30.0)]


@responses.activate
def test_429_waits_then_retries() -> None:
    url = f"{BASE}/statuses/1/reblogged_by"
    responses.add(responses.GET, url, status=429, headers={"X-RateLimit-Reset": RESET})
    responses.add(responses.GET, url, json=[CAL])
    waits: list[float] = []
    pages = list(source(waits, now=RESET_EPOCH - 100).reblogged_by(status(1, BEA)))
    assert waits == [pytest.approx(100.0)]
    assert [r.reposter_key for p, _last in pages for r in p.reposts] == [CAL["uri"]]


@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        ({"status": 404, "json": {"error": "Record not found"}}, UnknownHandleError, "404"),
        ({"status": 410, "json": {"error": "Gone"}}, AccountGoneError, "410"),
        ({"body": requests.ConnectionError("refused")}, ServerUnreachableError, "reached"),
    ],
)
@responses.activate
def test_failures_give_one_clear_error(answer: dict[str, Any], error: type, words: str) -> None:
    responses.add(responses.GET, f"{BASE}/accounts/lookup", **answer)
    with pytest.raises(error) as raised:
        source().lookup("@nobody@bakers.example")
    assert "\n" not in str(raised.value) and words in str(raised.value)
    assert SERVER in str(raised.value)


@responses.activate
def test_suspended_account_is_one_clear_error() -> None:
    responses.add(responses.GET, f"{BASE}/accounts/lookup", json={**BEA, "suspended": True})
    with pytest.raises(AccountGoneError, match="suspended"):
        source().lookup("@bea@bakers.example")


def test_bad_handle_is_one_clear_error() -> None:
    with pytest.raises(UnknownHandleError, match="@user@server"):
        source().lookup("bea")


def _bodies(path: Path, ending: str) -> list[Any]:
    cassette = yaml.safe_load(path.read_text())
    return [
        json.loads(i["response"]["body"]["string"])
        for i in cassette["interactions"]
        if i["request"]["uri"].endswith(ending)
    ]


def test_real_boost_and_reblogged_by_shapes_are_read(shared_fixtures: Path) -> None:
    folder = shared_fixtures / "mastodon"
    boosted = _bodies(folder / "test_status_reblog_unreblog.yaml", "/reblog")[0]
    page = statuses_page([boosted], "localhost")
    assert [r.original_key for r in page.reposts] == [boosted["reblog"]["uri"]]
    people = _bodies(folder / "test_status_reblogged_by.yaml", "/reblogged_by")[0]
    assert people
    mine = {"id": "1", "uri": "https://localhost/users/a/statuses/1"}
    with responses.RequestsMock() as replay:
        replay.add(responses.GET, f"{BASE}/statuses/1/reblogged_by", json=people)
        pages = list(source().reblogged_by(mine))
    assert [r.reposter_key for p, _last in pages for r in p.reposts] == [p["uri"] for p in people]


def test_real_timeline_shapes_are_read(shared_fixtures: Path) -> None:
    timeline = _bodies(shared_fixtures / "mastodon" / "test_fetch_next_previous.yaml", "")
    statuses = [s for body in timeline if isinstance(body, list) for s in body if "uri" in s]
    assert statuses
    page = statuses_page(statuses, "localhost")
    assert len(page.posts) == len({s["uri"] for s in statuses}) and not page.reposts
