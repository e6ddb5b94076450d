"""Writing Bluesky and Mastodon pages: string keys beside the X integer ids, in one transaction.

Every table keeps its ``(platform, id)`` integer key, so the analytics read Bluesky and
Mastodon rows exactly as X rows (``--platform``). A Bluesky or Mastodon account, post or repost
gets the id :func:`social_id` derives from its string key (DID, AT-URI, status URI) and keeps
the string in ``key``: no lookup is needed to know an object's id, the same object always gets
the same id, and the id is negative, so it can never be an X id. A repost's id is derived from
``(reposter, original)``, so the same repost seen in a feed (approximate time), in the
reposter's own records (exact time) or in a list of reposters (no time) is one row; an exact
sighting replaces an approximate one, never the other way round.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from retweetring.errors import DatabaseError
from retweetring.promo import Classifier
from retweetring.records import (
    Account,
    PageRecords,
    Retweet,
    SocialPage,
    SocialRepost,
    Tweet,
)
from retweetring.store.dialect import dialect_of
from retweetring.store.tables import (
    accounts,
    approximate_retweets,
    retweets,
    social_checkpoints,
    tweets,
)
from retweetring.store.writer import write_pages

__all__ = [
    "SocialCounts",
    "load_checkpoint",
    "repost_id",
    "save_checkpoint",
    "save_retweet_counts",
    "social_id",
    "write_social_page",
]

USERNAME_LENGTH = 64
"""``accounts.username`` holds a handle up to this long (longer ones are left out: the account
is then shown as ``id:N``; its ``key`` is still stored)."""
_CHUNK = 500


def social_id(platform: str, key: str) -> int:
    """The negative 63-bit id that stands for the object ``key`` of ``platform``.

    Derived from the key (BLAKE2b), so the same key always gives the same id; negative, so it
    is never an X id; two keys share an id with a chance of about n²/2⁶³ (checked on write).

    >>> social_id("bluesky", "did:plc:bea") == social_id("bluesky", "did:plc:bea") < 0
    True
    """
    digest = hashlib.blake2b(f"{platform}\n{key}".encode(), digest_size=8).digest()
    return -(int.from_bytes(digest, "big") >> 1) - 1


def repost_id(platform: str, reposter_key: str, original_key: str) -> int:
    """The id of "``reposter_key`` reposted ``original_key``": one row however it was seen."""
    return social_id(platform, f"{reposter_key}\n{original_key}")


@dataclass
class SocialCounts:
    """What writing Bluesky or Mastodon pages did."""

    accounts: int = 0
    posts: int = 0
    posts_new: int = 0
    reposts: int = 0
    reposts_new: int = 0
    reposts_exact: int = 0
    """Stored approximate reposts that an exact sighting replaced."""
    unattributed: int = 0
    """Reposts whose original post (or reposter) is neither on the page nor stored."""

    def add(self, other: SocialCounts) -> None:
        """Add ``other``'s counts to these."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _stored_ids(conn: Connection, table: Any, platform: str, ids: Iterable[int]) -> set[int]:
    wanted = list(dict.fromkeys(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            conn.scalars(
                select(table.c.id).where(table.c.platform == platform, table.c.id.in_(chunk))
            )
        )
    return found


def _set_keys(conn: Connection, table: Any, platform: str, keyed: dict[int, str]) -> None:
    """Store each row's string key, then check that no other key already had its id."""
    if not keyed:
        return
    conn.execute(
        update(table)
        .where(table.c.platform == platform, table.c.id == bindparam("i"), table.c.key.is_(None))
        .values(key=bindparam("k")),
        [{"i": row_id, "k": key} for row_id, key in keyed.items()],
    )
    ids = list(keyed)
    for start in range(0, len(ids), _CHUNK):
        query = select(table.c.id, table.c.key).where(
            table.c.platform == platform, table.c.id.in_(ids[start : start + _CHUNK])
        )
        for row_id, key in conn.execute(query):
            if key != keyed[row_id]:
                raise DatabaseError(
                    f"{platform} {table.name}: {keyed[row_id]!r} and {key!r} have the same id "
                    f"{row_id}; please report this"
                )


def _best(reposts: Iterable[SocialRepost]) -> dict[int, SocialRepost]:
    """One repost per ``(reposter, original)``: exact before approximate, timed before not."""
    best: dict[int, SocialRepost] = {}
    for r in reposts:
        rid = repost_id(r.platform, r.reposter_key, r.original_key)
        old = best.get(rid)
        if old is None or (r.exact, r.created_at is not None) > (
            old.exact,
            old.created_at is not None,
        ):
            best[rid] = r
    return best


def _stored_reposts(
    conn: Connection, platform: str, ids: list[int]
) -> dict[int, tuple[datetime | None, bool]]:
    """``id -> (created_at, approximate)`` of the stored reposts among ``ids``."""
    found: dict[int, tuple[datetime | None, bool]] = {}
    for start in range(0, len(ids), _CHUNK):
        query = (
            select(retweets.c.id, retweets.c.created_at, approximate_retweets.c.id.is_not(None))
            .outerjoin(
                approximate_retweets,
                and_(
                    approximate_retweets.c.platform == retweets.c.platform,
                    approximate_retweets.c.id == retweets.c.id,
                ),
            )
            .where(retweets.c.platform == platform, retweets.c.id.in_(ids[start : start + _CHUNK]))
        )
        found.update((rid, (at, bool(approx))) for rid, at, approx in conn.execute(query))
    return found


def write_social_page(
    conn: Connection,
    page: SocialPage,
    platform: str,
    classifier: Classifier | None = None,
    *,
    source: str,
) -> SocialCounts:
    """Write one Bluesky or Mastodon page in the caller's transaction; idempotent.

    Accounts and new posts go through :func:`retweetring.store.writer.write_pages`, so posts
    are classified exactly as tweets. Reposts are one row per ``(platform, reposter,
    original)``: a new approximate one (``exact`` False) is marked in ``approximate_retweets``
    with ``source``; an exact one replaces a stored approximate one (its time and key); a
    repost whose original post or reposter is neither on the page nor stored is not written
    (``unattributed``).
    """
    account_rows = [
        Account(
            platform,
            social_id(platform, a.key),
            a.handle if a.handle and len(a.handle) <= USERNAME_LENGTH else None,
            a.name,
            a.seen_at,
            a.url,
        )
        for a in page.accounts
    ]
    post_rows = [
        Tweet(
            platform,
            social_id(platform, p.key),
            social_id(platform, p.author_key),
            p.created_at,
            p.text,
            p.urls,
        )
        for p in page.posts
    ]
    best = _best(page.reposts)
    ids = list(best)
    known_posts = {row.id for row in post_rows} | _stored_ids(
        conn, tweets, platform, (social_id(platform, r.original_key) for r in best.values())
    )
    known_accounts = {row.id for row in account_rows} | _stored_ids(
        conn, accounts, platform, (social_id(platform, r.reposter_key) for r in best.values())
    )
    stored = _stored_reposts(conn, platform, ids)
    counts = SocialCounts(reposts=len(page.reposts))
    new: list[Retweet] = []
    approximate: list[int] = []
    upgrades: list[dict[str, Any]] = []
    for rid, r in best.items():
        original = social_id(platform, r.original_key)
        reposter = social_id(platform, r.reposter_key)
        if original not in known_posts or reposter not in known_accounts:
            counts.unattributed += 1
            continue
        if rid not in stored:
            new.append(Retweet(platform, rid, reposter, original, r.created_at))
            if not r.exact:
                approximate.append(rid)
            continue
        at, was_approximate = stored[rid]
        if was_approximate and (r.exact or (at is None and r.created_at is not None)):
            upgrades.append({"i": rid, "at": r.created_at, "k": r.key, "exact": r.exact})
    written = write_pages(conn, [PageRecords(account_rows, post_rows, new, 0)], classifier)
    counts.accounts = written.accounts
    counts.posts, counts.posts_new = written.tweets, written.tweets_new
    counts.reposts_new = written.retweets_new
    _set_keys(conn, accounts, platform, {social_id(platform, a.key): a.key for a in page.accounts})
    _set_keys(conn, tweets, platform, {social_id(platform, p.key): p.key for p in page.posts})
    _set_keys(conn, retweets, platform, {r.id: best[r.id].key for r in new})
    if approximate:
        conn.execute(
            insert(approximate_retweets),
            [{"platform": platform, "id": rid, "source": source} for rid in approximate],
        )
    if upgrades:
        conn.execute(
            update(retweets)
            .where(retweets.c.platform == platform, retweets.c.id == bindparam("i"))
            .values(created_at=bindparam("at"), key=bindparam("k")),
            upgrades,
        )
        exact = [u["i"] for u in upgrades if u["exact"]]
        counts.reposts_exact = len(exact)
        if exact:
            conn.execute(
                delete(approximate_retweets).where(
                    approximate_retweets.c.platform == platform,
                    approximate_retweets.c.id.in_(exact),
                )
            )
    return counts


def load_checkpoint(conn: Connection, platform: str, account_id: int) -> dict[str, Any] | None:
    """The member's stored checkpoint columns, or None before their first page."""
    row = conn.execute(
        select(social_checkpoints).where(
            social_checkpoints.c.platform == platform,
            social_checkpoints.c.account_id == account_id,
        )
    ).first()
    return None if row is None else dict(row._mapping)


def save_checkpoint(
    conn: Connection, platform: str, account_id: int, values: dict[str, Any]
) -> None:
    """Set the member's checkpoint columns to ``values``, in the caller's transaction."""
    where = (
        social_checkpoints.c.platform == platform,
        social_checkpoints.c.account_id == account_id,
    )
    exists = conn.scalar(select(func.count()).select_from(social_checkpoints).where(*where))
    if exists:
        conn.execute(update(social_checkpoints).where(*where).values(**values))
    else:
        conn.execute(
            insert(social_checkpoints).values(platform=platform, account_id=account_id, **values)
        )


def save_retweet_counts(conn: Connection, platform: str, counts: dict[int, int]) -> None:
    """Remember the retweet (repost, boost) counts of members' posts, by post id, in the
    caller's transaction: what ``--retweeters`` compares with the count at the last lookup."""
    rows = [(platform, post_id, count) for post_id, count in counts.items() if count > 0]
    if rows:  # one row per post: PostgreSQL updates a row at most once per statement
        dialect_of(conn).insert_rows(
            conn,
            "retweeter_checks",
            ("platform", "tweet_id", "retweet_count"),
            rows,
            "ON CONFLICT (platform, tweet_id) DO UPDATE SET retweet_count = excluded.retweet_count",
        )
