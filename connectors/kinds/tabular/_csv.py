"""CSV files, streamed line by line, in UTF-8 (with or without BOM) or GB18030.

The encoding is decided on the file's first non-ASCII lines: each is tried as
strict UTF-8, and the majority wins; otherwise GB18030 (which reads all of GBK
and GB2312). Deciding by majority, not by the whole file, keeps one corrupt
line from turning a UTF-8 file into GB18030 gibberish. The bytes are then
decoded one line at a time: a line that does not decode rejects its row, with
the offending bytes, and the rest of the file is read. A line break byte never
occurs inside a multi-byte character in UTF-8 or GB18030, so splitting on it
is safe.

The csv module runs in strict mode so broken quoting, and a file that ends
inside a quoted cell, are errors of one row rather than cells silently run
together.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from connectors.errors import SourceError
from connectors.kinds.tabular._cells import Cell
from connectors.kinds.tabular._source import Row

_SAMPLE_LINES = 200  # non-ASCII lines looked at to decide the encoding
_SAMPLE_BYTES = 4 << 20
_BLOCK_BYTES = 1 << 16  # lines are read and decoded about this much at a time


@dataclass
class _LineState:
    number: int = 0  # lines read so far (ahead of the rows made of them)
    complete: bool = True  # the last line read ended with a line break


def detect_encoding(stream: BinaryIO) -> tuple[str, int]:
    """The encoding of a CSV file and how many BOM bytes to skip; rewinds the stream."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(
            "the file is UTF-16 (Excel's 'Unicode text'): save it as 'CSV UTF-8' instead"
        )
    utf8 = other = read = 0
    for line in stream:
        read += len(line)
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8 += 1
            except UnicodeDecodeError:
                other += 1
        if utf8 + other >= _SAMPLE_LINES or read >= _SAMPLE_BYTES:
            break
    stream.seek(0)
    return ("utf-8" if utf8 >= other else "gb18030"), 0


def csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[Row]:
    """The rows of a CSV file; numbered by their first line."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot open the file: {exc.strerror or exc}") from exc
    with stream:
        if encoding == "auto":
            encoding, skip = detect_encoding(stream)
        else:
            skip = len(codecs.BOM_UTF8) if stream.read(3) == codecs.BOM_UTF8 else 0
            stream.seek(0)
        stream.seek(skip)
        yield from _rows(stream, encoding, delimiter)


def _rows(stream: BinaryIO, encoding: str, delimiter: str) -> Iterator[Row]:
    state = _LineState()
    problems: dict[int, str] = {}
    lines = _decoded(stream, encoding, state, problems)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    done = 0  # lines consumed by the rows yielded so far
    while True:
        try:
            cells = cast("list[Cell]", next(reader))
        except StopIteration:
            return
        except csv.Error as exc:
            first, done = done + 1, reader.line_num
            decoding = _take(problems, first, done)
            yield Row(first, [], problem=_csv_problem(exc, first, done, decoding))
            continue
        first, done = done + 1, reader.line_num
        bad = _take(problems, first, done) if problems else None
        # Lines are read ahead a block at a time: only a row ending on the file's last
        # line, when that line has no line break, is cut short.
        cut = not state.complete and done == state.number
        yield Row(first, cells, problem=bad[0] if bad else None, cut=cut)


def _decoded(
    stream: BinaryIO, encoding: str, state: _LineState, problems: dict[int, str]
) -> Iterator[str]:
    # A block of lines at a time: a generator step per line costs more than decoding it.
    while lines := stream.readlines(_BLOCK_BYTES):
        try:
            texts = [raw.decode(encoding) for raw in lines]
        except UnicodeDecodeError:
            texts = [
                _decode(raw, encoding, state.number + i, problems) for i, raw in enumerate(lines, 1)
            ]
        state.number += len(lines)
        state.complete = lines[-1].endswith(b"\n")
        yield from texts


def _decode(raw: bytes, encoding: str, number: int, problems: dict[int, str]) -> str:
    """One line; one that does not decode is read with replacement marks, and its problem kept."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.end].hex(" ")
        problems[number] = (
            f"line {number}: byte(s) {bad} at byte {exc.start + 1} not valid "
            f"{encoding.upper()}: the line is damaged or in another encoding"
        )
        return raw.decode(encoding, errors="replace")


def _take(problems: dict[int, str], first: int, last: int) -> list[str]:
    if not problems:
        return []
    return [problems.pop(n) for n in range(first, last + 1) if n in problems]


def _csv_problem(exc: csv.Error, first: int, last: int, decoding: list[str]) -> str:
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    if "end of data" in str(exc):
        reason = f"{lines}: the file ends inside a quoted cell: cut off?"
    else:
        reason = f"{lines}: broken quoting ({exc})"
    return "; ".join([reason, *decoding])
