"""Workbooks (.xlsx and legacy .xls) through calamine: values, and merged ranges.

calamine (Rust) reads both formats and, since python-calamine 0.4, the merged
ranges of both too, so neither openpyxl nor xlrd is needed: measured on a
100k-row sheet, calamine loads and iterates it in about 1 s where openpyxl's
read-only mode takes 9 s. The price: calamine holds one sheet's values in
Rust memory while it is read (about 1 KB per row of ten columns, so at most
about 1 GB for a sheet at Excel's 1,048,576-row limit); the rows are handed to
Python one at a time, so Python memory stays flat.

python-calamine yields rows from row 0 of the sheet but columns from the
first used column: the reader pads each row on the left so column indexes are
the sheet's own, as merged ranges are.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from connectors.errors import SourceError
from connectors.kinds.tabular._cells import Cell
from connectors.kinds.tabular._source import Merge, Row
from connectors.kinds.tabular._spec import TableSpec
from connectors.kinds.tabular._stats import TableReadStats

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_workbook(path: Path) -> CalamineWorkbook:
    """Open a workbook, or say clearly why it cannot be read."""
    try:
        return CalamineWorkbook.from_path(path)
    except Exception as exc:  # calamine raises its own errors, and OSError, ValueError
        raise SourceError(f"{path.name}: cannot read the workbook: {_why(exc)}") from exc


def _why(exc: Exception) -> str:
    text = str(exc)
    if "EOCD" in text or "Sector" in text or "past end of file" in text:
        return f"the file is incomplete (cut off while copying or downloading?) ({text})"
    if "password" in text.lower() or type(exc).__name__ == "PasswordError":
        return "the workbook is password-protected: save a copy without the password"
    return text


def chosen_sheets(
    workbook: CalamineWorkbook, spec: TableSpec, stats: TableReadStats
) -> tuple[list[str], list[str]]:
    """The sheets to read, in workbook order, and the names in ``spec.sheets`` matching none."""
    names = []
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart sheets, macro sheets: no table
        if meta.visible != SheetVisibleEnum.Visible and not spec.include_hidden:
            stats.sheets_hidden += 1
            continue
        names.append(meta.name)
    if spec.sheets is None:
        return names, []
    chosen = [name for name in names if any(_matches(name, p) for p in spec.sheets)]
    unmatched = [p for p in spec.sheets if not any(_matches(name, p) for name in names)]
    return chosen, unmatched


def _matches(name: str, pattern: str) -> bool:
    return name.strip() == pattern.strip() or fnmatch.fnmatchcase(name.strip(), pattern.strip())


def sheet_rows(sheet: CalamineSheet) -> tuple[Iterator[Row], list[Merge]]:
    """A sheet's rows (numbered from 1, every row, empty ones too) and its merged ranges."""
    merges = [
        Merge(top + 1, left, bottom + 1, right)
        for (top, left), (bottom, right) in (sheet.merged_cell_ranges or [])
    ]
    start = sheet.start
    return _rows(sheet, start[1] if start else 0), merges


def _rows(sheet: CalamineSheet, first_column: int) -> Iterator[Row]:
    pad: list[Cell] = [""] * first_column
    for index, cells in enumerate(sheet.iter_rows()):
        yield Row(index + 1, [*pad, *cells] if first_column else cast("list[Cell]", cells))
