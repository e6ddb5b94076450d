"""Run a snippet in a fresh interpreter with another string-hash seed.

Comparing a seeded result with itself in one process cannot catch a dependence on the process
(the iteration order of a set of strings changes with ``PYTHONHASHSEED``); comparing it with
the same computation in a second process, with a different hash seed, can.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent


def as_json(value: Any) -> Any:
    """``value`` as it comes back from :func:`in_another_process` (tuples become lists, ...)."""
    return json.loads(json.dumps(value))


def in_another_process(code: str) -> Any:
    """Run ``code``, which sets ``result`` to a JSON value, in a new interpreter; return it.

    The child's ``PYTHONHASHSEED`` differs from this process's, and it can import the
    modules in ``tests/`` (``graphs`` ...).
    """
    mine = os.environ.get("PYTHONHASHSEED")
    env = {
        **os.environ,
        "PYTHONHASHSEED": "2" if mine == "1" else "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
    }
    program = f"{code}\nimport json, sys\njson.dump(result, sys.stdout)\n"
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
