"""Checking a database: the database's own consistency checks, orphaned rows, row counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select, text

from retweetring.store import indexes
from retweetring.store.dialect import dialect_of
from retweetring.store.models import Account, Import, Retweet, Tweet
from retweetring.store.session import connection

_ORPHANS = {
    "retweets whose original tweet is missing": """
        SELECT COUNT(*) FROM retweets r
        WHERE NOT EXISTS (SELECT 1 FROM tweets t
                          WHERE t.platform = r.platform AND t.id = r.original_id)""",
    "retweets whose retweeter is missing": """
        SELECT COUNT(*) FROM retweets r
        WHERE NOT EXISTS (SELECT 1 FROM accounts a
                          WHERE a.platform = r.platform AND a.id = r.retweeter_id)""",
    "tweets whose author is missing": """
        SELECT COUNT(*) FROM tweets t
        WHERE NOT EXISTS (SELECT 1 FROM accounts a
                          WHERE a.platform = t.platform AND a.id = t.author_id)""",
}


@dataclass
class CheckReport:
    """What ``check_database`` found: ``problems`` is empty for a healthy database."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def check_database(db: Engine | Connection) -> CheckReport:
    """Check the database's own consistency (SQLite: integrity and foreign keys; PostgreSQL:
    invalid indexes and unvalidated constraints), the indexes a bulk load builds last,
    orphaned rows, and count the rows."""
    report = CheckReport()
    with connection(db) as conn:
        report.problems.extend(dialect_of(conn).integrity_problems(conn))
        report.problems.extend(
            f"index {index.name} is missing (an import was stopped before building it "
            "again; importing any file builds it)"
            for index in indexes.missing(conn)
        )
        for label, sql in _ORPHANS.items():
            count = conn.scalar(text(sql)) or 0
            if count:
                report.problems.append(f"{count} {label}")
        for name, model in (
            ("accounts", Account),
            ("tweets", Tweet),
            ("retweets", Retweet),
            ("imports", Import),
        ):
            report.counts[name] = conn.scalar(select(func.count()).select_from(model)) or 0
    return report
