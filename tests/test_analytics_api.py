"""The analytics API: every public function is documented with an example."""

from __future__ import annotations

import inspect

import pytest

import retweetring.analytics as analytics

PUBLIC = [getattr(analytics, name) for name in analytics.__all__]
FUNCTIONS = [obj for obj in PUBLIC if inspect.isfunction(obj)]


def test_public_api_is_exported() -> None:
    assert len(FUNCTIONS) == 10
    assert {obj.__name__ for obj in PUBLIC} == set(analytics.__all__)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_public_function_has_numpydoc_sections_and_a_doctest(function) -> None:
    doc = inspect.getdoc(function)
    for section in ("Parameters", "Returns", "Examples"):
        assert f"\n{section}\n" in doc
    assert ">>> " in doc


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_graph_comes_first(function) -> None:
    first = next(iter(inspect.signature(function).parameters))
    assert first in {"G", "communities", "counts"}
