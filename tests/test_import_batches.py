"""An import gives the same rows however its transactions are cut, on SQLite and PostgreSQL:
accounts stored by an earlier batch are folded with later sightings the same way."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synthetic  # noqa: E402

from retweetring.sources.ingest import import_file  # noqa: E402
from retweetring.store.session import open_database  # noqa: E402
from retweetring.store.writer import db_time  # noqa: E402

TABLES = {
    "accounts": "platform, id, username, name, url, first_seen, last_seen",
    "tweets": "platform, id, author_id, created_at, text, is_promotional, promo_score",
    "retweets": "platform, id, retweeter_id, original_id, created_at",
}


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: [
                    tuple(db_time(v) if isinstance(v, datetime) else v for v in row)
                    for row in conn.execute(text(f"SELECT {cols} FROM {table} ORDER BY 1, 2"))
                ]
                for table, cols in TABLES.items()
            }
    finally:
        engine.dispose()


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def test_small_batches_store_the_rows_of_one_batch_on_either_database(
    any_db: str, tmp_path: Path
) -> None:
    source = synthetic.write_jsonl(tmp_path / "c.jsonl", 3000, accounts=300, seed=3)
    whole = tmp_path / "whole.db"
    result = None
    for db, batch_rows in ((str(whole), 1_000_000), (any_db, 400)):
        engine = open_database(db)
        try:
            result = import_file(engine, source, batch_rows=batch_rows)
        finally:
            engine.dispose()
    assert result.counts.retweets_new == 3000
    want, got = _rows(_url(str(whole))), _rows(_url(any_db))
    assert {t: len(r) for t, r in got.items()} == {t: len(r) for t, r in want.items()}
    assert got == want
