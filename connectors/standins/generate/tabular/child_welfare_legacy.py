"""The child-welfare ledger of 滨湖镇, an office still saving Excel 97-2003 (.xls) files.

One-row headers worded differently from 荆河街道's (儿童姓名, 身份证号码, 月保障金
（元）), a 填报单位 line in one cell, the village merged down over its
children, a 小计 row under each village, dates as date cells and as text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlwt  # type: ignore[import-untyped]

from connectors.standins.generate.tabular.book import as_datetime, date_text
from connectors.standins.generate.tabular.child_welfare import Child, ledger_children
from connectors.standins.generate.tabular.expect import FileExpectation

BINHU_FILE = "滨湖镇儿童福利台账（2025年度）.xls"

_XLS_DATE = "YYYY-MM-DD"


class _XlsSheet:
    def __init__(self, book: Any, name: str) -> None:
        self.ws = book.add_sheet(name)
        self.name = name
        self.row = 0
        self.date = xlwt.easyxf(num_format_str=_XLS_DATE)
        self.title_style = xlwt.easyxf("font: bold on, height 320; align: horiz center")
        self.header_style = xlwt.easyxf("font: bold on; align: horiz center, wrap on")

    def write_row(self, values: list[Any]) -> None:
        for column, value in enumerate(values):
            if isinstance(value, date):
                self.ws.write(self.row, column, as_datetime(value), self.date)
            elif value is not None:
                self.ws.write(self.row, column, value)
        self.row += 1


def _binhu_sheet(
    book: Any,
    name: str,
    title: str,
    header: list[str],
    kids: list[Child],
    expect: FileExpectation,
    row_of: Any,
    faults: dict[int, tuple[int, Any, str]],
) -> None:
    sheet = _XlsSheet(book, name)
    sheet.ws.write_merge(0, 0, 0, len(header) - 1, title, sheet.title_style)
    sheet.ws.write(1, 0, "填报单位：滨湖镇人民政府（盖章）          填报时间：2025年12月28日")
    sheet.row = 2
    for column, text in enumerate(header):
        sheet.ws.write(sheet.row, column, text, sheet.header_style)
    sheet.row += 1
    where = f"{BINHU_FILE}!{name}"
    start = sheet.row
    for i, kid in enumerate(kids):
        values = row_of(i, kid)
        values[0] = i + 1
        if i in faults:
            column, value, fault = faults[i]
            values[column] = value
            expect.rejects[f"{where}:{sheet.row + 1}"] = fault
        values[1] = None  # the village is written merged below
        sheet.write_row(values)
        last_of_village = i + 1 == len(kids) or kids[i + 1].village != kid.village
        if last_of_village:
            if sheet.row - 1 > start:
                sheet.ws.write_merge(start, sheet.row - 1, 1, 1, kid.village)
            else:
                sheet.ws.write(start, 1, kid.village)
            count = sheet.row - start
            if len(kids) > 4:
                sheet.ws.write(sheet.row, 1, "小计")
                sheet.ws.write(sheet.row, 2, f"{count}人")
                sheet.row += 1
                expect.skip("footer_rows")
            start = sheet.row
    expect.records += len(kids) - len(faults)
    sheet.ws.write(sheet.row, 0, "合计")
    sheet.ws.write(sheet.row, 2, f"{len(kids)}人")
    expect.skip("footer_rows")


def write_binhu(path: Path) -> FileExpectation:
    """滨湖镇's ledger, saved as Excel 97-2003 (.xls); returns what reading it must give."""
    expect = FileExpectation(BINHU_FILE, "CHILD_WELFARE_SPEC")
    kids = ledger_children("370481104")
    book = xlwt.Workbook(encoding="utf-8")
    distress_header = [
        "序号",
        "所在村居",
        "儿童姓名",
        "性 别",
        "身份证号码",
        "出生日期",
        "困境类别",
        "户籍地址",
        "监护人姓名",
        "与儿童关系",
        "监护人电话",
        "纳入保障日期",
        "月保障金（元）",
        "就学情况",
        "备注",
    ]

    def distress_row(i: int, kid: Child) -> list[Any]:
        birth: Any = kid.birth if i % 2 else f"{kid.birth:%Y.%m.%d}"
        money: Any = f"{kid.allowance}.00" if i % 3 == 0 else kid.allowance
        ident = kid.id_number
        if i == 5:
            ident = f"{ident[:6]} {ident[6:14]} {ident[14:]}"
        enrolled: Any = kid.enrolled if i % 2 == 0 else date_text(kid.enrolled, i)
        return [
            0,
            kid.village,
            kid.name,
            kid.gender,
            ident,
            birth,
            kid.detail,
            kid.address,
            kid.guardian,
            kid.relation,
            kid.phone or "",
            enrolled,
            money,
            kid.school,
            "",
        ]

    distress = kids["困境儿童"]
    _binhu_sheet(
        book,
        "困境儿童花名册",
        "滨湖镇困境儿童花名册（2025年度）",
        distress_header,
        distress,
        expect,
        distress_row,
        {
            2: (4, float(distress[2].id_number[:17] + "0"), "ID number typed into a number cell"),
            10: (5, f"{distress[10].birth.year}年{distress[10].birth.month}月", "birth month only"),
        },
    )
    other_header = [
        "序号",
        "所在村居",
        "儿童姓名",
        "性别",
        "身份证号码",
        "出生日期",
        "孤儿类型",
        "监护人姓名",
        "与儿童关系",
        "监护人电话",
        "月保障金（元）",
        "纳入保障日期",
        "备注",
    ]

    def other_row(i: int, kid: Child) -> list[Any]:
        return [
            0,
            kid.village,
            kid.name,
            kid.gender,
            kid.id_number,
            kid.birth,
            kid.detail,
            kid.guardian,
            kid.relation,
            kid.phone or "",
            kid.allowance,
            kid.enrolled,
            "",
        ]

    _binhu_sheet(book, "孤儿", "滨湖镇孤儿名册", other_header, kids["孤儿"], expect, other_row, {})
    unsupported_header = [*other_header[:6], *other_header[7:]]

    def unsupported_row(i: int, kid: Child) -> list[Any]:
        row = other_row(i, kid)
        del row[6]
        row[-1] = f"父亲{kid.father[1]}，母亲{kid.mother[1]}"
        return row

    _binhu_sheet(
        book,
        "事实无人抚养儿童",
        "滨湖镇事实无人抚养儿童名册",
        unsupported_header,
        kids["事实无人抚养儿童"],
        expect,
        unsupported_row,
        {},
    )
    book.add_sheet("Sheet3")
    book.save(str(path))
    return expect
