"""An import gives the same rows however its transactions are cut, on SQLite and PostgreSQL:
accounts stored by an earlier batch are folded with later sightings the same way."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synthetic  # noqa: E402
from children import contents  # noqa: E402

from retweetring.sources.ingest import import_file  # noqa: E402
from retweetring.store.session import open_database  # noqa: E402


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
    want, got = contents(whole), contents(any_db)
    assert {t: len(r) for t, r in got.items()} == {t: len(r) for t, r in want.items()}
    assert got == want
