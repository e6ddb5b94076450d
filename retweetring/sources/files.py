"""Reading input files of X API v2 pages: JSON Lines or one JSON document, plain or gzip."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import shutil
import stat
import sys
import tempfile
import zlib
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, cast

import orjson

from retweetring.errors import BadRecordError, InputFileError

__all__ = ["MAX_DOCUMENT_BYTES", "MAX_LINE_BYTES", "open_input", "read_pages", "sha256_file"]

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
"""Largest file read as one JSON document (not JSON Lines); such a file is parsed in memory."""

MAX_LINE_BYTES = 50 * 1024 * 1024
"""Longest line of a JSON Lines file; a longer line is skipped without being held in memory."""

BINARY_SAMPLE = 1024
BINARY_SHARE = 0.1
"""A file is refused as binary when it starts with a known binary signature, or when more
than this share of the characters in its first :data:`BINARY_SAMPLE` bytes are NUL, other
control characters or invalid UTF-8 and neither of its first two lines is JSON. A bad byte
anywhere else costs only the line that holds it."""

_CHUNK = 1024 * 1024
_PROBE = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_GZIP_ERRORS = (EOFError, OSError, zlib.error)  # gzip.BadGzipFile is an OSError
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (unzip it first)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"BZh", "a bzip2 file"),
    (b"\xfd7zXZ\x00", "an xz file"),
    (b"(\xb5/\xfd", "a zstd file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\xff\xfe{\x00", "UTF-16 text (save it as UTF-8)"),
    (b"\xff\xfe[\x00", "UTF-16 text (save it as UTF-8)"),
    (b"\xfe\xff\x00{", "UTF-16 text (save it as UTF-8)"),
    (b"\xfe\xff\x00[", "UTF-16 text (save it as UTF-8)"),
)


class _Gunzip(io.RawIOBase):
    """gzip data, decompressed as it is read. Unlike :class:`gzip.GzipFile`, every byte before
    a cut or damage is returned first; only the read after them raises (``EOFError`` for a
    truncated file, ``zlib.error`` for damage). Several members are read one after another.
    """

    def __init__(self, fileobj: BinaryIO, close_file: bool = True) -> None:
        self.fileobj = fileobj
        self._close_file = close_file
        self._start()

    def _start(self) -> None:
        self._inflate = zlib.decompressobj(wbits=31)
        self._pending = b""
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Only back to the start (``seek(0)``): the data is read again from the beginning."""
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("gzip input can only go back to its start")
        self.fileobj.seek(0)
        self._start()
        return 0

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            inflate = self._inflate
            if inflate.unconsumed_tail:
                data = inflate.unconsumed_tail
            elif inflate.eof:
                data = inflate.unused_data or self.fileobj.read(_CHUNK)
                if not data.startswith(_GZIP_MAGIC[: len(data)]) or not data:
                    return 0  # the end, or padding after the last member (as gzip allows)
                inflate = self._inflate = zlib.decompressobj(wbits=31)
            else:
                data = self.fileobj.read(_CHUNK)
                if not data:
                    raise EOFError("compressed file ended before the end-of-stream marker")
            self._pending = inflate.decompress(data, _CHUNK)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self._position += n
        return n

    def close(self) -> None:
        if self._close_file:
            self.fileobj.close()
        super().close()


class _GzipInput(io.BufferedReader):
    """A buffered :class:`_Gunzip`; ``fileobj`` is the file as stored, for progress."""

    @property
    def fileobj(self) -> BinaryIO:
        return cast(_Gunzip, self.raw).fileobj


def _gunzip(raw: BinaryIO) -> BinaryIO:
    return cast(BinaryIO, _GzipInput(_Gunzip(raw), _CHUNK))


def display_name(path: str | os.PathLike[str]) -> str:
    """Return a file's name as it can be printed: bytes that are not UTF-8 shown as ``\\xNN``.

    >>> display_name(os.fsdecode(b"caf\\xe9.jsonl"))
    'caf\\\\xe9.jsonl'
    """
    if os.fspath(path) == STDIN:
        return "<stdin>"
    text = os.fsdecode(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


STDIN = "-"
"""The file name that means standard input."""


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is read as a stream, once: ``-`` (standard input), a named pipe or a
    character device."""
    if os.fspath(path) == STDIN:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


@contextmanager
def regular_file(path: str | os.PathLike[str]) -> Iterator[str | os.PathLike[str]]:
    """Yield ``path`` itself, or for a stream (see :func:`is_stream`) a temporary copy of it.

    A stream is read exactly once, into a private temporary file that is removed afterwards,
    so that it can be checked, hashed and read like any file.
    """
    if not is_stream(path):
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="retweetring-input-", delete=False) as copy:
        try:
            if os.fspath(path) == STDIN:
                shutil.copyfileobj(sys.stdin.buffer, copy, _CHUNK)
            else:
                with open(path, "rb") as source:
                    shutil.copyfileobj(source, copy, _CHUNK)
        except OSError as exc:
            os.unlink(copy.name)
            raise InputFileError(
                f"{display_name(path)}: cannot read: {exc.strerror or exc}"
            ) from None
    try:
        yield copy.name
    finally:
        os.unlink(copy.name)


def _no_such_file(name: str) -> InputFileError:
    return InputFileError(f"{name}: no such file")


def check_present(path: str | os.PathLike[str], name: str | None = None) -> None:
    """Raise the one-line :class:`InputFileError` of a missing input file (``-``, standard
    input, is always present), before anything is opened for it."""
    if os.fspath(path) != "-" and not os.path.lexists(path):
        raise _no_such_file(display_name(path) if name is None else name)


def open_input(path: str | os.PathLike[str], name: str | None = None) -> BinaryIO:
    """Open an input file for reading its text as bytes, decompressing gzip transparently.

    The file is checked before anything is returned, so that a caller can refuse it before
    writing anything.

    Parameters
    ----------
    path : str or os.PathLike
        The input file; gzip is recognised by its magic bytes, whatever the file is called.

    Returns
    -------
    BinaryIO
        The open file (a ``gzip.GzipFile`` for gzip input), positioned at its start. The caller
        closes it.

    Raises
    ------
    InputFileError
        When the file is missing, a directory, unreadable, empty or only whitespace, a broken
        gzip file, or binary data (NUL bytes, invalid UTF-8, or a known binary format such as a
        PNG image) rather than text. The message is one line naming the file.
    """
    file = os.fspath(path)
    name = display_name(path) if name is None else name
    try:
        # A 1 MiB buffer: pages are lines of ~200 KB, which readline otherwise assembles from
        # 8 KiB reads (measured on 228 MB: 0.09 s against 0.20-0.36 s).
        raw = open(file, "rb", buffering=_CHUNK)  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise _no_such_file(name) from None
    except IsADirectoryError:
        raise InputFileError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise InputFileError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputFileError(f"{name}: cannot open: {exc.strerror or exc}") from None
    try:
        if os.path.isdir(file):  # some platforms open directories without an error
            raise InputFileError(f"{name}: is a directory, not a file")
        head = raw.read(_PROBE)
        if head[:2] == _GZIP_MAGIC:
            head = b""
            probe = _Gunzip(raw, close_file=False)
            raw.seek(0)
            try:  # what can be decompressed is checked, even when the file is cut short
                while len(head) < _PROBE and (chunk := probe.read(_PROBE - len(head))):
                    head += chunk
            except _GZIP_ERRORS as exc:
                if not head:
                    raise InputFileError(
                        f"{name}: broken gzip file ({short_reason(exc)})"
                    ) from None
            raw.seek(0)
            stream = _gunzip(raw)
        else:
            stream = raw
        _check_text(name, stream is not raw, stream, head)
        stream.seek(0)
    except InputFileError:
        raw.close()
        raise
    except OSError as exc:
        raw.close()
        raise InputFileError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return stream


def read_pages(
    path: str | os.PathLike[str],
    on_position: Callable[[int], None] | None = None,
    name: str | None = None,
    digests: LineDigests | None = None,
) -> Iterator[tuple[int, object | BadRecordError]]:
    """Return an iterator over the pages of a JSON Lines or JSON input file.

    The file is checked, and its format decided, when this function is called: every
    :class:`InputFileError` is raised before any page is produced. The one exception is gzip
    data that turns out to be corrupt after its first 64 KiB, which is only found when reached.

    The format is JSON Lines when the first non-blank line is a complete JSON value (blank
    lines are skipped). Otherwise the whole file is parsed as one JSON document, such as a
    pretty-printed saved API response, of at most :data:`MAX_DOCUMENT_BYTES`; failing that,
    if the next non-blank line is valid JSON the file is JSON Lines with a broken first line.

    Parameters
    ----------
    path : str or os.PathLike
        The input file, plain or gzip-compressed (recognised by its magic bytes).
    on_position : callable, optional
        Called now and then with how many bytes of the file as stored have been read, for
        progress displays.
    name : str, optional
        The file as messages name it.
    digests : LineDigests, optional
        For JSON Lines after the first line: lines whose digest it knows are not parsed
        (a :class:`KnownLine` in place of the page), and it receives the digests of the
        others that hold one JSON object. Its ``whole`` hash, if set, receives the bytes of
        a plain file as they are read.

    Returns
    -------
    Iterator of (int, object or BadRecordError)
        ``(number, page)`` pairs. For JSON Lines the number is the 1-based line number and
        a line holding a JSON array yields each element under that line's number; a line
        that is not valid JSON yields a :class:`BadRecordError` in place of the page and
        reading goes on. For a single document the number is 1, except that a document which
        is a JSON array yields each element under its 1-based position in the array.

    Raises
    ------
    InputFileError
        For the reasons given by :func:`open_input`; when the file is neither JSON Lines nor
        one JSON document; when a single document is larger than :data:`MAX_DOCUMENT_BYTES`;
        and while iterating, when gzip data is corrupt further into the file.
    """
    name = display_name(path) if name is None else name
    stream = open_input(path, name)
    plain = getattr(stream, "fileobj", None) is None  # gzip streams keep the file as stored
    try:
        lines = _bounded_lines(stream, digests=digests if plain else None)
        lineno, first = _next_line(lines, 0)
        if first is None:
            bad = BadRecordError(_too_long())
            return _json_lines(name, stream, lines, lineno, bad, on_position, digests)
        if first.startswith(_UTF8_BOM):
            first = first[len(_UTF8_BOM) :]
        try:
            page = orjson.loads(first)
        except orjson.JSONDecodeError as exc:
            return _not_json_lines(name, stream, lineno, first, exc)
    except _GZIP_ERRORS as exc:
        stream.close()
        raise InputFileError(_read_error(name, stream, exc)) from None
    except BaseException:
        stream.close()
        raise
    return _json_lines(name, stream, lines, lineno, page, on_position, digests)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the SHA-256 hex digest of a file's bytes as stored (not decompressed).

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        64 lowercase hex digits.

    Raises
    ------
    InputFileError
        When the file cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> sha256_file(f.name)[:16]
    'ba7816bf8f01cfea'
    >>> os.remove(f.name)
    """
    name = os.fspath(path)
    digest = hashlib.sha256()
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    try:
        with open(name, "rb", buffering=0) as f:
            while n := f.readinto(buffer):
                digest.update(view[:n])
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


def line_digest(line: bytes) -> str:
    """Return the digest that identifies a JSON Lines line: 32 hex digits of the SHA-256 of
    its bytes without trailing whitespace.

    >>> line_digest(b'{"data": []}\\n') == line_digest(b'{"data": []}')
    True
    """
    return hashlib.sha256(line.rstrip()).hexdigest()[:32]


class KnownLine:
    """In place of a page: a JSON Lines line whose digest the reader was told is known, and
    which it did not parse (see :class:`LineDigests`)."""

    __slots__ = ("digest",)

    def __init__(self, digest: str) -> None:
        self.digest = digest


class LineDigests:
    """What :func:`read_pages` does with the digests of JSON Lines lines.

    A line whose :func:`line_digest` is in ``known`` is not parsed: it yields a
    :class:`KnownLine`. A line holding one JSON object leaves its digest in ``of_line``
    under its line number, for the caller to take when it gets the page.
    """

    def __init__(self, known: Container[str]) -> None:
        self.known = known
        self.of_line: dict[int, str] = {}
        self.whole: Any = None
        """Set to a hash (``hashlib``'s, or a
        :class:`~retweetring.sources.hashing.BackgroundSHA256`) before reading, for a plain
        file: it receives the file's bytes, so that the file's digest needs no second read."""
        self.whole_read = False
        """True once ``whole`` has received every byte of the file."""

    def file_digest(self) -> str | None:
        """The hex digest of the whole file, if ``whole`` received all of it."""
        return self.whole.hexdigest() if self.whole is not None and self.whole_read else None


def _json_lines(
    name: str,
    stream: BinaryIO,
    lines: Iterator[bytes],
    lineno: int,
    first: object,
    on_position: Callable[[int], None] | None = None,
    digests: LineDigests | None = None,
) -> Iterator[tuple[int, object | BadRecordError]]:
    """Yield the pages of a JSON Lines file whose first page, at ``lineno``, is parsed."""
    loads = orjson.loads
    known = None if digests is None else digests.known
    of_line = None if digests is None else digests.of_line
    decode_error = orjson.JSONDecodeError
    stored = cast(BinaryIO, getattr(stream, "fileobj", None) or stream)
    with stream:
        yield from _expand(lineno, first)
        try:
            for line in lines:
                lineno += 1
                if on_position is not None and lineno % 64 == 0:
                    on_position(stored.tell())
                if line is None:
                    yield lineno, BadRecordError(_too_long())
                    continue
                if line.isspace():
                    continue
                if known is not None:
                    digest = line_digest(line)
                    if digest in known:
                        yield lineno, KnownLine(digest)
                        continue
                try:
                    page = loads(line)
                except decode_error as exc:
                    yield lineno, BadRecordError(line_problem(line, exc))
                    continue
                if type(page) is list:
                    for element in page:
                        yield lineno, element
                else:
                    if of_line is not None:
                        of_line[lineno] = digest
                    yield lineno, page
        except _GZIP_ERRORS as exc:
            raise InputFileError(_read_error(name, stream, exc, lineno)) from None


def _not_json_lines(
    name: str, stream: BinaryIO, lineno: int, first: bytes, first_error: orjson.JSONDecodeError
) -> Iterator[tuple[int, object | BadRecordError]]:
    """Return the pages of a file whose first non-blank line, ``lineno``, is not valid JSON.

    The file is one JSON document if it parses as one; else JSON Lines with a broken first
    line if its next non-blank line is valid JSON; else it is refused.
    """
    limit = MAX_DOCUMENT_BYTES - len(first)
    damage: BaseException | None = None
    try:
        rest = stream.read(limit + 1)
    except _GZIP_ERRORS as exc:  # cut or damaged gzip: not one whole document, maybe JSON Lines
        rest, damage = b"", exc
    error = first_error
    too_big = len(rest) > limit
    if not too_big and damage is None:
        try:
            doc = orjson.loads(first + rest)
        except orjson.JSONDecodeError as exc:
            error = exc
        else:
            stream.close()
            if type(doc) is list:
                return iter(list(enumerate(doc, start=1)))
            return iter([(1, doc)])
    del rest
    stream.seek(0)
    lines = _bounded_lines(stream)
    for _ in range(lineno):
        next(lines)
    second_no, second = _next_line(lines, lineno)
    try:
        page = orjson.loads(second) if second else None
    except orjson.JSONDecodeError:
        page = None
    if page is None:
        stream.close()
        if damage is not None:
            raise InputFileError(_read_error(name, stream, damage))
        if too_big:
            raise InputFileError(
                f"{name}: not JSON Lines (line {lineno}: {short_reason(first_error)}), and too big "
                f"to read as one JSON document (over {MAX_DOCUMENT_BYTES >> 20} MiB)"
            )
        raise InputFileError(f"{name}: neither JSON Lines nor JSON ({short_reason(error)})")
    return _bad_first(name, stream, lines, lineno, first, first_error, second_no, page)


def line_problem(line: bytes, exc: BaseException) -> str:
    """Say why a line of a JSON Lines file is not JSON: binary bytes, not UTF-8, or the parse
    error."""
    if b"\x00" in line:
        return "binary data (NUL bytes), not JSON text"
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not UTF-8 text (invalid byte at offset {bad.start})"
    return f"not valid JSON: {short_reason(exc)}"


def _bad_first(
    name: str,
    stream: BinaryIO,
    lines: Iterator[bytes],
    lineno: int,
    first_line: bytes,
    first_error: orjson.JSONDecodeError,
    second_no: int,
    second: object,
) -> Iterator[tuple[int, object | BadRecordError]]:
    """Yield a JSON Lines file whose first non-blank line, ``lineno``, is not valid JSON."""
    yield lineno, BadRecordError(line_problem(first_line, first_error))
    yield from _json_lines(name, stream, lines, second_no, second)


def _bounded_lines(
    stream: BinaryIO, limit: int | None = None, digests: LineDigests | None = None
) -> Iterator[bytes | None]:
    """Yield the lines of ``stream``; None in place of a line longer than ``limit`` bytes.

    At most ``limit`` bytes of a line are held at once: the rest of a long line is read and
    dropped in chunks. ``limit`` defaults to :data:`MAX_LINE_BYTES`. Every byte read goes
    into ``digests.whole`` when there is one, which is complete at the end of the stream.
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    readline = stream.readline
    whole = None if digests is None else digests.whole
    update = None if whole is None else whole.update
    while line := readline(limit + 1):
        if update is not None:
            update(line)
        if len(line) > limit and not line.endswith(b"\n"):
            while rest := readline(_CHUNK):
                if update is not None:
                    update(rest)
                if rest.endswith(b"\n"):
                    break
            yield None
        else:
            yield line
    if digests is not None and whole is not None:
        digests.whole_read = True


def _too_long() -> str:
    return f"line longer than {MAX_LINE_BYTES >> 20} MiB, skipped"


def _next_line(lines: Iterator[bytes | None], lineno: int) -> tuple[int, bytes | None]:
    """Return the next non-blank line and its number, or ``(lineno, b"")`` at the end.

    The line is None when it was longer than :data:`MAX_LINE_BYTES`.
    """
    for line in lines:
        lineno += 1
        if line is None or not line.isspace():
            return lineno, line
    return lineno, b""


def _expand(lineno: int, page: object) -> Iterator[tuple[int, object]]:
    """Yield a parsed line, or each element of a line holding a JSON array."""
    if type(page) is list:
        for element in page:
            yield lineno, element
    else:
        yield lineno, page


def _check_text(name: str, gz: bool, stream: BinaryIO, head: bytes) -> None:
    """Raise InputFileError unless ``head``, the start of ``stream``, looks like JSON text."""
    where = " once decompressed" if gz else ""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputFileError(f"{name}: looks like {what}{where}, not JSON")
    if head[:2] == _GZIP_MAGIC:
        raise InputFileError(f"{name}: gzip inside gzip; decompress it once first")
    start = head[:BINARY_SAMPLE]
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(
        start, final=len(head) <= BINARY_SAMPLE
    )
    odd = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r"))
    if odd > BINARY_SHARE * len(text) and not _holds_json_line(head):
        what = "NUL bytes" if "\x00" in text else "not UTF-8 text"
        raise InputFileError(f"{name}: binary data ({what}){where}, not JSON text")
    if not head:
        raise InputFileError(f"{name}: empty file{where}")
    body = head[len(_UTF8_BOM) :] if head.startswith(_UTF8_BOM) else head
    if not body or body.isspace():
        while chunk := stream.read(_CHUNK):
            if not chunk.isspace():
                return
        raise InputFileError(f"{name}: empty file{where} (only whitespace)")


def _holds_json_line(head: bytes) -> bool:
    """Whether one of the first two lines of ``head`` (the start of a file) is JSON: then the
    odd bytes around it are a damaged line, not a binary file."""
    lines = [line.strip() for line in head.split(b"\n")[:-1]]
    for line in [line for line in lines if line][:2]:
        try:
            orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        return True
    return False


def _read_error(name: str, stream: BinaryIO, exc: BaseException, lineno: int = 0) -> str:
    """Return the one-line message for a failure to read or decompress ``stream``."""
    where = f" after line {lineno}" if lineno else ""
    if isinstance(stream, _GzipInput):
        if isinstance(exc, EOFError):
            return f"{name}: the gzip file is truncated (cut short){where}"
        return f"{name}: broken gzip file{where} ({short_reason(exc)})"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else short_reason(exc)
    return f"{name}: cannot read{where}: {reason}"


def short_reason(exc: BaseException) -> str:
    """Return a short one-line reason from an exception."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
