"""Reading input files: JSON Lines or one JSON document, plain or gzip, and refusing the rest."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from pathlib import Path

import pytest

from retweetring.errors import BadRecordError, InputFileError
from retweetring.sources import files
from retweetring.sources.files import open_input, read_pages, sha256_file

PAGES = [
    {"data": [{"id": "1", "author_id": "10", "text": "hi"}], "meta": {"result_count": 1}},
    {"meta": {"result_count": 0}},
    {"data": [{"id": "2", "author_id": "20", "text": "caf\u00e9 \U0001f35e"}]},
]
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def jsonl(pages: list[object]) -> bytes:
    return b"".join(json.dumps(p, ensure_ascii=False).encode() + b"\n" for p in pages)


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_jsonl_yields_each_page_with_its_line_number(tmp_path: Path) -> None:
    content = b"\n" + jsonl(PAGES[:2]) + b"  \n\n" + jsonl(PAGES[2:])
    path = write(tmp_path / "pages.jsonl", content)
    assert list(read_pages(path)) == [(2, PAGES[0]), (3, PAGES[1]), (6, PAGES[2])]


def test_gzip_and_plain_give_the_same_pages(tmp_path: Path) -> None:
    plain = write(tmp_path / "pages.jsonl", jsonl(PAGES))
    gz = write(tmp_path / "pages.jsonl.gz", gzip.compress(jsonl(PAGES)))
    assert list(read_pages(gz)) == list(read_pages(plain)) == list(enumerate(PAGES, start=1))


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.jsonl", gzip.compress(jsonl(PAGES)))
    assert [page for _, page in read_pages(path)] == PAGES


def test_file_without_final_newline_and_with_crlf(tmp_path: Path) -> None:
    content = jsonl(PAGES).replace(b"\n", b"\r\n").rstrip()
    path = write(tmp_path / "pages.jsonl", content)
    assert [page for _, page in read_pages(path)] == PAGES


def test_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + jsonl(PAGES))
    assert [page for _, page in read_pages(path)] == PAGES


def test_pretty_printed_single_document_is_one_page(tmp_path: Path) -> None:
    path = write(tmp_path / "response.json", json.dumps(PAGES[0], indent=2).encode())
    assert list(read_pages(path)) == [(1, PAGES[0])]


def test_array_document_yields_each_page_by_position(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.json", json.dumps(PAGES, indent=2).encode())
    assert list(read_pages(path)) == [(1, PAGES[0]), (2, PAGES[1]), (3, PAGES[2])]


def test_one_line_array_yields_each_page_under_that_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.json", b"\n" + json.dumps(PAGES).encode())
    assert list(read_pages(path)) == [(2, PAGES[0]), (2, PAGES[1]), (2, PAGES[2])]


def test_malformed_line_is_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    lines = jsonl(PAGES).splitlines(keepends=True)
    content = lines[0] + b'{"data": [{"id": "5"\n' + lines[1] + b"not json\n" + lines[2]
    path = write(tmp_path / "pages.jsonl", content)
    result = list(read_pages(path))
    assert [n for n, _ in result] == [1, 2, 3, 4, 5]
    assert [result[0][1], result[2][1], result[4][1]] == PAGES
    for _, bad in (result[1], result[3]):
        assert isinstance(bad, BadRecordError)
        assert str(bad).startswith("not valid JSON: ")
        assert "\n" not in str(bad)


def test_broken_first_line_of_jsonl_is_a_bad_line_not_a_bad_file(tmp_path: Path) -> None:
    content = b'{"data": [{"id"\n' + jsonl(PAGES)
    result = list(read_pages(write(tmp_path / "pages.jsonl", content)))
    assert isinstance(result[0][1], BadRecordError)
    assert result[0][0] == 1
    assert result[1:] == [(2, PAGES[0]), (3, PAGES[1]), (4, PAGES[2])]


def test_truncated_last_line_is_a_bad_line(tmp_path: Path) -> None:
    path = write(tmp_path / "stream.jsonl", jsonl(PAGES) + b'{"data": {"author_id": "1"')
    result = list(read_pages(path))
    assert result[-1][0] == 4
    assert isinstance(result[-1][1], BadRecordError)


def test_broken_single_document_refuses_the_file(tmp_path: Path) -> None:
    text = json.dumps(PAGES[0], indent=2)[:-3]
    path = write(tmp_path / "response.json", text.encode())
    with pytest.raises(InputFileError, match="response.json: neither JSON Lines nor JSON"):
        read_pages(path)


def test_csv_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "tweets.csv", b"id,text\n1,hello\n2,world\n")
    with pytest.raises(InputFileError, match="tweets.csv: neither JSON Lines nor JSON"):
        read_pages(path)


def test_too_big_single_document_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_DOCUMENT_BYTES", 100)
    path = write(tmp_path / "big.json", json.dumps({"data": ["x" * 50] * 5}, indent=2).encode())
    with pytest.raises(InputFileError, match="too big to read as one JSON document"):
        read_pages(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n\t \r\n", r"empty file \(only whitespace\)"),
        (b"\xef\xbb\xbf\n", r"empty file \(only whitespace\)"),
        (PNG_HEADER + b"\x00" * 64, "looks like a PNG image, not JSON"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like a JPEG image"),
        (b"PK\x03\x04" + b"\x00" * 30, "looks like a ZIP archive"),
        (b"SQLite format 3\x00" + b"\x00" * 80, "looks like an SQLite database"),
        (b'{"a": 1}\x00\x00\x00\n', r"binary data \(NUL bytes\)"),
        (b'{"t": "\xe9\xe8\xea\xe0\xf9"}\n', r"binary data \(not UTF-8 text\)"),
        ('{"a": "x"}\n'.encode("utf-16"), "UTF-16 text"),
        (gzip.compress(b""), "empty file once decompressed"),
        (gzip.compress(PNG_HEADER), "looks like a PNG image once decompressed"),
        (gzip.compress(gzip.compress(b"{}")), "gzip inside gzip"),
        (b"\x1f\x8b" + b"garbage" * 10, "broken gzip file"),
    ],
)
def test_unusable_files_are_refused_before_any_page(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = write(tmp_path / "input.jsonl", content)
    with pytest.raises(InputFileError, match=reason) as info:
        read_pages(path)
    message = str(info.value)
    assert message.startswith(str(path) + ": ")
    assert "\n" not in message
    with pytest.raises(InputFileError, match=reason):
        open_input(path)


def test_whitespace_then_content_past_the_first_chunk_is_not_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "spaced.jsonl", b"\n" * 200_000 + jsonl(PAGES[:1]))
    assert list(read_pages(path)) == [(200_001, PAGES[0])]


def test_utf8_character_split_at_the_probe_boundary_is_fine(tmp_path: Path) -> None:
    line = b'{"text": "' + b"a" * (64 * 1024 - 11) + "\u00e9".encode() + b'"}\n'
    path = write(tmp_path / "split.jsonl", line)
    assert list(read_pages(path))[0][1] == {"text": "a" * (64 * 1024 - 11) + "\u00e9"}


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    with pytest.raises(InputFileError, match=f"^{path}: no such file$"):
        read_pages(path)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=f"^{tmp_path}: is a directory, not a file$"):
        read_pages(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.jsonl", jsonl(PAGES))
    path.chmod(0)
    try:
        with pytest.raises(InputFileError, match="secret.jsonl: permission denied"):
            read_pages(path)
    finally:
        path.chmod(0o600)


def test_permission_error_is_an_input_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "open", refuse, raising=False)
    with pytest.raises(InputFileError, match="secret.jsonl: permission denied"):
        read_pages(tmp_path / "secret.jsonl")


def test_a_truncated_gzip_yields_every_complete_line_then_names_the_cut(tmp_path: Path) -> None:
    many = jsonl([{"data": [{"id": str(i), "text": os.urandom(200).hex()}]} for i in range(2000)])
    compressed = gzip.compress(many)
    cut = compressed[: len(compressed) * 3 // 4]
    path = write(tmp_path / "late.jsonl.gz", cut)
    inflate = zlib.decompressobj(wbits=31)
    complete = inflate.decompress(cut).count(b"\n")  # what can be read before the cut
    seen = []
    with pytest.raises(InputFileError, match=r"late.jsonl.gz: the gzip file is truncated"):
        for lineno, _page in read_pages(path):
            seen.append(lineno)
    assert seen == list(range(1, complete + 1))


def test_gzip_damaged_late_in_the_file_fails_when_reached(tmp_path: Path) -> None:
    many = jsonl([{"data": [{"id": str(i), "text": os.urandom(200).hex()}]} for i in range(9000)])
    compressed = bytearray(gzip.compress(many))
    middle = len(compressed) * 3 // 4
    compressed[middle : middle + 64] = bytes(64)
    path = write(tmp_path / "late.jsonl.gz", bytes(compressed))
    with pytest.raises(InputFileError, match=r"late.jsonl.gz: broken gzip file after line \d+"):
        for _ in read_pages(path):
            pass


def test_sha256_matches_hashlib(tmp_path: Path) -> None:
    content = os.urandom(3 * 1024 * 1024 + 17)
    path = write(tmp_path / "blob.bin", content)
    assert sha256_file(path) == hashlib.sha256(content).hexdigest()
    assert sha256_file(str(path)) == hashlib.sha256(content).hexdigest()


def test_sha256_of_missing_file_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="nope: cannot read"):
        sha256_file(tmp_path / "nope")
