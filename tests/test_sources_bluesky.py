"""The Bluesky source, replayed through an httpx.MockTransport: never the network."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from atproto_client.request import Request

from retweetring.errors import AccountGoneError, ServerUnreachableError, UnknownHandleError
from retweetring.records import SocialCheckpoint
from retweetring.sources.bluesky import REPOST, Bluesky, feed_page

BEA = "did:plc:bea"
CAL = "did:plc:cal"


def profile(did: str, handle: str) -> dict[str, Any]:
    return {"did": did, "handle": handle, "displayName": handle.split(".")[0].title()}


def post(did: str, handle: str, n: int, text: str = "Fresh bread", **extra: Any) -> dict[str, Any]:
    at = f"2024-05-0{n}T10:00:00.000Z"
    return {
        "uri": f"at://{did}/app.bsky.feed.post/{n}",
        "cid": f"cid{n}",
        "author": profile(did, handle),
        "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": at, **extra},
        "indexedAt": at,
    }


def repost_item(by: tuple[str, str], original: dict[str, Any], n: int) -> dict[str, Any]:
    return {
        "post": original,
        "reason": {
            "$type": REPOST,
            "by": profile(*by),
            "uri": f"at://{by[0]}/app.bsky.feed.repost/{n}",
            "indexedAt": f"2024-05-0{n}T12:00:00.000Z",
        },
    }


def replay(handler: Callable[[httpx.Request], httpx.Response]) -> Bluesky:
    return Bluesky(request=Request(transport=httpx.MockTransport(handler)))


def pages_by_cursor(pages: list[dict[str, Any]], seen: list[httpx.Request]) -> Bluesky:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        index = int(request.url.params.get("cursor", "0"))
        return httpx.Response(200, json=pages[index])

    return replay(handler)


def test_author_feed_follows_cursors_and_finds_reposts_only_in_repost_items() -> None:
    own = post(BEA, "bea.bsky.social", 1)
    cal_post = post(CAL, "cal.bsky.social", 2, "New menu")
    pages = [
        {"feed": [repost_item((BEA, "bea.bsky.social"), cal_post, 3)], "cursor": "1"},
        {"feed": [{"post": own}]},
    ]
    seen: list[httpx.Request] = []
    results = list(pages_by_cursor(pages, seen).author_feed("bea.bsky.social"))
    assert [r.url.params.get("cursor") for r in seen] == [None, "1"]
    assert all(r.url.path.endswith("app.bsky.feed.getAuthorFeed") for r in seen)
    assert seen[0].url.params["limit"] == "100"
    reposts = [r for page, _ in results for r in page.reposts]
    assert [(r.reposter_key, r.original_key, r.exact) for r in reposts] == [
        (BEA, cal_post["uri"], False)
    ]
    assert reposts[0].created_at == datetime(2024, 5, 3, 12)
    posts = {p.key for page, _ in results for p in page.posts}
    assert posts == {own["uri"], cal_post["uri"]}
    assert results[0][1] == SocialCheckpoint(
        "bluesky", "bea.bsky.social", f"at://{BEA}/app.bsky.feed.repost/3", datetime(2024, 5, 3, 12)
    )


def test_self_repost_is_kept_with_reposter_equal_to_author() -> None:
    own = post(BEA, "bea.bsky.social", 1)
    page = feed_page([repost_item((BEA, "bea.bsky.social"), own, 2)])
    assert [(r.reposter_key, r.original_key) for r in page.reposts] == [(BEA, own["uri"])]
    assert [a.key for a in page.accounts] == [BEA]


def test_author_feed_stops_at_the_checkpoint() -> None:
    items = [{"post": post(BEA, "bea.bsky.social", n)} for n in (5, 4, 3)]
    pages = [{"feed": items[:2], "cursor": "1"}, {"feed": items[2:]}]
    seen: list[httpx.Request] = []
    checkpoint = SocialCheckpoint("bluesky", "bea", items[1]["post"]["uri"], None)
    results = list(pages_by_cursor(pages, seen).author_feed("bea", checkpoint))
    assert [p.key for page, _ in results for p in page.posts] == [items[0]["post"]["uri"]]
    assert len(seen) == 1


def test_links_come_from_facets_and_embeds() -> None:
    facet = {"features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://a.example/"}]}
    item = post(BEA, "bea.bsky.social", 1, facets=[facet])
    item["embed"] = {
        "$type": "app.bsky.embed.external#view",
        "external": {"uri": "https://b.example/", "title": "B"},
    }
    assert feed_page([{"post": item}]).posts[0].urls == ("https://a.example/", "https://b.example/")


def test_repost_records_give_exact_times_and_page() -> None:
    def record(n: int) -> dict[str, Any]:
        return {
            "uri": f"at://{BEA}/app.bsky.feed.repost/{n}",
            "cid": f"c{n}",
            "value": {
                "$type": "app.bsky.feed.repost",
                "subject": {"uri": f"at://{CAL}/app.bsky.feed.post/{n}", "cid": "x"},
                "createdAt": f"2024-05-0{n}T09:30:00.000Z",
            },
        }

    seen: list[httpx.Request] = []
    pages = [{"records": [record(1)], "cursor": "1"}, {"records": [record(2)]}]
    reposts = list(pages_by_cursor(pages, seen).repost_records(BEA, "https://pds.example"))
    assert seen[0].url.params["collection"] == "app.bsky.feed.repost"
    assert {r.url.host for r in seen} == {"pds.example"}
    assert [(r.original_key, r.created_at, r.exact) for r in reposts] == [
        (f"at://{CAL}/app.bsky.feed.post/1", datetime(2024, 5, 1, 9, 30), True),
        (f"at://{CAL}/app.bsky.feed.post/2", datetime(2024, 5, 2, 9, 30), True),
    ]


def test_reposted_by_lists_reposters_without_times() -> None:
    uri = f"at://{BEA}/app.bsky.feed.post/1"
    seen: list[httpx.Request] = []
    pages = [
        {"uri": uri, "repostedBy": [profile(CAL, "cal.bsky.social")], "cursor": "1"},
        {"uri": uri, "repostedBy": []},
    ]
    results = list(pages_by_cursor(pages, seen).reposted_by(uri))
    reposts = [r for page, _last in results for r in page.reposts]
    assert [(r.reposter_key, r.original_key, r.created_at) for r in reposts] == [(CAL, uri, None)]
    assert [last for _page, last in results] == [False, True]
    assert [r.url.params.get("cursor") for r in seen] == [None, "1"]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"error": "InvalidRequest", "message": "Profile not found"}, UnknownHandleError),
        (404, {"error": "NotFound", "message": "no such thing"}, UnknownHandleError),
        (
            400,
            {"error": "AccountTakedown", "message": "Account has been suspended"},
            AccountGoneError,
        ),
        (
            400,
            {"error": "AccountDeactivated", "message": "Account is deactivated"},
            AccountGoneError,
        ),
        (500, {"error": "InternalServerError", "message": "oops"}, ServerUnreachableError),
    ],
)
def test_failures_give_one_clear_error(status: int, body: dict[str, str], error: type) -> None:
    source = replay(lambda request: httpx.Response(status, json=body))
    with pytest.raises(error) as raised:
        list(source.author_feed("nobody.bsky.social"))
    assert "\n" not in str(raised.value) and "nobody.bsky.social" in str(raised.value)


def test_unreachable_server_is_one_clear_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ServerUnreachableError, match="cannot be reached"):
        list(replay(handler).author_feed("bea.bsky.social"))


def _snapshots(path: Path) -> list[Any]:
    """The JSON values of a vitest snapshot file (JS literals with trailing commas)."""
    bodies = re.findall(r"= `\n(.*?)\n`;", path.read_text(), re.S)
    return [json.loads(re.sub(r",(\s*[}\]])", r"\1", body)) for body in bodies]


def test_real_author_feed_shapes_are_read(shared_fixtures: Path) -> None:
    feeds = [
        s
        for s in _snapshots(shared_fixtures / "bluesky" / "author-feed.test.ts.snap")
        if isinstance(s, list) and s and isinstance(s[0], dict) and "post" in s[0]
    ]
    assert feeds
    reposts = [r for feed in feeds for r in feed_page(feed).reposts]
    expected = sum(
        1 for feed in feeds for item in feed if (item.get("reason") or {}).get("$type") == REPOST
    )
    assert expected and len(reposts) == expected


def test_real_reposted_by_and_post_view_shapes_are_read(shared_fixtures: Path) -> None:
    people = _snapshots(shared_fixtures / "bluesky" / "reposts.test.ts.snap")[0]
    uri = "at://did:plc:x/app.bsky.feed.post/1"
    source = replay(lambda request: httpx.Response(200, json={"uri": uri, "repostedBy": people}))
    reposts = [r for page, _last in source.reposted_by(uri) for r in page.reposts]
    assert [r.reposter_key for r in reposts] == [p["did"] for p in people]
    view = json.loads(
        (shared_fixtures / "bluesky" / "thread_view_post_with_embed_media.json").read_text()
    )
    view = view.get("thread", view).get("post", view)
    assert feed_page([{"post": view}]).posts[0].key == view["uri"]
