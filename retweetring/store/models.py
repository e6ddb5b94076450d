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
