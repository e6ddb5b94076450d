"""The database tables, as SQLAlchemy 2.0 typed models.

Every X object is keyed by ``(platform, id)`` so that other networks can be added later without
changing any key. Those tables are ``WITHOUT ROWID`` in SQLite: the composite primary key is then
the table's only index instead of a second copy beside the rowid.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WITHOUT_ROWID = {"sqlite_with_rowid": False}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    """An account seen as an author or a retweeter."""

    __tablename__ = "accounts"
    __table_args__ = (Index(None, "platform", "username"), WITHOUT_ROWID)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    username: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    """The profile's website (``entities.url`` expanded, else ``url``), when the data has it."""
    first_seen: Mapped[datetime | None] = mapped_column(DateTime)
    last_seen: Mapped[datetime | None] = mapped_column(DateTime)


class Tweet(Base):
    """An original tweet (never a retweet), with its promotional classification."""

    __tablename__ = "tweets"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "author_id"], ["accounts.platform", "accounts.id"]),
        Index(None, "platform", "author_id"),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    author_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    text: Mapped[str] = mapped_column(Text)
    urls: Mapped[str] = mapped_column(Text, default="[]")
    """Expanded URLs as a JSON array."""
    is_promotional: Mapped[bool] = mapped_column(Boolean)
    promo_score: Mapped[float] = mapped_column(Float)
    promo_reason: Mapped[str] = mapped_column(Text, default="")
    """The classifier's reasons, joined with '; '."""
    promo_override: Mapped[bool | None] = mapped_column(Boolean)
    """Set by the user with ``tweets mark-promo``/``mark-personal``; wins over the classifier."""
    promo_model: Mapped[str | None] = mapped_column(String(64))
    """The version of the model that made the decision; None: the rules before migration 0004."""


class Retweet(Base):
    """A retweet, keyed by the retweet's own tweet id."""

    __tablename__ = "retweets"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "retweeter_id"], ["accounts.platform", "accounts.id"]),
        ForeignKeyConstraint(["platform", "original_id"], ["tweets.platform", "tweets.id"]),
        Index(None, "platform", "original_id"),
        Index(None, "platform", "retweeter_id"),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    retweeter_id: Mapped[int] = mapped_column(BigInteger)
    original_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)


class Import(Base):
    """One completed import of one file."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    lines_read: Mapped[int] = mapped_column(Integer)
    lines_accepted: Mapped[int] = mapped_column(Integer)
    lines_rejected: Mapped[int] = mapped_column(Integer)
    tweets: Mapped[int] = mapped_column(Integer)
    retweets: Mapped[int] = mapped_column(Integer)
    unattributed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime] = mapped_column(DateTime)


# --- live collection from the X API (migration 0002) -----------------------------------------


class Member(Base):
    """An account of the tracked community, whose timeline ``collect`` reads."""

    __tablename__ = "members"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class CollectCheckpoint(Base):
    """How far a member's timeline has been collected; saved with each page's rows.

    ``since_id`` is the completed boundary: every tweet of the member up to that id is stored.
    While a sweep is under way, ``sweep_until_id`` is the oldest tweet it has stored (the next
    request asks for older tweets than that) and ``sweep_newest_id`` the newest (the next
    ``since_id`` once the sweep completes).
    """

    __tablename__ = "collect_checkpoints"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    since_id: Mapped[int | None] = mapped_column(BigInteger)
    sweep_newest_id: Mapped[int | None] = mapped_column(BigInteger)
    sweep_until_id: Mapped[int | None] = mapped_column(BigInteger)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    """When the last sweep completed."""
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class RetweeterCheck(Base):
    """A member's tweet's retweet count as collected, and as of its last retweeters lookup."""

    __tablename__ = "retweeter_checks"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "tweet_id"], ["tweets.platform", "tweets.id"]),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    tweet_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    retweet_count: Mapped[int] = mapped_column(Integer)
    checked_count: Mapped[int | None] = mapped_column(Integer)
    """``retweet_count`` when ``GET /2/tweets/:id/retweeted_by`` was last read to its end."""
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApproximateRetweet(Base):
    """Marks a retweet seen through ``retweeted_by``: its time is when it was observed.

    Such events have no retweet id from X; their ``retweets.id`` is a negative number derived
    from (retweeter, original), so observing the same retweet again changes nothing.
    """

    __tablename__ = "approximate_retweets"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "id"], ["retweets.platform", "retweets.id"]),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(32))


class ApiRequest(Base):
    """The ledger: one row per request made to the X API, for ``collect --usage``."""

    __tablename__ = "api_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    endpoint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    """HTTP status, 0 when no response arrived (connection error)."""
    tweets: Mapped[int] = mapped_column(Integer)
    """Tweets returned in ``data``: the posts the request read."""
    users: Mapped[int] = mapped_column(Integer)
    """Users returned in ``data`` (user lookups, retweeters)."""


# --- the thanks ledger (migration 0003) ---------------------------------------------------------


class Thanks(Base):
    """The thanks ledger: one supporter that one account thanked for one ISO week."""

    __tablename__ = "thanks"
    __table_args__ = (
        ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
        ForeignKeyConstraint(["platform", "supporter_id"], ["accounts.platform", "accounts.id"]),
        WITHOUT_ROWID,
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    """The account that said thank you."""
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    """The ISO week thanked for, as ``2026-W46``."""
    supporter_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    retweets: Mapped[int] = mapped_column(Integer)
    """The supporter's retweets that week when the thanks was recorded."""
    tz: Mapped[str] = mapped_column(String(64))
    """The time zone the week was taken in."""
    thanked_at: Mapped[datetime] = mapped_column(DateTime)
    """When the thanks was recorded (UTC)."""


# --- community promotional models (migration 0004) -------------------------------------------


class PromoModel(Base):
    """A promotional-tweet model fitted on this database's labels by ``promo fit``.

    At most one row is ``active``; with none active the model shipped in the package is used.
    """

    __tablename__ = "promo_models"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    labels: Mapped[int] = mapped_column(Integer)
    """How many of the database's own labelled tweets it was fitted on."""
    active: Mapped[bool] = mapped_column(Boolean)
    document: Mapped[str] = mapped_column(Text)
    """The model file (JSON), in the same format as the shipped model."""
