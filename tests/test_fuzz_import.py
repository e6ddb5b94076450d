"""Fuzzed input: mutated API pages either import or are rejected as FILE:LINE: reason.

Never a traceback, and the database passes its integrity and foreign-key checks afterwards.
Bounded for CI; ``pytest --soak`` runs many more examples.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from conftest import Community, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retweetring.store.check import check_database
from retweetring.store.session import open_database

WEIRD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.just(""),
    st.just("not-a-number"),
    st.just("99999999999999999999999"),
    st.just("12345678901234567890"),
    st.just("2026-13-45T99:99:99.000Z"),
    st.text(max_size=40),
    st.just("\u202e\U0001f600\x00\ud7ff" * 50),
    st.just("x" * 100_000),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
)


def _base_pages() -> list[dict[str, Any]]:
    """Three valid pages: promotions, retweets, a quote and a reply; one author has a website."""
    community = Community()
    community.user("bakery", site="https://bakery.example/shop")
    for author, fan in [("bakery", "florist"), ("florist", "bakery"), ("cafe", "bakery")]:
        community.retweet(fan, community.post(author))
    community.quote("cafe", community.post("deli"))
    community.reply("deli", community.post("cafe", "Nice day"))
    ids = community.timeline
    return [community.page(ids[i : i + 4]) for i in range(0, len(ids), 4)]


BASE = _base_pages()


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside ``node``."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@st.composite
def mutated_line(draw: st.DrawFn) -> str:
    """One line: a base page with a few mutations, serialised and maybe truncated."""
    page = copy.deepcopy(draw(st.sampled_from(BASE)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(page)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = page
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["drop", "replace", "duplicate"]))
        if action == "drop":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(WEIRD_VALUES)
        elif isinstance(parent, list):  # the same id twice with different content
            twin = copy.deepcopy(parent[path[-1]])
            if isinstance(twin, dict):
                twin["text"] = draw(st.text(max_size=20))
            parent.append(twin)
    line = json.dumps(page, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 9)) == 0:
        line = line[: draw(st.integers(0, len(line)))]
    return line


LINE_ERROR = re.compile(r"^.+:\d+: .+$")
SUMMARY = re.compile(r"^.+: [\d,]+ lines?, .+ rejected lines?, .+$")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lines=st.lists(mutated_line(), min_size=1, max_size=4))
def test_mutated_pages_import_or_are_rejected_with_file_and_line(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fuzz.db"
        source = Path(tmp) / "fuzz.jsonl"
        source.write_text("\n".join([json.dumps(BASE[0]), *lines]) + "\n", encoding="utf-8")
        result = invoke(db, "import", str(source))
        assert result.exit_code in (0, 1), result.output
        assert not isinstance(result.exception, Exception), repr(result.exception)
        assert "Traceback" not in result.output
        for line in result.output.splitlines():
            # every message is about the file: a rejected line, or the summary line
            assert line.startswith(str(source)) or line.startswith("Error: " + str(source)), line
            assert LINE_ERROR.match(line) or SUMMARY.match(line), line
        engine = open_database(str(db))
        try:
            assert check_database(engine).ok
        finally:
            engine.dispose()
