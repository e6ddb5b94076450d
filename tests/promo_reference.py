"""The promotional classifier as it was before the speed-up, frozen, to check the faster one
against: ``retweetring/promo/sites.py``, ``features.py`` and ``classifier.py`` at
:data:`REFERENCE_COMMIT`, read from git into a throw-away package (used only by tests and
benchmarks). It reads today's structural cues (data: words and phrases, not code), so that
only the code differs."""

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


def load_reference(commit: str = REFERENCE_COMMIT) -> types.ModuleType:
    """Return the ``classifier`` module (with its own ``features``) as it was at ``commit``
    (by default :data:`REFERENCE_COMMIT`), importing it once.

    Raises ``FileNotFoundError`` when the git history is not available.
    """
    package = _PACKAGE if commit == REFERENCE_COMMIT else f"{_PACKAGE}_{commit}"
    if f"{package}.classifier" in sys.modules:
        return sys.modules[f"{package}.classifier"]
    folder = Path(tempfile.mkdtemp(prefix="rr-promo-reference-")) / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    names = ("sites", "features", "classifier")
    for name in names:
        result = subprocess.run(
            ["git", "show", f"{commit}:retweetring/promo/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise FileNotFoundError(f"git show {commit}: {result.stderr.strip()}")
        source = result.stdout
        for other in names:
            source = source.replace(f"retweetring.promo.{other}", f"{package}.{other}")
        if name == "features":
            source = _with_todays_structural_cues(source)
        (folder / f"{name}.py").write_text(source)
    for name in ("", *(f".{n}" for n in names)):
        module_name = package + name
        path = folder / (f"{name[1:]}.py" if name else "__init__.py")
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[f"{package}.classifier"]


def _with_todays_structural_cues(source: str) -> str:
    """``features.py`` source whose extractors read today's :data:`STRUCTURAL_CUES`."""
    call = "    return Extractor(text, links)\n"
    if source.count(call) != 1:
        raise FileNotFoundError("the reference features.py no longer builds its extractor once")
    return (
        source.replace(call, "    return Extractor(text, links, _TODAYS_STRUCTURAL_CUES)\n")
        + "\n\nfrom retweetring.promo.features import STRUCTURAL_CUES as _TODAYS_STRUCTURAL_CUES\n"
    )
