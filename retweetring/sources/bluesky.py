"""Reading Bluesky reposts from the public AppView with the ``atproto`` SDK, without a login.

A member's author feed (``app.bsky.feed.getAuthorFeed``) holds their posts and their reposts; a
repost is a feed item whose ``reason.$type`` is ``app.bsky.feed.defs#reasonRepost`` (who
reposted in ``reason.by``, when it was indexed in ``reason.indexedAt``; the original post and its
author in ``post``). ``com.atproto.repo.listRecords`` on ``app.bsky.feed.repost`` in the member's
own repository gives the exact repost times (``createdAt``); that repository lives on the
member's own personal data server (PDS), found in their DID document (``did:plc`` at the PLC
directory, ``did:web`` at ``/.well-known/did.json``). ``getRepostedBy`` lists who reposted one
of the member's posts (no times) and ``getPosts`` gives posts' current repost counts. Accounts
are keyed by DID, posts by AT-URI. Every request, answered or failed, is reported to
``on_request`` (endpoint, HTTP status or 0 when no answer came, items, accounts) for the ledger.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from atproto import Client, models
from atproto_client import exceptions
from atproto_client.request import Request
from atproto_core.did_doc import DidDocument

from retweetring.errors import (
    AccountGoneError,
    ServerUnreachableError,
    UnknownHandleError,
    UnresolvedDidError,
)
from retweetring.records import (
    PLATFORM_BLUESKY,
    SocialAccount,
    SocialCheckpoint,
    SocialPage,
    SocialPost,
    SocialRepost,
)
from retweetring.sources.social import FeedPage, PageSize, page_size, parse_iso

__all__ = [
    "APPVIEW",
    "PLC_DIRECTORY",
    "Bluesky",
    "OnRequest",
    "did_document_url",
    "feed_page",
    "post_links",
]

APPVIEW = "https://public.api.bsky.app/xrpc"
"""The public AppView: every read here needs no account."""
PLC_DIRECTORY = "https://plc.directory"
"""Where the documents of ``did:plc`` identities are published."""
REPOST = "app.bsky.feed.defs#reasonRepost"
FEED = "app.bsky.feed.getAuthorFeed"
PROFILE = "app.bsky.actor.getProfile"
RECORDS = "com.atproto.repo.listRecords"
REPOSTED_BY = "app.bsky.feed.getRepostedBy"
POSTS = "app.bsky.feed.getPosts"
DID_DOCUMENT = "did document"
"""The ledger's endpoint of a DID document read (PLC directory or ``did.json``)."""
POSTS_PER_REQUEST = 25
"""``getPosts`` takes at most this many URIs."""
_COUNTED = {FEED: ("feed", 0), RECORDS: ("records", 0), POSTS: ("posts", 0),
            REPOSTED_BY: ("repostedBy", 1)}  # fmt: skip
"""Where an answer's items are, and whether they are accounts (1) or posts (0)."""
MAX_RATE_LIMIT_WAITS = 5
"""429 answers to the same request before giving up."""
NO_RESET_WAIT = 60.0
"""Seconds to wait after a 429 that says nothing about when the window resets."""
_GONE = (
    "AccountTakedown",
    "AccountDeactivated",
    "AccountSuspended",
    "RepoTakendown",
    "RepoDeactivated",
    "RepoSuspended",
)
_UNKNOWN = ("could not find", "profile not found", "actor not found", "unable to resolve")


def post_links(post: dict[str, Any]) -> tuple[str, ...]:
    """The links of a post view or record: link facets first, then an external embed.

    >>> post_links({"record": {"facets": [{"features": [
    ...     {"$type": "app.bsky.richtext.facet#link", "uri": "https://shop.example/"}]}]},
    ...     "embed": {"$type": "app.bsky.embed.external#view",
    ...               "external": {"uri": "https://blog.example/"}}})
    ('https://shop.example/', 'https://blog.example/')
    """
    record = post.get("record") if isinstance(post.get("record"), dict) else post
    links: list[str] = []
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or []:
            if feature.get("$type") == "app.bsky.richtext.facet#link" and feature.get("uri"):
                links.append(feature["uri"])
    for embed in (post.get("embed"), record.get("embed")):
        if isinstance(embed, dict):
            external = embed.get("external") or (embed.get("media") or {}).get("external")
            if isinstance(external, dict) and external.get("uri"):
                links.append(external["uri"])
    return tuple(dict.fromkeys(links))


OnRequest = Callable[[str, int, int, int], None]
"""Called after each request with (endpoint, HTTP status or 0, items read, accounts read)."""


def did_document_url(did: str, plc: str = PLC_DIRECTORY) -> str:
    """Where the DID document of ``did`` is published.

    >>> did_document_url("did:plc:ewvi7nxzyoun6zhxrhs64oiz")
    'https://plc.directory/did:plc:ewvi7nxzyoun6zhxrhs64oiz'
    >>> did_document_url("did:web:bakery.example")
    'https://bakery.example/.well-known/did.json'
    """
    if did.startswith("did:plc:"):
        return f"{plc.rstrip('/')}/{did}"
    host = did.removeprefix("did:web:")
    if did.startswith("did:web:") and host and ":" not in host:
        return f"https://{host}/.well-known/did.json"
    raise UnresolvedDidError(
        f"Bluesky: cannot find the server of {did}: only did:plc and did:web (without a path) "
        "are supported"
    )


def _header(headers: dict[str, Any] | None, name: str) -> str:
    """A response header's value, whatever its case ("" when absent)."""
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value).strip()
    return ""


def _account(profile: dict[str, Any], seen_at: datetime | None) -> SocialAccount:
    return SocialAccount(
        PLATFORM_BLUESKY,
        profile["did"],
        profile.get("handle"),
        profile.get("displayName"),
        seen_at,
    )


def _post(post: dict[str, Any]) -> SocialPost:
    record = post.get("record") or {}
    count = post.get("repostCount")
    return SocialPost(
        PLATFORM_BLUESKY,
        post["uri"],
        post["author"]["did"],
        parse_iso(record.get("createdAt") or post.get("indexedAt"), "post.record.createdAt"),
        record.get("text") or "",
        post_links(post),
        count if isinstance(count, int) else None,
    )


def feed_page(items: list[dict[str, Any]], seen_at: datetime | None = None) -> SocialPage:
    """The accounts, posts and reposts of one getAuthorFeed page.

    A repost yields the reposter, the original's author, the original post and a repost keyed by
    the reason's ``uri`` (or ``DID/repost/POST-URI`` when the AppView leaves it out), timed by
    ``reason.indexedAt`` (not exact). Any other item (the member's own posts, replies, pins)
    yields its post and author only.
    """
    accounts: dict[str, SocialAccount] = {}
    posts: dict[str, SocialPost] = {}
    reposts: list[SocialRepost] = []
    for item in items:
        post = item["post"]
        accounts.setdefault(post["author"]["did"], _account(post["author"], seen_at))
        posts.setdefault(post["uri"], _post(post))
        reason = item.get("reason") or {}
        if reason.get("$type") != REPOST:
            continue
        by = reason["by"]
        accounts.setdefault(by["did"], _account(by, seen_at))
        key, at = _item_key(item)
        reposts.append(SocialRepost(PLATFORM_BLUESKY, key, by["did"], post["uri"], at, False))
    return SocialPage(list(accounts.values()), list(posts.values()), reposts)


def _item_key(item: dict[str, Any]) -> tuple[str, datetime | None]:
    reason = item.get("reason") or {}
    if reason.get("$type") == REPOST:
        key = reason.get("uri") or f"{reason['by']['did']}/repost/{item['post']['uri']}"
        return key, parse_iso(reason.get("indexedAt"), "reason.indexedAt")
    post = item["post"]
    return post["uri"], parse_iso(post.get("indexedAt"), "post.indexedAt")


class Bluesky:
    """The Bluesky reads retweetring makes, with one clear error for each way they fail.

    ``request`` is the SDK's HTTP layer; tests pass ``Request(transport=httpx.MockTransport(..))``.
    ``on_request`` may be replaced at any time (the collector points it at its ledger).
    """

    def __init__(
        self,
        *,
        appview: str = APPVIEW,
        plc: str = PLC_DIRECTORY,
        request: Request | None = None,
        wait: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        on_request: OnRequest | None = None,
    ) -> None:
        self.request = request or Request(timeout=30.0)
        self.appview = Client(base_url=appview, request=self.request)
        self.plc = plc
        self._servers: dict[str, Client] = {}
        self._wait = wait
        self._clock = clock
        self.on_request: OnRequest = on_request or (lambda endpoint, status, items, users: None)

    def _server(self, pds: str) -> Client:
        """The XRPC client of a personal data server (one per server)."""
        if pds not in self._servers:
            self._servers[pds] = Client(base_url=f"{pds.rstrip('/')}/xrpc", request=self.request)
        return self._servers[pds]

    def pds_of(self, did: str) -> str:
        """The URL of the personal data server holding ``did``'s repository, from its DID
        document; raises :class:`UnresolvedDidError` (one line) when it cannot be told."""
        url = did_document_url(did, self.plc)
        where = url.split("/")[2]
        try:
            answer = self.request.get(url)
        except exceptions.RequestErrorBase as exc:
            status = exc.response.status_code if exc.response is not None else 0
            self.on_request(DID_DOCUMENT, status, 0, 0)
            said = f"{where} answered {status}" if status else f"{where} cannot be reached"
            if status == 404:
                said = f"{where} has no DID document for it (404)"
            raise UnresolvedDidError(f"Bluesky: cannot find the server of {did}: {said}") from None
        self.on_request(DID_DOCUMENT, answer.status_code, 0, 0)
        try:
            document = answer.content
            if isinstance(document, bytes):  # served as application/did+json or text/plain
                document = json.loads(document)
            pds = DidDocument.from_dict(document).get_pds_endpoint()
        except Exception:  # noqa: BLE001 - pydantic, type and value errors alike: not a document
            pds = None
        if not pds:
            raise UnresolvedDidError(
                f"Bluesky: cannot find the server of {did}: its DID document at {url} names no "
                "personal data server (#atproto_pds)"
            )
        return pds.rstrip("/")

    def _query(self, client: Client, nsid: str, params: Any, who: str) -> dict[str, Any]:
        """One XRPC query; at a 429, wait until ``ratelimit-reset`` and ask again."""
        for _ in range(MAX_RATE_LIMIT_WAITS):
            try:
                return self._query_once(client, nsid, params, who)
            except exceptions.RequestErrorBase as exc:
                if exc.response is None or exc.response.status_code != 429:
                    raise
                reset = _header(exc.response.headers, "ratelimit-reset")
                left = float(reset) - self._clock() if reset.isdigit() else NO_RESET_WAIT
                self._wait(max(1.0, left))
        try:
            return self._query_once(client, nsid, params, who)
        except exceptions.RequestErrorBase as exc:
            if exc.response is not None and exc.response.status_code == 429:
                raise ServerUnreachableError(
                    f"{nsid} for {who}: Bluesky still rate limits after "
                    f"{MAX_RATE_LIMIT_WAITS} waits; run again later"
                ) from None
            raise

    def _query_once(self, client: Client, nsid: str, params: Any, who: str) -> dict[str, Any]:
        try:
            body: dict[str, Any] = client.invoke_query(nsid, params=params).content
        except exceptions.NetworkError as exc:
            response = getattr(exc, "response", None)
            self.on_request(nsid, response.status_code if response is not None else 0, 0, 0)
            raise ServerUnreachableError(
                f"{nsid} for {who}: the Bluesky server cannot be reached ({type(exc).__name__})"
            ) from None
        except exceptions.RequestErrorBase as exc:
            content = exc.response.content if exc.response is not None else None
            error = getattr(content, "error", None) or ""
            message = getattr(content, "message", None) or ""
            status = exc.response.status_code if exc.response is not None else 0
            self.on_request(nsid, status, 0, 0)
            if (
                error in _GONE
                or "suspended" in message.lower()
                or "deactivated" in (message.lower())
            ):
                raise AccountGoneError(
                    f"Bluesky account {who} is suspended or deactivated ({error or status})"
                ) from None
            unknown = error in ("NotFound", "RepoNotFound") or any(
                m in message.lower() for m in _UNKNOWN
            )
            if status == 429:
                raise
            if status == 404 or (status == 400 and unknown):
                raise UnknownHandleError(
                    f"Bluesky: no account {who} ({message or status})"
                ) from None
            raise ServerUnreachableError(
                f"{nsid} for {who}: Bluesky answered {status} {error} {message}".rstrip()
            ) from None
        name, accounts = _COUNTED.get(nsid, ("", 1))
        items = len(body.get(name) or []) if name else 1
        self.on_request(nsid, 200, 0 if accounts else items, items if accounts else 0)
        return body

    def profile(self, actor: str) -> SocialAccount:
        """The account of a handle or DID (``app.bsky.actor.getProfile``)."""
        params = models.AppBskyActorGetProfile.Params(actor=actor)
        body = self._query(self.appview, PROFILE, params, actor)
        return _account(body, None)

    def feed_pages(
        self,
        actor: str,
        checkpoint: SocialCheckpoint | None = None,
        cursor: str | None = None,
        size: PageSize | None = None,
    ) -> Iterator[FeedPage]:
        """Yield the pages of ``actor``'s feed, newest first, from ``cursor``, to ``checkpoint``.

        Items at or older than the checkpoint are left out (cursors are opaque, so the stop is
        the newest URI and time seen last time). The last page is yielded even when it holds
        nothing new, so that the caller can record that the feed is read to its end.
        """
        newest: SocialCheckpoint | None = None
        while True:
            params = models.AppBskyFeedGetAuthorFeed.Params(
                actor=actor, limit=page_size(100, size), cursor=cursor
            )
            body = self._query(self.appview, FEED, params, actor)
            items = body.get("feed") or []
            kept, stop = [], False
            for item in items:
                key, at = _item_key(item)
                if checkpoint is not None and (
                    key == checkpoint.newest
                    or (
                        at is not None
                        and checkpoint.newest_at is not None
                        and at <= checkpoint.newest_at
                    )
                ):
                    stop = True
                    break
                kept.append(item)
            if kept and newest is None:
                newest = SocialCheckpoint(PLATFORM_BLUESKY, actor, *_item_key(kept[0]))
            cursor = body.get("cursor")
            last = stop or not cursor or not items
            if kept or last:
                yield FeedPage(feed_page(kept), newest, cursor, last, len(items), FEED)
            if last:
                return

    def author_feed(
        self, actor: str, checkpoint: SocialCheckpoint | None = None
    ) -> Iterator[tuple[SocialPage, SocialCheckpoint]]:
        """Yield the pages of ``actor``'s feed that hold new items, with the run's newest item."""
        for found in self.feed_pages(actor, checkpoint):
            if found.newest is not None and (found.page.posts or found.page.reposts):
                yield found.page, found.newest

    def repost_record_pages(
        self,
        did: str,
        cursor: str | None = None,
        size: PageSize | None = None,
        pds: str | None = None,
    ) -> Iterator[tuple[list[SocialRepost], str | None]]:
        """Yield the member's own repost records page by page, newest first, exactly timed,
        each with the cursor of the next page (None after the last).

        They are asked of ``pds``, the member's own server (resolved from the DID when None).
        """
        server = self._server(pds or self.pds_of(did))
        while True:
            params = models.ComAtprotoRepoListRecords.Params(
                repo=did,
                collection="app.bsky.feed.repost",
                limit=page_size(100, size),
                cursor=cursor,
            )
            body = self._query(server, RECORDS, params, did)
            records = body.get("records") or []
            page = []
            for record in records:
                value = record.get("value") or {}
                subject = value.get("subject") or {}
                page.append(
                    SocialRepost(
                        PLATFORM_BLUESKY,
                        record["uri"],
                        did,
                        subject["uri"],
                        parse_iso(value.get("createdAt"), "value.createdAt"),
                        True,
                    )
                )
            cursor = body.get("cursor") if records else None
            yield page, cursor
            if not cursor:
                return

    def repost_records(self, did: str, pds: str | None = None) -> Iterator[SocialRepost]:
        """Yield the member's own repost records, with their exact ``createdAt`` times."""
        for page, _cursor in self.repost_record_pages(did, pds=pds):
            yield from page

    def repost_counts(self, uris: list[str]) -> dict[str, int]:
        """The current repost counts of these posts (``getPosts``, 25 a request); a deleted
        post is left out."""
        counts: dict[str, int] = {}
        for start in range(0, len(uris), POSTS_PER_REQUEST):
            chunk = uris[start : start + POSTS_PER_REQUEST]
            params = models.AppBskyFeedGetPosts.Params(uris=chunk)
            body = self._query(self.appview, POSTS, params, f"{len(chunk)} posts")
            for post in body.get("posts") or []:
                counts[post["uri"]] = int(post.get("repostCount") or 0)
        return counts

    def reposted_by(
        self, post_uri: str, size: PageSize | None = None
    ) -> Iterator[tuple[SocialPage, bool]]:
        """Yield who reposted ``post_uri``, page by page (approximate: no repost times), each
        page with whether it is the last."""
        cursor: str | None = None
        while True:
            params = models.AppBskyFeedGetRepostedBy.Params(
                uri=post_uri, limit=page_size(100, size), cursor=cursor
            )
            body = self._query(self.appview, REPOSTED_BY, params, post_uri)
            people = body.get("repostedBy") or []
            cursor = body.get("cursor")
            last = not cursor or not people
            yield (
                SocialPage(
                    [_account(p, None) for p in people],
                    [],
                    [
                        SocialRepost(
                            PLATFORM_BLUESKY,
                            f"{p['did']}/repost/{post_uri}",
                            p["did"],
                            post_uri,
                            None,
                            False,
                        )
                        for p in people
                    ],
                ),
                last,
            )
            if last:
                return

    def close(self) -> None:
        """Release the HTTP connections."""
        self.request.close()
