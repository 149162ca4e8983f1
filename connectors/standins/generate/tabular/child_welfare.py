"""Samples of the child-welfare ledgers (儿童福利台账): the children, and 荆河街道's .xlsx.

The children are those of the civil-affairs platform's samples (same names,
ID numbers, villages and guardians: a town office keeps its ledger of the
children in its care), plus a few the platform does not list. Each file is
laid out as its office does it, mess included:

- 荆河街道 (.xlsx): a title row, a 填报单位/填报日期 row, two-row headers with
  merged groups (监护人情况 over 姓名 | 关系 | 联系电话), village names merged
  down, dates six ways and as date cells, full-width digits, names padded
  with spaces, money as text with thousands separators, a blank row, totals,
  signatures and notes, an old sheet without ID numbers, an instructions
  sheet, a hidden lookup sheet, empty sheets, a pasted-in second header and
  a duplicated 备注 column;
- 滨湖镇 (.xls, Excel 97-2003, in :mod:`.child_welfare_legacy`): one-row
  headers worded differently, 小计 rows under each village, dates as date
  cells and text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from connectors.standins.generate.common import (
    birth_between,
    person_name,
    phone,
    resident_id,
    villages,
)
from connectors.standins.generate.tabular.book import (
    Formats,
    as_datetime,
    date_text,
    full_width,
    new_workbook,
    padded,
    platform_children,
    registered_birth,
    rng_for,
)
from connectors.standins.generate.tabular.expect import FileExpectation

JINGHE_FILE = "荆河街道儿童福利台账.xlsx"

_DISTRESS = ("低保家庭", "特困供养", "重病", "重残", "监护缺失")
_PARENT_STATUS = ("服刑在押", "失联", "重残", "死亡", "强制隔离戒毒")


@dataclass
class Child:
    village: str
    name: str
    gender: str
    id_number: str
    birth: date
    detail: str
    address: str
    guardian: str
    relation: str
    phone: str | None
    enrolled: date
    allowance: int
    school: str
    health: str
    father: tuple[str, str]
    mother: tuple[str, str]


def _from_platform(record: dict[str, Any], short: dict[str, str], rng: random.Random) -> Child:
    guardians = record["guardians"] or [
        {"name": "", "relation": "", "phone": None, "whereabouts": ""}
    ]
    first = guardians[0]
    father = next((g for g in guardians if g["relation"] == "父亲"), None)
    category = record["primary_category"]
    birth = registered_birth(record)
    mother_name = person_name(rng, "女", max(1975, birth.year - 30))
    return Child(
        village=short[record["village_code"]],
        name=record["name"],
        gender=record["gender"],
        id_number=record["id_number"],
        birth=birth,
        detail=_detail(category, record, rng),
        address=record["household_address"] or "",
        guardian=first["name"],
        relation=first["relation"],
        phone=first["phone"],
        enrolled=date.fromisoformat(record["enrolled_date"]),
        allowance=_allowance(category, rng),
        school=record["school_status"] or "",
        health=record["health"] or "",
        father=(father["name"], father["whereabouts"]) if father else ("", ""),
        mother=(mother_name, rng.choice(_PARENT_STATUS[:3])),
    )


def _detail(category: str, record: dict[str, Any], rng: random.Random) -> str:
    if category == "孤儿":
        return rng.choice(("社会散居", "社会散居", "集中供养"))
    if category == "事实无人抚养儿童":
        return "父母双方情形"
    if record.get("disability"):
        return "重残"
    if record.get("health") not in (None, "健康"):
        return "重病"
    return rng.choice(_DISTRESS[:2] + _DISTRESS[4:])


def _allowance(category: str, rng: random.Random) -> int:
    if category in ("孤儿", "事实无人抚养儿童"):
        return 1380
    return int(rng.choice((300, 450, 600, 780, 1180)))


def _extra(rng: random.Random, village: str, address_town: str, category: str) -> Child:
    """A child the platform does not list (yet)."""
    gender = rng.choice(("男", "女"))
    birth = birth_between(rng, 2010, 2021)
    surname = person_name(rng, "男", 1980)[0]
    elder = rng.choice(("女", "男"))
    return Child(
        village=village,
        name=person_name(rng, gender, birth.year, surname),
        gender=gender,
        id_number=resident_id(rng, birth, gender),
        birth=birth,
        detail=_detail(category, {}, rng),
        address=f"山东省滕州市{address_town}{village}{rng.randint(1, 99)}号",
        guardian=person_name(rng, elder, 1958, surname if elder == "男" else ""),
        relation="祖母" if elder == "女" else "祖父",
        phone=phone(rng),
        enrolled=date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
        allowance=_allowance(category, rng),
        school="在校" if birth.year < 2020 else "学龄前",
        health="健康",
        father=(person_name(rng, "男", 1984, surname), rng.choice(_PARENT_STATUS)),
        mother=(person_name(rng, "女", 1986), rng.choice(_PARENT_STATUS[:3])),
    )


def ledger_children(town_code: str) -> dict[str, list[Child]]:
    """The town's children by ledger category, in village order."""
    rng = rng_for(f"child_welfare:{town_code}")
    places = [v for v in villages() if v.town_code == town_code]
    short = {v.code: v.short_name for v in places}
    order = {v.code: i for i, v in enumerate(places)}
    platform = [c for c in platform_children() if c["town_code"] == town_code]
    platform.sort(key=lambda c: (order[c["village_code"]], c["child_id"]))
    out: dict[str, list[Child]] = {"困境儿童": [], "事实无人抚养儿童": [], "孤儿": []}
    for record in platform:
        if record["primary_category"] in out:
            out[record["primary_category"]].append(_from_platform(record, short, rng))
    extras = {"困境儿童": 4, "事实无人抚养儿童": 2, "孤儿": 4 if not out["孤儿"] else 1}
    for category, count in extras.items():
        for _ in range(count):
            village = rng.choice(places)
            child = _extra(rng, village.short_name, village.town_name, category)
            position = max(
                (i + 1 for i, c in enumerate(out[category]) if c.village == village.short_name),
                default=len(out[category]),
            )
            out[category].insert(position, child)
    return out


# --- 荆河街道: .xlsx ---------------------------------------------------------------


class _Sheet:
    """A worksheet being written row by row, its rows numbered as Excel numbers them."""

    def __init__(self, workbook: Any, name: str, formats: Formats) -> None:
        self.ws = workbook.add_worksheet(name)
        self.name = name
        self.f = formats
        self.row = 0  # 0-based index of the next row

    @property
    def number(self) -> int:
        """The 1-based number of the next row."""
        return self.row + 1

    def title(self, text: str, width: int) -> None:
        self.ws.merge_range(self.row, 0, self.row, width - 1, text, self.f.title)
        self.ws.set_row(self.row, 30)
        self.row += 1

    def two_row_header(self, spec: list[str | tuple[str, list[str]]]) -> None:
        column = 0
        for item in spec:
            if isinstance(item, str):
                self.ws.merge_range(self.row, column, self.row + 1, column, item, self.f.header)
                column += 1
            else:
                group, leaves = item
                last = column + len(leaves) - 1
                self.ws.merge_range(self.row, column, self.row, last, group, self.f.header)
                for offset, leaf in enumerate(leaves):
                    self.ws.write(self.row + 1, column + offset, leaf, self.f.header)
                column = last + 1
        self.row += 2

    def header(self, names: list[str]) -> None:
        self.ws.write_row(self.row, 0, names, self.f.header)
        self.row += 1

    def merge_down(self, column: int, first: int, last: int, value: str) -> None:
        """Merge rows ``first``..``last`` (0-based) of a column, as a village's cell."""
        if last > first:
            self.ws.merge_range(first, column, last, column, value, self.f.cell)
        else:
            self.ws.write(first, column, value, self.f.cell)


def _date_cell(sheet: _Sheet, column: int, day: date, style: int, wide: bool = False) -> None:
    if style % 6 == 5:
        sheet.ws.write_datetime(sheet.row, column, as_datetime(day), sheet.f.date)
        return
    text = date_text(day, style)
    sheet.ws.write_string(sheet.row, column, full_width(text) if wide else text, sheet.f.text)


def _village_merges(sheet: _Sheet, column: int, rows: list[tuple[int, str]]) -> None:
    """Merge each run of equal village names (0-based rows) down the column."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][1] != rows[start][1] or rows[i][0] != rows[i - 1][0] + 1:
            sheet.merge_down(column, rows[start][0], rows[i - 1][0], rows[start][1])
            start = i


def _footer(sheet: _Sheet, width: int, expect: FileExpectation, lines: list[str]) -> None:
    for text in lines:
        sheet.ws.merge_range(sheet.row, 0, sheet.row, width - 1, text, sheet.f.note)
        sheet.row += 1
        expect.skip("footer_rows")


def _distress_sheet(book: Any, f: Formats, kids: list[Child], expect: FileExpectation) -> None:
    sheet = _Sheet(book, "困境儿童", f)
    width = 16
    sheet.title("滕州市荆河街道困境儿童基本情况台账", width)
    sheet.ws.merge_range(1, 0, 1, 7, "填报单位：荆河街道社会事务办公室（盖章）")
    sheet.ws.merge_range(1, 11, 1, 15, "填报日期：2026年3月5日")
    sheet.row = 2
    sheet.two_row_header(
        [
            "序号",
            "村（居）",
            "姓 名",
            "性别",
            "身份证号",
            "出生日期",
            "困境类型",
            "家庭住址",
            ("监护人情况", ["姓名", "关系", "联系电话"]),
            "纳入时间",
            "保障金额\n（元/月）",
            "就学情况",
            "健康状况",
            "备注",
        ]
    )
    where = f"{JINGHE_FILE}!困境儿童"
    villages_at: list[tuple[int, str]] = []
    gap = next(i for i in range(6, len(kids)) if kids[i].village != kids[i - 1].village)
    for i, kid in enumerate(kids):
        if i == gap:
            sheet.row += 1  # a blank row left between two villages' groups
            expect.skip("blank_rows")
        w = sheet.ws
        r = sheet.row
        villages_at.append((r, kid.village))
        w.write_number(r, 0, i + 1, f.cell)
        w.write_string(r, 2, padded(kid.name) if i % 3 == 0 else kid.name, f.cell)
        w.write_string(r, 3, kid.gender + (" " if i == 4 else ""), f.cell)
        if i == 3:
            w.write_number(r, 4, float(kid.id_number[:17] + "0"), f.cell)
            expect.rejects[f"{where}:{r + 1}"] = "ID number typed into a number cell"
        elif i == 5:
            w.write_string(r, 4, full_width(kid.id_number), f.text)
        elif i == 8:
            w.write_string(r, 4, f"{kid.id_number[:6]} {kid.id_number[6:14]} {kid.id_number[14:]}")
        else:
            w.write_string(r, 4, kid.id_number, f.text)
        if i == 9:
            w.write_string(r, 5, f"{kid.birth.year}年2月30日", f.text)
            expect.rejects[f"{where}:{r + 1}"] = "impossible birth date"
        else:
            _date_cell(sheet, 5, kid.birth, i, wide=i == 11)
        w.write_string(r, 6, kid.detail, f.cell)
        w.write_string(r, 7, kid.address, f.cell)
        w.write_string(r, 8, kid.guardian, f.cell)
        w.write_string(r, 9, kid.relation, f.cell)
        if kid.phone and i % 4 == 1:
            w.write_number(r, 10, int(kid.phone), f.cell)  # Excel shows 1.38123E+10
        else:
            w.write_string(r, 10, kid.phone or "", f.cell)
        _date_cell(sheet, 11, kid.enrolled, i + 2)
        if i == 14:
            w.write_string(r, 12, "六百元", f.cell)
            expect.rejects[f"{where}:{r + 1}"] = "allowance written in Chinese numerals"
        elif i % 3 == 0:
            w.write_string(r, 12, f"{kid.allowance:,}", f.text)
        elif i % 3 == 1:
            w.write_string(r, 12, full_width(str(kid.allowance)), f.text)
        else:
            w.write_number(r, 12, float(kid.allowance), f.cell)
        w.write_string(r, 13, kid.school, f.cell)
        w.write_string(r, 14, kid.health, f.cell)
        w.write_string(r, 15, "平台未录入" if kid.enrolled.year == 2024 else "", f.cell)
        sheet.row += 1
    _village_merges(sheet, 1, villages_at)
    expect.records += len(kids) - 3
    total = sum(k.allowance for k in kids)
    sheet.ws.merge_range(sheet.row, 0, sheet.row, 1, "合计", f.cell)
    sheet.ws.write_string(sheet.row, 2, f"{len(kids)}人", f.cell)
    sheet.ws.write_number(sheet.row, 12, total, f.cell)
    sheet.row += 2  # the total, then a blank line above the signatures
    expect.skip("footer_rows")
    expect.skip("blank_rows")
    _footer(
        sheet,
        width,
        expect,
        [
            "填表人：孙静    审核人：王建华    联系电话：0632-5512306",
            "注：1.困境类型填写：低保家庭、特困供养、重病、重残、监护缺失；"
            "2.身份证号请以文本格式录入；3.本表每季度更新一次。",
        ],
    )


def _unsupported_sheet(book: Any, f: Formats, kids: list[Child], expect: FileExpectation) -> None:
    sheet = _Sheet(book, "事实无人抚养儿童", f)
    width = 17
    sheet.title("荆河街道事实无人抚养儿童台账", width)
    sheet.ws.merge_range(1, 0, 1, 3, "单位：荆河街道（盖章）")
    sheet.ws.merge_range(1, 13, 1, 16, "统计时间：2026年2月底")
    sheet.row = 2
    sheet.two_row_header(
        [
            "序号",
            "镇街",
            "村（居）",
            "儿童姓名",
            "性别",
            "公民身份号码",
            "出生日期",
            ("父亲情况", ["姓名", "状况"]),
            ("母亲情况", ["姓名", "状况"]),
            ("照料人情况", ["姓名", "关系", "联系电话"]),
            "纳入保障日期",
            "保障金额（元/月）",
            "备注",
        ]
    )
    where = f"{JINGHE_FILE}!事实无人抚养儿童"
    first = sheet.row
    villages_at: list[tuple[int, str]] = []
    for i, kid in enumerate(kids):
        w, r = sheet.ws, sheet.row
        villages_at.append((r, kid.village))
        w.write_number(r, 0, i + 1, f.cell)
        w.write_string(r, 3, kid.name, f.cell)
        w.write_string(r, 4, kid.gender, f.cell)
        if i == 2:
            w.write_string(r, 5, f"{float(kid.id_number[:17] + '0'):.5E}")
            expect.rejects[f"{where}:{r + 1}"] = "ID number in scientific notation (re-saved)"
        elif i == 4:
            w.write_string(r, 5, kid.id_number[:17] + kid.id_number[17].lower(), f.text)
        else:
            w.write_string(r, 5, kid.id_number, f.text)
        _date_cell(sheet, 6, kid.birth, i + 1)
        w.write_string(r, 7, kid.father[0], f.cell)
        w.write_string(r, 8, kid.father[1], f.cell)
        w.write_string(r, 9, kid.mother[0], f.cell)
        w.write_string(r, 10, kid.mother[1], f.cell)
        w.write_string(r, 11, kid.guardian, f.cell)
        w.write_string(r, 12, kid.relation, f.cell)
        w.write_string(r, 13, kid.phone or "", f.cell)
        if i == 6:
            w.write_string(r, 14, "2025年", f.cell)
            expect.rejects[f"{where}:{r + 1}"] = "enrolment date with the year only"
        else:
            _date_cell(sheet, 14, kid.enrolled, i + 3)
        w.write_number(r, 15, kid.allowance, f.cell)
        w.write_string(r, 16, "", f.cell)
        sheet.row += 1
    sheet.merge_down(1, first, sheet.row - 1, "荆河街道")  # one town: merged all the way down
    _village_merges(sheet, 2, villages_at)
    expect.records += len(kids) - 2
    _footer(
        sheet, width, expect, [f"合计：{len(kids)}人", "注：父母状况以派出所、法院等部门核实为准。"]
    )


def _orphan_sheet(book: Any, f: Formats, kids: list[Child], expect: FileExpectation) -> None:
    sheet = _Sheet(book, "孤儿", f)
    names = [
        "序号",
        "村（居）",
        "姓名",
        "性别",
        "身份证号码",
        "出生年月日",
        "孤儿类型",
        "监护人",
        "与儿童关系",
        "联系电话",
        "基本生活费（元/月）",
        "发放起始时间",
        "备注",
        "备注",  # a second 备注 column, pasted in from another office's sheet
    ]
    sheet.title("荆河街道孤儿基本情况登记表", len(names))
    sheet.header(names)
    where = f"{JINGHE_FILE}!孤儿"
    villages_at: list[tuple[int, str]] = []
    for i, kid in enumerate(kids):
        if i == 3:
            sheet.header(names)  # the header pasted again with the next office's rows
            expect.skip("repeated_headers")
        w, r = sheet.ws, sheet.row
        villages_at.append((r, kid.village))
        w.write_number(r, 0, i + 1, f.cell)
        w.write_string(r, 2, kid.name, f.cell)
        w.write_string(r, 3, kid.gender, f.cell)
        w.write_string(r, 4, kid.id_number, f.text)
        w.write_datetime(r, 5, as_datetime(kid.birth), f.iso_date)
        w.write_string(r, 6, kid.detail, f.cell)
        w.write_string(r, 7, kid.guardian, f.cell)
        w.write_string(r, 8, kid.relation, f.cell)
        w.write_string(r, 9, kid.phone or "", f.cell)
        w.write_number(r, 10, kid.allowance, f.cell)
        w.write_datetime(r, 11, as_datetime(kid.enrolled), f.date)
        if i == 1:
            w.write_string(r, 12, "由祖父母照料", f.cell)
            w.write_string(r, 13, "由姑姑照料", f.cell)
            expect.rejects[f"{where}:{r + 1}"] = "the two 备注 columns disagree"
        elif i == 2:
            w.write_string(r, 13, "已纳入重点关爱", f.cell)
        sheet.row += 1
    _village_merges(sheet, 1, villages_at)
    expect.records += len(kids) - 1
    _footer(sheet, len(names), expect, ["填表人：孙静        审核人：王建华"])


def _old_sheet(book: Any, f: Formats, expect: FileExpectation) -> None:
    sheet = _Sheet(book, "困境儿童（2024旧表）", f)
    sheet.title("2024年困境儿童摸底表", 6)
    sheet.header(["序号", "姓名", "性别", "年龄", "村居", "困难情况"])
    rng = rng_for("child_welfare:old-sheet")
    for i in range(5):
        gender = rng.choice(("男", "女"))
        sheet.ws.write_row(
            sheet.row,
            0,
            [i + 1, person_name(rng, gender, 2012), gender, rng.randint(4, 15), "城南社区", "低保"],
        )
        sheet.row += 1
    expect.sheet_rejects[f"{JINGHE_FILE}!困境儿童（2024旧表）:2"] = (
        "an old sheet without the ID-number column"
    )


def write_jinghe(path: Path) -> FileExpectation:
    """荆河街道's ledger workbook; returns what reading it must give."""
    expect = FileExpectation(JINGHE_FILE, "CHILD_WELFARE_SPEC")
    kids = ledger_children("370481001")
    book = new_workbook(str(path))
    f = Formats(book)
    _distress_sheet(book, f, kids["困境儿童"], expect)
    _unsupported_sheet(book, f, kids["事实无人抚养儿童"], expect)
    _orphan_sheet(book, f, kids["孤儿"], expect)
    _old_sheet(book, f, expect)
    notes = book.add_worksheet("填表说明")
    notes.write(0, 0, "填表说明")
    notes.write(1, 0, "1. 每名儿童一行，身份证号须为18位，请以文本格式录入。")
    notes.write(2, 0, "2. 出生日期、纳入时间统一填写为“2023年5月1日”格式。")
    lookup = book.add_worksheet("数据字典")
    lookup.write_column(0, 0, ["低保家庭", "特困供养", "重病", "重残", "监护缺失"])
    lookup.hide()
    book.add_worksheet("Sheet5")
    book.close()
    return expect
