"""The database tables, as SQLAlchemy 2.0 typed models.

The tables themselves are defined once, as Core tables, in :mod:`retweetring.store.tables`; each
class here maps onto one of them and types its columns. Code that only reads (the graph and the
analytics queries) uses the Core tables, so that a command's start-up does not import the ORM.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase, Mapped

from retweetring.store import tables

tables.add_postgresql_options()  # the models describe the whole schema, for Alembic too


class Base(DeclarativeBase):
    """Declarative base on the tables' metadata, whose naming convention names constraints."""

    metadata = tables.metadata


class Account(Base):
    """An account seen as an author or a retweeter."""

    __table__ = tables.accounts

    platform: Mapped[str]
    id: Mapped[int]
    username: Mapped[str | None]
    name: Mapped[str | None]
    url: Mapped[str | None]
    """The profile's website (``entities.url`` expanded, else ``url``), when the data has it."""
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]
    key: Mapped[str | None]
    """Bluesky: the DID; Mastodon: the account URI; X: None (the id is the key)."""


class Tweet(Base):
    """An original tweet (never a retweet), with its promotional classification."""

    __table__ = tables.tweets

    platform: Mapped[str]
    id: Mapped[int]
    author_id: Mapped[int]
    created_at: Mapped[datetime | None]
    text: Mapped[str]
    urls: Mapped[str]
    """Expanded URLs as a JSON array."""
    is_promotional: Mapped[bool]
    promo_score: Mapped[float]
    promo_reason: Mapped[str]
    """The classifier's reasons, joined with '; '."""
    promo_override: Mapped[bool | None]
    """Set by the user with ``tweets mark-promo``/``mark-personal``; wins over the classifier."""
    promo_model: Mapped[str | None]
    """The version of the model that made the decision; None: the rules before migration 0004."""
    key: Mapped[str | None]
    """Bluesky: the AT-URI; Mastodon: the status URI; X: None (the id is the key)."""


class Retweet(Base):
    """A retweet, keyed by the retweet's own tweet id."""

    __table__ = tables.retweets

    platform: Mapped[str]
    id: Mapped[int]
    retweeter_id: Mapped[int]
    original_id: Mapped[int]
    created_at: Mapped[datetime | None]
    key: Mapped[str | None]
    """Bluesky: the repost record's AT-URI; Mastodon: the boost's URI; X: None."""


class Import(Base):
    """One completed import of one file."""

    __table__ = tables.imports

    id: Mapped[int]
    source: Mapped[str]
    sha256: Mapped[str]
    lines_read: Mapped[int]
    lines_accepted: Mapped[int]
    lines_rejected: Mapped[int]
    tweets: Mapped[int]
    retweets: Mapped[int]
    unattributed: Mapped[int]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]


# --- live collection from the X API (migration 0002) -----------------------------------------


class Member(Base):
    """An account of the tracked community, whose timeline ``collect`` reads."""

    __table__ = tables.members

    platform: Mapped[str]
    account_id: Mapped[int]
    added_at: Mapped[datetime]


class CollectCheckpoint(Base):
    """How far a member's timeline has been collected; saved with each page's rows.

    ``since_id`` is the completed boundary: every tweet of the member up to that id is stored.
    While a sweep is under way, ``sweep_until_id`` is the oldest tweet it has stored (the next
    request asks for older tweets than that) and ``sweep_newest_id`` the newest (the next
    ``since_id`` once the sweep completes).
    """

    __table__ = tables.collect_checkpoints

    platform: Mapped[str]
    account_id: Mapped[int]
    since_id: Mapped[int | None]
    sweep_newest_id: Mapped[int | None]
    sweep_until_id: Mapped[int | None]
    completed_at: Mapped[datetime | None]
    """When the last sweep completed."""
    updated_at: Mapped[datetime]


class RetweeterCheck(Base):
    """A member's tweet's retweet count as collected, and as of its last retweeters lookup."""

    __table__ = tables.retweeter_checks

    platform: Mapped[str]
    tweet_id: Mapped[int]
    retweet_count: Mapped[int]
    checked_count: Mapped[int | None]
    """``retweet_count`` when ``GET /2/tweets/:id/retweeted_by`` was last read to its end."""
    checked_at: Mapped[datetime | None]


class ApproximateRetweet(Base):
    """Marks a retweet seen through ``retweeted_by``: its time is when it was observed.

    Such events have no retweet id from X; their ``retweets.id`` is a negative number derived
    from (retweeter, original), so observing the same retweet again changes nothing.
    """

    __table__ = tables.approximate_retweets

    platform: Mapped[str]
    id: Mapped[int]
    source: Mapped[str]


class ApiRequest(Base):
    """The ledger: one row per request made to the X API, for ``collect --usage``."""

    __table__ = tables.api_requests

    id: Mapped[int]
    at: Mapped[datetime]
    endpoint: Mapped[str]
    status: Mapped[int]
    """HTTP status, 0 when no response arrived (connection error)."""
    tweets: Mapped[int]
    """Tweets returned in ``data``: the posts the request read."""
    users: Mapped[int]
    """Users returned in ``data`` (user lookups, retweeters)."""
    platform: Mapped[str | None]
    """``bluesky`` or ``mastodon`` for their requests; None for the X API's."""


# --- the thanks ledger (migration 0003) ---------------------------------------------------------


class Thanks(Base):
    """The thanks ledger: one supporter that one account thanked for one ISO week."""

    __table__ = tables.thanks

    platform: Mapped[str]
    account_id: Mapped[int]
    """The account that said thank you."""
    week: Mapped[str]
    """The ISO week thanked for, as ``2026-W46``."""
    supporter_id: Mapped[int]
    retweets: Mapped[int]
    """The supporter's retweets that week when the thanks was recorded."""
    tz: Mapped[str]
    """The time zone the week was taken in."""
    thanked_at: Mapped[datetime]
    """When the thanks was recorded (UTC)."""


# --- community promotional models (migration 0004) -------------------------------------------


class PromoModel(Base):
    """A promotional-tweet model fitted on this database's labels by ``promo fit``.

    At most one row is ``active``; with none active the model shipped in the package is used.
    """

    __table__ = tables.promo_models

    version: Mapped[str]
    created_at: Mapped[datetime]
    labels: Mapped[int]
    """How many of the database's own labelled tweets it was fitted on."""
    active: Mapped[bool]
    document: Mapped[str]
    """The model file (JSON), in the same format as the shipped model."""


# --- Bluesky and Mastodon (migration 0005) -----------------------------------------------------


class SocialCheckpoint(Base):
    """How far a Bluesky or Mastodon member's feed has been collected; saved with each page.

    ``newest``/``newest_at`` is the completed boundary (Bluesky: the newest feed item's URI and
    time, as cursors are opaque; Mastodon: the newest status id, the next ``since_id``). While a
    sweep is under way, ``sweep_cursor`` is where it continues (Bluesky: the next page's cursor;
    Mastodon: the oldest status id reached, the next ``max_id``) and ``sweep_newest`` the
    sweep's newest item, the next boundary once it completes.
    """

    __table__ = tables.social_checkpoints

    platform: Mapped[str]
    account_id: Mapped[int]
    newest: Mapped[str | None]
    newest_at: Mapped[datetime | None]
    sweep_newest: Mapped[str | None]
    sweep_newest_at: Mapped[datetime | None]
    sweep_cursor: Mapped[str | None]
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    pds: Mapped[str | None]
    """Bluesky: the URL of the member's personal data server, from their DID document (0006)."""


class AccountLink(Base):
    """One account of a person who has accounts on several networks (``accounts link``)."""

    __table__ = tables.account_links

    platform: Mapped[str]
    account_id: Mapped[int]
    person_platform: Mapped[str]
    """The network of the person's first account, the one that stands for the person."""
    person_id: Mapped[int]


class PairWeight(Base):
    """One edge of the all-time support graph, kept at write time (``store.pair_weights``)."""

    __table__ = tables.pair_weights

    platform: Mapped[str]
    supporter_id: Mapped[int]
    supported_id: Mapped[int]
    weight: Mapped[int]
    first_us: Mapped[int | None]
    """The earliest counted retweet, in microseconds since 1970 (UTC)."""
    last_us: Mapped[int | None]
    """The latest counted retweet, in microseconds since 1970 (UTC)."""


class PairWeightsState(Base):
    """Whether a platform's kept pair weights equal the support graph."""

    __table__ = tables.pair_weights_state

    platform: Mapped[str]
    fresh: Mapped[bool]
