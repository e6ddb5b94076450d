"""Secondary indexes that a bulk load builds after its rows instead of maintaining them row by row.

A new retweet lands at a random place in each secondary index of the retweets table, so a
load that keeps them up to date rewrites pages all over them in every transaction: at 5M
retweets in 400k-row transactions the import wrote 18x the database's size, and inserting
into those indexes was the largest share of the SQL time. Building an index once over the
stored rows is a sort. So when an import brings more retweets than the tables hold, it drops
these indexes in its first transaction and builds them again in its last one.

Only non-unique indexes are deferred: a unique index guards the data (no duplicate keys) and
the writer's own lookups and upserts use the primary keys. Queries give the same answers
without the deferred indexes, only slower; an import that was killed between the two
transactions leaves them missing, and the next import (or ``db check``) names them and builds
them (:func:`build_missing`).
"""

from __future__ import annotations

from sqlalchemy import Connection, Index, inspect

from retweetring.store.tables import metadata

LOADED_TABLES = ("accounts", "tweets", "retweets")
"""The tables an import writes."""


def deferrable() -> list[Index]:
    """Return the non-unique secondary indexes of the tables an import writes."""
    return [
        index
        for table in LOADED_TABLES
        for index in sorted(metadata.tables[table].indexes, key=lambda ix: str(ix.name))
        if not index.unique
    ]


def missing(conn: Connection) -> list[Index]:
    """Return those of :func:`deferrable` that the database does not have."""
    inspector = inspect(conn)
    present = {ix["name"] for table in LOADED_TABLES for ix in inspector.get_indexes(table)}
    return [index for index in deferrable() if index.name not in present]


def drop(conn: Connection) -> None:
    """Drop the :func:`deferrable` indexes, in the caller's transaction."""
    for index in deferrable():
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")


BUILD_CACHE_KIB = 32 * 1024
"""Page cache while a bulk load builds its indexes: SQLite's sort for ``CREATE INDEX`` keeps
up to the cache's size in memory beside the cache itself. Measured on 2M retweets: peak RSS
545 MB with the load's 128 MiB, 498 MB with 32 MiB (73 MB more written: the sort's spill)."""


def build_missing(conn: Connection, cache_kib: int | None = None) -> list[str]:
    """Build the :func:`deferrable` indexes the database lacks, in the caller's transaction;
    return their names. ``cache_kib`` shrinks the page cache first, when any is missing."""
    from retweetring.store.dialect import dialect_of

    built = []
    lacking = missing(conn)
    if lacking and cache_kib is not None:
        dialect_of(conn).limit_cache(conn, cache_kib)
    for index in lacking:
        index.create(conn)
        built.append(str(index.name))
    return built


def worth_deferring(conn: Connection, expected_retweets: int) -> bool:
    """Whether a load expected to bring ``expected_retweets`` retweets should build the
    :func:`deferrable` indexes after its rows: the database defers indexes and its retweets
    table holds fewer rows than that (for input of unknown size, 0: only an empty table).

    Counting stops at ``expected_retweets``, so this costs nothing on a large table.
    """
    from retweetring.store.dialect import dialect_of

    if not dialect_of(conn).defers_indexes:
        return False
    beyond = f"SELECT 1 FROM retweets LIMIT 1 OFFSET {max(0, int(expected_retweets))}"
    return conn.exec_driver_sql(beyond).first() is None
