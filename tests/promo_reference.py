"""The promotional classifier as it was before the speed-up, frozen, to check the faster one
against: ``retweetring/promo/sites.py``, ``features.py`` and ``classifier.py`` at
:data:`REFERENCE_COMMIT`, read from git into a throw-away package (used only by tests and
benchmarks)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_COMMIT = "7a6f350"
"""The last commit whose feature extraction and classifier predate the speed-up."""

_PACKAGE = "rr_promo_reference"


def load_reference() -> types.ModuleType:
    """Return the reference ``classifier`` module (with its own ``features``), importing it once.

    Raises ``FileNotFoundError`` when the git history is not available.
    """
    if f"{_PACKAGE}.classifier" in sys.modules:
        return sys.modules[f"{_PACKAGE}.classifier"]
    folder = Path(tempfile.mkdtemp(prefix="rr-promo-reference-")) / _PACKAGE
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    names = ("sites", "features", "classifier")
    for name in names:
        result = subprocess.run(
            ["git", "show", f"{REFERENCE_COMMIT}:retweetring/promo/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise FileNotFoundError(f"git show {REFERENCE_COMMIT}: {result.stderr.strip()}")
        source = result.stdout
        for other in names:
            source = source.replace(f"retweetring.promo.{other}", f"{_PACKAGE}.{other}")
        (folder / f"{name}.py").write_text(source)
    for name in ("", *(f".{n}" for n in names)):
        module_name = _PACKAGE + name
        path = folder / (f"{name[1:]}.py" if name else "__init__.py")
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[f"{_PACKAGE}.classifier"]
