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
from typing import BinaryIO

from connectors.errors import SourceError
from connectors.kinds.tabular._source import Row

_SAMPLE_LINES = 200  # non-ASCII lines looked at to decide the encoding
_SAMPLE_BYTES = 4 << 20


@dataclass
class _LineState:
    number: int = 0
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
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            first, done = done + 1, reader.line_num
            decoding = _take(problems, first, done)
            yield Row(first, [], problem=_csv_problem(exc, first, done, decoding))
            continue
        first, done = done + 1, reader.line_num
        bad = _take(problems, first, done)
        yield Row(first, list(cells), problem=bad[0] if bad else None, cut=not state.complete)


def _decoded(
    stream: BinaryIO, encoding: str, state: _LineState, problems: dict[int, str]
) -> Iterator[str]:
    for raw in stream:
        state.number += 1
        state.complete = raw.endswith(b"\n")
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            text = raw.decode(encoding, errors="replace")
            bad = raw[exc.start : exc.end].hex(" ")
            problems[state.number] = (
                f"line {state.number}: byte(s) {bad} at byte {exc.start + 1} not valid "
                f"{encoding.upper()}: the line is damaged or in another encoding"
            )
        yield text


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
