"""Reading spreadsheets and CSV files: every case on a real file written by the test.

Workbooks are written with xlsxwriter (.xlsx) and xlwt (.xls), CSV files as
bytes, then read back through :func:`read_table` as a connector would.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
import xlwt
from pydantic import ValidationError

from connectors.core.records import RawRecord, RawReject
from connectors.errors import SourceError
from connectors.kinds.tabular import TableReadStats, TableSpec, list_headers, read_table
from connectors.standins.generate.tabular import generate_large
from tests.support.memory import peak_of

SPEC = TableSpec(
    columns={
        "village": ["村（居）", "所在村居"],
        "name": ["姓名", "儿童姓名"],
        "id_number": ["身份证号", "身份证号码", "公民身份号码"],
        "birth_date": ["出生日期"],
        "guardian_name": ["监护人情况/姓名", "监护人姓名"],
        "guardian_relation": ["关系", "与儿童关系"],
        "guardian_phone": ["监护人情况/联系电话", "联系电话"],
        "allowance": ["保障金额（元/月）"],
        "note": ["备注"],
    },
    required=["name", "id_number"],
    date_fields=["birth_date"],
    number_fields=["allowance"],
    id_fields=["id_number"],
    sheet_field="sheet",
)

ID_A = "370481201005031234"  # checksums are not this reader's concern
ID_B = "37048120110612345X"
ID_C = "370481201207083456"


def read(path: Path, spec: TableSpec = SPEC) -> tuple[list[RawRecord], list[RawReject]]:
    out = list(read_table(path, spec))
    return (
        [x for x in out if isinstance(x, RawRecord)],
        [x for x in out if isinstance(x, RawReject)],
    )


def write_xlsx(path: Path, build: Callable[[Any, Any], None]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    formats = {
        "date": book.add_format({"num_format": 'yyyy"年"m"月"d"日"'}),
        "text": book.add_format({"num_format": "@"}),
    }
    build(book, formats)
    book.close()
    return path


def ledger_sheet(book: Any, name: str, rows: list[list[Any]], fmt: dict[str, Any]) -> Any:
    """A ledger as 荆河街道 lays it out: title, 填报 line, a two-row header, village merged down."""
    ws = book.add_worksheet(name)
    ws.merge_range(0, 0, 0, 8, "滕州市荆河街道困境儿童基本情况台账")
    ws.merge_range(1, 0, 1, 3, "填报单位：荆河街道社会事务办（盖章）")
    ws.merge_range(1, 6, 1, 8, "填报日期：2026年3月5日")
    for column, text in enumerate(["序号", "村（居）", "姓 名", "身份证号", "出生\n日期"]):
        ws.merge_range(2, column, 3, column, text)
    ws.merge_range(2, 5, 2, 7, "监护人情况")
    ws.write_row(3, 5, ["姓名", "关系", "联系电话"])
    ws.merge_range(2, 8, 3, 8, "保障金额\n（元/月）")
    for offset, values in enumerate(rows):
        for column, value in enumerate(values):
            if isinstance(value, date):
                ws.write_datetime(4 + offset, column, datetime.combine(value, datetime.min.time()),
                                  fmt["date"])  # fmt: skip
            elif value is not None:
                ws.write(4 + offset, column, value)
    return ws


# --- workbooks ---------------------------------------------------------------------------


def test_a_ledger_with_titles_a_two_row_header_and_merged_villages(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        rows: list[list[Any]] = [
            [1, None, "张  伟", ID_A, date(2010, 5, 3), "张建国", "父亲", 13812345678, "1,180"],
            [2, None, "李梓涵", ID_B.lower(), "2011.6.12", "王秀兰", "祖母", "13912345678", 600.0],
            [3, None, "赵子轩", ID_C, "２０１２年７月８日", "赵军", "父亲", "", "６００"],
            [4, None, "孙雨萱", "370481201301011111", "20130101", "孙强", "父亲", "", ""],
            [5, None, "周浩宇", "370481201402022222", 41672, "周明", "父亲", "", 300],
            [6, "韩桥村", "吴佳怡", "370481201503033333", "2015-3-3", "吴平", "父亲", "", 300],
        ]
        ws = ledger_sheet(book, "困境儿童", rows, fmt)
        ws.merge_range(4, 1, 8, 1, "荆庄社区")  # one village over five children

    path = write_xlsx(tmp_path / "台账.xlsx", build)
    records, rejects = read(path)
    assert rejects == []
    assert [r.location for r in records] == [f"台账.xlsx!困境儿童:{n}" for n in range(5, 11)]
    first = records[0].data
    assert first == {
        "village": "荆庄社区",
        "name": "张伟",
        "id_number": ID_A,
        "birth_date": date(2010, 5, 3),
        "guardian_name": "张建国",
        "guardian_relation": "父亲",  # the leaf 关系 matches: no other column ends with it
        "guardian_phone": "13812345678",  # a number cell, read back without .0
        "allowance": 1180,
        "note": None,  # no 备注 column in this sheet
        "sheet": "困境儿童",
    }
    assert [r.data["village"] for r in records] == ["荆庄社区"] * 5 + ["韩桥村"]
    assert records[1].data["id_number"] == ID_B
    assert [r.data["birth_date"] for r in records] == [
        date(2010, 5, 3),
        date(2011, 6, 12),
        date(2012, 7, 8),
        date(2013, 1, 1),
        date(2014, 2, 2),  # an Excel serial typed as a plain number
        date(2015, 3, 3),
    ]
    assert [r.data["allowance"] for r in records] == [1180, 600, 600, None, 300, 300]
    headers = list_headers(path, SPEC)[0]
    assert headers.row == 3
    assert headers.headers[:6] == [
        "序号",
        "村（居）",
        "姓名",
        "身份证号",
        "出生日期",
        "监护人情况/姓名",
    ]
    assert headers.fields["guardian_relation"] == ["监护人情况/关系"]
    assert headers.missing == ["note"]


def test_a_leaf_shared_by_two_groups_needs_the_full_name(tmp_path: Path) -> None:
    spec = TableSpec(
        columns={"name": ["儿童姓名"], "id": ["身份证号"], "status": ["状况"]}, required=["name"]
    )

    def build(book: Any, fmt: dict[str, Any]) -> None:
        ws = book.add_worksheet("事实无人抚养儿童")
        ws.merge_range(0, 0, 1, 0, "儿童姓名")
        ws.merge_range(0, 1, 1, 1, "身份证号")
        ws.merge_range(0, 2, 0, 3, "父亲情况")
        ws.merge_range(0, 4, 0, 5, "母亲情况")
        ws.write_row(1, 2, ["姓名", "状况", "姓名", "状况"])
        ws.write_row(2, 0, ["李梓涵", ID_B, "李强", "服刑在押", "王芳", "失联"])

    path = write_xlsx(tmp_path / "ambiguous.xlsx", build)
    records, rejects = read(path, spec)
    assert records == []
    assert [r.location for r in rejects] == ["ambiguous.xlsx!事实无人抚养儿童:1"]
    assert "状况 could be 父亲情况/状况 or 母亲情况/状况" in rejects[0].reason
    fixed = spec.model_copy(update={"columns": {**spec.columns, "status": ["母亲情况/状况"]}})
    records, rejects = read(path, fixed)
    assert rejects == []
    assert records[0].data == {"name": "李梓涵", "id": ID_B, "status": "失联"}


def test_a_legacy_xls_with_merged_cells_and_date_cells(tmp_path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("困境儿童花名册")
    ws.write_merge(0, 0, 0, 5, "滨湖镇困境儿童花名册（2025年度）")
    ws.write(1, 0, "填报单位：滨湖镇人民政府（盖章）    填报时间：2025年12月28日")
    for column, text in enumerate(
        ["序号", "所在村居", "儿童姓名", "身份证号码", "出生日期", "备注"]
    ):
        ws.write(2, column, text)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write_merge(3, 5, 1, 1, "田桥村")
    for offset, (name, ident, birth) in enumerate(
        [("韩怡", ID_A, datetime(2010, 5, 3)), ("孙晨", ID_B, "2011.06.12"), ("许琪", ID_C, None)]
    ):
        ws.write(3 + offset, 0, offset + 1)
        ws.write(3 + offset, 2, name)
        ws.write(3 + offset, 3, ident)
        if isinstance(birth, datetime):
            ws.write(3 + offset, 4, birth, date_style)
        elif birth:
            ws.write(3 + offset, 4, birth)
    ws.write(6, 1, "小计")
    ws.write(6, 2, "3人")
    ws.write(7, 0, "合计")
    book.add_sheet("Sheet3")
    path = tmp_path / "滨湖镇.xls"
    book.save(str(path))
    stats = TableReadStats()
    out = list(read_table(path, SPEC, stats=stats))
    assert all(isinstance(x, RawRecord) for x in out)
    assert [(x.location, x.data["village"], x.data["name"], x.data["birth_date"]) for x in out] == [
        ("滨湖镇.xls!困境儿童花名册:4", "田桥村", "韩怡", date(2010, 5, 3)),
        ("滨湖镇.xls!困境儿童花名册:5", "田桥村", "孙晨", date(2011, 6, 12)),
        ("滨湖镇.xls!困境儿童花名册:6", "田桥村", "许琪", None),
    ]
    assert stats.footer_rows == 2
    assert stats.sheets_empty == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_table_that_does_not_start_at_a1(tmp_path: Path, suffix: str) -> None:
    # calamine yields columns from the first used one: the reader must put them back.
    rows = [["", "", "", ""], ["", "", "姓名", "身份证号"], ["", "", "王伟", ID_A]]
    path = tmp_path / f"offset{suffix}"
    if suffix == ".xlsx":
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("S")
        ws.write(2, 3, "姓名")
        ws.write(2, 4, "身份证号")
        ws.write(3, 3, "王伟")
        ws.write_string(3, 4, ID_A)
        ws.merge_range(4, 3, 5, 3, "李娜")
        ws.write_string(4, 4, ID_B)
        ws.write_string(5, 4, ID_C)
        book.close()
    else:
        legacy = xlwt.Workbook(encoding="utf-8")
        ws = legacy.add_sheet("S")
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value:
                    ws.write(r, c, value)
        ws.write_merge(4, 5, 3, 3, "李娜")
        ws.write(4, 4, ID_B)
        ws.write(5, 4, ID_C)
        legacy.save(str(path))
    records, rejects = read(path)
    assert rejects == []
    assert [(r.location, r.data["name"], r.data["id_number"]) for r in records] == [
        (f"offset{suffix}!S:4", "王伟", ID_A),
        (f"offset{suffix}!S:5", "李娜", ID_B),
        (f"offset{suffix}!S:6", "李娜", ID_C),
    ]


def test_totals_signatures_notes_and_blank_rows_are_skipped_not_rejected(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        ws = book.add_worksheet("困境儿童")
        ws.write(0, 0, "困境儿童台账")
        ws.write_row(1, 0, ["序号", "姓名", "身份证号", "出生日期", "保障金额（元/月）"])
        ws.write_row(2, 0, [1, "王伟", ID_A, "2010年5月3日", 600])
        ws.write_row(3, 0, ["小计", "1人", None, None, 600])
        ws.write_row(5, 0, [2, "李娜", ID_B, "2011年6月12日", 300])  # row 5 left blank
        ws.write_row(6, 0, ["", "/", "", "", ""])  # only a placeholder: blank
        ws.merge_range(7, 0, 7, 1, "合计")
        ws.write(7, 4, 900)
        ws.write(8, 0, "填表人：孙静　　审核人：王建华")
        ws.write(9, 1, "审核人：王建华")
        ws.merge_range(
            10, 0, 10, 4, "注：1.困境类型填写：低保家庭、特困供养；2.身份证号以文本格式录入。"
        )
        ws.write(11, 0, "说明：本表每季度更新一次。")
        ws.write(12, 0, "制表日期：2026年3月5日")

    path = write_xlsx(tmp_path / "footers.xlsx", build)
    stats = TableReadStats()
    out = list(read_table(path, SPEC, stats=stats))
    assert [x.location for x in out] == ["footers.xlsx!困境儿童:3", "footers.xlsx!困境儿童:6"]
    assert all(isinstance(x, RawRecord) for x in out)
    assert (stats.records, stats.rejects, stats.footer_rows, stats.blank_rows) == (2, 0, 7, 2)
    assert out[1].data["name"] == "李娜"


def test_a_bad_cell_rejects_its_row_with_the_column_cell_and_value(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        rows: list[list[Any]] = [
            [1, "荆庄社区", "王伟", ID_A, "2010年2月30日", "王强", "父亲", "", "六百元"],
            [2, "荆庄社区", "李娜", 3.70481201001011e17, "2011-6-12", "李强", "父亲", "", 600],
            [3, "荆庄社区", "赵敏", ID_C, "2012.7.8", "赵军", "父亲", "", 600],
        ]
        ledger_sheet(book, "困境儿童", rows, fmt)

    records, rejects = read(write_xlsx(tmp_path / "bad.xlsx", build))
    assert [r.location for r in records] == ["bad.xlsx!困境儿童:7"]
    assert [r.location for r in rejects] == ["bad.xlsx!困境儿童:5", "bad.xlsx!困境儿童:6"]
    assert rejects[0].reason == (
        "出生日期 (E5): '2010年2月30日' is not a valid date; "
        "保障金额（元/月） (I5): '六百元' is not a number"
    )
    assert rejects[1].reason.startswith(
        "身份证号 (D6): ID number lost precision (stored as a number): 3.70481201001011e+17"
    )
    assert rejects[0].data is not None
    assert rejects[0].data["name"] == "王伟"
    assert rejects[0].data["birth_date"] == "2010年2月30日"


def test_sheets_are_chosen_by_name_or_pattern_and_each_row_says_where(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        for name, ident in (("困境儿童", ID_A), ("孤儿", ID_B), ("留守儿童", ID_C)):
            ws = book.add_worksheet(name)
            ws.write_row(0, 0, ["姓名", "身份证号"])
            ws.write_row(1, 0, [f"{name}甲", ident])
        hidden = book.add_worksheet("数据字典")
        hidden.write_row(0, 0, ["姓名", "身份证号"])
        hidden.write_row(1, 0, ["隐藏", ID_A])
        hidden.hide()
        book.add_worksheet("Sheet5")

    path = write_xlsx(tmp_path / "sheets.xlsx", build)
    stats = TableReadStats()
    everything = list(read_table(path, SPEC, stats=stats))
    assert [x.location for x in everything] == [
        "sheets.xlsx!困境儿童:2",
        "sheets.xlsx!孤儿:2",
        "sheets.xlsx!留守儿童:2",
    ]
    assert [x.data["sheet"] for x in everything if isinstance(x, RawRecord)] == [
        "困境儿童",
        "孤儿",
        "留守儿童",
    ]
    assert (stats.sheets, stats.sheets_hidden, stats.sheets_empty) == (3, 1, 1)
    chosen = SPEC.model_copy(update={"sheets": ["困境*", "孤儿", "事实无人抚养儿童"]})
    records, rejects = read(path, chosen)
    assert [r.data["sheet"] for r in records] == ["困境儿童", "孤儿"]
    assert [r.location for r in rejects] == ["sheets.xlsx!事实无人抚养儿童"]
    assert "no sheet named '事实无人抚养儿童'" in rejects[0].reason
    hidden = SPEC.model_copy(update={"sheets": ["数据字典"], "include_hidden": True})
    assert [r.data["name"] for r in read(path, hidden)[0]] == ["隐藏"]


def test_a_sheet_with_wrong_headers_is_rejected_whole_and_the_others_are_read(
    tmp_path: Path,
) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        old = book.add_worksheet("困境儿童（2024旧表）")
        old.write(0, 0, "2024年困境儿童摸底表")
        old.write_row(1, 0, ["序号", "姓名", "性别", "年龄", "村（居）"])
        old.write_row(2, 0, [1, "王伟", "男", 12, "荆庄社区"])
        notes = book.add_worksheet("填表说明")
        notes.write(0, 0, "1. 每名儿童一行。")
        notes.write(1, 0, "2. 身份证号须为18位。")
        good = book.add_worksheet("困境儿童")
        good.write_row(0, 0, ["姓名", "身份证号"])
        good.write_row(1, 0, ["李娜", ID_B])

    path = write_xlsx(tmp_path / "wrong.xlsx", build)
    stats = TableReadStats()
    records, rejects = read(path)
    assert [r.location for r in records] == ["wrong.xlsx!困境儿童:2"]
    assert [r.location for r in rejects] == [
        "wrong.xlsx!困境儿童（2024旧表）:2",
        "wrong.xlsx!填表说明",
    ]
    assert rejects[0].reason == (
        "missing required column(s): 身份证号 (身份证号 / 身份证号码 / 公民身份号码); "
        "headers found on row 2: 序号, 姓名, 性别, 年龄, 村（居）"
    )
    assert rejects[1].reason.startswith("no header row found in the first 2 rows")
    list(read_table(path, SPEC, stats=stats))
    assert (stats.sheets, stats.sheets_rejected) == (1, 2)


def test_duplicate_headers_agree_or_reject_the_row(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        ws = book.add_worksheet("孤儿")
        ws.write_row(0, 0, ["姓名", "身份证号", "备注", "备注"])
        ws.write_row(1, 0, ["王伟", ID_A, "由祖父母照料", ""])
        ws.write_row(2, 0, ["李娜", ID_B, "", "已纳入重点关爱"])
        ws.write_row(3, 0, ["赵敏", ID_C, "同上", "同上"])
        ws.write_row(4, 0, ["孙晨", "370481201301011111", "由祖父母照料", "由姑姑照料"])

    records, rejects = read(write_xlsx(tmp_path / "dup.xlsx", build))
    assert [r.data["note"] for r in records] == ["由祖父母照料", "已纳入重点关爱", "同上"]
    assert [r.location for r in rejects] == ["dup.xlsx!孤儿:5"]
    assert rejects[0].reason == (
        "备注: the columns headed so disagree: C5 '由祖父母照料' / D5 '由姑姑照料'"
    )


def test_a_header_repeated_in_the_body_is_skipped(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        ws = book.add_worksheet("孤儿")
        ws.write(0, 0, "孤儿基本情况登记表")
        ws.write_row(1, 0, ["序号", "姓名", "身份证号"])
        ws.write_row(2, 0, [1, "王伟", ID_A])
        ws.write_row(3, 0, ["序号", "姓 名", "身份证号"])  # pasted with the next page
        ws.write_row(4, 0, [2, "李娜", ID_B])

    stats = TableReadStats()
    out = list(read_table(write_xlsx(tmp_path / "again.xlsx", build), SPEC, stats=stats))
    assert [x.location for x in out] == ["again.xlsx!孤儿:3", "again.xlsx!孤儿:5"]
    assert stats.repeated_headers == 1


def test_a_cut_off_workbook_is_a_source_error(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        ledger_sheet(book, "困境儿童", [[1, "荆庄社区", "王伟", ID_A]], fmt)

    whole = write_xlsx(tmp_path / "whole.xlsx", build).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(
        SourceError, match=r"cut\.xlsx: cannot read the workbook: the file is incomplete"
    ):
        list(read_table(cut, SPEC))


def test_a_damaged_sheet_is_rejected_and_the_others_are_read(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        for name, ident in (("困境儿童", ID_A), ("孤儿", ID_B)):
            ws = book.add_worksheet(name)
            ws.write_row(0, 0, ["姓名", "身份证号"])
            ws.write_row(1, 0, ["王伟", ident])

    good = write_xlsx(tmp_path / "good.xlsx", build)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML stops mid-way
            target.writestr(item, data)
    records, rejects = read(damaged)
    assert [r.location for r in records] == ["damaged.xlsx!孤儿:2"]
    assert [r.location for r in rejects] == ["damaged.xlsx!困境儿童"]
    assert rejects[0].reason.startswith("cannot read the sheet:")


def test_files_that_are_not_what_they_say(tmp_path: Path) -> None:
    html = tmp_path / "导出.xls"
    html.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>")
    with pytest.raises(SourceError, match=r"not a workbook but a web page saved as \.xls"):
        list(read_table(html, SPEC))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="the file is empty"):
        list(read_table(empty, SPEC))
    with pytest.raises(SourceError, match="no such file"):
        list(read_table(tmp_path / "missing.xlsx", SPEC))


# --- CSV --------------------------------------------------------------------------------


HEADER = "户号,姓名,公民身份号码,出生日期,父亲去向\r\n"
LINES = [
    f"370481001,王伟,\t{ID_A},20100503,外出务工\r\n",
    f"370481002,李梓涵,{ID_B.lower()},2011/6/12,在家\r\n",
    f"３７０４８１００３,赵子轩,{ID_C},２０１２-７-８,失联\r\n",
]
HOUSEHOLD = TableSpec(
    columns={
        "household": ["户号"],
        "name": ["姓名"],
        "id_number": ["公民身份号码"],
        "birth_date": ["出生日期"],
        "father": ["父亲去向"],
    },
    required=["name", "id_number"],
    date_fields=["birth_date"],
    id_fields=["id_number", "household"],
)
EXPECTED = [
    {"household": "370481001", "name": "王伟", "id_number": ID_A,
     "birth_date": date(2010, 5, 3), "father": "外出务工"},
    {"household": "370481002", "name": "李梓涵", "id_number": ID_B,
     "birth_date": date(2011, 6, 12), "father": "在家"},
    {"household": "370481003", "name": "赵子轩", "id_number": ID_C,
     "birth_date": date(2012, 7, 8), "father": "失联"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("gbk", b""), ("utf-8", codecs.BOM_UTF8), ("utf-8", b""), ("gb18030", b"")],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, bom: bytes) -> None:
    title = "滕州市公安局荆河派出所未成年人户籍信息,,,,\r\n"
    path = tmp_path / "户籍.csv"
    path.write_bytes(bom + (title + HEADER + "".join(LINES)).encode(encoding))
    records, rejects = read(path, HOUSEHOLD)
    assert rejects == []
    assert [r.data for r in records] == EXPECTED
    assert [r.location for r in records] == ["户籍.csv:3", "户籍.csv:4", "户籍.csv:5"]


def test_a_named_csv_encoding_is_used_and_gbk_means_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "户籍.csv"
    path.write_bytes(
        (HEADER + "".join(LINES)).encode("gb18030") + "370481004,𠀀,1,,\r\n".encode("gb18030")
    )
    spec = TableSpec.model_validate({**HOUSEHOLD.model_dump(), "encoding": "gbk"})
    assert spec.encoding == "gb18030"
    records, rejects = read(path, spec)
    assert rejects == []
    assert records[-1].data["name"] == "𠀀"  # beyond GBK: read because GB18030 is used


def test_a_csv_line_that_does_not_decode_is_rejected_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = [line.encode("gbk") for line in [HEADER, *LINES]]
    lines[2] = lines[2][:12] + b"\xff" + lines[2][12:]  # a byte lost in transmission
    path = tmp_path / "户籍.csv"
    path.write_bytes(b"".join(lines))
    records, rejects = read(path, HOUSEHOLD)
    assert [r.location for r in records] == ["户籍.csv:2", "户籍.csv:4"]
    assert [r.location for r in rejects] == ["户籍.csv:3"]
    assert rejects[0].reason.startswith("line 3: byte(s) ff at byte 13 not valid GB18030")
    assert rejects[0].data is not None
    assert rejects[0].data["father"] == "在家"  # what could be read is kept for the report


def test_a_utf8_file_with_one_bad_line_stays_utf8(tmp_path: Path) -> None:
    body = (HEADER + "".join(LINES * 4)).encode("utf-8")
    path = tmp_path / "户籍.csv"
    path.write_bytes(body.replace("李梓涵".encode(), "李梓涵".encode()[:-1], 1))
    records, rejects = read(path, HOUSEHOLD)
    assert [r.location for r in rejects] == ["户籍.csv:3"]
    assert "not valid UTF-8" in rejects[0].reason
    assert len(records) == 11
    assert records[0].data["name"] == "王伟"


def test_a_csv_cut_mid_line_rejects_the_cut_row(tmp_path: Path) -> None:
    text = HEADER + LINES[0] + LINES[1] + LINES[2][:20]
    path = tmp_path / "cut.csv"
    path.write_bytes(text.encode("utf-8"))
    records, rejects = read(path, HOUSEHOLD)
    assert [r.location for r in records] == ["cut.csv:2", "cut.csv:3"]
    assert [r.location for r in rejects] == ["cut.csv:4"]
    assert "the file ends in the middle of this row (3 of 5 cells)" in rejects[0].reason


def test_a_csv_cut_inside_quotes_and_broken_quoting(tmp_path: Path) -> None:
    text = (
        HEADER
        + LINES[0]
        + f'370481009,"王"伟"x,{ID_C},20100503,在家\r\n'
        + LINES[1]
        + f'370481005,孙晨,{ID_A},20130101,"外出务工\r\n江苏省苏'
    )
    path = tmp_path / "quotes.csv"
    path.write_bytes(text.encode("utf-8"))
    records, rejects = read(path, HOUSEHOLD)
    assert [r.location for r in records] == ["quotes.csv:2", "quotes.csv:4"]
    assert [r.location for r in rejects] == ["quotes.csv:3", "quotes.csv:5"]
    assert rejects[0].reason.startswith("line 3: broken quoting")
    assert rejects[1].reason == "lines 5-6: the file ends inside a quoted cell: cut off?"


def test_csv_cells_spanning_lines_extra_cells_and_a_two_row_header(tmp_path: Path) -> None:
    text = (
        "序号,姓名,身份证号,监护人情况,,\n"
        ",,,姓名,关系,联系电话\n"
        f'1,王伟,{ID_A},"王\n建国",父亲,13812345678\n'
        f"2,李娜,{ID_B},李强,父亲,13912345678,滕州市,荆河街道\n"
        f"3,赵敏,{ID_C},赵军,父亲,13712345678,,\n"
    )
    path = tmp_path / "two.csv"
    path.write_bytes(text.encode("utf-8"))
    records, rejects = read(path)
    assert [(r.location, r.data["guardian_name"], r.data["guardian_phone"]) for r in records] == [
        ("two.csv:3", "王建国", "13812345678"),
        ("two.csv:6", "赵军", "13712345678"),
    ]
    assert [r.location for r in rejects] == ["two.csv:5"]
    assert "the row has 8 cells but the header 6" in rejects[0].reason
    headers = list_headers(path, SPEC)[0]
    assert headers.headers == ["序号", "姓名", "身份证号", "监护人情况/姓名", "监护人情况/关系",
                               "监护人情况/联系电话"]  # fmt: skip


def test_utf16_csv_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + (HEADER + LINES[0]).encode("utf-16-le"))
    with pytest.raises(SourceError, match="UTF-16"):
        list(read_table(path, HOUSEHOLD))


def test_list_headers_without_a_spec(tmp_path: Path) -> None:
    def build(book: Any, fmt: dict[str, Any]) -> None:
        ledger_sheet(book, "困境儿童", [[1, "荆庄社区", "王伟", ID_A, "2010.5.3"]], fmt)
        book.add_worksheet("Sheet2")

    found = list_headers(write_xlsx(tmp_path / "inspect.xlsx", build))
    assert [(h.location, h.row, h.problem) for h in found] == [
        ("inspect.xlsx!困境儿童", 3, None),
        ("inspect.xlsx!Sheet2", None, "empty"),
    ]
    assert found[0].headers == [
        "序号", "村（居）", "姓名", "身份证号", "出生日期",
        "监护人情况/姓名", "监护人情况/关系", "监护人情况/联系电话", "保障金额（元/月）",
    ]  # fmt: skip


# --- the spec ---------------------------------------------------------------------------


def test_the_spec_refuses_what_cannot_work() -> None:
    with pytest.raises(ValidationError, match="date_fields names 'birth'"):
        TableSpec(columns={"name": ["姓名"]}, date_fields=["birth"])
    with pytest.raises(ValidationError, match="is given for both"):
        TableSpec(columns={"name": ["姓名"], "guardian": ["姓 名"]})
    with pytest.raises(ValidationError, match="unknown encoding"):
        TableSpec(columns={"name": ["姓名"]}, encoding="big-5-ish")
    with pytest.raises(ValidationError, match="in both date_fields and number_fields"):
        TableSpec(columns={"d": ["日期"]}, date_fields=["d"], number_fields=["d"])
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        TableSpec.model_validate({"columns": {"name": ["姓名"]}, "sheet": "x"})


# --- memory -----------------------------------------------------------------------------


def _peak(path: Path) -> tuple[int, int]:
    return peak_of(
        "from pathlib import Path\n"
        "from connectors.kinds.tabular import read_table\n"
        "from connectors.standins.generate.tabular import LARGE_SPEC\n"
        "list(read_table(Path(sys.argv[1]), LARGE_SPEC))  # warm up: caches, imports",
        "sum(1 for _ in read_table(Path(sys.argv[1]), LARGE_SPEC))",
        str(path),
    )


@pytest.fixture(scope="module")
def large_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("large")
    return {
        "csv-small": generate_large(folder / "small.csv", 2_000),
        "csv-large": generate_large(folder / "large.csv", 20_000),
        "xlsx-small": generate_large(folder / "small.xlsx", 1_000),
        "xlsx-large": generate_large(folder / "large.xlsx", 10_000),
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_memory_does_not_grow_with_the_file(large_files: dict[str, Path], kind: str) -> None:
    # Ten times the rows, not more memory. tracemalloc sees Python's
    # allocations only: calamine's Rust copy of an .xlsx sheet is outside it
    # (see _workbook.py), so this pins that the reader itself keeps nothing
    # per row. (Sizes are kept small because tracemalloc slows reading ~10x.)
    small, small_count = _peak(large_files[f"{kind}-small"])
    large, large_count = _peak(large_files[f"{kind}-large"])
    assert large_count == 10 * small_count
    assert large <= 1.5 * small, (small, large)
