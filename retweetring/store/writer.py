"""Writing records idempotently, in bulk: the one path every source's data takes into the database.

Rows go to the database in bulk with ``ON CONFLICT`` clauses (SQLite: the driver's
``executemany``, measured at 3x SQLAlchemy Core and 30x the ORM unit of work for millions of
rows; PostgreSQL: ``COPY``, see :mod:`retweetring.store.dialect`), inside the caller's
transaction, so writing the same records twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection

from retweetring.promo import Classifier, shipped_classifier
from retweetring.records import PageRecords
from retweetring.store.dialect import Dialect, dialect_of

_KNOWN = ("username", "name", "url")
"""Account columns that keep the newest sighting's value and are never replaced with NULL."""
_FIRST, _LAST = 2 + len(_KNOWN), 3 + len(_KNOWN)
"""Positions of ``first_seen`` and ``last_seen`` in an account row."""


def _newest_known(column: str) -> str:
    """Return the value the upsert gives one of the :data:`_KNOWN` columns."""
    return f"""CASE WHEN accounts.{column} IS NULL
                OR (excluded.{column} IS NOT NULL AND excluded.last_seen IS NOT NULL
                    AND (accounts.last_seen IS NULL
                         OR excluded.last_seen >= accounts.last_seen))
              THEN COALESCE(excluded.{column}, accounts.{column}) ELSE accounts.{column} END"""


_ACCOUNT_COLUMNS = ("platform", "id", *_KNOWN, "first_seen", "last_seen")
_FOLDED = {
    **{column: _newest_known(column) for column in _KNOWN},
    "first_seen": """CASE WHEN accounts.first_seen IS NULL
                    OR excluded.first_seen < accounts.first_seen
                    THEN excluded.first_seen ELSE accounts.first_seen END""",
    "last_seen": """CASE WHEN accounts.last_seen IS NULL OR excluded.last_seen > accounts.last_seen
                   THEN excluded.last_seen ELSE accounts.last_seen END""",
}
"""Each account column's value after the upsert folds a sighting into the stored row."""


@cache
def _account_conflict(dialect: Dialect) -> str:
    """The ``ON CONFLICT`` clause that folds accounts into the stored rows as :func:`_fold`."""
    # The WHERE clause skips the update when it would change nothing: an UPDATE rewrites the
    # row (and every page on its path) even when the values are the same, and most accounts
    # of a batch are already stored and unchanged (measured: the upsert rewrote ~every row).
    changed = " OR ".join(
        dialect.distinct(value, f"accounts.{column}") for column, value in _FOLDED.items()
    )
    return f"""ON CONFLICT (platform, id) DO UPDATE SET
  {", ".join(f"{column} = {value}" for column, value in _FOLDED.items())}
WHERE {changed}"""


_TWEET_COLUMNS = (
    "platform",
    "id",
    "author_id",
    "created_at",
    "text",
    "urls",
    "is_promotional",
    "promo_score",
    "promo_reason",
    "promo_model",
)
_RETWEET_COLUMNS = ("platform", "id", "retweeter_id", "original_id", "created_at")
_KEEP_STORED = "ON CONFLICT (platform, id) DO NOTHING"


def _key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row's primary key, ``(platform, id)``."""
    return row[:2]


@dataclass
class WriteCounts:
    """How many rows a write offered and how many of them were new."""

    accounts: int = 0
    tweets: int = 0
    tweets_new: int = 0
    retweets: int = 0
    retweets_new: int = 0

    def add(self, other: WriteCounts) -> None:
        """Add ``other``'s counts to these."""
        self.accounts += other.accounts
        self.tweets += other.tweets
        self.tweets_new += other.tweets_new
        self.retweets += other.retweets
        self.retweets_new += other.retweets_new


def db_time(value: datetime | None) -> str | None:
    """Return a naive UTC time in the text form SQLAlchemy's ``DateTime`` uses in SQLite."""
    return None if value is None else value.isoformat(" ", "microseconds")


AccountRow = list[Any]
"""An account as the upsert takes it, in the order of ``_ACCOUNT_COLUMNS``."""


def _fold(
    row: AccountRow, known: Sequence[str | None], first: str | None, last: str | None
) -> None:
    """Fold a later sighting into ``row``, as the accounts upsert does.

    ``known`` holds the sighting's values of the :data:`_KNOWN` columns, ``first`` and
    ``last`` its first and last time seen. Each column takes the sighting's value when that
    is known and either ``row`` has none or the sighting is at least as recent; a known value
    is never replaced with None. ``first_seen`` and ``last_seen`` widen to cover both.
    """
    newer = last is not None and (row[_LAST] is None or last >= row[_LAST])
    for i, value in enumerate(known, 2):
        if value is not None and (row[i] is None or newer):
            row[i] = value
    if first is not None and (row[_FIRST] is None or first < row[_FIRST]):
        row[_FIRST] = first
    if last is not None and (row[_LAST] is None or last > row[_LAST]):
        row[_LAST] = last


def _merge_page_accounts(merged: dict[tuple[str, int], AccountRow], page: PageRecords) -> None:
    """Fold the accounts of ``page`` into ``merged``, one row per account."""
    # A page's accounts share one seen_at object: format it once per distinct object.
    seen_at: object = _UNSET
    seen = None
    for platform, account_id, username, name, seen_now, url in page.accounts:
        if seen_now is not seen_at:
            seen_at, seen = seen_now, db_time(seen_now)
        key = (platform, account_id)
        row = merged.get(key)
        if row is None:
            merged[key] = [platform, account_id, username, name, url, seen, seen]
        else:
            _fold(row, (username, name, url), seen, seen)


_UNSET = object()
"""A sentinel that is never an account's ``seen_at``."""


_LOOKUP_CHUNK = 500
"""Ids per ``IN (...)`` lookup, well under SQLite's bound-parameter limit."""


def _lookup(
    conn: Connection, columns: str, table: str, keys: Iterable[tuple[str, int]]
) -> Iterable[tuple[Any, ...]]:
    """Yield ``platform, id, columns`` of the stored rows of ``table`` among ``keys``."""
    mark = dialect_of(conn).mark
    by_platform: dict[str, list[int]] = {}
    for platform, row_id in keys:
        by_platform.setdefault(platform, []).append(row_id)
    for platform, ids in by_platform.items():
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            marks = ", ".join([mark] * len(chunk))
            # fetchall: a tenth faster than iterating the result row by row (measured)
            yield from conn.exec_driver_sql(
                f"SELECT platform, id{columns} FROM {table} "
                f"WHERE platform = {mark} AND id IN ({marks})",
                (platform, *chunk),
            ).fetchall()


def _stored_tweets(conn: Connection, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Return those of ``keys`` that are already in the tweets table."""
    return {(row[0], row[1]) for row in _lookup(conn, "", "tweets", keys)}


def _stored_accounts(
    conn: Connection, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], tuple[Any, ...]]:
    """Return the stored rows of those of ``keys`` that are in the accounts table."""
    columns = "".join(f", {column}" for column in _ACCOUNT_COLUMNS[2:])
    found = {}
    for row in _lookup(conn, columns, "accounts", keys):
        values = list(row)
        for i in (_FIRST, _LAST):  # PostgreSQL gives datetimes, SQLite the text rows hold
            if isinstance(values[i], datetime):
                values[i] = db_time(values[i])
        found[(row[0], row[1])] = tuple(values)
    return found


def _known_author(
    stored: dict[tuple[str, int], tuple[Any, ...]],
    merged: dict[tuple[str, int], AccountRow],
    key: tuple[str, int],
) -> tuple[str | None, ...]:
    """Return an author's username, name and website as the accounts upsert would leave them.

    ``stored`` holds the rows in the database before this write, ``merged`` the pages'
    sightings so far.
    """
    base = stored.get(key)
    row = merged.get(key)
    if row is None:
        return (None,) * len(_KNOWN) if base is None else tuple(base[2:_FIRST])
    if base is None:
        return tuple(row[2:_FIRST])
    known = list(base)
    _fold(known, row[2:_FIRST], row[_FIRST], row[_LAST])
    return tuple(known[2:_FIRST])


class KnownTweets:
    """Keys of tweets an import has written, so that it need not look them up again; at
    most ``limit`` of them (all forgotten at once beyond that, to bound memory)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._ids: dict[str, set[int]] = {}
        self._count = 0

    def __contains__(self, key: tuple[str, int]) -> bool:
        ids = self._ids.get(key[0])
        return ids is not None and key[1] in ids

    def add(self, keys: Sequence[tuple[str, int]]) -> None:
        """Remember ``keys``, written in the caller's transaction."""
        if self._count + len(keys) > self.limit:
            self._ids.clear()
            self._count = 0
            if len(keys) > self.limit:
                return
        for platform, tweet_id in keys:
            self._ids.setdefault(platform, set()).add(tweet_id)
        self._count += len(keys)


AccountsWritten = dict[tuple[str, int], tuple[Any, ...]]
"""Account rows an import has offered to the upsert, by key (see :func:`write_pages`)."""


class PendingAccounts:
    """Account rows folded from the pages of several writes in one transaction: a sighting
    of an account the import has offered to the upsert before waits for the commit, where
    one upsert folds in all of that account's sightings since.

    Each page of a file twarc fetched sees its accounts at a new time, so every write would
    otherwise rewrite the row of every account it saw again (measured on 1M retweets in
    10,000 pages: 3.5 s more than the same pages seen at one time). Pass one to each
    :func:`write_pages` of a transaction and :meth:`write` it before the commit. Accounts not
    offered before are written at once (tweets and retweets refer to them); a write that
    leaves more than ``limit`` rows pending writes them all, to bound memory.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows: dict[tuple[str, int], AccountRow] = {}

    def write(
        self,
        conn: Connection,
        written: AccountsWritten | None = None,
        sent: AccountsWritten | None = None,
        new_only: bool = False,
    ) -> int:
        """Offer the pending rows to the upsert, in ``conn``'s transaction, and forget them;
        return how many were offered. ``written`` and ``sent`` as :func:`write_pages` takes
        them; with ``new_only``, only the rows of accounts in neither."""
        if new_only:
            before, now = written or {}, sent or {}
            new = [key for key in self.rows if key not in before and key not in now]
            rows = [tuple(self.rows.pop(key)) for key in new]
        else:
            rows = [tuple(row) for row in self.rows.values()]
            self.rows = {}
        offered = len(rows)
        if written:
            rows = [row for row in rows if written.get(row[:2]) != row]
        if sent is not None:
            sent.update((row[:2], row) for row in rows)
        if rows:
            dialect = dialect_of(conn)
            conflict = _account_conflict(dialect)
            dialect.insert_rows(conn, "accounts", _ACCOUNT_COLUMNS, rows, conflict)
        return offered


def write_pages(
    conn: Connection,
    pages: list[PageRecords],
    classifier: Classifier | None = None,
    *,
    written: AccountsWritten | None = None,
    sent: AccountsWritten | None = None,
    known_tweets: KnownTweets | None = None,
    accounts: PendingAccounts | None = None,
) -> WriteCounts:
    """Write the records of ``pages`` in the caller's transaction, classifying new tweets.

    Rows already stored are left as they are (accounts get newer names, websites and
    sightings), so writing the same pages again changes nothing. A new tweet is classified
    with what is known of its author once its own page is written (the stored account and
    the pages up to that one), so its decision does not depend on how pages are batched.

    Parameters
    ----------
    conn : Connection
        A connection inside the caller's write transaction.
    pages : list of PageRecords
        The records to write, in the order they were read.
    classifier : Classifier, optional
        Decides which new tweets are promotional; its version is stored with each decision.
        By default the classifier shipped in the package.
    written : dict, optional
        Account rows that earlier, committed writes offered to the accounts upsert. An
        account whose row is the same again is not offered: the upsert folds a row in
        idempotently, so offering it again would change nothing.
    sent : dict, optional
        Receives the account rows this write offers, for the caller to add to ``written``
        once the transaction has committed.
    known_tweets : KnownTweets, optional
        Tweets known to be stored (not looked up); receives the tweets this write stores.
        Only for writes in one import, which fails as a whole if a transaction rolls back.
    accounts : PendingAccounts, optional
        Receives the sightings of accounts offered before (in ``written`` or ``sent``),
        folded into the rows earlier writes of the transaction left there, for the caller to
        write before the commit (this writes them when more than its limit are pending). By
        default every account is written here.

    Returns
    -------
    WriteCounts
        The rows offered and how many of them were new.
    """
    if classifier is None:
        classifier = shipped_classifier()
    # Records are read by position: a page from the child reader holds plain tuples.
    offered = {(tw[0], tw[1]) for page in pages for tw in page.tweets}
    # Stored tweets are left as they are: skip them before the (costly) classification.
    if known_tweets is None:
        seen_tweets = _stored_tweets(conn, offered)
    else:
        seen_tweets = {key for key in offered if key in known_tweets}
        seen_tweets |= _stored_tweets(conn, offered - seen_tweets)
    # A page from the child reader may hold decisions already: a seventh field, or None.
    stored_authors = _stored_accounts(
        conn,
        {
            (tw[0], tw[2])
            for page in pages
            for tw in page.tweets
            if tw[:2] not in seen_tweets and (len(tw) < 7 or tw[6] is None)
        },
    )
    pending = PendingAccounts(0) if accounts is None else accounts
    merged = pending.rows  # rows not yet upserted: the stored ones are folded into them
    tweet_rows = []
    for page in pages:
        _merge_page_accounts(merged, page)
        for platform, tweet_id, author_id, created_at, text, urls, *decided in page.tweets:
            key = (platform, tweet_id)
            if key in seen_tweets:
                continue
            seen_tweets.add(key)
            stored = decided[0] if decided else None
            if stored is None:
                author = _known_author(stored_authors, merged, (platform, author_id))
                username, name, site = author
                result = classifier.classify(text, urls, username=username, name=name, site=site)
                stored = result.stored
            tweet_rows.append(
                (
                    platform,
                    tweet_id,
                    author_id,
                    db_time(created_at),
                    text,
                    orjson.dumps(list(urls)).decode(),
                    *stored,
                    classifier.version,
                )
            )
    # db_time inlined: this runs once per retweet.
    retweet_rows = {
        (platform, rt_id): (
            platform,
            rt_id,
            retweeter_id,
            original_id,
            None if created is None else created.isoformat(" ", "microseconds"),
        )
        for page in pages
        for platform, rt_id, retweeter_id, original_id, created in page.retweets
    }
    # Offered rows are counted per page, so that the totals do not depend on the batching.
    counts = WriteCounts(
        tweets=sum(page.tweets_offered for page in pages),
        retweets=sum(len(page.retweets) for page in pages),
    )
    new_only = len(merged) <= pending.limit
    counts.accounts = pending.write(conn, written, sent, new_only=new_only)
    dialect = dialect_of(conn)
    if tweet_rows:
        # In key order: new tweets land all over the table, and in order each page of it is
        # visited once (measured: 3.4 s unsorted for 260k tweets among 1M retweets).
        tweet_rows.sort(key=_key)
        counts.tweets_new = dialect.insert_rows(
            conn, "tweets", _TWEET_COLUMNS, tweet_rows, _KEEP_STORED
        )
        if known_tweets is not None:
            known_tweets.add([row[:2] for row in tweet_rows])
    if retweet_rows:
        counts.retweets_new = dialect.insert_rows(
            conn, "retweets", _RETWEET_COLUMNS, list(retweet_rows.values()), _KEEP_STORED
        )
    return counts
