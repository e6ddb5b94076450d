"""Start-up stays small: what a command imports, checked in a fresh interpreter (issue 10).

Structural, not timed: each test runs the command line in a new process and reads
``sys.modules`` afterwards. The times themselves are measured by ``benchmarks/bench_startup.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NEVER_AT_START = (
    "matplotlib",
    "igraph",
    "tweepy",
    "scipy",
    "numpy",
    "networkx",
    "alembic",
    "sqlalchemy",
    "rich",
)
"""Packages that registering the commands and printing ``--help`` must not import."""

NOT_FOR_READING = (
    "matplotlib",
    "igraph",
    "tweepy",
    "scipy",
    "numpy",
    "alembic",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.postgresql",
)
"""Packages no analytics command needs on an up-to-date SQLite database."""

CHILD = """
import json, sys
from retweetring.cli.main import cli
try:
    cli.main(sys.argv[1:], prog_name="retweetring")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def modules_after(*args: str) -> set[str]:
    """The modules loaded once ``retweetring ARGS`` has run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=False
    )
    *output, last = done.stderr.strip().splitlines()
    report = json.loads(last)
    assert report["code"] in (0, None), "\n".join(output)
    return set(report["modules"])


def heavy(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The ``packages`` that ``modules`` holds."""
    return [name for name in packages if name in modules]


def test_importing_the_command_line_imports_no_heavy_package():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; import retweetring.cli.main; print(json.dumps(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert heavy(set(json.loads(done.stdout)), NEVER_AT_START) == []


def test_help_imports_no_heavy_package():
    assert heavy(modules_after("--help"), NEVER_AT_START) == []


THANK = ["thank", "hollys_bakery", "--week", "2026-W46"]
"""A week of the example data, so the list has supporters."""

READING = (*NOT_FOR_READING, "networkx", "rich")
"""What a reading command may import only where it uses it (see ``CASES``)."""

CASES = [
    (["accounts"], ["rich"]),
    (["mutual"], ["rich"]),
    (["one-sided"], ["rich"]),
    (["balance"], ["rich"]),
    (THANK, ["rich"]),
    (["report"], ["igraph", "numpy", "rich"]),
    (["introductions"], ["numpy", "rich"]),
    (["introductions", "--account", "hollys_bakery"], ["networkx", "rich"]),
    (["mutual", "--format", "json"], []),
    (["report", "--format", "json"], ["igraph", "numpy"]),
]
"""Each reading command, with the heavy packages it needs on the example database: rich for
tables (not for JSON), numpy for the arrays read from SQL (``report``, ``introductions``),
igraph for communities and connectors, networkx only where a graph is built (one account's
introductions). Everything else in ``READING`` must stay out."""


@pytest.mark.parametrize(("command", "needed"), CASES, ids=[" ".join(c) for c, _ in CASES])
def test_reading_commands_import_only_the_heavy_packages_they_use(
    example_db: Path, command, needed
):
    # igraph's own plotting would import matplotlib.pyplot (about 1 s): the analytics keep it
    # out; an up-to-date database needs no Alembic, Core tables no ORM, SQLite no PostgreSQL
    modules = modules_after("--db", str(example_db), *command)
    assert sorted(heavy(modules, READING)) == sorted(needed)


NOT_FOR_IMPORTING = tuple(p for p in READING if p != "rich")
"""What ``import`` does not need: it writes rows through Core tables, with no graph."""


def test_importing_a_file_loads_no_orm_and_no_analytics(example_db: Path, tmp_path: Path):
    from conftest import EXAMPLE

    db = tmp_path / "copy.db"
    db.write_bytes(example_db.read_bytes())
    modules = modules_after("--db", str(db), "import", "--force", str(EXAMPLE))
    assert "retweetring.sources.ingest" in modules
    assert heavy(modules, NOT_FOR_IMPORTING) == []
