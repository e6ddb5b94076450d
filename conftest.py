"""Doctests: ``nx`` is networkx in every example, as in networkx's own doctests.

The analytics modules import networkx only for type checking (so that importing them stays
cheap), so their examples get it from here.
"""

import networkx
import pytest


@pytest.fixture(autouse=True)
def _networkx_in_doctests(doctest_namespace: dict) -> None:
    doctest_namespace["nx"] = networkx
