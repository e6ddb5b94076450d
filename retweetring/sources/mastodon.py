"""Reading Mastodon boosts from a member's home server with ``Mastodon.py``, without a token.

A member's public statuses (``GET /api/v1/accounts/:id/statuses``) hold their posts and boosts;
a boost is a status whose ``reblog`` is not null, and its ``created_at`` is when it was boosted.
``GET /api/v1/statuses/:id/reblogged_by`` lists who boosted a status (no times), paged here by
its ``Link`` header because the library returns one page only. A status has a different id on
every server, so posts are keyed by their ``uri`` and accounts by their ``uri``; ``since_id`` (an
id of the member's home server) is the checkpoint. The server allows 300 requests per 5 minutes:
when ``X-RateLimit-Remaining`` reaches 0, ``wait`` is called with the seconds until the reset.
Every request, answered or failed, is reported to ``on_request`` (endpoint, HTTP status or 0 when
no answer came, items, accounts) for the ledger.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import requests
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
)

from retweetring.errors import AccountGoneError, ServerUnreachableError, UnknownHandleError
from retweetring.records import (
    PLATFORM_MASTODON,
    SocialAccount,
    SocialCheckpoint,
    SocialPage,
    SocialPost,
    SocialRepost,
)
from retweetring.sources.social import (
    FeedPage,
    PageSize,
    html_links,
    html_text,
    page_size,
    parse_iso,
)

__all__ = ["MastodonSource", "split_handle", "status_id", "statuses_page"]

MAX_RATE_LIMIT_WAITS = 5
"""429 answers to the same request before giving up."""
NO_RESET_WAIT = 60.0
"""Seconds to wait after a 429 that says nothing about when the window resets."""
LOOKUP = "accounts/lookup"
STATUSES = "accounts/:id/statuses"
STATUS = "statuses/:id"
REBLOGGED_BY = "statuses/:id/reblogged_by"
OnRequest = Callable[[str, int, int, int], None]
"""Called after each request with (endpoint, HTTP status or 0, items read, accounts read)."""


def split_handle(handle: str) -> tuple[str, str]:
    """``@bea@mastodon.social`` as (``bea``, ``mastodon.social``).

    >>> split_handle("@bea@mastodon.social")
    ('bea', 'mastodon.social')
    """
    user, _, server = handle.lstrip("@").partition("@")
    if not user or not server or "@" in server:
        raise UnknownHandleError(f"not a Mastodon handle (want @user@server): {handle!r}")
    return user, server


def home_handle(handle: str | None, uri: str) -> str:
    """``@user@server`` of an account from its stored handle, else from its URI.

    >>> home_handle(None, "https://bakers.example/users/bea")
    '@bea@bakers.example'
    """
    if handle and "@" in handle:
        return "@" + handle.lstrip("@")
    parts = uri.split("/")
    return f"@{parts[-1]}@{parts[2]}" if len(parts) > 3 else f"@{handle}"


def status_id(uri: str, server: str) -> str | None:
    """The id on ``server`` of one of its own statuses, from the status's URI (Mastodon's
    ``https://SERVER/users/NAME/statuses/ID``); None for another server's or another shape.

    >>> status_id("https://bakers.example/users/bea/statuses/1093", "bakers.example")
    '1093'
    """
    parts = uri.split("/")
    if len(parts) == 7 and parts[2] == server and parts[5] == "statuses" and parts[6].isdigit():
        return parts[6]
    return None


def _naive(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        return parse_iso(value, "created_at")
    return None


def _handle(account: dict[str, Any], server: str) -> str:
    acct = account.get("acct") or account.get("username") or ""
    return acct if "@" in acct else f"{acct}@{server}"


def _account(account: dict[str, Any], server: str, seen_at: datetime | None) -> SocialAccount:
    return SocialAccount(
        PLATFORM_MASTODON,
        account.get("uri") or account["url"],
        _handle(account, server),
        account.get("display_name") or None,
        seen_at,
    )


def _post(status: dict[str, Any]) -> SocialPost:
    content = status.get("content") or ""
    links = html_links(content)
    card = status.get("card")
    if isinstance(card, dict) and card.get("url"):
        links.append(card["url"])
    count = status.get("reblogs_count")
    return SocialPost(
        PLATFORM_MASTODON,
        status["uri"],
        status["account"].get("uri") or status["account"]["url"],
        _naive(status.get("created_at")),
        html_text(content),
        tuple(dict.fromkeys(links)),
        count if isinstance(count, int) else None,
    )


def statuses_page(
    statuses: list[dict[str, Any]], server: str, seen_at: datetime | None = None
) -> SocialPage:
    """The accounts, posts and boosts of one page of a member's statuses on ``server``.

    A boost yields the booster, the original's author, the original post (text stripped of
    HTML; links from the content and the card) and a repost keyed by the boost's ``uri``, timed
    by the boost's ``created_at`` (exact). Any other status yields its post and author only.
    """
    accounts: dict[str, SocialAccount] = {}
    posts: dict[str, SocialPost] = {}
    reposts: list[SocialRepost] = []
    for status in statuses:
        booster = _account(status["account"], server, seen_at)
        accounts.setdefault(booster.key, booster)
        original = status.get("reblog")
        if not original:
            posts.setdefault(status["uri"], _post(status))
            continue
        author = _account(original["account"], server, seen_at)
        accounts.setdefault(author.key, author)
        posts.setdefault(original["uri"], _post(original))
        reposts.append(
            SocialRepost(
                PLATFORM_MASTODON,
                status["uri"],
                booster.key,
                original["uri"],
                _naive(status.get("created_at")),
                True,
            )
        )
    return SocialPage(list(accounts.values()), list(posts.values()), reposts)


class MastodonSource:
    """The reads retweetring makes on one Mastodon server, within its rate limit.

    ``wait`` is called with the seconds to wait (tests pass a recorder); ``clock`` is
    ``time.time`` unless given; ``on_request`` may be replaced at any time (the collector points
    it at its ledger).
    """

    def __init__(
        self,
        server: str,
        *,
        wait: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        session: requests.Session | None = None,
        on_request: OnRequest | None = None,
    ) -> None:
        self.server = server
        self.base = f"https://{server}"
        self.session = session or requests.Session()
        self.api = Mastodon(
            api_base_url=self.base,
            ratelimit_method="throw",
            version_check_mode="none",
            session=self.session,
            request_timeout=30,
        )
        self._wait = wait
        self._clock = clock
        self._remaining: int | None = None
        self._reset: float | None = None
        self._status = 0
        self.on_request: OnRequest = on_request or (lambda endpoint, status, items, users: None)
        self.session.hooks["response"].append(self._note_headers)

    # --- the guard ----------------------------------------------------------------------------

    def _before(self) -> None:
        if self._remaining is not None and self._remaining <= 0 and self._reset is not None:
            left = self._reset - self._clock()
            if left > 0:
                self._wait(left)
            self._remaining = None

    def _note_headers(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Keep the status and the window of every answer (a ``requests`` response hook)."""
        self._status = response.status_code
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset = response.headers.get("X-RateLimit-Reset")
        if remaining and remaining.isdigit():
            self._remaining = int(remaining)
        if reset:
            parsed = _naive(reset)
            if parsed is not None:
                self._reset = parsed.replace(tzinfo=timezone.utc).timestamp()

    def _call(self, endpoint: str, what: str, call: Callable[[], Any], users: bool = False) -> Any:
        """``call()`` within the rate limit, every attempt reported to ``on_request``, the
        library's errors raised as one-line retweetring errors. ``users``: the answer lists
        accounts (else posts)."""
        for _ in range(MAX_RATE_LIMIT_WAITS + 1):
            self._before()
            self._status = 0
            try:
                result = call()
            except MastodonRatelimitError:
                self.on_request(endpoint, self._status or 429, 0, 0)
                self._remaining = 0
                if self._reset is None or self._reset <= self._clock():
                    self._reset = self._clock() + NO_RESET_WAIT
                continue
            except MastodonNotFoundError:
                self.on_request(endpoint, self._status or 404, 0, 0)
                raise UnknownHandleError(f"{self.server}: no {what} (404 Not Found)") from None
            except MastodonNetworkError as exc:
                self.on_request(endpoint, 0, 0, 0)
                raise ServerUnreachableError(
                    f"Mastodon server {self.server} cannot be reached ({str(exc)[:120]})"
                ) from None
            except MastodonAPIError as exc:
                status = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
                self.on_request(endpoint, self._status or status, 0, 0)
                if status == 410:
                    raise AccountGoneError(
                        f"{self.server}: {what} is gone (410: suspended or deleted)"
                    ) from None
                raise ServerUnreachableError(
                    f"{self.server}: {what}: the server answered {status}"
                ) from None
            body = result.json() if isinstance(result, requests.Response) else result
            items = len(body) if isinstance(body, list) else 1
            status = self._status or 200
            self.on_request(endpoint, status, 0 if users else items, items if users else 0)
            return result
        raise ServerUnreachableError(
            f"{self.server}: still rate limited after {MAX_RATE_LIMIT_WAITS} waits; run again later"
        )

    # --- reads --------------------------------------------------------------------------------

    def lookup(self, handle: str) -> dict[str, Any]:
        """The account of ``@user@server`` (its server must be this one)."""
        user, server = split_handle(handle)
        account = self._call(
            LOOKUP, f"account {handle}", lambda: self.api.account_lookup(user), users=True
        )
        if account.get("suspended"):
            raise AccountGoneError(f"Mastodon account {handle} is suspended")
        return dict(account)

    def status_pages(
        self,
        account: dict[str, Any],
        since_id: str | datetime | None = None,
        max_id: str | None = None,
        size: PageSize | None = None,
    ) -> Iterator[FeedPage]:
        """Yield the pages of the account's public statuses newer than ``since_id`` (a status id
        of this server, or a time), newest first, from below ``max_id`` (resuming) down.

        Each page's ``cursor`` is its oldest status id, the ``max_id`` of the next request, so an
        interrupted back-fill resumes without the server's pagination links. The last page
        (empty, or without a ``next`` link) is always yielded.
        """
        member = account.get("uri") or account["url"]
        newest: SocialCheckpoint | None = None
        while True:
            below, limit = max_id, page_size(40, size)
            page = self._call(
                STATUSES,
                "statuses",
                lambda: self.api.account_statuses(
                    account["id"],
                    since_id=since_id,
                    max_id=below,  # noqa: B023
                    limit=limit,  # noqa: B023
                ),
            )
            statuses = [dict(s) for s in page or []]
            if isinstance(since_id, str) and since_id.isdigit():
                statuses = [s for s in statuses if int(s["id"]) > int(since_id)]
            if statuses and newest is None:
                first = statuses[0]
                newest = SocialCheckpoint(
                    PLATFORM_MASTODON, member, str(first["id"]), _naive(first.get("created_at"))
                )
            if statuses:
                max_id = str(min((s["id"] for s in statuses), key=int))
            last = not statuses or getattr(page, "_pagination_next", None) is None
            yield FeedPage(
                statuses_page(statuses, self.server), newest, max_id, last, len(statuses), STATUSES
            )
            if last:
                return

    def profile(self, handle: str) -> SocialAccount:
        """The account of ``@user@server`` as retweetring stores it."""
        return _account(self.lookup(handle), self.server, None)

    def statuses(
        self, account: dict[str, Any], checkpoint: SocialCheckpoint | None = None
    ) -> Iterator[tuple[SocialPage, SocialCheckpoint]]:
        """Yield the pages of the account's public statuses, newest first, down to the checkpoint.

        Each page comes with the checkpoint to store once the run is complete: the newest status
        id of this run (the server's own id, for ``since_id``).
        """
        since = checkpoint.newest if checkpoint is not None else None
        for found in self.status_pages(account, since):
            if found.newest is not None and found.read:
                yield found.page, found.newest

    def repost_counts(self, ids: list[str]) -> dict[str, int]:
        """The current boost counts (``reblogs_count``) of these statuses of this server, by
        id, one request each; a deleted status is left out."""
        counts: dict[str, int] = {}
        for local in ids:
            try:
                found = self._call(
                    STATUS,
                    f"status {local}",
                    lambda: self.api.status(local),  # noqa: B023
                )
            except UnknownHandleError:
                continue
            counts[local] = int(found.get("reblogs_count") or 0)
        return counts

    def reblogged_by(
        self, status: dict[str, Any], size: PageSize | None = None
    ) -> Iterator[tuple[SocialPage, bool]]:
        """Yield who boosted ``status`` (a status of this server), following the ``Link`` header,
        each page with whether it is the last.

        No times: these are approximate reposts, as for X's ``retweeted_by``.
        """
        limit = page_size(80, size)
        url: str | None = f"{self.base}/api/v1/statuses/{status['id']}/reblogged_by?limit={limit}"
        while url:
            target = url
            response = self._call(
                REBLOGGED_BY,
                f"status {status['id']}",
                lambda: self._get(target),  # noqa: B023
                users=True,
            )
            people = response.json()
            url = response.links.get("next", {}).get("url") if people else None
            yield (
                SocialPage(
                    [_account(p, self.server, None) for p in people],
                    [],
                    [
                        SocialRepost(
                            PLATFORM_MASTODON,
                            f"{p.get('uri') or p['url']}/boost/{status['uri']}",
                            p.get("uri") or p["url"],
                            status["uri"],
                            None,
                            False,
                        )
                        for p in people
                    ],
                ),
                url is None,
            )

    def _get(self, url: str) -> requests.Response:
        """One GET through the library's session, raising the library's errors."""
        try:
            response = self.session.get(url, timeout=30)
        except requests.RequestException as exc:
            raise MastodonNetworkError(f"Could not complete request: {exc}") from None
        if response.status_code == 429:
            raise MastodonRatelimitError("Hit rate limit.")
        if response.status_code == 404:
            raise MastodonNotFoundError("Mastodon API returned error", 404, response.reason, "")
        if response.status_code >= 400:
            raise MastodonAPIError("Mastodon API returned error", response.status_code, "", "")
        return response
