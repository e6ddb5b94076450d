"""Inputs that are not plain, whole, well-named files: pipes, standard input, corrupt bytes
inside a JSON Lines file, truncated gzip, and file names that are not UTF-8."""

from __future__ import annotations

import gzip
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest
from conftest import Community, invoke

TIMEOUT = 60
"""Seconds a CLI run in a subprocess may take before the test fails as a hang."""


def _pages(count: int, padding: int = 0) -> list[bytes]:
    """``count`` JSON Lines, each one page holding one new promotional tweet of its own."""
    community = Community()
    lines = []
    for i in range(count):
        tweet = community.post(f"shop_{i % 7}")
        page = community.page([tweet])
        if padding:
            page["meta"]["padding"] = "x" * padding
        lines.append(json.dumps(page).encode() + b"\n")
    return lines


def _rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("accounts", "tweets", "retweets", "imports")
        }


def _tweet_ids(db: Path) -> set[int]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM tweets")}


def _ids_in(lines: list[bytes]) -> set[int]:
    return {int(t["id"]) for line in lines for t in json.loads(line)["data"]}


def _import(db: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = invoke(db, "import", *args, input=stdin)
    assert "Traceback" not in result.output and "this is a bug" not in result.output
    return result.exit_code, result.output


# --- named pipes and standard input -----------------------------------------------------------


def _run_cli(args: list[str | bytes], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    code = "import sys; from retweetring.cli.main import main; sys.argv[0] = 'retweetring'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read_once_and_imported_without_hanging(tmp_path: Path) -> None:
    lines = _pages(30)
    fifo = tmp_path / "pages.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(b"".join(lines))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    db = tmp_path / "r.db"
    try:
        done = _run_cli(["--db", str(db), "import", str(fifo)])
    finally:
        if writer.is_alive():  # the CLI never opened the pipe: unblock the writer
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(5)
    assert done.returncode == 0, done.stderr.decode()
    assert _tweet_ids(db) == _ids_in(lines)
    assert _rows(db)["imports"] == 1


def test_standard_input_is_imported_when_the_file_is_a_dash(tmp_path: Path) -> None:
    lines = _pages(30)
    db = tmp_path / "r.db"
    status, output = _import(db, "-", stdin=b"".join(lines))
    assert status == 0, output
    assert _tweet_ids(db) == _ids_in(lines)
    assert "<stdin>: 30 lines" in output


def test_gzip_on_standard_input_is_decompressed(tmp_path: Path) -> None:
    lines = _pages(10)
    db = tmp_path / "r.db"
    status, output = _import(db, "-", stdin=gzip.compress(b"".join(lines)))
    assert status == 0, output
    assert _tweet_ids(db) == _ids_in(lines)


def test_the_same_content_piped_again_adds_no_rows_and_no_second_import(tmp_path: Path) -> None:
    content = b"".join(_pages(20))
    db = tmp_path / "r.db"
    source = tmp_path / "pages.jsonl"
    source.write_bytes(content)
    assert _import(db, str(source))[0] == 0
    before = _rows(db)
    for _ in range(2):
        status, output = _import(db, "-", stdin=content)
        assert status == 0, output
    assert _rows(db) == before


def test_a_bad_line_on_standard_input_is_named_by_line(tmp_path: Path) -> None:
    lines = _pages(3)
    db = tmp_path / "r.db"
    status, output = _import(db, "-", stdin=lines[0] + b"{oops\n" + lines[1] + lines[2])
    assert status == 1
    assert "<stdin>:2: not valid JSON" in output
    assert _tweet_ids(db) == _ids_in(lines)


def test_a_pretty_printed_response_on_standard_input_is_one_page(tmp_path: Path) -> None:
    (line,) = _pages(1)
    db = tmp_path / "r.db"
    status, output = _import(db, "-", stdin=json.dumps(json.loads(line), indent=2).encode())
    assert status == 0, output
    assert _tweet_ids(db) == _ids_in([line])


def test_a_long_broken_first_line_on_standard_input_keeps_the_lines_after_it(
    tmp_path: Path,
) -> None:
    lines = _pages(40, padding=4000)
    db = tmp_path / "r.db"
    status, output = _import(db, "-", stdin=b"{broken" + b"".join(lines))
    assert status == 1
    assert "<stdin>:1: not valid JSON" in output
    assert _tweet_ids(db) == _ids_in(lines[1:])


# --- corrupt bytes inside a JSON Lines file ---------------------------------------------------


@pytest.mark.parametrize(
    "bad", [b'{"a": \x00}\n', b'{"text": "caf\xe9"}\n', b"\x00" * 4096 + b"\n", b"\xff\xfe\xfd\n"]
)
@pytest.mark.parametrize("where", [0, 1, 2, 5])
def test_a_corrupt_line_anywhere_costs_only_that_line(
    tmp_path: Path, bad: bytes, where: int
) -> None:
    lines = _pages(5)
    content = lines[:where] + [bad] + lines[where:]
    source = tmp_path / "pages.jsonl"
    source.write_bytes(b"".join(content))
    db = tmp_path / "r.db"
    status, output = _import(db, str(source))
    assert status == 1
    assert f"{source}:{where + 1}: " in output
    assert _tweet_ids(db) == _ids_in(lines)


def test_a_nul_byte_reports_binary_data_on_its_line(tmp_path: Path) -> None:
    lines = _pages(3)
    source = tmp_path / "pages.jsonl"
    source.write_bytes(lines[0] + b'{"a": 1}\x00\n' + lines[1] + b'{"b": "\xe9"}\n' + lines[2])
    status, output = _import(tmp_path / "r.db", str(source))
    assert status == 1
    assert f"{source}:2: binary data (NUL bytes)" in output
    assert f"{source}:4: not UTF-8 text" in output


BINARY_STARTS = {
    "png": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(5000),
    "zip": b"PK\x03\x04" + random.Random(2).randbytes(5000),
    "sqlite": b"SQLite format 3\x00" + bytes(5000),
    "elf": b"\x7fELF\x02\x01\x01" + random.Random(3).randbytes(5000),
    "random bytes": random.Random(4).randbytes(200_000),
    "zeros": bytes(100_000),
}


@pytest.mark.parametrize("kind", sorted(BINARY_STARTS))
@pytest.mark.parametrize("compress", [False, True])
def test_a_file_binary_from_its_start_is_refused_and_nothing_written(
    tmp_path: Path, kind: str, compress: bool
) -> None:
    content = BINARY_STARTS[kind] + b"".join(_pages(3))
    source = tmp_path / "pages.jsonl"
    source.write_bytes(gzip.compress(content) if compress else content)
    db = tmp_path / "r.db"
    status, output = _import(db, str(source))
    assert status == 1
    (line,) = output.splitlines()
    assert line.startswith(f"Error: {source}: ")
    assert "binary data" in line or "looks like" in line
    assert _rows(db)["tweets"] == 0


# --- truncated gzip ---------------------------------------------------------------------------


def _complete_lines(truncated: bytes) -> int:
    """How many whole lines the truncated gzip data still holds."""
    return zlib.decompressobj(wbits=31).decompress(truncated).count(b"\n")


@pytest.mark.parametrize(("count", "padding"), [(300, 600), (1000, 300)])
@pytest.mark.parametrize("keep", [0.3, 0.7, -12, -4])
def test_a_truncated_gzip_keeps_every_complete_line_then_names_the_truncation(
    tmp_path: Path, count: int, padding: int, keep: float
) -> None:
    lines = _pages(count, padding)
    compressed = gzip.compress(b"".join(lines))
    cut = compressed[: int(len(compressed) * keep)] if keep > 0 else compressed[:keep]
    complete = _complete_lines(cut)
    assert 0 < complete <= count
    source = tmp_path / "pages.jsonl.gz"
    source.write_bytes(cut)
    db = tmp_path / "r.db"
    for _ in range(2):  # a rerun reports it again and adds nothing
        status, output = _import(db, str(source))
        assert status == 1
        (line,) = output.splitlines()
        assert line.startswith(f"Error: {source}: ") and "truncated" in line
        assert _tweet_ids(db) == _ids_in(lines[:complete])


def test_a_truncated_gzip_with_a_broken_first_line_keeps_the_complete_lines_after_it(
    tmp_path: Path,
) -> None:
    lines = [b"{broken\n", *_pages(300, 600)]
    cut = gzip.compress(b"".join(lines))[:-40]
    complete = _complete_lines(cut)
    assert 2 < complete < len(lines)
    source = tmp_path / "pages.jsonl.gz"
    source.write_bytes(cut)
    db = tmp_path / "r.db"
    status, output = _import(db, str(source))
    assert status == 1
    assert f"{source}:1: not valid JSON" in output
    truncated = f"Error: {source}: the gzip file is truncated (cut short) after line {complete}"
    assert truncated in output
    assert _tweet_ids(db) == _ids_in(lines[1:complete])


def test_a_truncated_gzip_on_standard_input_keeps_its_complete_lines(tmp_path: Path) -> None:
    lines = _pages(50, 300)
    compressed = gzip.compress(b"".join(lines))
    cut = compressed[: len(compressed) // 2]
    db = tmp_path / "r.db"
    status, output = _import(db, "-", stdin=cut)
    assert status == 1
    assert "<stdin>: " in output and "truncated" in output
    assert _tweet_ids(db) == _ids_in(lines[: _complete_lines(cut)])


# --- file names that are not UTF-8 ------------------------------------------------------------

needs_bytes_names = pytest.mark.skipif(
    sys.platform != "linux" or sys.getfilesystemencoding() != "utf-8",
    reason="needs a file system whose names are bytes (Linux)",
)


@needs_bytes_names
def test_a_file_name_that_is_not_utf8_is_imported_and_shown_escaped(tmp_path: Path) -> None:
    lines = _pages(3)
    source = tmp_path / os.fsdecode(b"bad\xff.jsonl")
    source.write_bytes(lines[0] + b"{oops\n" + lines[1] + lines[2])
    db = tmp_path / "r.db"
    done = _run_cli(["--db", str(db), "import", os.fsencode(source)])
    errors = done.stderr.decode("utf-8")
    assert done.returncode == 1, errors
    assert "this is a bug" not in errors and "Traceback" not in errors
    shown = f"{tmp_path}/bad\\xff.jsonl"
    assert f"{shown}:2: not valid JSON" in errors
    assert f"{shown}: 4 lines" in errors
    assert _tweet_ids(db) == _ids_in(lines)


@needs_bytes_names
def test_a_name_that_is_not_utf8_is_safe_in_json_output_and_errors(tmp_path: Path) -> None:
    lines = _pages(2)
    source = tmp_path / os.fsdecode(b"bad\xff.jsonl")
    source.write_bytes(b"".join(lines))
    missing = tmp_path / os.fsdecode(b"gone\xfe.jsonl")
    db = tmp_path / "r.db"
    result = invoke(db, "import", "--format", "json", str(source), str(missing))
    assert result.exit_code == 1
    assert "this is a bug" not in result.output
    assert f"{tmp_path}/gone\\xfe.jsonl: no such file" in result.output
    imported, failed = json.loads(result.stdout)
    assert imported["path"] == f"{tmp_path}/bad\\xff.jsonl" and imported["error"] is None
    assert failed == {"path": f"{tmp_path}/gone\\xfe.jsonl", "error": failed["error"]}
    assert "no such file" in failed["error"]
    assert _tweet_ids(db) == _ids_in(lines)


# --- nothing to read --------------------------------------------------------------------------


def test_importing_only_missing_files_reports_each_and_creates_no_database(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = invoke(db, "import", str(tmp_path / "gone.jsonl"), str(tmp_path / "also.jsonl"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {tmp_path}/gone.jsonl: no such file",
        f"Error: {tmp_path}/also.jsonl: no such file",
    ]
    assert list(tmp_path.iterdir()) == []  # no database file, WAL or backup was made


def test_a_missing_file_beside_a_good_one_still_imports_the_good_one(tmp_path: Path) -> None:
    lines = _pages(3)
    source = tmp_path / "good.jsonl"
    source.write_bytes(b"".join(lines))
    db = tmp_path / "r.db"
    status, output = _import(db, str(tmp_path / "gone.jsonl"), str(source))
    assert status == 1 and f"Error: {tmp_path}/gone.jsonl: no such file" in output
    assert _tweet_ids(db) == _ids_in(lines)
