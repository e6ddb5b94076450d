"""Replayed Bluesky and Mastodon servers for the collector tests: never the network.

:class:`FakeBluesky` answers the AppView, the PLC directory and each account's own PDS through
an ``httpx.MockTransport``; :class:`FakeMastodon` answers one Mastodon server through
``responses``. Both serve what a small community posted and reposted, in the documented shapes
(the AppView's post views with ``repostCount``, DID documents as the PLC directory serves them,
Mastodon statuses with ``reblogs_count``), and page with cursors / ``Link``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import requests
import responses
from atproto_client.request import Request

from retweetring.sources.bluesky import REPOST, Bluesky

PROMO = "Fresh sourdough today, 20% off all loaves - order now at the shop!"
PERSONAL = "What a beautiful sunrise over the harbour this morning."
START = datetime(2026, 11, 2, 9)


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeBluesky:
    """Accounts post; others repost; the author feed, repost records and profiles are served."""

    def __init__(self) -> None:
        self.profiles: dict[str, dict[str, Any]] = {}
        self.feeds: dict[str, list[dict[str, Any]]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.pds: dict[str, str] = {}
        """Each account's own server: ``listRecords`` is answered there only."""
        self.reposters: dict[str, list[str]] = {}
        """Post URI -> the DIDs that reposted it, newest first (``getRepostedBy``)."""
        self.gone: set[str] = set()
        self.calls: list[httpx.Request] = []
        self.fail_at: Callable[[httpx.Request], bool] = lambda request: False
        self.page_cap = 100
        """At most this many items a page, whatever ``limit`` asks (to test many pages)."""
        self._n = 0

    def _tick(self) -> datetime:
        self._n += 1
        return START + timedelta(hours=self._n)

    def account(self, handle: str) -> str:
        did = f"did:plc:{handle.split('.')[0]}"
        self.profiles.setdefault(
            did, {"did": did, "handle": handle, "displayName": handle.split(".")[0].title()}
        )
        self.feeds.setdefault(did, [])
        self.records.setdefault(did, [])
        self.pds.setdefault(did, f"https://{handle.split('.')[0]}.pds.example")
        return did

    def post(self, did: str, text: str = PROMO) -> dict[str, Any]:
        at = _iso(self._tick())
        post = {
            "uri": f"at://{did}/app.bsky.feed.post/{self._n}",
            "cid": f"cid{self._n}",
            "author": self.profiles[did],
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": at},
            "repostCount": 0,
            "indexedAt": at,
        }
        self.feeds[did].insert(0, {"post": post})
        self.reposters[post["uri"]] = []
        return post

    def repost(self, did: str, post: dict[str, Any]) -> None:
        post["repostCount"] += 1
        self.reposters[post["uri"]].insert(0, did)
        at = self._tick()
        uri = f"at://{did}/app.bsky.feed.repost/{self._n}"
        reason = {
            "$type": REPOST,
            "by": self.profiles[did],
            "uri": uri,
            "indexedAt": _iso(at + timedelta(seconds=30)),
        }
        self.feeds[did].insert(0, {"post": post, "reason": reason})
        value = {
            "$type": "app.bsky.feed.repost",
            "subject": {"uri": post["uri"], "cid": post["cid"]},
            "createdAt": _iso(at),
        }
        self.records[did].insert(0, {"uri": uri, "cid": f"r{self._n}", "value": value})

    def _page(self, items: list[Any], params: httpx.QueryParams, name: str) -> dict[str, Any]:
        start = int(params.get("cursor", "0"))
        limit = min(int(params.get("limit", "50")), self.page_cap)
        body: dict[str, Any] = {name: items[start : start + limit]}
        if start + limit < len(items):
            body["cursor"] = str(start + limit)
        return body

    def did_document(self, did: str) -> dict[str, Any]:
        """What the PLC directory serves for ``did`` (the shape of ``GET /:did``)."""
        return {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": did,
            "alsoKnownAs": [f"at://{self.profiles[did]['handle']}"],
            "verificationMethod": [],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": self.pds[did],
                }
            ],
        }

    def _posts(self, uris: list[str]) -> dict[str, Any]:
        views = {item["post"]["uri"]: item["post"] for feed in self.feeds.values() for item in feed}
        return {"posts": [views[uri] for uri in uris if uri in views]}

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.fail_at(request):
            raise httpx.ConnectError("refused", request=request)
        if request.url.host == "plc.directory":
            did = request.url.path.lstrip("/")
            if did not in self.profiles:
                return httpx.Response(404, json={"message": f"DID not registered: {did}"})
            return httpx.Response(200, json=self.did_document(did))
        nsid = request.url.path.rsplit("/", 1)[-1]
        params = request.url.params
        if nsid == "app.bsky.feed.getPosts":
            return httpx.Response(200, json=self._posts(params.get_list("uris")))
        if nsid == "app.bsky.feed.getRepostedBy":
            people = [self.profiles[d] for d in self.reposters.get(params["uri"], [])]
            body = self._page(people, params, "repostedBy")
            return httpx.Response(200, json={"uri": params["uri"], **body})
        actor = params.get("actor") or params.get("repo") or ""
        did = actor if actor.startswith("did:") else f"did:plc:{actor.split('.')[0]}"
        if did not in self.profiles:
            return httpx.Response(
                400, json={"error": "InvalidRequest", "message": "Profile not found"}
            )
        if did in self.gone:
            error = {"error": "AccountTakedown", "message": "Account has been suspended"}
            return httpx.Response(400, json=error)
        if nsid == "app.bsky.actor.getProfile":
            return httpx.Response(200, json=self.profiles[did])
        if nsid == "app.bsky.feed.getAuthorFeed":
            return httpx.Response(200, json=self._page(self.feeds[did], params, "feed"))
        if nsid == "com.atproto.repo.listRecords":
            if f"{request.url.scheme}://{request.url.host}" != self.pds[did]:
                error = {"error": "InvalidRequest", "message": f"Could not find repo: {did}"}
                return httpx.Response(400, json=error)
            return httpx.Response(200, json=self._page(self.records[did], params, "records"))
        return httpx.Response(400, json={"error": "MethodNotImplemented"})

    def client(self, **kwargs: Any) -> Bluesky:
        return Bluesky(request=Request(transport=httpx.MockTransport(self.handle)), **kwargs)


class FakeMastodon:
    """One Mastodon server: local accounts post and boost; statuses are paged by ``Link``."""

    def __init__(self, server: str = "bakers.example") -> None:
        self.server = server
        self.base = f"https://{server}/api/v1"
        self.accounts: dict[str, dict[str, Any]] = {}
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.suspended: set[str] = set()
        self.boosters: dict[str, list[str]] = {}
        """Status id -> the names that boosted it, newest first (``reblogged_by``)."""
        self.headers: dict[str, str] = {}
        self.page_cap = 40
        self._n = 100

    def account(self, name: str) -> dict[str, Any]:
        if name not in self.accounts:
            self.accounts[name] = {
                "id": str(len(self.accounts) + 1),
                "username": name,
                "acct": name,
                "display_name": name.title(),
                "url": f"https://{self.server}/@{name}",
                "uri": f"https://{self.server}/users/{name}",
            }
            self.statuses[name] = []
        return self.accounts[name]

    def _status(self, name: str, content: str, reblog: Any = None) -> dict[str, Any]:
        self._n += 1
        status = {
            "id": str(self._n),
            "uri": f"https://{self.server}/users/{name}/statuses/{self._n}",
            "url": f"https://{self.server}/@{name}/{self._n}",
            "created_at": _iso(START + timedelta(hours=self._n - 100)),
            "account": self.accounts[name],
            "content": content,
            "reblog": reblog,
            "card": None,
            "visibility": "public",
            "reblogs_count": 0,
        }
        self.statuses[name].insert(0, status)
        return status

    def post(self, name: str, text: str = PROMO) -> dict[str, Any]:
        return self._status(name, f"<p>{text}</p>")

    def boost(self, name: str, original: dict[str, Any]) -> None:
        original["reblogs_count"] += 1
        self.boosters.setdefault(original["id"], []).insert(0, name)
        self._status(name, "", original)

    def _status_by_id(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        wanted = (request.url or "").split("?")[0].rsplit("/", 1)[-1]
        for statuses in self.statuses.values():
            for status in statuses:
                if status["id"] == wanted:
                    return 200, self.headers, json.dumps(status)
        return 404, self.headers, json.dumps({"error": "Record not found"})

    def _reblogged_by(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        """Who boosted a status, newest first, paged by ``max_id`` in the ``Link`` header."""
        status_id = re.search(r"/statuses/(\d+)/reblogged_by", request.url or "").group(1)  # type: ignore[union-attr]
        params = request.params  # type: ignore[attr-defined]
        names = self.boosters.get(status_id, [])
        start = int(params.get("max_id", "0"))
        limit = min(int(params.get("limit", "40")), self.page_cap)
        page = [self.accounts[n] for n in names[start : start + limit]]
        headers = dict(self.headers)
        if start + limit < len(names):
            url = f"{self.base}/statuses/{status_id}/reblogged_by?max_id={start + limit}"
            headers["Link"] = f'<{url}>; rel="next"'
        return 200, headers, json.dumps(page)

    def _lookup(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        name = (request.params or {}).get("acct", "")  # type: ignore[attr-defined]
        if name not in self.accounts:
            return 404, self.headers, json.dumps({"error": "Record not found"})
        body = dict(self.accounts[name], suspended=name in self.suspended)
        return 200, self.headers, json.dumps(body)

    def _list(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        account_id = re.search(r"/accounts/(\d+)/statuses", request.url or "").group(1)  # type: ignore[union-attr]
        name = next(n for n, a in self.accounts.items() if a["id"] == account_id)
        params = request.params  # type: ignore[attr-defined]
        found = self.statuses[name]
        if params.get("since_id"):
            found = [s for s in found if int(s["id"]) > int(params["since_id"])]
        if params.get("max_id"):
            found = [s for s in found if int(s["id"]) < int(params["max_id"])]
        limit = min(int(params.get("limit", "20")), self.page_cap)
        page = found[:limit]
        headers = dict(self.headers)
        if len(found) > limit:
            url = f"{self.base}/accounts/{account_id}/statuses?max_id={page[-1]['id']}"
            headers["Link"] = f'<{url}>; rel="next"'
        return 200, headers, json.dumps(page)

    def install(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(responses.GET, f"{self.base}/accounts/lookup", callback=self._lookup)
        mock.add_callback(
            responses.GET,
            re.compile(rf"{re.escape(self.base)}/accounts/\d+/statuses"),
            callback=self._list,
        )
        mock.add_callback(
            responses.GET,
            re.compile(rf"{re.escape(self.base)}/statuses/\d+/reblogged_by"),
            callback=self._reblogged_by,
        )
        mock.add_callback(
            responses.GET,
            re.compile(rf"{re.escape(self.base)}/statuses/\d+(\?.*)?$"),
            callback=self._status_by_id,
        )


def small_town() -> tuple[FakeBluesky, FakeMastodon]:
    """Three Bluesky and two Mastodon members supporting each other, on pages of 3 items; four
    people who are not members repost (boost) Bea's and Eve's posts (found by --retweeters)."""
    sky, masto = FakeBluesky(), FakeMastodon()
    dids = [sky.account(h) for h in ("bea.bsky.social", "cal.bsky.social", "dee.bsky.social")]
    fans = [sky.account(h) for h in ("ann.bsky.social", "bob.bsky.social")]
    for round_ in range(3):
        for did in dids:
            post = sky.post(did, PROMO if round_ != 1 else PERSONAL)
            for other in dids:
                if other != did:
                    sky.repost(other, post)
            for fan in fans if did == dids[0] else []:
                sky.repost(fan, post)
    for name in ("eve", "fay", "gus", "hal"):
        masto.account(name)
    for round_ in range(3):
        masto.boost("fay", eve := masto.post("eve"))
        for fan in ("gus", "hal"):
            masto.boost(fan, eve)
        masto.boost("eve", masto.post("fay", PERSONAL if round_ == 2 else PROMO))
    sky.page_cap = masto.page_cap = 3
    return sky, masto


SMALL_TOWN_MEMBERS = {
    "bluesky": ["bea.bsky.social", "cal.bsky.social", "dee.bsky.social"],
    "mastodon": ["@eve@bakers.example", "@fay@bakers.example"],
}
