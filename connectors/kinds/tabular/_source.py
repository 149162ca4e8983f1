"""What a file gives the table logic: rows of cells, and the merged ranges of a sheet.

Workbooks and CSV files are read the same way once their rows are rows; only
the numbering differs (a sheet's 1-based row, a CSV row's first line) and only
workbooks have merged cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.kinds.tabular._cells import Cell


@dataclass(slots=True)
class Row:
    """One row as read: its number, its cells (index = 0-based column), what went wrong."""

    number: int  # a sheet's 1-based row, or the first line of a CSV row
    cells: list[Cell]
    problem: str | None = None  # unreadable (bad bytes, broken quoting): rejected whole
    cut: bool = False  # the file ends inside this row (no final line break)


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range: rows are 1-based numbers, columns 0-based indexes, both inclusive."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class Place:
    """Where a table is, to name it in locations and reasons."""

    label: str  # "台账.xlsx!困境儿童" or "户籍.csv"
    sheet: str | None  # None for a CSV file
    merges: list[Merge] = field(default_factory=list)
    csv: bool = False

    def at(self, number: int) -> str:
        """The location of a row: ``台账.xlsx!困境儿童:14``, ``户籍.csv:7``."""
        return f"{self.label}:{number}"

    @property
    def cell_ref(self) -> Callable[[int, int], str]:
        """How to name a cell in a reason: ``E14`` in a sheet, ``column 5`` in a CSV file."""
        if self.csv:
            return lambda column, _row: f"column {column + 1}"
        return lambda column, row: f"{column_letter(column)}{row}"


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
