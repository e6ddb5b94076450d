"""One normaliser for every X API v2 tweet page: twarc2 JSONL, saved responses, live collection.

A *page* is one decoded API v2 response body (``data``, ``includes``, ``meta``, ``errors``),
one streaming message (``data`` is a single tweet), or one line of twarc's flattened output
(a tweet with its ``author`` and referenced tweets inlined). :func:`normalise_page` turns a
page into the shared records of :mod:`retweetring.records`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from retweetring.errors import BadRecordError
from retweetring.records import PLATFORM_X, Account, PageRecords, Retweet, Tweet

__all__ = ["normalise_page", "parse_time"]

_MAX_ID = 2**63 - 1  # ids are stored in SQLite's signed 64-bit INTEGER
_UTC = timezone.utc


def normalise_page(page: object, seen_at: datetime | None = None) -> PageRecords:
    """Return the accounts, original tweets and retweets that one API v2 page contains.

    Every tweet object of the page (``data``, ``includes.tweets`` and, in twarc's flattened
    form, the inlined referenced tweets) is classified the same way: a tweet whose
    ``referenced_tweets`` has a ``retweeted`` entry is a retweet, anything else (including
    quotes and replies) is an original tweet. A retweet whose original is not among the
    page's original tweets cannot be attributed to an author: it is counted in
    ``unattributed`` and yields no record.
    Every user object yields an account, and every tweet author without a user object yields an
    id-only account (``username`` and ``name`` None). Records are de-duplicated by id within
    the page; the first occurrence wins (``data`` before ``includes``).

    Parameters
    ----------
    page : object
        A decoded JSON value: an API v2 response page, a streaming message, a twarc flattened
        tweet or user, a user lookup page (yields accounts only), an empty result page or an
        errors-only page (both yield nothing).
    seen_at : datetime or None
        When the accounts were seen, as naive UTC. When None, the page's twarc metadata
        ``__twarc.retrieved_at`` is used if present, else the accounts' ``seen_at`` is None.

    Returns
    -------
    PageRecords
        The page's accounts, original tweets, attributable retweets and the number of
        retweets whose original is missing from the page.

    Raises
    ------
    BadRecordError
        When the page is not a JSON object, is another kind of API page (tweet counts, lists,
        an API error response, ...), or a tweet or user lacks a valid numeric id, a tweet lacks
        a valid ``author_id`` or retweeted id, or a time cannot be parsed. The whole page is
        rejected.

    Examples
    --------
    >>> page = {
    ...     "data": [{"id": "2", "author_id": "20", "text": "RT @a: hi",
    ...               "referenced_tweets": [{"type": "retweeted", "id": "1"}]}],
    ...     "includes": {"tweets": [{"id": "1", "author_id": "10", "text": "hi"}],
    ...                  "users": [{"id": "10", "username": "a", "name": "A"}]},
    ... }
    >>> records = normalise_page(page)
    >>> records.retweets
    [Retweet(platform='x', id=2, retweeter_id=20, original_id=1, created_at=None)]
    >>> [(a.id, a.username) for a in records.accounts]
    [(10, 'a'), (20, None)]
    """
    if type(page) is not dict:
        raise BadRecordError("not a JSON object")
    data = page.get("data")
    includes = page.get("includes")
    if data is None:
        if "meta" in page or "errors" in page:
            return PageRecords([], [], [], 0)  # an empty result, or errors only
        items: list[Any] = [page]  # a twarc flattened tweet or user, one per line
        includes = None
    elif type(data) is list:
        if not data:
            return PageRecords([], [], [], 0)
        items = data
    elif type(data) is dict:
        items = [data]  # streaming output: one tweet per message
    else:
        raise BadRecordError("data is neither a list nor an object")

    if includes is None:
        inc_users: list[Any] = []
        inc_tweets: list[Any] = []
    elif type(includes) is dict:
        inc_users = _list_of(includes, "users")
        inc_tweets = _list_of(includes, "tweets")
    else:
        raise BadRecordError("includes is not an object")

    if seen_at is None:
        seen_at = _retrieved_at(page)

    kind = _kind(items[0])
    if kind == "tweet":
        return _tweet_page(items, inc_tweets, inc_users, seen_at)
    if kind == "user":
        return PageRecords(_accounts(items + inc_users, seen_at, set()), [], [], 0)
    raise BadRecordError(kind)


def parse_time(value: object) -> datetime | None:
    """Return an API time such as ``2021-06-26T19:56:26.000Z`` as a naive UTC datetime.

    Parameters
    ----------
    value : object
        An ISO 8601 string; a trailing ``Z`` or a UTC offset is honoured, a time without
        either is taken as UTC. None stands for a missing time.

    Returns
    -------
    datetime or None
        The time in UTC without ``tzinfo``, or None when ``value`` is None.

    Raises
    ------
    ValueError
        When ``value`` is neither None nor an ISO 8601 time string.

    Examples
    --------
    >>> parse_time("2021-06-26T19:56:26.000Z")
    datetime.datetime(2021, 6, 26, 19, 56, 26)
    >>> parse_time("2021-06-26T21:56:26+02:00")
    datetime.datetime(2021, 6, 26, 19, 56, 26)
    """
    if value is None:
        return None
    if type(value) is not str:
        raise ValueError(f"{short_repr(value)} is not a time string")
    # Python 3.10's fromisoformat does not accept the "Z" suffix the API uses.
    dt = datetime.fromisoformat(value[:-1] if value[-1:] == "Z" else value)
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(_UTC).replace(tzinfo=None)
        except OverflowError:
            raise ValueError(f"{value!r} is out of range") from None
    return dt


def _tweet_page(
    items: list[Any], inc_tweets: list[Any], inc_users: list[Any], seen_at: datetime | None
) -> PageRecords:
    """Return the records of a page whose ``items`` are tweets."""
    # Pass 1: every tweet object once, by id, so that retweets can find their originals.
    queue = items + inc_tweets if inc_tweets else items
    users = inc_users
    objects: list[tuple[int, dict[str, Any]]] = []
    ids: set[int] = set()
    i = 0
    while i < len(queue):
        obj = queue[i]
        i += 1
        if type(obj) is not dict:
            raise BadRecordError("a tweet is not a JSON object")
        raw = obj.get("id")
        tid = _id_fast(raw) if type(raw) is str else parse_id(raw)
        if tid is None:
            raise BadRecordError(_bad_id("tweet", obj))
        if tid in ids:
            continue
        ids.add(tid)
        objects.append((tid, obj))
        if "author" in obj:  # twarc's flattened form
            if queue is items:
                queue = list(items)
            if users is inc_users:
                users = list(inc_users)
            _inlined(obj, queue, users)

    # Pass 2: classify.
    tweets: list[Tweet] = []
    retweets: list[Retweet] = []
    retweet_ids: set[int] = set()
    authors: set[int] = set()
    unattributed = 0
    platform = PLATFORM_X
    to_time = parse_time
    for tid, obj in objects:
        raw = obj.get("author_id")
        author_id = _id_fast(raw) if type(raw) is str else parse_id(raw)
        if author_id is None:
            raise BadRecordError(_bad_field(f"tweet {tid}", obj, "author_id"))
        authors.add(author_id)
        created = obj.get("created_at")
        if created is not None:
            try:
                created = to_time(created)
            except ValueError:
                raise BadRecordError(
                    f"tweet {tid}: created_at {short_repr(created)} is not an ISO 8601 time"
                ) from None
        original_id = None
        refs = obj.get("referenced_tweets")
        if type(refs) is list:
            for ref in refs:
                if type(ref) is dict and ref.get("type") == "retweeted":
                    raw = ref.get("id")
                    original_id = _id_fast(raw) if type(raw) is str else parse_id(raw)
                    if original_id is None:
                        raise BadRecordError(_bad_field(f"tweet {tid}", ref, "id", "retweeted "))
                    break
        if original_id is None:
            # A long post's ``text`` is cut short; its whole text is in ``note_tweet``.
            note = obj.get("note_tweet")
            whole = note if type(note) is dict and type(note.get("text")) is str else obj
            text = whole.get("text")
            tweets.append(
                Tweet(
                    platform,
                    tid,
                    author_id,
                    created,
                    text if type(text) is str else "",
                    tuple(dict.fromkeys(tweet_urls(obj) + tweet_urls(note)))
                    if whole is note
                    else tweet_urls(obj),
                )
            )
        else:
            retweet_ids.add(tid)
            if original_id in ids:
                retweets.append(Retweet(platform, tid, author_id, original_id, created))
            else:
                unattributed += 1
    if retweets and not retweet_ids.isdisjoint(r.original_id for r in retweets):
        # a "retweet of a retweet" has no original tweet in the page (X never sends one)
        attributed = [r for r in retweets if r.original_id not in retweet_ids]
        unattributed += len(retweets) - len(attributed)
        retweets = attributed

    known: set[int] = set()
    accounts = _accounts(users, seen_at, known)
    for author_id in authors - known:
        accounts.append(Account(platform, author_id, None, None, seen_at))
    return PageRecords(accounts, tweets, retweets, unattributed)


def _inlined(obj: dict[str, Any], queue: list[Any], users: list[Any]) -> None:
    """Append the users and referenced tweets twarc inlined into a flattened tweet."""
    for key in ("author", "in_reply_to_user"):
        user = obj.get(key)
        if type(user) is dict and user:  # twarc inlines {} for a user missing from the page
            users.append(user)
    entities = obj.get("entities")
    mentions = entities.get("mentions") if type(entities) is dict else None
    if type(mentions) is list:
        for mention in mentions:
            # a mention merged with its user object; a bare mention entity has no name
            if type(mention) is dict and "name" in mention:
                users.append(mention)
    refs = obj.get("referenced_tweets")
    if type(refs) is list:
        for ref in refs:
            # twarc merges the referenced tweet into {type, id}, or nothing when it is missing
            if type(ref) is dict and ("text" in ref or "author_id" in ref):
                queue.append(ref)


def _accounts(users: list[Any], seen_at: datetime | None, known: set[int]) -> list[Account]:
    """Return one account per distinct user object, adding each id to ``known``."""
    accounts: list[Account] = []
    platform = PLATFORM_X
    for user in users:
        if type(user) is not dict:
            raise BadRecordError("a user is not a JSON object")
        raw = user.get("id")
        uid = _id_fast(raw) if type(raw) is str else parse_id(raw)
        if uid is None:
            raise BadRecordError(_bad_id("user", user))
        if uid in known:
            continue
        known.add(uid)
        username = user.get("username")
        name = user.get("name")
        accounts.append(
            Account(
                platform,
                uid,
                username if type(username) is str else None,
                name if type(name) is str else None,
                seen_at,
                _profile_site(user),
            )
        )
    return accounts


def _profile_site(user: dict[str, Any]) -> str | None:
    """Return a user's profile website, or None when the user object gives none.

    The expanded form in ``entities.url`` is preferred; the top-level ``url`` (a t.co link)
    is the last resort. Values that are not non-empty strings are ignored.

    Examples
    --------
    >>> _profile_site({"url": "https://t.co/x", "entities": {"url": {"urls": [
    ...     {"url": "https://t.co/x", "expanded_url": "https://bakery.example"}]}}})
    'https://bakery.example'
    >>> _profile_site({"url": ""}) is None
    True
    """
    entities = user.get("entities")
    if entities is not None:
        block = entities.get("url") if type(entities) is dict else None
        links = block.get("urls") if type(block) is dict else None
        if type(links) is list:
            for link in links:
                if type(link) is dict:
                    for value in (link.get("expanded_url"), link.get("unwound_url")):
                        if type(value) is str and (value := value.strip()):
                            return value
    return clean_text(user.get("url"))


def clean_text(value: object) -> str | None:
    """Return ``value`` stripped when it is a string with more than blanks, else None."""
    return value.strip() or None if type(value) is str else None


def tweet_urls(obj: dict[str, Any]) -> tuple[str, ...]:
    """Return the expanded URLs of a tweet's ``entities.urls``."""
    entities = obj.get("entities")
    if not entities or type(entities) is not dict:
        return ()
    urls = entities.get("urls")
    if not urls or type(urls) is not list:
        return ()
    out = []
    for u in urls:
        if type(u) is dict:
            url = u.get("expanded_url") or u.get("url")
            if type(url) is str:
                out.append(url)
    return tuple(out)


def parse_id(value: object) -> int | None:
    """Return an id given as a decimal string or an int, or None when it is not one."""
    if type(value) is str:
        if len(value) < 20 and value.isdigit() and value.isascii():
            n = int(value)
            if n <= _MAX_ID:
                return n
        return None
    if type(value) is int and 0 <= value <= _MAX_ID:
        return value
    return None


def _id_fast(value: str) -> int | None:
    """:func:`parse_id` for a string (the API's form), without its type dispatch.

    >>> _id_fast("1580000000000000000"), _id_fast("9223372036854775808"), _id_fast("+1")
    (1580000000000000000, None, None)
    """
    if len(value) < 20 and value.isdigit() and value.isascii():
        n = int(value)
        if n <= _MAX_ID:
            return n
    return None


def _list_of(includes: dict[str, Any], key: str) -> list[Any]:
    """Return ``includes[key]``, an empty list when absent."""
    value = includes.get(key)
    if value is None:
        return []
    if type(value) is not list:
        raise BadRecordError(f"includes.{key} is not a list")
    return value


def _retrieved_at(page: dict[str, Any]) -> datetime | None:
    """Return twarc's ``__twarc.retrieved_at`` of a page, or None."""
    meta = page.get("__twarc")
    if type(meta) is not dict:
        return None
    value = meta.get("retrieved_at")
    try:
        return parse_time(value)
    except ValueError:
        raise BadRecordError(
            f"__twarc.retrieved_at {short_repr(value)} is not an ISO 8601 time"
        ) from None


def _kind(item: object) -> str:
    """Return "tweet" or "user" for a page item, else a reason naming what it looks like."""
    if type(item) is not dict:
        return "data holds something that is not a JSON object"
    if "tweet_count" in item:
        return "looks like a tweet counts page, not tweets"
    if "id_str" in item:
        return "looks like an X API v1.1 object, not API v2"
    if "text" in item or "author_id" in item or "edit_history_tweet_ids" in item:
        return "tweet"
    if "username" in item:
        return "user"
    if "tweet" in item and type(item["tweet"]) is dict:
        return "looks like an X archive tweets.js entry, not an API page"
    if "title" in item and ("detail" in item or "status" in item or "type" in item):
        detail = item.get("detail") or item.get("title")
        return f"looks like an API error response: {short_repr(detail, 120)}"
    if "event_type" in item:
        return "looks like a direct messages page, not tweets"
    if "host_ids" in item or ("creator_id" in item and "state" in item):
        return "looks like a Spaces page, not tweets"
    if "action" in item and ("redacted_at" in item or "reason" in item):
        return "looks like compliance job output (ids to delete or redact), not tweets"
    if "upload_url" in item or "download_url" in item:
        return "looks like a compliance jobs page, not tweets"
    if "value" in item and "id" in item:
        return "looks like a stream rules page, not tweets"
    if "name" in item and "id" in item:
        return "looks like a lists page, not tweets"
    keys = ", ".join(sorted(str(k) for k in item)[:8])
    return f"not an X API v2 tweet or user page (keys: {keys or 'none'})"


def _bad_field(label: str, obj: dict[str, Any], field: str, what: str = "") -> str:
    """Return the one-line reason for a missing or non-numeric id field of ``obj``."""
    raw = obj.get(field)
    if raw is None:
        return f"{label}: missing {what}{field}"
    return f"{label}: {what}{field} {short_repr(raw)} is not a numeric id"


def _bad_id(label: str, obj: dict[str, Any]) -> str:
    """Return the one-line reason for a tweet or user whose own id is missing or invalid."""
    raw = obj.get("id")
    if raw is None:
        key = "username" if label == "user" else "text"
        hint = obj.get(key)
        return f"a {label} has no id" + (f" ({key} {short_repr(hint)})" if hint else "")
    return f"{label} id {short_repr(raw)} is not a numeric id"


def short_repr(value: object, limit: int = 40) -> str:
    """Return a short repr of ``value`` for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
