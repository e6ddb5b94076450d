"""Reading the X data export ("Download an archive of your data") into the shared records.

The export is a ``.zip`` whose ``data/tweets.js`` (``data/tweet.js`` in older exports, plus
``tweets-part1.js`` ... when it is large) holds the owner's tweets as a JavaScript assignment,
``window.YTD.tweets.part0 = [...]``, whose ``data/account.js`` names the owner and whose
``data/profile.js`` gives the owner's profile website (``profile.description.website``). Each
entry is a tweet object in the X API v1.1 style, at the top level in older exports and wrapped
as ``{"tweet": {...}}`` in newer ones.

In the archive a retweet is one of the owner's own tweets whose ``full_text`` starts with
``RT @user:``, with the original author in ``entities.user_mentions`` and no id of the original
tweet: the text after the prefix is all that is left of the original, truncated by X. Such a
retweet becomes a ``Retweet`` keyed by the owner's tweet id, of a *synthetic* original tweet
(see :func:`synthetic_tweet_id`) holding the truncated text; the classifier decides from that
text alone whether it was promotional.

Zip members are read in memory, never extracted; only the member names this module needs are
looked at, and a member larger than :data:`MAX_MEMBER_BYTES` is refused.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import orjson

from retweetring.errors import BadRecordError, InputFileError
from retweetring.records import PLATFORM_X, Account, PageRecords, Retweet, Tweet
from retweetring.sources.files import MAX_DOCUMENT_BYTES, sha256_file, short_reason
from retweetring.sources.v2 import clean_text, parse_id, parse_time, short_repr, tweet_urls

__all__ = [
    "MAX_MEMBER_BYTES",
    "ArchiveRecords",
    "ArchiveSource",
    "open_archive",
    "parse_archive_time",
    "synthetic_tweet_id",
]

MAX_MEMBER_BYTES = MAX_DOCUMENT_BYTES
"""Largest archive file (uncompressed) that is read; each is parsed in memory."""

_PROBE = 256
_UTF8_BOM = b"\xef\xbb\xbf"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_YTD_PREFIX = re.compile(rb"\A\s*window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*")
_TWEETS_FILE = re.compile(r"\Atweets?(?:-part\d+)?\.js\Z")
_ACCOUNT_FILE = "account.js"
_PROFILE_FILE = "profile.js"
_SIDE_FILES = (_ACCOUNT_FILE, _PROFILE_FILE)
"""The archive files read beside the tweets, when present."""
_RETWEET_PREFIX = re.compile(r"\ART @(\w{1,50}):\s?")
_ELLIPSIS = ("\u2026", "...")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


@dataclass
class ArchiveRecords:
    """Everything an archive contributes, one entry per tweet, read before anything is written."""

    owner: Account
    entries: list[tuple[str, PageRecords | BadRecordError]]
    """``(where, records)``: ``where`` is ``MEMBER:tweet N`` (N counts from 1 in that file),
    or ``tweet N`` for a bare tweets.js; a malformed tweet has a BadRecordError instead."""


class ArchiveSource:
    """An X archive given as a ``.zip``, its extracted folder, or a bare ``tweets.js``.

    Create it with :func:`open_archive`. Nothing is parsed until :meth:`read`.
    """

    def __init__(
        self,
        name: str,
        kind: str,
        tweet_members: list[str],
        account_member: str | None,
        size: int,
        max_member_bytes: int,
        profile_member: str | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        """One of ``zip``, ``folder`` or ``file`` (a bare tweets.js)."""
        self.tweet_members = tweet_members
        """The tweets files: member names of a zip, paths relative to a folder, or the file."""
        self.account_member = account_member
        """account.js as a member name or path (only its id, username and name are read)."""
        self.profile_member = profile_member
        """profile.js as a member name or path (only the website is read)."""
        self.size = size
        """Bytes of input as stored, for progress displays."""
        self._max = max_member_bytes

    def sha256(self) -> str:
        """Return a SHA-256 of the input: of the file as stored, or of a folder's files read."""
        if self.kind != "folder":
            return sha256_file(self.name)
        digest = hashlib.sha256()
        for member in sorted(self.members()):
            data = self._load(member)
            digest.update(f"{member}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()

    def members(self) -> list[str]:
        """Return every file this archive reads: the tweets files, account.js, profile.js."""
        return [*self.tweet_members, *filter(None, [self.account_member, self.profile_member])]

    def read(self, owner: str | None = None, owner_id: int | None = None) -> ArchiveRecords:
        """Parse every tweets file and return the records of each tweet.

        Parameters
        ----------
        owner : str, optional
            The owner's username (``--owner``). Required when the archive has no account.js;
            checked against it when it has one.
        owner_id : int, optional
            The owner's id when known from elsewhere (the database). Without account.js and
            without it, the id is taken from a mention of ``owner`` in the archive.

        Raises
        ------
        InputFileError
            A file is missing, too big, not ``window.YTD... = `` followed by a JSON array, or
            the owner is unknown. Nothing has been written.
        """
        website = self._website_from_profile_js()
        account = self._owner_from_account_js(website)
        wanted = None if owner is None else owner.strip().lstrip("@").strip()
        if account is not None and wanted and wanted.lower() != (account.username or "").lower():
            raise InputFileError(
                f"{self.name}: --owner @{wanted}, but the archive belongs to @{account.username}"
            )
        if account is None and not wanted:
            raise InputFileError(
                f"{self.name}: whose tweets are these? There is no data/account.js beside them; "
                "pass --owner USERNAME"
            )
        if account is None and wanted and owner_id is not None:
            account = Account(PLATFORM_X, owner_id, wanted, None, None, website)
        result = _Converter()
        waiting: list[tuple[str, list[Any]]] = []  # parsed before the owner's id is known
        for member in self.tweet_members:
            items = self._tweets_of(member)
            label = f"{member}:" if self.kind != "file" else ""
            if account is None:
                found = _mentioned_id(str(wanted), items)
                if found is None:
                    waiting.append((label, items))
                    continue
                account = Account(PLATFORM_X, found, wanted, None, None, website)
                for waiting_label, waiting_items in waiting:
                    result.add(waiting_label, waiting_items, account)
                waiting = []
            result.add(label, items, account)
        if account is None:
            raise InputFileError(
                f"{self.name}: the id of @{wanted} is unknown (no data/account.js here, @{wanted} "
                "is not in the database and never mentioned); import the whole archive instead"
            )
        return ArchiveRecords(account, result.finish(account))

    # --- reading files ------------------------------------------------------------------

    def _load(self, member: str) -> bytes:
        """Return the bytes of one member, refusing it when it is larger than the limit."""
        label = self._label(member)
        limit = self._max
        too_big = (
            f"{label}: larger than {_size(limit)}, the most retweetring reads of one archive file"
        )
        if self.kind == "zip":
            try:
                with zipfile.ZipFile(self.name) as zf:
                    info = zf.getinfo(member)
                    if info.file_size > limit:
                        raise InputFileError(too_big)
                    with zf.open(info) as f:
                        data = f.read(limit + 1)
            except KeyError:
                raise InputFileError(f"{label}: no such member") from None
            except _ZIP_ERRORS as exc:
                raise InputFileError(f"{label}: cannot read: {short_reason(exc)}") from None
            except OSError as exc:
                raise InputFileError(f"{label}: cannot read: {exc.strerror or exc}") from None
        else:
            path = self._path(member)
            try:
                with open(path, "rb") as f:
                    if os.fstat(f.fileno()).st_size > limit:
                        raise InputFileError(too_big)
                    data = f.read(limit + 1)
            except OSError as exc:
                raise InputFileError(f"{label}: cannot read: {exc.strerror or exc}") from None
        if len(data) > limit:
            raise InputFileError(too_big)
        return data

    def _parse(self, member: str, expected: tuple[str, ...]) -> list[Any]:
        """Return the JSON array assigned in one ``window.YTD.<kind>.partN = [...]`` file."""
        label = self._label(member)
        data = self._load(member)
        start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
        match = _YTD_PREFIX.match(data, start)
        if match is None:
            raise InputFileError(
                f"{label}: does not start with window.YTD.{expected[0]}.part0 = ; "
                "is it a file of the X archive?"
            )
        kind = match.group(1).decode()
        if kind not in expected:
            raise InputFileError(f"{label}: holds the archive's {kind!r} data, not {expected[0]}")
        end = len(data.rstrip())
        if data[end - 1 : end] == b";":
            end -= 1
        try:
            value = orjson.loads(memoryview(data)[match.end() : end])
        except orjson.JSONDecodeError as exc:
            raise InputFileError(
                f"{label}: not valid JSON after the window.YTD prefix: {short_reason(exc)}"
            ) from None
        if type(value) is not list:
            raise InputFileError(f"{label}: not a JSON array after the window.YTD prefix")
        return value

    def _tweets_of(self, member: str) -> list[Any]:
        return self._parse(member, ("tweets", "tweet"))

    def _owner_from_account_js(self, website: str | None) -> Account | None:
        """Return the owner named by account.js, with ``website``; None without account.js."""
        if self.account_member is None:
            return None
        label = self._label(self.account_member)
        items = self._parse(self.account_member, ("account",))
        entry = items[0] if items and type(items[0]) is dict else None
        account = entry.get("account", entry) if entry is not None else None
        if type(account) is not dict:
            raise InputFileError(f"{label}: no account object")
        owner_id = parse_id(account.get("accountId"))
        if owner_id is None:
            raise InputFileError(
                f"{label}: accountId {short_repr(account.get('accountId'))} is not a numeric id"
            )
        username = account.get("username")
        name = account.get("accountDisplayName")
        return Account(
            PLATFORM_X,
            owner_id,
            username if type(username) is str else None,
            name if type(name) is str else None,
            None,
            website,
        )

    def _website_from_profile_js(self) -> str | None:
        """Return the owner's website from profile.js; None without one, or when it is blank."""
        if self.profile_member is None:
            return None
        items = self._parse(self.profile_member, ("profile",))
        entry = items[0] if items and type(items[0]) is dict else None
        profile = entry.get("profile", entry) if entry is not None else None
        description = profile.get("description") if type(profile) is dict else None
        return clean_text(description.get("website")) if type(description) is dict else None

    def _label(self, member: str) -> str:
        if self.kind == "zip":
            return f"{self.name}: {member}"
        return self._path(member)

    def _path(self, member: str) -> str:
        return member if self.kind == "file" else os.path.join(self.name, member)


class _Converter:
    """Turns parsed archive entries into records, resolving self-retweets at the end."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, PageRecords | BadRecordError]] = []
        self.owner_tweets: list[Tweet] = []
        self.self_retweets: list[tuple[str, _SelfRetweet]] = []

    def add(self, label: str, items: list[Any], owner: Account) -> None:
        """Convert the entries of one tweets file; ``label`` prefixes their locations."""
        for index, item in enumerate(items, start=1):
            where = f"{label}tweet {index}"
            try:
                entry = _entry(item, owner)
            except BadRecordError as exc:
                self.entries.append((where, exc))
                continue
            if isinstance(entry, _SelfRetweet):
                self.self_retweets.append((where, entry))
                continue
            if not entry.retweets:
                self.owner_tweets.extend(entry.tweets)
            self.entries.append((where, entry))

    def finish(self, owner: Account) -> list[tuple[str, PageRecords | BadRecordError]]:
        """Return every entry, the self-retweets last, now that all the owner's tweets are known."""
        if self.self_retweets:
            find = _own_tweet_finder(self.owner_tweets)
            for where, pending in self.self_retweets:
                self.entries.append((where, _self_retweet(owner, pending, find)))
        return self.entries


def open_archive(
    path: str | os.PathLike[str], max_member_bytes: int | None = None
) -> ArchiveSource | None:
    """Return the X archive at ``path``, or None when ``path`` is not one.

    An archive is a zip file, a folder (the extracted export, or its ``data`` folder), or a
    file that starts with ``window.YTD.``. Only the names of the tweets files, account.js and
    profile.js are looked for; every other member, including any whose name leads outside the
    archive (``../evil``, ``/etc/passwd``), is ignored. ``max_member_bytes`` defaults to
    :data:`MAX_MEMBER_BYTES`.

    Raises
    ------
    InputFileError
        A zip or folder without tweets files, a broken zip, or a ``window.YTD`` file that is
        not the tweets file (account.js, like.js ...).
    """
    name = os.fspath(path)
    if max_member_bytes is None:
        max_member_bytes = MAX_MEMBER_BYTES
    if os.path.isdir(name):
        return _open_folder(name, max_member_bytes)
    try:
        with open(name, "rb") as f:
            head = f.read(_PROBE)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return None  # read_pages reports missing and unreadable files
    if head.startswith(_ZIP_MAGICS):
        return _open_zip(name, size, max_member_bytes)
    body = head[len(_UTF8_BOM) :] if head.startswith(_UTF8_BOM) else head
    if not body.lstrip().startswith(b"window.YTD."):
        return None
    match = _YTD_PREFIX.match(body)
    if match is None:
        raise InputFileError(f"{name}: starts with window.YTD. but not window.YTD.NAME.partN = ")
    kind = match.group(1).decode()
    if kind not in ("tweets", "tweet"):
        raise InputFileError(
            f"{name}: the X archive's {kind!r} file, not its tweets; import the archive "
            "(the .zip or its folder) or data/tweets.js"
        )
    # a bare tweets.js is the only tweets file read; account.js beside it names the owner
    found: dict[str, str] = {}
    for base in _SIDE_FILES:
        sibling = os.path.join(os.path.dirname(name), base)
        if os.path.isfile(sibling):
            found[base] = sibling
    return _source(name, "file", [name], found, size, max_member_bytes)


def _open_zip(name: str, size: int, max_member_bytes: int) -> ArchiveSource:
    try:
        with zipfile.ZipFile(name) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir()]
    except (*_ZIP_ERRORS, OSError) as exc:
        raise InputFileError(
            f"{name}: looks like a ZIP archive, but not a readable one ({short_reason(exc)})"
        ) from None
    tweets, found = _select(name, names)
    return _source(name, "zip", tweets, found, size, max_member_bytes)


def _open_folder(name: str, max_member_bytes: int) -> ArchiveSource:
    data = os.path.join(name, "data")
    prefix = "data/" if os.path.isdir(data) else ""
    folder = data if prefix else name
    try:
        with os.scandir(folder) as entries:
            names = [prefix + e.name for e in entries if e.is_file()]
    except OSError as exc:
        raise InputFileError(f"{name}: cannot list: {exc.strerror or exc}") from None
    tweets, found = _select(name, names)
    source = _source(name, "folder", tweets, found, 0, max_member_bytes)
    source.size = sum(os.path.getsize(os.path.join(name, member)) for member in source.members())
    return source


def _source(
    name: str, kind: str, tweets: list[str], found: dict[str, str], size: int, max_bytes: int
) -> ArchiveSource:
    """Return the archive of these tweets files and the account.js and profile.js ``found``."""
    return ArchiveSource(
        name, kind, tweets, found.get(_ACCOUNT_FILE), size, max_bytes, found.get(_PROFILE_FILE)
    )


def _select(name: str, names: list[str]) -> tuple[list[str], dict[str, str]]:
    """Pick the tweets files, account.js and profile.js among member names; ignore the rest."""
    tweets: dict[str, str] = {}
    sides: dict[str, list[str]] = {base: [] for base in _SIDE_FILES}
    for member in names:
        parts = member.replace("\\", "/").split("/")
        if member.startswith(("/", "\\")) or ".." in parts or len(parts) > 3:
            continue
        if len(parts) > 1 and parts[-2] != "data":
            continue
        base = parts[-1]
        if _TWEETS_FILE.match(base):
            if base in tweets:
                raise InputFileError(f"{name}: holds {base} twice ({tweets[base]}, {member})")
            tweets[base] = member
        elif base in sides:
            sides[base].append(member)
    if not tweets:
        raise InputFileError(
            f"{name}: no data/tweets.js inside; is this the X archive (Settings > Your account "
            "> Download an archive of your data)?"
        )
    for base, found in sides.items():
        if len(found) > 1:
            raise InputFileError(f"{name}: holds {base} twice ({', '.join(found)})")
    ordered = sorted(tweets.values(), key=lambda m: _part_number(m.rsplit("/", 1)[-1]))
    return ordered, {base: found[0] for base, found in sides.items() if found}


def _size(n: int) -> str:
    """Return a byte count in words: ``256 MiB``, ``1 KiB``."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):g} MiB"
    return f"{n / (1 << 10):g} KiB" if n >= 1 << 10 else f"{n} bytes"


def _part_number(base: str) -> int:
    match = re.search(r"-part(\d+)\.js\Z", base)
    return int(match.group(1)) if match else 0


# --- one tweet ----------------------------------------------------------------------------


def parse_archive_time(value: object) -> datetime | None:
    """Return an archive time such as ``Wed Oct 10 20:19:24 +0000 2018`` as naive UTC.

    ISO 8601 times are accepted too. The English day and month names are read without the
    locale, so the result does not depend on the machine's language.

    Raises
    ------
    ValueError
        When ``value`` is neither None nor such a time.

    Examples
    --------
    >>> parse_archive_time("Wed Oct 10 20:19:24 +0000 2018")
    datetime.datetime(2018, 10, 10, 20, 19, 24)
    >>> parse_archive_time("Thu Nov 26 01:30:00 +0200 2026")
    datetime.datetime(2026, 11, 25, 23, 30)
    """
    if value is None:
        return None
    if type(value) is not str:
        raise ValueError(f"{short_repr(value)} is not a time string")
    parts = value.split()
    if len(parts) != 6 or parts[1] not in _MONTHS:
        return parse_time(value)
    _, month, day, clock, offset, year = parts
    hh, mm, ss = (int(p) for p in clock.split(":"))
    naive = datetime(int(year), _MONTHS[month], int(day), hh, mm, ss)
    if offset == "+0000":  # what every archive writes
        return naive
    if len(offset) != 5 or offset[0] not in "+-" or not offset[1:].isdigit():
        raise ValueError(f"{value!r} has no +HHMM offset")
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    return naive - delta if offset[0] == "+" else naive + delta


def synthetic_tweet_id(author_id: int, text: str) -> int:
    """Return the id that stands for an original tweet the archive knows only by its text.

    The id is derived from the author's id and the truncated text (HTML entities decoded,
    NFC, whitespace collapsed, a trailing ellipsis dropped), so importing the same retweet
    again, or another owner's archive with a retweet of the same tweet, gives the same id.
    It is *negative*, in ``[-2**63, -1]``: real X ids are positive, so the two never collide.

    Examples
    --------
    >>> synthetic_tweet_id(42, "20% off today…") == synthetic_tweet_id(42, "20%  off today")
    True
    >>> synthetic_tweet_id(42, "20% off today") < 0
    True
    """
    key = f"{author_id}\n{_normalise(text)}".encode()
    value = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")
    return -(value >> 1) - 1


def _normalise(text: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", html.unescape(text)).split())
    for ellipsis in _ELLIPSIS:
        if text.endswith(ellipsis):
            return text[: -len(ellipsis)].rstrip()
    return text


class _SelfRetweet(NamedTuple):
    """The owner retweeting their own tweet, resolved once all their tweets are known."""

    retweet: Retweet
    text: str


def _entry(item: object, owner: Account) -> PageRecords | _SelfRetweet:
    """Return the records of one archive entry (a self-retweet is returned unresolved)."""
    if type(item) is dict and type(item.get("tweet")) is dict:
        item = item["tweet"]
    if type(item) is not dict:
        raise BadRecordError("not a tweet object")
    raw_id = item.get("id_str", item.get("id"))
    tweet_id = parse_id(raw_id)
    if tweet_id is None:
        raise BadRecordError(
            "no id_str" if raw_id is None else f"id_str {short_repr(raw_id)} is not a numeric id"
        )
    text = item.get("full_text", item.get("text"))
    if type(text) is not str:
        raise BadRecordError(f"tweet {tweet_id}: no full_text")
    try:
        created = parse_archive_time(item.get("created_at"))
    except (ValueError, OverflowError):
        raise BadRecordError(
            f"tweet {tweet_id}: created_at {short_repr(item.get('created_at'))} is not a time"
        ) from None
    urls = tweet_urls(item)
    match = _RETWEET_PREFIX.match(text)
    if match is None:
        tweet = Tweet(PLATFORM_X, tweet_id, owner.id, created, text, urls)
        return PageRecords([owner], [tweet], [], 0)
    author = _retweeted_author(item, match.group(1), tweet_id, created)
    if author is None:
        return PageRecords([owner], [], [], 1)
    original = text[match.end() :]
    retweet = Retweet(PLATFORM_X, tweet_id, owner.id, 0, created)
    if author.id == owner.id:
        return _SelfRetweet(retweet, original)
    synthetic = synthetic_tweet_id(author.id, original)
    tweet = Tweet(PLATFORM_X, synthetic, author.id, None, original, urls)
    return PageRecords([owner, author], [tweet], [retweet._replace(original_id=synthetic)], 0)


def _retweeted_author(
    item: dict[str, Any], handle: str, tweet_id: int, created: datetime | None
) -> Account | None:
    """Return the account ``RT @handle:`` names, from ``entities.user_mentions``, or None."""
    entities = item.get("entities")
    mentions = entities.get("user_mentions") if type(entities) is dict else None
    if type(mentions) is not list:
        return None
    wanted = handle.lower()
    for mention in mentions:
        if type(mention) is not dict:
            continue
        screen_name = mention.get("screen_name")
        if type(screen_name) is not str or screen_name.lower() != wanted:
            continue
        author_id = parse_id(mention.get("id_str", mention.get("id")))
        if author_id is None:
            raw = mention.get("id_str", mention.get("id"))
            raise BadRecordError(
                f"tweet {tweet_id}: the id_str {short_repr(raw)} of @{screen_name} "
                "is not a numeric id"
            )
        name = mention.get("name")
        return Account(
            PLATFORM_X, author_id, screen_name, name if type(name) is str else None, created
        )
    return None


def _mentioned_id(username: str, items: list[Any]) -> int | None:
    """Return the id of ``username`` from any user mention in parsed archive entries, or None."""
    wanted = username.lower()
    for item in items:
        tweet = item.get("tweet", item) if type(item) is dict else None
        entities = tweet.get("entities") if type(tweet) is dict else None
        mentions = entities.get("user_mentions") if type(entities) is dict else None
        for mention in mentions if type(mentions) is list else ():
            if type(mention) is dict and str(mention.get("screen_name")).lower() == wanted:
                found = parse_id(mention.get("id_str", mention.get("id")))
                if found is not None:
                    return found
    return None


def _own_tweet_finder(tweets: list[Tweet]) -> Callable[[str], int | None]:
    """Return a function finding the one tweet among ``tweets`` that a truncated text starts."""
    by_start: dict[str, list[tuple[str, int]]] = {}
    for tweet in tweets:
        text = _normalise(tweet.text)
        by_start.setdefault(text[:24], []).append((text, tweet.id))

    def find(truncated: str) -> int | None:
        wanted = _normalise(truncated)
        if len(wanted) < 24:
            candidates = [tid for text, tid in by_start.get(wanted, ()) if text == wanted]
        else:
            candidates = [t for text, t in by_start.get(wanted[:24], ()) if text.startswith(wanted)]
        return candidates[0] if len(candidates) == 1 else None

    return find


def _self_retweet(
    owner: Account, pending: _SelfRetweet, find: Callable[[str], int | None]
) -> PageRecords:
    """Return a self-retweet, of the owner's tweet it starts when the archive holds just one."""
    original_id = find(pending.text)
    if original_id is not None:
        return PageRecords([owner], [], [pending.retweet._replace(original_id=original_id)], 0)
    synthetic = synthetic_tweet_id(owner.id, pending.text)
    tweet = Tweet(PLATFORM_X, synthetic, owner.id, None, pending.text, ())
    return PageRecords([owner], [tweet], [pending.retweet._replace(original_id=synthetic)], 0)
