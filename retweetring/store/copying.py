"""Copying a whole history from one database to another (``db copy``): SQLite to PostgreSQL
and back.

Every table of the schema (:data:`retweetring.store.tables.metadata`, so a table a new
migration adds comes along) is read in one snapshot of the source and written in one
transaction of the target, in batches, parents before children. The target must be empty
(no rows in any table) and at the source's schema revision; the copy is checked by counting
each table's rows on both sides before the target's transaction commits, so a failed or
interrupted copy leaves the target as empty as it was. The target's planner statistics are
refreshed afterwards, as after an import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select

from retweetring.errors import DatabaseError
from retweetring.store.dialect import dialect_of
from retweetring.store.session import (
    begin_write,
    current_revision,
    refresh_statistics,
    shown_name,
)
from retweetring.store.tables import metadata

VERSION_TABLE = "alembic_version"
"""Alembic's table of the schema revision: written by the target's migration, not copied."""

BATCH_ROWS = 10_000
"""Rows read from the source and written to the target at once."""

Progress = Callable[[int, int], None]


@dataclass
class CopyResult:
    """What ``copy_database`` copied: the schema revision and each table's rows in the target."""

    revision: str
    counts: dict[str, int] = field(default_factory=dict)
    """Rows of every table, Alembic's included, as counted in the target after the copy."""

    @property
    def rows(self) -> int:
        """Rows copied in all, Alembic's version row not included."""
        return sum(n for name, n in self.counts.items() if name != VERSION_TABLE)


def _same_database(a: Engine, b: Engine) -> bool:
    """Whether two engines open the same database: the same SQLite file, or the same URL."""
    if a.url.get_backend_name() == b.url.get_backend_name() == "sqlite":
        first, second = Path(a.url.database or ""), Path(b.url.database or "")
        if first.exists() and second.exists():
            return os.path.samefile(first, second)
    return a.url.render_as_string(hide_password=False) == b.url.render_as_string(
        hide_password=False
    )


def _count(conn: Connection, table: Table) -> int:
    return conn.scalar(select(func.count()).select_from(table)) or 0


def copy_database(
    source: Engine,
    target: Engine,
    *,
    batch_rows: int = BATCH_ROWS,
    on_progress: Progress | None = None,
) -> CopyResult:
    """Copy every row of ``source`` into the empty database ``target``, in one transaction.

    Both must be at the same schema revision (open them with ``open_store`` first).
    ``on_progress(done, total)`` is told the rows copied so far after each batch.

    Raises
    ------
    DatabaseError
        The target is the source, the revisions differ, the target has rows, or the counts
        differ after the copy (nothing is then written).
    """
    src_shown, dst_shown = shown_name(source), shown_name(target)
    if _same_database(source, target):
        raise DatabaseError(f"cannot copy {src_shown} onto itself: give --to another database")
    revision = current_revision(source)
    target_revision = current_revision(target)
    if revision is None or revision != target_revision:
        raise DatabaseError(
            f"cannot copy {src_shown} (revision {revision or 'empty'}) to {dst_shown} "
            f"(revision {target_revision or 'empty'}): both must be at the same revision"
        )
    tables = list(metadata.sorted_tables)
    with source.connect() as src, begin_write(target) as dst:  # one snapshot, one transaction
        occupied = [(t.name, n) for t in tables if (n := _count(dst, t))]
        if occupied:
            name, rows = occupied[0]
            raise DatabaseError(
                f"refusing to copy into {dst_shown}: it is not empty ({rows:,} rows in {name}); "
                "give --to a new file or an empty database"
            )
        expected = {t.name: _count(src, t) for t in tables}
        total, done = sum(expected.values()), 0
        if on_progress is not None:
            on_progress(0, total)
        for table in tables:
            for batch in _batches(src, table, batch_rows):
                _write(dst, table, batch)
                done += len(batch)
                if on_progress is not None:
                    on_progress(done, total)
            dialect_of(dst).restart_keys(dst, table)
        result = CopyResult(revision)
        result.counts = {t.name: _count(dst, t) for t in tables}
        copied_revision = dst.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").all()
        result.counts[VERSION_TABLE] = len(copied_revision)
        wrong = [name for name, n in expected.items() if result.counts[name] != n]
        if wrong or [tuple(row) for row in copied_revision] != [(revision,)]:
            what = ", ".join(
                f"{name}: {expected[name]:,} read, {result.counts[name]:,} written"
                for name in wrong
            )
            raise DatabaseError(
                f"copy to {dst_shown} did not verify ({what or 'schema revision differs'}); "
                "nothing was written"
            )
    refresh_statistics(target)
    return result


def _batches(conn: Connection, table: Table, batch_rows: int) -> Iterator[list[Any]]:
    """Yield the rows of ``table`` in key order, ``batch_rows`` at a time, as Python values."""
    query = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=batch_rows).execute(query)
    for partition in result.partitions():
        yield list(partition)


def _write(conn: Connection, table: Table, rows: list[Any]) -> None:
    """Insert ``rows`` (Python values, in ``table``'s column order) into ``table``."""
    columns = [column.name for column in table.columns]
    processors = [
        column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        for column in table.columns
    ]
    if any(processors):
        rows = [
            tuple(v if p is None else p(v) for p, v in zip(processors, row, strict=True))
            for row in rows
        ]
    else:
        rows = [tuple(row) for row in rows]
    dialect_of(conn).insert_rows(conn, table.name, columns, rows, conflict="")
