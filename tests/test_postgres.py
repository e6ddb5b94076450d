"""PostgreSQL: the same data gives the same numbers as SQLite; URLs and failures in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command as alembic_command
from alembic.script import ScriptDirectory
from conftest import EXAMPLE, invoke
from sqlalchemy import Engine, MetaData, Table, select

from retweetring.store.check import check_database
from retweetring.store.session import (
    alembic_config,
    create_db_engine,
    head_revision,
    open_database,
    upgrade,
)
from retweetring.store.tables import metadata

EARLIER = [
    rev.revision
    for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    if rev.revision != head_revision()
]
TWARC2 = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "twarc2"

COMMANDS = [
    ("accounts",),
    ("report",),
    ("mutual",),
    ("one-sided",),
    ("introductions",),
    ("balance",),
    ("thank", "hollys_bakery", "--week", "2026-W46"),
    ("thank", "saltbychamber", "--week", "2026-W44"),
]
"""Every analytics command, with an account and weeks that have supporters in the example."""


def _json_of_every_command(db: str) -> dict[str, object]:
    outputs = {}
    for command in COMMANDS:
        result = invoke(db, *command, "--format", "json")
        assert result.exit_code == 0, result.output
        outputs[" ".join(command)] = json.loads(result.output)
    return outputs


def _sources() -> list[Path]:
    twarc2 = TWARC2 / "blm_search_5pages.jsonl"
    return [EXAMPLE, twarc2] if twarc2.exists() else [EXAMPLE]


def test_every_analytics_command_gives_the_same_json_on_sqlite_and_postgresql(
    tmp_path: Path, pg_url: str
) -> None:
    outputs = {}
    for db in (str(tmp_path / "rr.db"), pg_url):
        for source in _sources():
            result = invoke(db, "import", str(source))
            assert result.exit_code == 0, result.output
        outputs[db] = _json_of_every_command(db)
    sqlite, postgresql = outputs.values()
    assert sqlite["thank hollys_bakery --week 2026-W46"], "the example has supporters that week"
    assert sqlite["mutual"], "the example has mutual pairs"
    for command in sqlite:
        assert postgresql[command] == sqlite[command], command


def test_importing_twice_stores_each_row_once(any_db: str) -> None:
    first = invoke(any_db, "import", str(EXAMPLE))
    again = invoke(any_db, "import", str(EXAMPLE), "--force")
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "835 new tweets and 776 new retweets" in first.output
    assert "0 new tweets and 0 new retweets" in again.output
    engine = open_database(any_db)
    try:
        report = check_database(engine)
    finally:
        engine.dispose()
    assert report.ok, report.problems
    assert report.counts == {"accounts": 47, "tweets": 835, "retweets": 776, "imports": 2}


def test_a_later_sighting_updates_an_account_on_both_databases(any_db: str, tmp_path: Path):
    old = {"id": "1", "username": "old_name", "name": "Old"}
    new = {"id": "1", "username": "new_name", "name": "New"}
    lines = []
    for user, when, tweet in ((new, "2026-11-10", "11"), (old, "2026-11-01", "12")):
        posted = {"id": tweet, "author_id": "1", "text": "hi", "created_at": f"{when}T09:00:00Z"}
        page = {"data": [posted], "includes": {"users": [user]}}
        lines.append(json.dumps(page))
    source = tmp_path / "pages.jsonl"
    source.write_text("\n".join(lines) + "\n")
    assert invoke(any_db, "import", str(source)).exit_code == 0
    result = invoke(any_db, "accounts", "--format", "json")
    assert "new_name" in result.output and "old_name" not in result.output


def test_a_server_that_is_down_is_one_line_with_the_password_hidden(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://team:s3cret@/rr?host={tmp_path}"
    result = invoke(url, "accounts")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "s3cret" not in result.output
    assert f"postgresql+psycopg://team:***@/rr?host={tmp_path}" in lines[0]


def test_a_refused_login_is_one_line_with_the_password_hidden(postgres_server) -> None:
    url = f"postgresql+psycopg://nobody_here:s3cret@/postgres?host={postgres_server.socket_dir}"
    result = invoke(None, "accounts", env={"RETWEETRING_DB": url})
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "s3cret" not in result.output and 'role "nobody_here" does not exist' in result.output


def test_a_postgresql_driver_other_than_psycopg_is_refused_in_one_line() -> None:
    result = invoke("postgresql+psycopg2://me:pw@localhost/shop", "accounts")
    assert result.exit_code == 1
    assert "psycopg 3 only" in result.output and "pw@" not in result.output


@pytest.mark.parametrize("url", ["sqlite:///{tmp}/rr.db", "{tmp}/rr.db"])
def test_an_sqlite_database_never_imports_psycopg(tmp_path: Path, url: str) -> None:
    import subprocess
    import sys

    db = url.format(tmp=tmp_path)
    code = (
        "import sys\nfrom retweetring.cli.main import main\n"
        f"sys.argv = ['retweetring', '--db', {db!r}, 'import', {str(EXAMPLE)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_db_check_on_postgresql_reports_a_constraint_it_never_validated(pg_url: str) -> None:
    assert invoke(pg_url, "import", str(EXAMPLE)).exit_code == 0
    healthy = invoke(pg_url, "db", "check")
    assert healthy.exit_code == 0, healthy.output
    engine = open_database(pg_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "ALTER TABLE tweets ADD CONSTRAINT short_text CHECK (length(text) < 5) NOT VALID"
            )
    finally:
        engine.dispose()
    result = invoke(pg_url, "db", "check")
    assert result.exit_code == 1
    assert "constraint short_text is not validated" in result.output


def test_nul_characters_in_names_and_texts_are_removed_on_both_databases(
    tmp_path: Path, pg_url: str, community
) -> None:
    community.user("nul\x00byte", name="Nul\x00 Bakery")
    community.retweet("fan", community.post("nul\x00byte", "Order now\x00, 20% off loaves"))
    community.retweet("nul\x00byte", community.post("fan", "Fresh bread\x00 today, order now!"))
    source = community.write(tmp_path / "nul.jsonl")
    outputs = []
    for db in (str(tmp_path / "rr.db"), pg_url):
        result = invoke(db, "import", str(source))
        assert result.exit_code == 0, result.output
        assert "2 new tweets and 2 new retweets" in result.output, result.output
        tweets = invoke(db, "tweets", "list", "--format", "json")
        outputs.append((invoke(db, "accounts", "--format", "json").stdout, tweets.stdout))
    assert outputs[0] == outputs[1]
    accounts, tweets = outputs[0]
    assert "nulbyte" in accounts and "Nul Bakery" in accounts and "\\u0000" not in accounts
    assert "Order now, 20% off" in tweets and "\\u0000" not in tweets


@pytest.mark.parametrize("revision", EARLIER)
def test_a_postgresql_database_filled_at_an_earlier_revision_upgrades_with_every_row(
    pg_url: str, example_db: Path, revision: str
) -> None:
    engine = create_db_engine(pg_url)
    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            alembic_command.upgrade(cfg, revision)
        old = MetaData()
        old.reflect(engine)
        tables = [t for t in old.sorted_tables if t.name != "alembic_version"]
        source = create_db_engine(str(example_db))
        with source.connect() as src, engine.begin() as dst:
            for table in tables:  # the example's rows, in the columns this revision has
                wanted = [metadata.tables[table.name].c[c.name] for c in table.columns]
                rows = [dict(row._mapping) for row in src.execute(select(*wanted))]
                if rows:
                    dst.execute(table.insert(), rows)
        source.dispose()
        before = {t.name: _rows(engine, t) for t in tables}
        assert before["retweets"] and before["tweets"], "the old revision holds the example"
        done = upgrade(engine)
        assert (done.before, done.after) == (revision, head_revision())
        for table in tables:
            at_head = metadata.tables[table.name]
            assert _rows(engine, at_head, [c.name for c in table.columns]) == before[table.name]
    finally:
        engine.dispose()


def _rows(engine: Engine, table: Table, columns: list[str] | None = None) -> list[tuple]:
    names = columns or [c.name for c in table.columns]
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(*(table.c[n] for n in names))))
