"""What a read skipped without rejecting, counted for the run's report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TableReadStats:
    """Counts of one or more :func:`read_table` calls (pass the same object to add up).

    Skipped rows are not data (blank rows, totals, signatures, notes, a header
    repeated on every printed page) and are not rejects; counting them shows
    nothing was silently lost.
    """

    sheets: int = 0  # sheets (or CSV files) whose header was found and body read
    sheets_rejected: int = 0  # rejected whole: no header, a required column missing
    sheets_empty: int = 0  # sheets with no cell at all (Sheet2, Sheet3)
    sheets_hidden: int = 0  # hidden sheets left out (include_hidden=False)
    records: int = 0
    rejects: int = 0  # rows rejected (a sheet rejected whole counts in sheets_rejected)
    blank_rows: int = 0
    footer_rows: int = 0  # 合计, 小计, 审核人, 填表人, 注：…
    repeated_headers: int = 0
