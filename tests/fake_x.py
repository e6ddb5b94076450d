"""A replayed X API v2 for collector tests: real recorded headers, bodies in the documented shape.

Status lines and headers (``x-rate-limit-*``, ``date``, ``content-type`` ...) come from the
tweepy cassettes in ``../shared/fixtures/tweepy-cassettes``; bodies are built from a
:class:`conftest.Community` whose tweet ids are real snowflakes of their times. Faults
(429, 5xx, connection resets, truncated bodies, 401/403, 402 out of credits, the usage cap, the
daily app limit) are injected by endpoint and call number. Nothing leaves the process:
``responses`` answers every request. The shared fixtures hold no recording of a 402 or a usage
cap: those bodies are copied from live answers published by others (see each constant).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses
import yaml
from conftest import PERSONAL_TEXT, Community

from retweetring.sources.collect import snowflake_for

API = "https://api.twitter.com"
TOKEN = "AAAAAAAAAAAAAAAAAAAAAJrTestOnly%2Fretweetring7f3c9eZZq"
MEMBERS = ("bakery", "cafe", "florist")
CLOCK_START = 1665182598.0
"""The ``date`` of the recorded users/tweets answer (2022-10-07 22:43:18 UTC)."""


def load_cassette(shared: Path, name: str) -> list[dict[str, Any]]:
    """Return a cassette's interactions with each response body decoded to JSON."""
    data = yaml.safe_load((shared / "tweepy-cassettes" / name).read_text(encoding="utf-8"))
    out = []
    for interaction in data["interactions"]:
        response = interaction["response"]
        raw = response["body"]["string"]
        if isinstance(raw, bytes) and raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        out.append(
            {
                "uri": interaction["request"]["uri"],
                "status": response["status"]["code"],
                "reason": response["status"]["message"],
                "headers": {k: v[0] for k, v in response["headers"].items()},
                "body": json.loads(raw),
            }
        )
    return out


def replay_headers(recorded: dict[str, str]) -> dict[str, str]:
    """The recorded headers minus those describing the recorded (gzipped) body."""
    drop = {"content-encoding", "content-length", "set-cookie"}
    return {k: v for k, v in recorded.items() if k not in drop}


class SnowflakeCommunity(Community):
    """A community whose tweet ids are snowflakes of the tweets' times, as on X."""

    def _id(self) -> str:
        when = self.START + timedelta(minutes=len(self.tweets))
        return str(snowflake_for(when) + 1)


def make_town() -> SnowflakeCommunity:
    """Three members who retweet each other's promotions, and two fans who are not members."""
    town = SnowflakeCommunity()
    for name in MEMBERS + ("fan_ann", "fan_bob"):
        town.user(name)
    promos = {m: [town.post(m) for _ in range(3)] for m in MEMBERS}
    for m in MEMBERS:
        town.post(m, PERSONAL_TEXT)
    town.retweet("cafe", promos["bakery"][0])
    town.retweet("florist", promos["bakery"][0])
    town.retweet("bakery", promos["cafe"][1])
    town.retweet("florist", promos["cafe"][2])
    town.retweet("cafe", promos["florist"][0])
    town.retweet("fan_ann", promos["bakery"][0])
    town.retweet("fan_ann", promos["cafe"][1])
    town.retweet("fan_bob", promos["bakery"][0])
    town.retweet("bakery", promos["florist"][1])
    town.retweet("cafe", promos["bakery"][2])
    return town


CREDITS_DEPLETED = {
    "type": "https://api.twitter.com/2/problems/credits",
    "title": "CreditsDepleted",
    "detail": "Your enrolled account [1780000000000000000] does not have any credits to fulfill "
    "this request.",
}
"""The 402 body of a pay-per-use account without credits, as X sends it: type, title and
detail as reported from live answers in public projects (the detail also in tweepy's
``HTTPException`` message "402 Payment Required\nYour enrolled account [...] does not have any
credits to fulfill this request."); the account id is made up."""

USAGE_CAPPED = {
    "account_id": "1780000000000000000",
    "product_name": "standard-basic",
    "title": "UsageCapExceeded",
    "period": "Monthly",
    "scope": "Product",
    "detail": "Usage cap exceeded: Monthly product cap",
    "type": "https://api.twitter.com/2/problems/usage-capped",
}
"""The 429 body of a reached usage cap, verbatim from the live answer quoted in
xdevplatform/xdk issue #25 (2026-02-07; account id made up), which came with
``x-rate-limit-limit: 40000`` and ``x-rate-limit-remaining: 39999``."""


@dataclass
class Fault:
    """Answer calls ``at`` .. ``at + times - 1`` of ``endpoint`` with ``kind``."""

    endpoint: str
    at: int
    kind: str
    times: int = 1
    reset_in: int = 300


class FakeX:
    """Answers ``/2/users/by``, ``/2/users/:id/tweets`` and ``/2/tweets/:id/retweeted_by``."""

    def __init__(self, shared: Path, community: Community, clock: FakeClock) -> None:
        self.community = community
        self.clock = clock
        self.page_size = 4
        self.faults: list[Fault] = []
        self.calls: dict[str, int] = {"users": 0, "tweets": 0, "retweeted_by": 0, "lookup": 0}
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        timeline = load_cassette(shared, "test_client_get_users_tweets.yaml")[0]
        retweeters = load_cassette(shared, "test_client_get_retweeters.yaml")[0]
        self.headers = {
            "users": replay_headers(timeline["headers"]),
            "tweets": replay_headers(timeline["headers"]),
            "retweeted_by": replay_headers(retweeters["headers"]),
            "lookup": replay_headers(timeline["headers"]),
        }
        self.overrides: dict[tuple[str, int], dict[str, Any]] = {}
        """Bodies to serve instead of the community's, by (endpoint, call number)."""

    def install(self, mock: responses.RequestsMock) -> None:
        """Register the endpoints on a ``responses`` mock."""
        mock.add_callback(responses.GET, re.compile(rf"{API}/2/users/by\b.*"), callback=self._users)
        mock.add_callback(
            responses.GET, re.compile(rf"{API}/2/users/\d+/tweets\b.*"), callback=self._tweets
        )
        mock.add_callback(
            responses.GET,
            re.compile(rf"{API}/2/tweets/\d+/retweeted_by\b.*"),
            callback=self._retweeted_by,
        )
        mock.add_callback(responses.GET, re.compile(rf"{API}/2/tweets\?.*"), callback=self._lookup)

    # --- plumbing -------------------------------------------------------------------------

    def _begin(self, endpoint: str, request: Any) -> tuple[int, dict[str, str], Any]:
        self.calls[endpoint] += 1
        n = self.calls[endpoint]
        params = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        self.requests.append((endpoint, params, dict(request.headers)))
        for fault in self.faults:
            if fault.endpoint == endpoint and fault.at <= n < fault.at + fault.times:
                return n, params, fault
        return n, params, None

    def _answer(
        self, endpoint: str, n: int, body: dict[str, Any], fault: Fault | None
    ) -> tuple[int, dict[str, str], str]:
        body = self.overrides.get((endpoint, n), body)
        headers = dict(self.headers[endpoint])
        text = json.dumps(body)
        if fault is None:
            return 200, headers, text
        if fault.kind == "exhausted":  # a good answer that uses up the window
            headers["x-rate-limit-remaining"] = "0"
            headers["x-rate-limit-reset"] = str(int(self.clock.now) + fault.reset_in)
            return 200, headers, text
        if fault.kind in ("daily", "daily-429"):  # X's app limit for 24 hours, used up
            headers["x-app-limit-24hour-limit"] = "10000"
            headers["x-app-limit-24hour-remaining"] = "0"
            headers["x-app-limit-24hour-reset"] = str(int(self.clock.now) + fault.reset_in)
            if fault.kind == "daily":
                return 200, headers, text
            return 429, headers, json.dumps({"title": "Too Many Requests", "status": 429})
        if fault.kind == "402":
            return 402, headers, json.dumps(CREDITS_DEPLETED)
        if fault.kind == "usage-cap":  # the rate-limit window is far from used up
            headers["x-rate-limit-limit"] = "40000"
            headers["x-rate-limit-remaining"] = "39999"
            headers["x-rate-limit-reset"] = str(int(self.clock.now) + 900)
            return 429, headers, json.dumps(USAGE_CAPPED)
        if fault.kind == "truncated":
            return 200, headers, text[: len(text) // 2]
        if fault.kind == "reset":
            raise requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer"))
        status = int(fault.kind)
        if status == 429:
            headers["x-rate-limit-remaining"] = "0"
            headers["x-rate-limit-reset"] = str(int(self.clock.now) + fault.reset_in)
        titles = {
            401: "Unauthorized",
            403: "Forbidden",
            429: "Too Many Requests",
            500: "Internal Server Error",
            503: "Service Unavailable",
        }
        error = {
            "title": titles[status],
            "detail": titles[status],
            "type": "about:blank",
            "status": status,
        }
        if status == 403:
            error["detail"] = (
                "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
                "and tokens from a Twitter developer App that is attached to a Project."
            )
            error["reason"] = "client-not-enrolled"
        return status, headers, json.dumps(error)

    def _page(self, items: list[Any], params: dict[str, str]) -> tuple[list[Any], dict[str, Any]]:
        size = min(self.page_size, int(params.get("max_results", 100)))
        token = params.get("pagination_token", "")
        offset = int(token[6:], 16) if token.startswith("7140rr") else 0
        chunk = items[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(chunk)}
        if offset + size < len(items):
            meta["next_token"] = f"7140rr{offset + size:x}"
        return chunk, meta

    # --- endpoints ------------------------------------------------------------------------

    def _users(self, request: Any) -> tuple[int, dict[str, str], str]:
        n, params, fault = self._begin("users", request)
        by_name = {u["username"].lower(): u for u in self.community.users.values()}
        data, errors = [], []
        for name in params["usernames"].split(","):
            if name.lower() in by_name:
                data.append(by_name[name.lower()])
            else:
                errors.append(
                    {
                        "value": name,
                        "detail": f"Could not find user with usernames: [{name}].",
                        "title": "Not Found Error",
                        "resource_type": "user",
                        "parameter": "usernames",
                        "resource_id": name,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                )
        body: dict[str, Any] = {"data": data} if data else {}
        if errors:
            body["errors"] = errors
        return self._answer("users", n, body, fault)

    def _tweets(self, request: Any) -> tuple[int, dict[str, str], str]:
        n, params, fault = self._begin("tweets", request)
        user_id = urlsplit(request.url).path.split("/")[3]
        since = int(params.get("since_id", 0))
        until = int(params.get("until_id", 2**63))
        ids = sorted(
            (
                int(t["id"])
                for t in self.community.tweets.values()
                if t["author_id"] == user_id and since < int(t["id"]) < until
            ),
            reverse=True,
        )
        chunk, meta = self._page(ids, params)
        if not chunk:
            return self._answer("tweets", n, {"meta": meta}, fault)
        body = self.community.page([str(i) for i in chunk])
        for tweet in body["data"]:
            tweet["public_metrics"] = {"retweet_count": self._retweet_count(tweet["id"])}
        meta |= {"newest_id": str(chunk[0]), "oldest_id": str(chunk[-1])}
        body["meta"] = meta
        return self._answer("tweets", n, body, fault)

    def _retweeted_by(self, request: Any) -> tuple[int, dict[str, str], str]:
        n, params, fault = self._begin("retweeted_by", request)
        tweet_id = urlsplit(request.url).path.split("/")[3]
        users = [
            self._user(t["author_id"])
            for t in reversed(list(self.community.tweets.values()))
            if {"type": "retweeted", "id": tweet_id} in t.get("referenced_tweets", [])
        ]
        chunk, meta = self._page(users, params)
        body: dict[str, Any] = {"data": chunk, "meta": meta} if chunk else {"meta": meta}
        return self._answer("retweeted_by", n, body, fault)

    def _lookup(self, request: Any) -> tuple[int, dict[str, str], str]:
        n, params, fault = self._begin("lookup", request)
        data = []
        for tweet_id in params["ids"].split(","):
            tweet = self.community.tweets[tweet_id]
            data.append(
                {k: tweet[k] for k in ("id", "text", "author_id", "created_at")}
                | {"public_metrics": {"retweet_count": self._retweet_count(tweet_id)}}
            )
        return self._answer("lookup", n, {"data": data}, fault)

    def _retweet_count(self, tweet_id: str) -> int:
        return sum(
            1
            for t in self.community.tweets.values()
            if {"type": "retweeted", "id": tweet_id} in t.get("referenced_tweets", [])
        )

    def _user(self, user_id: str) -> dict[str, str]:
        return next(u for u in self.community.users.values() if u["id"] == user_id)


class FakeClock:
    """``time.time`` and ``time.sleep`` without waiting: sleeping moves the clock on."""

    def __init__(self, now: float = CLOCK_START) -> None:
        self.now = now
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
