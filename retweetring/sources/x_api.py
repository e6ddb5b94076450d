"""Reading the X API v2 with tweepy: rate limits, retries, the read budget and the ledger.

:class:`XApi` wraps ``tweepy.Client`` (returning raw ``requests`` responses, so that the
rate-limit headers and the exact body are at hand) and ``tweepy.Paginator``. Every request goes
through one guard that

- waits for the rate-limit window to reset when ``x-rate-limit-remaining`` reached 0 or the API
  answered 429, calling ``on_wait`` every second so that a countdown can be shown, or raises
  :class:`RateLimited` at once when waiting is not allowed;
- stops at the daily app limit (``x-app-limit-24hour-remaining`` reached 0) with
  :class:`DailyLimited`, without waiting: it resets up to a day later;
- stops the run at the first sign that the account cannot pay for reads: :class:`OutOfCredits`
  (HTTP 402) and :class:`UsageCapped` (the monthly cap or the spending limit, which X answers
  with 429 ``UsageCapExceeded`` while the rate limit itself is far from used up);
- retries 5xx answers, connection errors and truncated bodies with capped exponential backoff;
- refuses a request that could take the reads past the budget (:class:`BudgetReached`);
- reports every request, failed or not, to ``on_request`` for the ledger.

tweepy's own ``wait_on_rate_limit`` is not used: it sleeps silently, cannot stop and resume
later, and does not count requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import orjson
import requests
import tweepy

from retweetring.config import Secret
from retweetring.errors import RetweetringError

__all__ = [
    "ApiCall",
    "ApiError",
    "ApiPage",
    "AuthError",
    "BudgetReached",
    "DailyLimited",
    "OutOfCredits",
    "RateLimited",
    "RequestRejected",
    "UsageCapped",
    "XApi",
    "TIMELINE_FIELDS",
    "USER_FIELDS",
]

USER_TWEETS = "GET /2/users/:id/tweets"
RETWEETED_BY = "GET /2/tweets/:id/retweeted_by"
USERS_BY = "GET /2/users/by"
TWEETS = "GET /2/tweets"

USER_FIELDS = ["username", "name", "url", "entities", "description"]
"""What every request asks about users; ``url`` and ``entities`` give the profile website
(expanded in ``entities.url``), ``description`` the profile's bio."""

TIMELINE_FIELDS: dict[str, Any] = {
    "max_results": 100,
    "tweet_fields": [
        "created_at",
        "author_id",
        "referenced_tweets",
        "entities",
        "public_metrics",
        "conversation_id",
        "note_tweet",
    ],
    "expansions": ["referenced_tweets.id", "referenced_tweets.id.author_id"],
    "user_fields": USER_FIELDS,
}
"""What ``GET /2/users/:id/tweets`` is asked for: the member's tweets and retweets, with the
retweeted originals and their authors in ``includes``."""

TIMEOUT = (10.0, 60.0)
"""Seconds to connect, and to wait for the next bytes of an answer."""
MAX_RETRIES = 6
"""Retries of a request after 5xx answers, connection errors or truncated bodies."""
BACKOFF_CAP = 60.0
"""The longest pause between two retries, in seconds (1, 2, 4, ... 60)."""
MAX_RATE_LIMIT_WAITS = 5
"""429 answers to the same request before giving up."""
NO_RESET_WAIT = 60.0
"""Seconds to wait after a 429 that says nothing about when the window resets."""
TOP_UP = "https://console.x.com"
"""Where an X developer account buys credits and sets its spending limit."""
_CAP_MARKERS = ("usagecapexceeded", "usage-capped", "usage cap", "spending limit")
"""Words of an error body that mean the usage cap or the spending limit, not the rate limit."""


class RateLimited(RetweetringError):
    """The rate limit was reached and waiting was not allowed; ``resume_at`` says when to retry."""

    def __init__(self, resume_at: datetime) -> None:
        self.resume_at = resume_at
        super().__init__(
            f"X API rate limit reached; everything fetched so far is saved. Run again after "
            f"{resume_at:%Y-%m-%d %H:%M:%S} UTC to continue"
        )


class DailyLimited(RateLimited):
    """The app's 24-hour request limit for an endpoint is used up; ``resume_at`` is its reset."""

    def __init__(self, endpoint: str, resume_at: datetime) -> None:
        self.resume_at = resume_at
        RetweetringError.__init__(
            self,
            f"{endpoint}: the X API daily app limit is reached (x-app-limit-24hour-remaining 0); "
            f"everything fetched so far is saved. Run again after {resume_at:%Y-%m-%d %H:%M:%S} "
            "UTC to continue",
        )


class OutOfCredits(RetweetringError):
    """X answered 402: the developer account has no credits left to pay for reads."""

    def __init__(self, said: str) -> None:
        super().__init__(
            f"the X API account is out of credits (402 Payment Required{said}); everything "
            f"fetched so far is saved. Buy credits at {TOP_UP} (Billing), then run again to "
            "continue"
        )


class UsageCapped(RetweetringError):
    """X refuses reads because a usage cap or the account's spending limit is reached.

    ``period`` is the cap's period as X names it (``Monthly``), or None when X does not say.
    """

    def __init__(self, status: int, said: str, period: str | None) -> None:
        self.period = period
        resets = (
            f"X says it is the {period.lower()} cap, so it resets with the next "
            f"{period.lower()} billing cycle"
            if period
            else "it resets with the next billing cycle"
        )
        super().__init__(
            f"the X API usage cap or spending limit is reached ({status}{said}); this is not "
            f"the rate limit, waiting will not help: {resets}, or raise the spending limit at "
            f"{TOP_UP}. Everything fetched so far is saved; run again then to continue"
        )


class BudgetReached(RetweetringError):
    """The next request could take the reads past the ``--max-reads`` budget."""


class ApiError(RetweetringError):
    """The X API refused a request, or kept failing after every retry."""


class AuthError(ApiError):
    """The X API answered 401 or 403."""


class RequestRejected(ApiError):
    """The X API refused this one request (400, 404, ...) or sent a page that cannot be read:
    asking again will not help, but other requests may still work."""


class ApiCall(NamedTuple):
    """One request made to the X API, as the ledger records it."""

    at: datetime
    endpoint: str
    status: int
    tweets: int
    users: int


class ApiPage(NamedTuple):
    """One page of an answer: the decoded body and when the server produced it (naive UTC)."""

    body: dict[str, Any]
    served_at: datetime


@dataclass
class _Limit:
    remaining: int | None = None
    reset: float | None = None


def _header_limit(response: requests.Response, prefix: str) -> _Limit | None:
    """The ``PREFIX-remaining`` and ``PREFIX-reset`` headers of an answer, when both are there."""
    remaining = response.headers.get(f"{prefix}-remaining")
    reset = response.headers.get(f"{prefix}-reset")
    if remaining and remaining.isdigit() and reset and reset.isdigit():
        return _Limit(int(remaining), float(reset))
    return None


def _error_body(response: requests.Response) -> dict[str, Any]:
    """The JSON object of an error answer, or an empty dict."""
    try:
        body = orjson.loads(response.content)
    except (orjson.JSONDecodeError, TypeError):
        return {}
    return body if type(body) is dict else {}


def _said(body: dict[str, Any]) -> str:
    """What an error body says, as ``: title: detail`` (short), or an empty string."""
    parts = [body.get(k) for k in ("title", "detail")]
    text = ": ".join(str(p)[:200] for p in parts if isinstance(p, str) and p)
    return f": {text}" if text else ""


def _is_usage_cap(body: dict[str, Any]) -> bool:
    """Whether an error body names the usage cap or the spending limit."""
    text = " ".join(str(body.get(k, "")) for k in ("title", "type", "detail")).lower()
    return any(marker in text for marker in _CAP_MARKERS)


class _TimeoutSession(requests.Session):
    """A session whose requests time out instead of hanging forever (tweepy sets none)."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


class _RedactToken(logging.Filter):
    """Replaces the token in tweepy's debug log lines (they include the request headers)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "***")
            record.args = None
        return True


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)


class XApi:
    """The X API v2 endpoints retweetring reads, behind one guard for limits and failures.

    Parameters
    ----------
    token : Secret
        The bearer token.
    wait : bool
        Wait for rate-limit windows to reset (True) or raise :class:`RateLimited` (False).
    max_reads : int or None
        Objects (tweets or users in ``data``) this client may read in all; None for no limit.
    on_request : callable
        Called with an :class:`ApiCall` after every request.
    on_wait : callable
        Called with (seconds left, resume time) about once a second while waiting.
    on_retry : callable
        Called with (what failed, attempt number, seconds until the retry) before each retry.
    sleep, clock : callable
        ``time.sleep`` and ``time.time`` unless given (tests pass fakes).
    """

    def __init__(
        self,
        token: Secret,
        *,
        wait: bool = True,
        max_reads: int | None = None,
        on_request: Callable[[ApiCall], None] = lambda call: None,
        on_wait: Callable[[int, datetime], None] = lambda left, resume: None,
        on_retry: Callable[[str, int, float], None] = lambda problem, attempt, delay: None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = tweepy.Client(
            bearer_token=token.reveal(), return_type=requests.Response, wait_on_rate_limit=False
        )
        self.client.session = _TimeoutSession()
        self._redact = _RedactToken(token.reveal())
        logging.getLogger("tweepy.client").addFilter(self._redact)
        self.wait = wait
        self.max_reads = max_reads
        self.reads = 0
        self.requests = 0
        self.tweets_read = 0
        self._on_request = on_request
        self._on_wait = on_wait
        self._on_retry = on_retry
        self._sleep = sleep
        self._clock = clock
        self._limits: dict[str, _Limit] = {}
        self._daily: dict[str, _Limit] = {}

    def close(self) -> None:
        """Release the HTTP session and the log filter."""
        logging.getLogger("tweepy.client").removeFilter(self._redact)
        self.client.session.close()

    # --- endpoints ----------------------------------------------------------------------------

    def user_tweets(
        self,
        user_id: int,
        *,
        since_id: int | None = None,
        until_id: int | None = None,
        start_time: datetime | None = None,
    ) -> Iterator[ApiPage]:
        """Yield the pages of ``GET /2/users/:id/tweets``, newest tweets first."""
        kwargs: dict[str, Any] = dict(TIMELINE_FIELDS)
        if since_id is not None:
            kwargs["since_id"] = since_id
        if until_id is not None:
            kwargs["until_id"] = until_id
        if start_time is not None:
            kwargs["start_time"] = start_time.replace(tzinfo=timezone.utc)
        yield from self._paginate(USER_TWEETS, self.client.get_users_tweets, 5, user_id, **kwargs)

    def retweeted_by(self, tweet_id: int) -> Iterator[ApiPage]:
        """Yield the pages of ``GET /2/tweets/:id/retweeted_by`` (users, no retweet times)."""
        yield from self._paginate(
            RETWEETED_BY,
            self.client.get_retweeters,
            1,
            tweet_id,
            max_results=100,
            user_fields=USER_FIELDS,
        )

    def tweets_by_id(self, ids: list[int]) -> ApiPage:
        """Return the page of ``GET /2/tweets`` for up to 100 ids, with their retweet counts."""
        if self.max_reads is not None and self.reads + len(ids) > self.max_reads:
            raise BudgetReached(
                f"read budget of {self.max_reads:,} reached; everything fetched is saved "
                "and the next run continues from there"
            )
        response = self._guarded(
            TWEETS,
            self.client.get_tweets,
            0,
            ids=ids,
            tweet_fields=["created_at", "author_id", "public_metrics"],
        )
        return self._page(response)

    def users_by_username(self, usernames: list[str]) -> ApiPage:
        """Return the page of ``GET /2/users/by`` for up to 100 usernames."""
        response = self._guarded(
            USERS_BY,
            self.client.get_users,
            0,
            usernames=usernames,
            user_fields=USER_FIELDS,
        )
        return self._page(response)

    # --- the guard ----------------------------------------------------------------------------

    def _paginate(
        self, endpoint: str, method: Callable[..., Any], min_results: int, *args: Any, **kwargs: Any
    ) -> Iterator[ApiPage]:
        def call(*a: Any, **kw: Any) -> requests.Response:
            return self._guarded(endpoint, method, min_results, *a, **kw)

        call.__name__ = method.__name__  # Paginator picks the token parameter by method name
        for response in tweepy.Paginator(call, *args, **kwargs):
            yield self._page(response)

    def _page(self, response: requests.Response) -> ApiPage:
        return ApiPage(response.parsed_body, self._served_at(response))  # type: ignore[attr-defined]

    def _served_at(self, response: requests.Response) -> datetime:
        """The server's ``Date``, so that replaying the same answers gives the same rows."""
        value = response.headers.get("date")
        if value:
            try:
                served = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                served = None
            if served is not None:
                if served.tzinfo is not None:
                    served = served.astimezone(timezone.utc).replace(tzinfo=None)
                return served
        return _utc(self._clock()).replace(microsecond=0)

    def _guarded(
        self, endpoint: str, method: Callable[..., Any], min_results: int, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Make one request, waiting, retrying and budgeting as the class describes."""
        if min_results and self.max_reads is not None:
            left = self.max_reads - self.reads
            if left < min_results:
                raise BudgetReached(
                    f"read budget of {self.max_reads:,} reached; everything fetched is saved "
                    "and the next run continues from there"
                )
            kwargs["max_results"] = min(kwargs.get("max_results", 100), left)
        failures = 0
        rate_limited = 0
        last = ""
        while True:
            self._respect_window(endpoint)
            try:
                response = method(*args, **kwargs)
            except tweepy.TooManyRequests as exc:
                self._record(endpoint, 429)
                self._stop_if_not_the_window(endpoint, exc.response)
                rate_limited += 1
                if rate_limited > MAX_RATE_LIMIT_WAITS:
                    raise ApiError(
                        f"{endpoint}: still rate limited after {MAX_RATE_LIMIT_WAITS} waits; "
                        "everything fetched so far is saved, run again later"
                    ) from None
                reset = exc.response.headers.get("x-rate-limit-reset")
                until = float(reset) if reset and reset.isdigit() else self._clock() + NO_RESET_WAIT
                self._limits[endpoint] = _Limit(0, until)
                continue
            except (tweepy.Unauthorized, tweepy.Forbidden) as exc:
                status = exc.response.status_code
                self._record(endpoint, status)
                self._stop_if_not_the_window(endpoint, exc.response)
                raise AuthError(_auth_message(status, exc.api_messages)) from None
            except tweepy.TwitterServerError as exc:
                status = exc.response.status_code
                self._record(endpoint, status)
                last = f"{status} {exc.response.reason}"
            except tweepy.HTTPException as exc:
                status = exc.response.status_code
                self._record(endpoint, status)
                self._stop_if_not_the_window(endpoint, exc.response)
                detail = "; ".join(str(m) for m in exc.api_messages) or exc.response.reason
                raise RequestRejected(
                    f"{endpoint}: the X API answered {status}: {detail}"
                ) from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                self._record(endpoint, 0)
                last = f"connection failed ({type(exc).__name__})"
            else:
                try:
                    body = orjson.loads(response.content)
                except orjson.JSONDecodeError:
                    self._record(endpoint, response.status_code)
                    last = "the answer was cut short (not complete JSON)"
                else:
                    if type(body) is not dict:
                        self._record(endpoint, response.status_code)
                        raise ApiError(f"{endpoint}: the X API answered with a non-object body")
                    response.parsed_body = body  # type: ignore[attr-defined]
                    self._note_window(endpoint, response)
                    tweets, users = _count(endpoint, body)
                    self.reads += tweets + users
                    self.tweets_read += tweets
                    self._record(endpoint, response.status_code, tweets, users)
                    return response
            failures += 1
            if failures > MAX_RETRIES:
                raise ApiError(
                    f"{endpoint}: the X API failed {failures} times in a row (last: {last}); "
                    "everything fetched so far is saved, run again to continue"
                )
            delay = min(BACKOFF_CAP, 2.0 ** (failures - 1))
            self._on_retry(f"{endpoint}: {last}", failures, delay)
            self._sleep(delay)

    def _record(self, endpoint: str, status: int, tweets: int = 0, users: int = 0) -> None:
        self.requests += 1
        self._on_request(ApiCall(_utc(self._clock()), endpoint, status, tweets, users))

    def _note_window(self, endpoint: str, response: requests.Response) -> None:
        window = _header_limit(response, "x-rate-limit")
        if window is not None:
            self._limits[endpoint] = window
        daily = _header_limit(response, "x-app-limit-24hour")
        if daily is not None:
            self._daily[endpoint] = daily

    def _stop_if_not_the_window(self, endpoint: str, response: requests.Response) -> None:
        """Raise what an error answer means when it is about money or the day, not the window.

        The body tells a usage cap or spending limit (any status) and 402 tells missing
        credits; a 429 whose ``x-app-limit-24hour-remaining`` is 0 is the daily app limit.
        """
        body = _error_body(response)
        status = response.status_code
        if _is_usage_cap(body):
            period = body.get("period")
            raise UsageCapped(status, _said(body), period if isinstance(period, str) else None)
        if status == 402:
            raise OutOfCredits(_said(body))
        daily = _header_limit(response, "x-app-limit-24hour")
        if status == 429 and daily is not None and daily.remaining == 0 and daily.reset:
            raise DailyLimited(endpoint, _utc(daily.reset).replace(microsecond=0))

    def _respect_window(self, endpoint: str) -> None:
        """Wait (or raise :class:`RateLimited`) while the endpoint's window is used up; raise
        :class:`DailyLimited` while its daily app limit is."""
        daily = self._daily.get(endpoint)
        if daily is not None and daily.remaining == 0 and daily.reset is not None:
            if daily.reset > self._clock():
                raise DailyLimited(endpoint, _utc(daily.reset).replace(microsecond=0))
            del self._daily[endpoint]
        limit = self._limits.get(endpoint)
        if limit is None or limit.remaining != 0 or limit.reset is None:
            return
        resume = _utc(limit.reset)
        left = limit.reset - self._clock()
        if left > 0:
            if not self.wait:
                raise RateLimited(resume.replace(microsecond=0))
            while left > 0:
                self._on_wait(int(left + 0.999), resume)
                self._sleep(min(1.0, left))
                left = limit.reset - self._clock()
        self._limits.pop(endpoint, None)


def _count(endpoint: str, body: dict[str, Any]) -> tuple[int, int]:
    """Return (tweets, users) in a body's ``data``."""
    data = body.get("data")
    n = len(data) if isinstance(data, list) else (1 if isinstance(data, dict) else 0)
    return (n, 0) if endpoint in (USER_TWEETS, TWEETS) else (0, n)


def _auth_message(status: int, messages: list[str]) -> str:
    """One line explaining a 401 or 403 without repeating anything secret."""
    if status == 401:
        return (
            "the X API rejected the bearer token (401 Unauthorized): check X_BEARER_TOKEN or "
            "the config file, or regenerate the token in the X developer portal"
        )
    said = f" (the API said: {messages[0][:200]})" if messages else ""
    return (
        "the X API refused access (403 Forbidden): the token is valid but your plan or app "
        f"probably lacks access to this endpoint (check them in the X developer portal){said}"
    )
