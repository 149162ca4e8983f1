"""Samples of the household-registration extracts (户籍信息): two police stations' CSV files.

Each extract lists the minors registered in the station's area with where
their parents are (在家, 外出务工 and where, 服刑, 失联, 死亡): the signal for
left-behind children and for children nobody reported yet. The children of
the civil-affairs samples are in them, with others the platform does not know.

- 荆河派出所: GBK (what the police system exports), CRLF, a title and an
  export-time line above the header, ID numbers behind a tab (to keep Excel
  from mangling them), one in scientific notation, compact dates, full-width
  digits, a line of empty cells, a line with a byte that is not GBK, a 共计 line;
- 官桥派出所: UTF-8 with BOM, LF, headers worded differently, an address with a
  comma and a line break (quoted), one with a comma not quoted, and the file
  cut off in its last line (the export was interrupted).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from connectors.standins.generate.common import (
    birth_between,
    person_name,
    resident_id,
    villages,
)
from connectors.standins.generate.tabular.book import (
    full_width,
    platform_children,
    registered_birth,
    rng_for,
)
from connectors.standins.generate.tabular.expect import FileExpectation

JINGHE_FILE = "户籍信息_荆河派出所.csv"
GUANQIAO_FILE = "户籍信息_官桥派出所.csv"

_AWAY_PLACES = ("江苏省苏州市", "浙江省宁波市", "上海市", "山东省青岛市", "广东省东莞市", "北京市")


@dataclass
class Person:
    name: str
    id_number: str
    whereabouts: str
    place: str


@dataclass
class Minor:
    household: str
    name: str
    id_number: str
    gender: str
    birth: date
    relation: str
    address: str
    village: str
    father: Person
    mother: Person

    @property
    def left_behind(self) -> str:
        away = {"外出务工", "服刑", "失联", "死亡"}
        return "是" if self.father.whereabouts in away and self.mother.whereabouts in away else "否"


def _parent(rng: random.Random, gender: str, child_birth: date, surname: str) -> Person:
    birth = birth_between(rng, max(1972, child_birth.year - 40), child_birth.year - 21)
    whereabouts = rng.choices(("在家", "外出务工", "失联", "服刑"), weights=(45, 45, 6, 4))[0]
    place = rng.choice(_AWAY_PLACES) if whereabouts == "外出务工" else ""
    return Person(
        person_name(rng, gender, birth.year, surname), resident_id(rng, birth, gender),
        whereabouts, place,
    )  # fmt: skip


def minors(town_code: str, extra: int) -> list[Minor]:
    rng = rng_for(f"household:{town_code}")
    places = [v for v in villages() if v.town_code == town_code]
    by_code = {v.code: v for v in places}
    out = []
    for record in platform_children():
        if record["town_code"] != town_code:
            continue
        village = by_code[record["village_code"]]
        birth = registered_birth(record)
        surname = record["name"][0]
        father = _parent(rng, "男", birth, surname)
        for guardian in record["guardians"]:
            if guardian["relation"] == "父亲":
                father = Person(guardian["name"], guardian["id_number"], guardian["whereabouts"],
                                rng.choice(_AWAY_PLACES) if guardian["whereabouts"] == "外出务工"
                                else "")  # fmt: skip
        mother = _parent(rng, "女", birth, "")
        if record["primary_category"] == "留守儿童":
            mother.whereabouts, mother.place = "外出务工", rng.choice(_AWAY_PLACES)
        home = (village.short_name, village.town_name)
        person = (record["name"], record["id_number"], record["gender"], birth)
        out.append(_minor(rng, home, person, father, mother))
    for _ in range(extra):
        village = rng.choice(places)
        gender = rng.choice(("男", "女"))
        birth = birth_between(rng, 2009, 2021)
        surname = person_name(rng, "男", 1980)[0]
        father = _parent(rng, "男", birth, surname)
        mother = _parent(rng, "女", birth, "")
        father.whereabouts, father.place = "外出务工", rng.choice(_AWAY_PLACES)
        name = person_name(rng, gender, birth.year, surname)
        home = (village.short_name, village.town_name)
        person = (name, resident_id(rng, birth, gender), gender, birth)
        out.append(_minor(rng, home, person, father, mother))
    out.sort(key=lambda m: (m.village, m.household))
    return out


def _minor(
    rng: random.Random,
    home: tuple[str, str],
    person: tuple[str, str, str, date],
    father: Person,
    mother: Person,
) -> Minor:
    village, town = home
    name, id_number, gender, birth = person
    return Minor(
        household=f"3704810{rng.randrange(10**8):08d}",
        name=name,
        id_number=id_number.upper(),
        gender=gender,
        birth=birth,
        relation=rng.choice(("子", "孙子") if gender == "男" else ("女", "孙女")),
        address=f"山东省滕州市{town}{village}{rng.randint(1, 150)}号",
        village=village,
        father=father,
        mother=mother,
    )


def _rows_jinghe(kids: list[Minor]) -> list[list[str]]:
    rows = []
    for i, m in enumerate(kids):
        ident = f"\t{m.id_number}" if i % 3 == 0 else m.id_number
        birth = f"{m.birth:%Y%m%d}" if i % 4 else f"{m.birth.year}/{m.birth.month}/{m.birth.day}"
        rows.append([
            full_width(m.household) if i % 10 == 7 else m.household,
            m.name, ident, m.gender, birth, m.relation,
            m.address, m.village + ("居委会" if m.village.endswith("社区") else "委会"),
            m.father.name, m.father.id_number, m.father.whereabouts, m.father.place,
            m.mother.name, m.mother.id_number if m.mother.whereabouts != "失联" else "",
            m.mother.whereabouts, m.mother.place, m.left_behind, "2026-03-01",
        ])  # fmt: skip
    return rows


_JINGHE_HEADER = [
    "户号", "姓名", "公民身份号码", "性别", "出生日期", "与户主关系", "户籍地址",
    "所属居（村）委会", "父亲姓名", "父亲公民身份号码", "父亲去向", "父亲外出地点", "母亲姓名",
    "母亲公民身份号码", "母亲去向", "母亲外出地点", "是否留守儿童", "登记日期",
]  # fmt: skip


def write_jinghe(path: Path) -> FileExpectation:
    """荆河派出所's extract in GBK with CRLF; returns what reading it must give."""
    expect = FileExpectation(JINGHE_FILE, "HOUSEHOLD_SPEC")
    kids = minors("370481001", extra=15)
    rows = _rows_jinghe(kids)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    width = len(_JINGHE_HEADER)
    writer.writerow(
        ["滕州市公安局荆河派出所未成年人户籍信息（父母去向）比对结果"] + [""] * (width - 1)
    )
    writer.writerow(["导出时间：2026-03-01 08:30:12"] + [""] * (width - 1))
    writer.writerow(_JINGHE_HEADER)
    line = 4
    bad_line = 0
    for i, row in enumerate(rows):
        if i == 20:
            writer.writerow([""] * width)
            expect.skip("blank_rows")
            line += 1
        if i == 11:
            row[2] = f"{float(row[2].strip()[:17] + '0'):.5E}"
            expect.rejects[f"{JINGHE_FILE}:{line}"] = "ID number in scientific notation"
        if i == 33:
            bad_line = line
            expect.rejects[f"{JINGHE_FILE}:{line}"] = "a byte that is not GBK"
        writer.writerow(row)
        line += 1
    writer.writerow([f"共计：{len(rows)}条"] + [""] * (width - 1))
    expect.skip("footer_rows")
    expect.records += len(rows) - 2
    data = bytearray()
    for number, text in enumerate(out.getvalue().split("\r\n")[:-1], start=1):
        encoded = text.encode("gbk")
        if number == bad_line:
            cut = encoded.index(b",") + 3  # inside the name: a byte lost in transmission
            encoded = encoded[:cut] + b"\xff" + encoded[cut:]
        data += encoded + b"\r\n"
    path.write_bytes(bytes(data))
    return expect


_GUANQIAO_HEADER = [
    "户号", "姓名", "身份证号", "性别", "出生日期", "与户主关系", "住址", "所属村居",
    "父亲姓名", "父亲身份证号", "父亲状况", "父亲务工地", "母亲姓名", "母亲身份证号", "母亲状况",
    "母亲务工地", "是否留守", "数据日期", "",
]  # fmt: skip


def write_guanqiao(path: Path) -> FileExpectation:
    """官桥派出所's extract in UTF-8 with BOM, cut off in its last line."""
    expect = FileExpectation(GUANQIAO_FILE, "HOUSEHOLD_SPEC")
    kids = minors("370481110", extra=8)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_GUANQIAO_HEADER)
    line = 2
    for i, m in enumerate(kids):
        address = m.address
        if i == 4:
            address = f"{m.address}，{m.village}东区\n（原{m.village}小学宿舍）"
        row = [
            m.household, m.name, m.id_number, m.gender, f"{m.birth:%Y-%m-%d}", m.relation,
            address, m.village, m.father.name, m.father.id_number, m.father.whereabouts,
            m.father.place, m.mother.name, m.mother.id_number, m.mother.whereabouts,
            m.mother.place, m.left_behind, "2026/3/1", "",
        ]  # fmt: skip
        if i == 9:
            text = ",".join(row).replace(m.address, m.address.replace("号", "号,院内"))
            out.write(text + "\n")
            expect.rejects[f"{GUANQIAO_FILE}:{line}"] = "a comma in an address without quotes"
        else:
            writer.writerow(row)
        line += address.count("\n") + 1
    text = out.getvalue()
    last_start = text.rstrip("\n").rfind("\n") + 1
    cut = text[: last_start + 60]  # the export stopped 60 characters into the last line
    expect.rejects[f"{GUANQIAO_FILE}:{line - 1}"] = "the file ends in the middle of this line"
    expect.records += len(kids) - 2
    path.write_bytes(b"\xef\xbb\xbf" + cut.encode("utf-8"))
    return expect
