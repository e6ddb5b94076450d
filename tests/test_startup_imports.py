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

NEVER_AT_START = ("matplotlib", "igraph", "tweepy", "scipy", "numpy", "networkx", "alembic")
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

ANALYTICS = (
    ["accounts"],
    ["mutual"],
    ["one-sided"],
    ["introductions", "--account", "hollys_bakery"],
    ["balance"],
    THANK,
)


@pytest.mark.parametrize("command", ANALYTICS, ids=lambda command: command[0])
def test_analytics_commands_import_neither_the_orm_nor_plotting(example_db: Path, command):
    assert heavy(modules_after("--db", str(example_db), *command), NOT_FOR_READING) == []


@pytest.mark.parametrize(
    ("command", "needed"),
    [(["report"], ["igraph", "numpy"]), (["introductions"], ["numpy"])],
    ids=["report", "introductions"],
)
def test_whole_graph_analytics_import_numpy_and_igraph_but_not_plotting(
    example_db: Path, command, needed
):
    # they run on numpy arrays read from SQL, communities and connectors in igraph, whose
    # own plotting would import matplotlib.pyplot (about 1 s): the analytics keep it out
    modules = modules_after("--db", str(example_db), *command)
    assert heavy(modules, NOT_FOR_READING) == needed


@pytest.mark.parametrize("command", [["accounts"], ["balance"], THANK], ids=lambda c: c[0])
def test_commands_without_a_graph_do_not_import_networkx(example_db: Path, command):
    assert "networkx" not in modules_after("--db", str(example_db), *command)
