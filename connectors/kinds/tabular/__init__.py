"""Spreadsheets and CSV files as sources: ledgers, project sheets, registry extracts.

::

    spec = TableSpec(
        columns={
            "name": ["姓名", "儿童姓名"],
            "id_number": ["身份证号", "公民身份号码"],
            "birth_date": ["出生日期", "出生年月日"],
            "guardian_name": ["监护人情况/姓名", "监护人姓名"],
        },
        required=["name", "id_number"],
        date_fields=["birth_date"],
        id_fields=["id_number"],
        sheet_field="category",
    )
    for extracted in read_table(Path("荆河街道儿童福利台账.xlsx"), spec):
        ...  # RawRecord(data, "荆河街道儿童福利台账.xlsx!困境儿童:5") or RawReject

Reads ``.xlsx`` and legacy ``.xls`` (calamine) and ``.csv`` (UTF-8 with or
without BOM, or GB18030/GBK), finds the header under title rows, combines
two-row headers, fills merged cells, skips totals and notes, cleans
full-width text, dates, numbers and ID numbers. See
:mod:`connectors.kinds.tabular._reader` for what becomes a record, a reject
or a :class:`~connectors.errors.SourceError`.
"""

from __future__ import annotations

from connectors.kinds.tabular._reader import SheetHeaders, list_headers, read_table
from connectors.kinds.tabular._spec import DEFAULT_FOOTERS, TableSpec
from connectors.kinds.tabular._stats import TableReadStats

__all__ = [
    "DEFAULT_FOOTERS",
    "SheetHeaders",
    "TableReadStats",
    "TableSpec",
    "list_headers",
    "read_table",
]
