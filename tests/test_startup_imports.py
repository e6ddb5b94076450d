"""Start-up stays small: what a fresh process imports to register the commands or run a read.

Time is measured in benchmarks/bench_startup.py; these tests check, without timing anything,
that the heavy libraries are only imported by the commands that use them (issue 10).
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("matplotlib", "igraph", "tweepy", "scipy", "numpy", "networkx", "alembic")
"""Libraries no command imports unless it needs them."""

ORM = "sqlalchemy.orm"


def imported_after(args: list[str], wanted: tuple[str, ...]) -> list[str]:
    """Run the command line with ``args`` in a fresh process; return which of ``wanted`` it
    imported (as top-level packages or modules)."""
    code = (
        "import sys\n"
        "from retweetring.cli.main import cli\n"
        f"cli({args!r}, standalone_mode=False)\n"
        f"print(' '.join(name for name in {wanted!r} if name in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1].split() if done.stderr.strip() else []


def test_help_imports_no_heavy_library():
    assert imported_after(["--help"], (*HEAVY, ORM, "sqlalchemy", "rich")) == []


def test_importing_the_command_line_imports_no_heavy_library():
    code = (
        "import sys\n"
        "import retweetring.cli.main\n"
        f"print([name for name in {(*HEAVY, ORM)!r} if name in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
