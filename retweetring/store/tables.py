"""The database tables, as SQLAlchemy Core ``Table`` objects.

Every X object is keyed by ``(platform, id)`` so that other networks can be added later without
changing any key. Those tables are ``WITHOUT ROWID`` in SQLite: the composite primary key is then
the table's only index instead of a second copy beside the rowid.

The read path (the graph and the analytics queries) uses these tables directly, so that it does
not import the ORM; :mod:`retweetring.store.models` maps typed classes onto the same tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WITHOUT_ROWID = {"sqlite_with_rowid": False}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
"""Every table, with a naming convention, so migrations name constraints stably."""


def _key(name: str) -> Column[Any]:
    """A column of an X object's key beside ``platform``: a 64-bit id, never generated."""
    return Column(name, BigInteger, primary_key=True, autoincrement=False)


def _platform() -> Column[Any]:
    return Column("platform", String(16), primary_key=True)


def _required(name: str, type_: Any, **kwargs: Any) -> Column[Any]:
    return Column(name, type_, nullable=False, **kwargs)


def _string_key() -> Column[Any]:
    """A Bluesky or Mastodon row's own key (DID, AT-URI, status URI); NULL for X (migration
    0005), whose key is its id. The row's id is then derived from it (``store.social``)."""
    return Column("key", Text)


_HAS_KEY = text("key IS NOT NULL")

_PARTIAL: list[Index] = []
"""The partial indexes, which :func:`add_postgresql_options` completes for PostgreSQL."""


def _unique_key() -> Index:
    """At most one row per platform and string key (X rows, without one, are not indexed).

    The index is partial on both databases (migration 0005); its PostgreSQL ``where`` is added by
    :func:`add_postgresql_options`, since naming a ``postgresql_`` option here would import
    SQLAlchemy's PostgreSQL dialect into every command that reads an SQLite file.
    """
    index = Index(None, "platform", "key", unique=True, sqlite_where=_HAS_KEY)
    _PARTIAL.append(index)
    return index


def add_postgresql_options() -> None:
    """Give the tables their PostgreSQL-only options (the partial indexes' ``where``).

    Called where the schema meets PostgreSQL or is compared whole: on opening a PostgreSQL
    engine and on importing :mod:`retweetring.store.models` (Alembic's metadata). Calling it
    again changes nothing.
    """
    for index in _PARTIAL:
        index.dialect_kwargs["postgresql_where"] = _HAS_KEY


accounts = Table(
    "accounts",
    metadata,
    _platform(),
    _key("id"),
    Column("username", String(64)),
    Column("name", Text),
    Column("url", Text),
    Column("first_seen", DateTime),
    Column("last_seen", DateTime),
    _string_key(),
    Index(None, "platform", "username"),
    _unique_key(),
    **WITHOUT_ROWID,
)
"""Accounts seen as an author or a retweeter."""

tweets = Table(
    "tweets",
    metadata,
    _platform(),
    _key("id"),
    _required("author_id", BigInteger),
    Column("created_at", DateTime),
    _required("text", Text),
    _required("urls", Text, default="[]"),
    _required("is_promotional", Boolean),
    _required("promo_score", Float),
    _required("promo_reason", Text, default=""),
    Column("promo_override", Boolean),
    Column("promo_model", String(64)),
    _string_key(),
    ForeignKeyConstraint(["platform", "author_id"], ["accounts.platform", "accounts.id"]),
    Index(None, "platform", "author_id"),
    _unique_key(),
    **WITHOUT_ROWID,
)
"""Original tweets (never retweets), with their promotional classification."""

retweets = Table(
    "retweets",
    metadata,
    _platform(),
    _key("id"),
    _required("retweeter_id", BigInteger),
    _required("original_id", BigInteger),
    Column("created_at", DateTime),
    _string_key(),
    ForeignKeyConstraint(["platform", "retweeter_id"], ["accounts.platform", "accounts.id"]),
    ForeignKeyConstraint(["platform", "original_id"], ["tweets.platform", "tweets.id"]),
    Index(None, "platform", "original_id"),
    Index(None, "platform", "retweeter_id"),
    **WITHOUT_ROWID,
)
"""Retweets, keyed by the retweet's own tweet id."""

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("source", Text),
    _required("sha256", String(64), index=True),
    _required("lines_read", Integer),
    _required("lines_accepted", Integer),
    _required("lines_rejected", Integer),
    _required("tweets", Integer),
    _required("retweets", Integer),
    _required("unattributed", Integer),
    _required("started_at", DateTime),
    _required("finished_at", DateTime),
)
"""Completed imports, one row per file."""

import_lines = Table(
    "import_lines",
    metadata,
    Column("digest", String(32), primary_key=True),
    _required("tweets", Integer),
    _required("retweets", Integer),
    _required("unattributed", Integer),
    **WITHOUT_ROWID,
)
"""Lines of API v2 JSON Lines files whose page was imported (migration 0008): the line's
digest (:func:`retweetring.sources.files.line_digest`) and the tweets, retweets and
unattributed retweets its page held. An import skips a line found here without parsing it,
since writing the same page again changes nothing."""

# --- live collection from the X API (migration 0002) -----------------------------------------

members = Table(
    "members",
    metadata,
    _platform(),
    _key("account_id"),
    _required("added_at", DateTime),
    ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
    **WITHOUT_ROWID,
)
"""The tracked community: the accounts whose timelines ``collect`` reads."""

collect_checkpoints = Table(
    "collect_checkpoints",
    metadata,
    _platform(),
    _key("account_id"),
    Column("since_id", BigInteger),
    Column("sweep_newest_id", BigInteger),
    Column("sweep_until_id", BigInteger),
    Column("completed_at", DateTime),
    _required("updated_at", DateTime),
    ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
    **WITHOUT_ROWID,
)
"""How far each member's timeline has been collected."""

retweeter_checks = Table(
    "retweeter_checks",
    metadata,
    _platform(),
    _key("tweet_id"),
    _required("retweet_count", Integer),
    Column("checked_count", Integer),
    Column("checked_at", DateTime),
    ForeignKeyConstraint(["platform", "tweet_id"], ["tweets.platform", "tweets.id"]),
    **WITHOUT_ROWID,
)
"""Members' tweets' retweet counts, as collected and as of the last retweeters lookup."""

approximate_retweets = Table(
    "approximate_retweets",
    metadata,
    _platform(),
    _key("id"),
    _required("source", String(32)),
    ForeignKeyConstraint(["platform", "id"], ["retweets.platform", "retweets.id"]),
    **WITHOUT_ROWID,
)
"""Retweets seen through ``retweeted_by``, whose time is when they were observed."""

api_requests = Table(
    "api_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("at", DateTime, index=True),
    _required("endpoint", String(64)),
    _required("status", Integer),
    _required("tweets", Integer),
    _required("users", Integer),
    Column("platform", String(16)),
)
"""The ledger of requests made to the X API, for ``collect --usage`` (``platform`` NULL), and
to Bluesky and Mastodon (``platform`` set; migration 0005)."""

# --- the thanks ledger (migration 0003) ---------------------------------------------------------

thanks = Table(
    "thanks",
    metadata,
    _platform(),
    _key("account_id"),
    Column("week", String(8), primary_key=True),
    _key("supporter_id"),
    _required("retweets", Integer),
    _required("tz", String(64)),
    _required("thanked_at", DateTime),
    ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
    ForeignKeyConstraint(["platform", "supporter_id"], ["accounts.platform", "accounts.id"]),
    **WITHOUT_ROWID,
)
"""The thanks ledger: one supporter that one account thanked for one ISO week."""

# --- community promotional models (migration 0004) -------------------------------------------

promo_models = Table(
    "promo_models",
    metadata,
    Column("version", String(64), primary_key=True),
    _required("created_at", DateTime),
    _required("labels", Integer),
    _required("active", Boolean),
    _required("document", Text),
)
"""Promotional-tweet models fitted on this database's labels by ``promo fit``."""

# --- Bluesky and Mastodon (migration 0005) -----------------------------------------------------

social_checkpoints = Table(
    "social_checkpoints",
    metadata,
    _platform(),
    _key("account_id"),
    Column("newest", Text),
    Column("newest_at", DateTime),
    Column("sweep_newest", Text),
    Column("sweep_newest_at", DateTime),
    Column("sweep_cursor", Text),
    Column("completed_at", DateTime),
    _required("updated_at", DateTime),
    Column("pds", Text),
    ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
    **WITHOUT_ROWID,
)
"""How far each Bluesky or Mastodon member's feed has been collected; ``pds`` (migration 0006)
is a Bluesky member's personal data server, as their DID document named it."""

account_links = Table(
    "account_links",
    metadata,
    _platform(),
    _key("account_id"),
    _required("person_platform", String(16)),
    _required("person_id", BigInteger),
    ForeignKeyConstraint(["platform", "account_id"], ["accounts.platform", "accounts.id"]),
    **WITHOUT_ROWID,
)
"""Accounts of one person on several networks (``accounts link``): each linked account names
the person's first account, ``(person_platform, person_id)``, which names itself."""

# --- per-pair support weights kept at write time (migration 0007) ----------------------------

pair_weights = Table(
    "pair_weights",
    metadata,
    _platform(),
    _key("supporter_id"),
    _key("supported_id"),
    _required("weight", Integer),
    Column("first_us", BigInteger),
    Column("last_us", BigInteger),
    **WITHOUT_ROWID,
)
"""The all-time support graph of promotional tweets, one row per edge X -> Y: ``weight``,
``first`` and ``last`` as :func:`retweetring.graph.support_graph` gives them (as microseconds
since 1970, UTC, which numpy reads without parsing text; NULL: unknown). Derived
from the tweets and retweets tables (``store.pair_weights``); valid for a platform only while
its ``pair_weights_state`` row says ``fresh``."""

pair_weights_state = Table(
    "pair_weights_state",
    metadata,
    _platform(),
    _required("fresh", Boolean),
    **WITHOUT_ROWID,
)
"""Whether each platform's ``pair_weights`` rows equal the support graph. Database triggers
(migration 0007) set ``fresh`` false in the transaction of any change to the tweets or
retweets tables, so rows written by any path, and a write killed half-way, can never leave
stale weights marked fresh."""
