"""Reading a workbook or CSV file into records: the front door of this package.

What becomes what:

- a data row → :class:`RawRecord` located ``file!sheet:row`` (``file:line`` for CSV);
- a row with a bad cell (a date that is not one, an ID number stored as a
  number), undecodable bytes, broken quoting, cut short by the end of the
  file, or more CSV cells than headers → :class:`RawReject` with every reason;
- a sheet with no header row, or without a required column, or with a field
  matching two columns → one :class:`RawReject` for the sheet; the other sheets
  are still read;
- blank rows, totals, signatures and notes, repeated headers, empty and
  hidden sheets → skipped, and counted in :class:`TableReadStats`;
- a file that is missing, not a workbook (an HTML page saved as .xls), or a
  cut-off workbook → :class:`SourceError`, raised on iteration.

The file type is told by its first bytes, not its name: web systems often
save HTML or CSV as ``.xls``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from connectors.core.records import Extracted, RawReject
from connectors.errors import SourceError
from connectors.kinds.tabular._body import body_records
from connectors.kinds.tabular._cells import is_empty
from connectors.kinds.tabular._csv import csv_rows
from connectors.kinds.tabular._headers import Header, Matcher, best_guess, find_header
from connectors.kinds.tabular._source import Place, Row
from connectors.kinds.tabular._spec import TableSpec
from connectors.kinds.tabular._stats import TableReadStats
from connectors.kinds.tabular._workbook import (
    OLE_MAGIC,
    ZIP_MAGIC,
    chosen_sheets,
    open_workbook,
    sheet_rows,
)

_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"}


def read_table(
    path: Path, spec: TableSpec, *, stats: TableReadStats | None = None
) -> Iterator[Extracted]:
    """Records and rejects of every chosen sheet of a workbook, or of a CSV file, streamed."""
    counts = stats if stats is not None else TableReadStats()
    matcher = Matcher(spec)
    for place, rows in _tables(path, spec, counts):
        if isinstance(rows, RawReject):
            counts.sheets_rejected += 1
            yield rows
            continue
        yield from _table(place, rows, matcher, counts)


@dataclass(frozen=True)
class SheetHeaders:
    """The header found in one sheet (or CSV file), for ``--inspect`` listings."""

    location: str  # "台账.xlsx!困境儿童" or "户籍.csv"
    row: int | None  # the header's first row (line), None when none was found
    headers: list[str] = field(default_factory=list)  # full names, in column order
    fields: dict[str, list[str]] = field(default_factory=dict)  # field → headers it reads
    missing: list[str] = field(default_factory=list)  # configured fields without a column
    problem: str | None = None


def list_headers(path: Path, spec: TableSpec | None = None) -> list[SheetHeaders]:
    """The header of each sheet: what the spec's fields match, or (no spec) the likeliest row."""
    matcher = Matcher(spec) if spec is not None else None
    scan = spec.header_scan_rows if spec is not None else _ANY.header_scan_rows
    out = []
    for place, rows in _tables(path, spec or _ANY, TableReadStats()):
        if isinstance(rows, RawReject):
            out.append(SheetHeaders(place.label, None, problem=rows.reason))
            continue
        top = list(islice(rows, scan + 1))
        if _blank(top):
            out.append(SheetHeaders(place.label, None, problem="empty"))
            continue
        if matcher is None:
            header = best_guess(top, place.merges)
            problem = None if header else "no header row found"
        else:
            header = find_header(top, place.merges, matcher)
            problem = (
                _no_header(top, place, matcher)
                if header is None
                else _unusable(header, place, matcher)
            )
        if header is None:
            out.append(SheetHeaders(place.label, None, problem=problem))
            continue
        names = {column.index: column.name for column in header.columns}
        fields = {
            name: [names[index] for index in hits] for name, hits in header.mapping.fields.items()
        }
        missing = [name for name in (spec.columns if spec else {}) if name not in fields]
        headers = [column.name for column in header.columns]
        out.append(SheetHeaders(place.label, header.number, headers, fields, missing, problem))
    return out


_ANY = TableSpec(columns={"_": ["_"]})


def _tables(
    path: Path, spec: TableSpec, stats: TableReadStats
) -> Iterator[tuple[Place, Iterator[Row] | RawReject]]:
    """Each table of the file: a CSV file's one, or each chosen sheet's."""
    kind = _kind(path)
    if kind == "csv":
        yield Place(path.name, None, csv=True), csv_rows(path, spec.encoding, spec.delimiter)
        return
    workbook = open_workbook(path)
    with workbook:
        sheets, unmatched = chosen_sheets(workbook, spec, stats)
        for pattern in unmatched:
            names = ", ".join(workbook.sheet_names)
            place = Place(f"{path.name}!{pattern}", pattern)
            yield place, RawReject(place.label, f"no sheet named {pattern!r} (sheets: {names})")
        for name in sheets:
            label = f"{path.name}!{name}"
            try:
                sheet = workbook.get_sheet_by_name(name)
            except Exception as exc:  # a damaged sheet: the others may be fine
                yield Place(label, name), RawReject(label, f"cannot read the sheet: {exc}")
                continue
            rows, merges = sheet_rows(sheet)
            yield Place(label, name, merges), rows


def _kind(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: no such file") from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot open the file: {exc.strerror or exc}") from exc
    if not head:
        raise SourceError(f"{path.name}: the file is empty")
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return "workbook"
    if path.suffix.lower() in _WORKBOOK_SUFFIXES:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<", b"<!doctype", b"<html", b"<?xml")):
            raise SourceError(
                f"{path.name} is not a workbook but a web page saved as {path.suffix} "
                "(a web system's 'Excel' export): open it in Excel and save it as .xlsx"
            )
        raise SourceError(
            f"{path.name} is not a workbook (no Excel signature): if it is text, "
            "name it .csv; if it was copied or downloaded, it may be damaged"
        )
    return "csv"


def _table(
    place: Place, rows: Iterator[Row], matcher: Matcher, stats: TableReadStats
) -> Iterator[Extracted]:
    top = list(islice(rows, matcher.spec.header_scan_rows + 1))
    if _blank(top):
        stats.sheets_empty += 1
        return
    header = find_header(top, place.merges, matcher)
    if header is None:
        stats.sheets_rejected += 1
        yield RawReject(place.label, _no_header(top, place, matcher))
        return
    if problem := _unusable(header, place, matcher):
        stats.sheets_rejected += 1
        yield RawReject(place.at(header.number), problem)
        return
    stats.sheets += 1
    yield from body_records(chain(top[header.body_index :], rows), header, place, matcher, stats)


def _blank(rows: list[Row]) -> bool:
    return all(row.problem is None and all(map(is_empty, row.cells)) for row in rows)


def _no_header(rows: list[Row], place: Place, matcher: Matcher) -> str:
    expected = ", ".join(aliases[0] for aliases in matcher.spec.columns.values())
    guess = best_guess(rows, place.merges)
    seen = f"; row {guess.number} has: {guess.names()}" if guess is not None else ""
    return (
        f"no header row found in the first {len(rows)} rows: expected at least "
        f"{matcher.threshold} of {expected}{seen}"
    )


def _unusable(header: Header, place: Place, matcher: Matcher) -> str | None:
    spec = matcher.spec
    fields = header.mapping.fields
    found = f"headers found on row {header.number}: {header.names()}"
    missing = [name for name in spec.required if name not in fields]
    if missing:
        wanted = "; ".join(
            f"{spec.columns[name][0]} ({' / '.join(spec.columns[name])})" for name in missing
        )
        return f"missing required column(s): {wanted}; {found}"
    if header.mapping.ambiguous:
        which = "; ".join(
            f"{spec.columns[name][0]} could be {' or '.join(cols)}"
            for name, cols in header.mapping.ambiguous.items()
        )
        return f"ambiguous column(s): {which}: give the full name (group/leaf) as an alias; {found}"
    return None
