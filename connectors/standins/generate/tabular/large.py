"""Large ledger files for memory tests and benchmarks: ``generate_large(path, rows)``.

The layout is a ledger's (a title row, then the header; valid ID numbers,
dates as text and as date cells, money as text and numbers) so reading it
exercises the same cleaning as a real file. The format follows the suffix:
``.csv`` (UTF-8 with BOM), ``.xlsx`` (xlsxwriter in constant-memory mode, so a
million rows are written in flat memory) or ``.xls`` (xlwt; a sheet holds at
most 65,536 rows, so rows are spread over sheets of 60,000).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from connectors.kinds.tabular import TableSpec
from connectors.standins.generate.common import id_check

HEADER = ["序号", "村（居）", "姓名", "性别", "身份证号", "出生日期", "类别", "监护人", "联系电话",
          "保障金额（元/月）", "备注"]  # fmt: skip
TITLE = "滕州市困境儿童基本情况台账（测试用大文件）"
XLS_SHEET_ROWS = 60_000

#: How :func:`generate_large`'s files are read.
LARGE_SPEC = TableSpec(
    columns={
        "village": ["村（居）"],
        "name": ["姓名"],
        "gender": ["性别"],
        "id_number": ["身份证号"],
        "birth_date": ["出生日期"],
        "category": ["类别"],
        "guardian_name": ["监护人"],
        "guardian_phone": ["联系电话"],
        "allowance": ["保障金额（元/月）"],
        "note": ["备注"],
    },
    required=["name", "id_number"],
    date_fields=["birth_date"],
    number_fields=["allowance"],
    id_fields=["id_number"],
    sheet_field="sheet",
)

_VILLAGES = ("荆庄社区", "魏庄社区", "蕃阳社区", "西南园社区", "城南社区", "韩桥村", "鲁西村")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马"
_GIVEN = "子轩浩宇俊博文泽航睿诺晨阳梓豪铭煜嘉皓欣怡雨萱诗琪佳可馨若曦语桐思彤梦瑶"
_CATEGORIES = ("困境儿童", "留守儿童", "事实无人抚养儿童", "孤儿")
_FIRST_BIRTH = date(2008, 1, 1)


def _row(i: int) -> tuple[list[Any], date]:
    birth = _FIRST_BIRTH + timedelta(days=(i * 7919) % 5000)
    male = i % 2 == 1
    first17 = f"370481{birth:%Y%m%d}{(i % 500) * 2 + male:03d}"
    name = (
        _SURNAMES[i % len(_SURNAMES)]
        + _GIVEN[(i * 7) % len(_GIVEN)]
        + _GIVEN[(i * 13) % len(_GIVEN)]
    )
    money: Any = 600.0 if i % 3 else "1,180"
    values = [
        i,
        _VILLAGES[i % 7],
        name,
        "男" if male else "女",
        first17 + id_check(first17),
        "",
        _CATEGORIES[i % 4],
        _SURNAMES[(i + 3) % len(_SURNAMES)] + "秀兰",
        f"138{i % 10**8:08d}",
        money,
        "",
    ]
    return values, birth


def _date_text(birth: date, i: int) -> str:
    return f"{birth.year}年{birth.month}月{birth.day}日" if i % 2 else f"{birth:%Y-%m-%d}"


def _rows(count: int) -> Iterator[tuple[list[Any], date]]:
    for i in range(1, count + 1):
        yield _row(i)


def generate_large(path: Path, rows: int) -> Path:
    """Write a ledger of ``rows`` children to ``path`` (.csv, .xlsx or .xls); returns ``path``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _csv(path, rows)
    elif suffix == ".xlsx":
        _xlsx(path, rows)
    elif suffix == ".xls":
        _xls(path, rows)
    else:
        raise ValueError(f"generate_large writes .csv, .xlsx or .xls, not {suffix!r}")
    return path


def _csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([TITLE] + [""] * (len(HEADER) - 1))
        writer.writerow(HEADER)
        for i, (values, birth) in enumerate(_rows(count), start=1):
            values[5] = _date_text(birth, i)
            writer.writerow(values)


def _xlsx(path: Path, count: int) -> None:
    import xlsxwriter  # type: ignore[import-untyped]  # a development dependency

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": datetime(2026, 3, 5, 9, 0)})
    sheet = book.add_worksheet("困境儿童")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write(0, 0, TITLE)
    sheet.write_row(1, 0, HEADER)
    for i, (values, birth) in enumerate(_rows(count), start=1):
        row = i + 1
        sheet.write_row(row, 0, values)
        if i % 3 == 0:
            sheet.write_datetime(row, 5, datetime(birth.year, birth.month, birth.day), date_format)
        else:
            sheet.write_string(row, 5, _date_text(birth, i))
    book.close()


def _xls(path: Path, count: int) -> None:
    import xlwt  # type: ignore[import-untyped]  # a development dependency

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet: Any = None
    row = 0
    for i, (values, birth) in enumerate(_rows(count), start=1):
        if (i - 1) % XLS_SHEET_ROWS == 0:
            sheet = book.add_sheet(f"困境儿童{(i - 1) // XLS_SHEET_ROWS + 1}")
            sheet.write(0, 0, TITLE)
            for column, text in enumerate(HEADER):
                sheet.write(1, column, text)
            row = 2
        for column, value in enumerate(values):
            if value != "":
                sheet.write(row, column, value)
        if i % 3 == 0:
            sheet.write(row, 5, datetime(birth.year, birth.month, birth.day), date_style)
        else:
            sheet.write(row, 5, _date_text(birth, i))
        row += 1
    if sheet is None:
        book.add_sheet("困境儿童1")
    book.save(str(path))
