"""The rows under the header: records, rejects, and the rows that are not data.

Per row, in this order: merged cells are filled in (a village name merged
down five rows belongs to each of them; a range merged across columns stays
in its first column); a row that could not be read is
rejected; totals, signatures and notes (合计, 填表人, 注：) are skipped, as are
blank rows and a header repeated on each printed page; every field is
converted, and any field that fails rejects the row with the reasons of all
failing fields, each naming its column, its cell and its value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.kinds.tabular._cells import (
    Cell,
    CellError,
    date_value,
    header_key,
    id_value,
    is_empty,
    month_value,
    number_value,
    text_value,
)
from connectors.kinds.tabular._headers import Column, Header, Matcher
from connectors.kinds.tabular._source import Merge, Place, Row
from connectors.kinds.tabular._stats import TableReadStats


@dataclass(frozen=True)
class _Field:
    name: str
    columns: tuple[int, ...]
    label: str  # the header as shown in reasons
    convert: Callable[[Cell], Any]


def _converter(matcher: Matcher, name: str) -> Callable[[Cell], Any]:
    spec = matcher.spec
    if name in spec.date_fields:
        return date_value
    if name in spec.month_fields:
        return month_value
    if name in spec.number_fields:
        return number_value
    if name in spec.id_fields:
        return id_value
    return text_value


class _MergeFill:
    """Copies the value of each merged range of the body down every row it spans.

    Only down its first column: a range merged across columns (a section
    heading 一、荆庄社区 over the whole width, a note) belongs to its first
    column, and copying it sideways would put it into other fields.
    """

    def __init__(self, merges: list[Merge], after: int) -> None:
        body = [merge for merge in merges if merge.top > after]
        self._pending = sorted(body, key=lambda merge: merge.top, reverse=True)
        self._active: list[tuple[Merge, Cell]] = []

    def __bool__(self) -> bool:
        return bool(self._pending or self._active)

    def apply(self, number: int, cells: list[Cell]) -> list[Cell]:
        while self._pending and self._pending[-1].top <= number:
            merge = self._pending.pop()
            fresh = merge.top == number and merge.left < len(cells)
            self._active.append((merge, cells[merge.left] if fresh else ""))
        if not self._active:
            return cells
        active = []
        for merge, value in self._active:
            if merge.bottom < number:
                continue
            active.append((merge, value))
            if len(cells) <= merge.left:
                cells.extend([""] * (merge.left + 1 - len(cells)))
            cells[merge.left] = value
        self._active = active
        return cells


def body_records(
    rows: Iterable[Row],
    header: Header,
    place: Place,
    matcher: Matcher,
    stats: TableReadStats,
) -> Iterator[Extracted]:
    """Records and rejects of the rows under ``header``."""
    spec = matcher.spec
    names = {column.index: column.name for column in header.columns}
    fields = [
        _Field(name, columns, names[columns[0]], _converter(matcher, name))
        for name, columns in header.mapping.fields.items()
    ]
    # The loop below runs for every row: plain tuples, no attribute look-ups.
    single = [(f.name, f.columns[0], f.convert, f.label) for f in fields if len(f.columns) == 1]
    duplicated = [f for f in fields if len(f.columns) > 1]
    absent: dict[str, str | None] = {
        name: None for name in spec.columns if name not in header.mapping.fields
    }
    if spec.sheet_field is not None:
        absent[spec.sheet_field] = place.sheet
    width = max(column.index for column in header.columns) + 1
    fill = _MergeFill(place.merges, header.last_number)
    footers = spec.footer_keys
    probe = _HeaderProbe(header, matcher)
    ref = place.cell_ref

    for row in rows:
        cells = fill.apply(row.number, row.cells) if fill else row.cells
        count = len(cells)
        if row.problem is not None:
            stats.rejects += 1
            yield RawReject(place.at(row.number), row.problem, _readable(fields, cells) or None)
            continue
        if _is_footer(cells, footers):
            stats.footer_rows += 1
            continue
        if probe.repeats(cells):
            stats.repeated_headers += 1
            continue
        data: dict[str, Any] = {}
        problems: list[str] = []
        filled = False
        for name, column, convert, label in single:
            try:
                value = convert(cells[column] if column < count else None)
            except CellError as exc:
                problems.append(f"{label} ({ref(column, row.number)}): {exc}")
                continue
            data[name] = value
            if value is not None:
                filled = True
        for f in duplicated:
            try:
                column, raw = _one_of(f, cells, row.number, ref)
            except CellError as exc:
                problems.append(f"{f.label}: {exc}")
                continue
            try:
                value = f.convert(raw)
            except CellError as exc:
                problems.append(f"{f.label} ({ref(column, row.number)}): {exc}")
                continue
            data[f.name] = value
            if value is not None:
                filled = True
        if not filled and not problems:
            stats.blank_rows += 1  # every mapped cell empty (or a placeholder such as "/")
            continue
        problems[:0] = _shape(row, cells, width, place)
        if problems:
            stats.rejects += 1
            yield RawReject(place.at(row.number), "; ".join(problems), _readable(fields, cells))
            continue
        data.update(absent)
        stats.records += 1
        yield RawRecord(data, place.at(row.number))


def _shape(row: Row, cells: list[Cell], width: int, place: Place) -> list[str]:
    """A CSV row cut short by the end of the file, or with more cells than the header."""
    if row.cut and len(cells) < width:
        return [
            f"the file ends in the middle of this row ({len(cells)} of {width} cells): cut off?"
        ]
    if place.csv and len(cells) > width and any(not is_empty(cell) for cell in cells[width:]):
        return [
            f"the row has {len(cells)} cells but the header {width}: "
            "a comma inside a cell without quotes?"
        ]
    return []


def _one_of(
    f: _Field, cells: list[Cell], number: int, ref: Callable[[int, int], str]
) -> tuple[int, Cell]:
    # The same header twice (a column copied next to itself): one value, or
    # the same value twice, is fine; two different values are a conflict.
    filled = [(c, cells[c]) for c in f.columns if c < len(cells) and not is_empty(cells[c])]
    texts = {text_value(value) for _, value in filled}
    if len(texts) > 1:
        shown = " / ".join(f"{ref(c, number)} {text_value(value)!r}" for c, value in filled)
        raise CellError(f"the columns headed so disagree: {shown}")
    return filled[0] if filled else (f.columns[0], None)


def _readable(fields: list[_Field], cells: list[Cell]) -> dict[str, Any]:
    """What a rejected row held, as text, so the reject report shows the row."""
    out: dict[str, Any] = {}
    for f in fields:
        values = [text_value(cells[c]) for c in f.columns if c < len(cells)]
        out[f.name] = next((value for value in values if value is not None), None)
    return out


def _is_footer(cells: list[Cell], footers: tuple[str, ...]) -> bool:
    for cell in cells:
        if is_empty(cell):
            continue
        if not isinstance(cell, str):
            return False
        text = cell.lstrip()
        # Footer markers start with a Chinese character; sequence numbers and
        # most data do not, and are passed without normalising.
        return not text[:1].isascii() and header_key(text[:16]).startswith(footers)
    return False


class _HeaderProbe:
    """Recognises the header repeated in the body (printed page by page, then pasted)."""

    def __init__(self, header: Header, matcher: Matcher) -> None:
        by_index = {column.index: column for column in header.columns}
        self._columns: list[Column] = [by_index[hits[0]] for hits in header.mapping.fields.values()]
        self._threshold = matcher.threshold
        keys = [key for column in self._columns for key in (column.key, column.leaf_key)]
        self._firsts = {key[:1] for key in keys}
        self._may_start: dict[str, bool] = {}  # first character → may start a header

    def repeats(self, cells: list[Cell]) -> bool:
        hits = 0
        for column in self._columns:
            cell = cells[column.index] if column.index < len(cells) else None
            if is_empty(cell):
                continue
            if not isinstance(cell, str) or len(cell) > 40:
                return False
            first = cell.lstrip()[:1]
            may = self._may_start.get(first)
            if may is None:
                may = first in self._firsts or header_key(first)[:1] in self._firsts
                if len(self._may_start) < 4096:
                    self._may_start[first] = may
            if not may:
                return False
            key = header_key(cell)
            if key != column.key and key != column.leaf_key:
                return False  # the first filled cell decides, cheaply, for ordinary rows
            hits += 1
            if hits >= self._threshold:
                return True
        return False
