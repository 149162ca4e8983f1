"""Samples of the purchased-service project sheets (政府购买服务项目台账), one .xlsx.

Sheet 项目清单 lists the year's projects (provider, unified social credit
code, towns, budget in 万元, period under a merged 实施周期 heading, targets);
sheet 服务记录 has the services delivered per project and month, the
project's code and name merged down over its months, months written six
ways, 小计 rows per project and a 合计; sheet 汇总 is a summary (no records).
Organisations and people are invented; towns are Tengzhou's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from connectors.standins.generate.common import person_name, phone
from connectors.standins.generate.tabular.book import (
    Formats,
    as_datetime,
    full_width,
    new_workbook,
    rng_for,
)
from connectors.standins.generate.tabular.expect import FileExpectation

PROJECTS_FILE = "政府购买服务项目台账（2026年度）.xlsx"

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(body17: str) -> str:
    """A unified social credit code (GB 32100-2015) with its check character."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body17, _CREDIT_WEIGHTS, strict=True))
    return body17 + _CREDIT_CHARS[(31 - total % 31) % 31]


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    provider: str
    towns: str
    budget: float  # 万元
    start: date
    end: date
    target_services: int
    target_children: int
    status: str
    kinds: tuple[str, ...]


_PROJECTS = (
    ("“心滕你”儿童关爱守护项目", "滕州市心语社会工作服务中心", "荆河街道、龙泉街道", 45.6,
     ("救助帮扶", "心理疏导", "家庭教育指导")),
    ("困境儿童心理健康服务项目", "滕州市阳光心理咨询服务中心", "全市", 38.5,
     ("心理疏导", "危机干预")),
    ("留守儿童“四点半课堂”托管服务项目", "滕州市善德社会工作服务中心", "滨湖镇、官桥镇", 24.0,
     ("课业辅导", "安全教育")),
    ("儿童主任能力提升培训项目", "枣庄市益民社会工作发展中心", "全市", 18.8,
     ("业务培训",)),
    ("事实无人抚养儿童个案管理项目", "滕州市启航社会工作服务中心", "荆河街道、北辛街道、善南街道",
     30.0, ("救助帮扶", "个案管理", "危机干预")),
    ("未成年人保护工作站运营支持项目", "滕州市同心社会工作服务中心", "21个镇街", 60.0,
     ("救助帮扶", "安全教育", "心理疏导")),
    ("困境儿童家庭监护能力提升项目", "滕州市启航社会工作服务中心", "滨湖镇", 15.5,
     ("家庭教育指导",)),
    ("儿童意外伤害预防宣传项目", "滕州市红十字应急救护服务中心", "全市", 9.8,
     ("安全教育",)),
)  # fmt: skip


def projects() -> list[Project]:
    rng = rng_for("projects")
    out = []
    for number, (name, provider, towns, budget, kinds) in enumerate(_PROJECTS, start=1):
        start = date(2026, 1, 1) if number % 3 else date(2026, 3, 1)
        end = date(2026, 6, 30) if number == 8 else date(2026, 12, 31)
        target = int(budget * 100) // 10 * 10
        out.append(
            Project(
                code=f"TZMZ-2026-{number:03d}",
                name=name,
                provider=provider,
                towns=towns,
                budget=budget,
                start=start,
                end=end,
                target_services=target,
                target_children=max(30, target // 8),
                status="已结项" if number == 8 else "实施中",
                kinds=kinds,
            )
        )
    rng.shuffle(out)  # rows are in the order the bureau signed them, not by code
    return out


def _credit_for(provider: str) -> str:
    rng = rng_for(f"credit:{provider}")
    body = "52370481MJ" + "".join(rng.choice(_CREDIT_CHARS) for _ in range(7))
    return credit_code(body)


def _project_sheet(book: Any, f: Formats, items: list[Project], expect: FileExpectation) -> None:
    ws = book.add_worksheet("项目清单")
    width = 14
    ws.merge_range(0, 0, 0, width - 1, "滕州市2026年度未成年人保护政府购买服务项目清单", f.title)
    ws.merge_range(1, 0, 1, 3, "单位：滕州市民政局（盖章）")
    ws.merge_range(1, 10, 1, 13, "金额单位：万元")
    direct = ["序号", "项目编号", "项目名称", "承接机构", "统一社会信用代码", "服务镇街",
              "项目预算（万元）"]  # fmt: skip
    for column, text in enumerate(direct):
        ws.merge_range(2, column, 3, column, text, f.header)
    ws.merge_range(2, 7, 2, 8, "实施周期", f.header)
    ws.write(3, 7, "开始日期", f.header)
    ws.write(3, 8, "结束日期", f.header)
    for column, text in enumerate(["目标服务人次", "目标服务儿童数", "项目状态", "项目负责人",
                                   "联系电话"], start=9):  # fmt: skip
        ws.merge_range(2, column, 3, column, text, f.header)
    rng = rng_for("projects:sheet")
    where = f"{PROJECTS_FILE}!项目清单"
    row = 4
    for i, p in enumerate(items):
        ws.write_number(row, 0, i + 1, f.cell)
        ws.write_string(row, 1, p.code, f.cell)
        ws.write_string(row, 2, p.name, f.cell)
        ws.write_string(row, 3, p.provider, f.cell)
        ws.write_string(row, 4, _credit_for(p.provider), f.text)
        ws.write_string(row, 5, p.towns, f.cell)
        if i == 2:
            ws.write_string(row, 6, full_width(f"{p.budget}").replace(".", "．"), f.text)
        elif i == 5:
            ws.write_string(row, 6, f"{p.budget}万", f.text)
            expect.rejects[f"{where}:{row + 1}"] = "budget with its unit typed into the cell"
        else:
            ws.write_number(row, 6, p.budget, f.cell)
        if i == 6:
            ws.write_string(row, 7, "2026.02.30", f.text)
            expect.rejects[f"{where}:{row + 1}"] = "impossible start date"
        else:
            ws.write_datetime(row, 7, as_datetime(p.start), f.iso_date)
        ws.write_string(row, 8, f"{p.end.year}年{p.end.month}月{p.end.day}", f.text)
        ws.write_number(row, 9, p.target_services, f.cell)
        ws.write_string(row, 10, str(p.target_children), f.text)  # a number stored as text
        ws.write_string(row, 11, p.status, f.cell)
        ws.write_string(row, 12, person_name(rng, rng.choice(("男", "女")), 1985), f.cell)
        ws.write_string(row, 13, phone(rng), f.cell)
        row += 1
    expect.records += len(items) - 2
    ws.merge_range(row, 0, row, 5, "合计", f.cell)
    ws.write_number(row, 6, round(sum(p.budget for p in items), 1), f.cell)
    expect.skip("footer_rows")


_MONTH_STYLES = 6


def _month_cell(ws: Any, f: Formats, row: int, month: date, style: int) -> None:
    match style % _MONTH_STYLES:
        case 0:
            ws.write_string(row, 3, f"{month.year}年{month.month}月", f.cell)
        case 1:
            ws.write_string(row, 3, f"{month:%Y-%m}", f.cell)
        case 2:
            ws.write_string(row, 3, f"{month.year}.{month.month}", f.text)
        case 3:
            ws.write_datetime(row, 3, as_datetime(month), f.month)
        case 4:
            ws.write_number(row, 3, int(f"{month:%Y%m}"), f.cell)
        case _:
            ws.write_string(row, 3, full_width(f"{month.year}/{month.month}"), f.cell)


def _service_sheet(book: Any, f: Formats, items: list[Project], expect: FileExpectation) -> None:
    ws = book.add_worksheet("服务记录")
    header = ["序号", "项目编号", "项目名称", "月份", "服务镇街", "服务类型", "服务人次",
              "服务儿童数", "开展活动（次）", "备注"]  # fmt: skip
    ws.merge_range(0, 0, 0, len(header) - 1, "2026年度政府购买服务项目服务开展情况月报", f.title)
    ws.write_row(1, 0, header, f.header)
    rng = rng_for("projects:services")
    where = f"{PROJECTS_FILE}!服务记录"
    row, number, planted = 2, 0, 0
    for p in sorted(items, key=lambda p: p.code):
        first = row
        last_month = min(10, p.end.month)
        for month_number in range(p.start.month, last_month + 1):
            if rng.random() < 0.1:
                continue  # a month without a report
            month = date(2026, month_number, 1)
            number += 1
            ws.write_number(row, 0, number, f.cell)
            _month_cell(ws, f, row, month, number)
            ws.write_string(row, 4, p.towns, f.cell)
            ws.write_string(row, 5, "、".join(p.kinds[: rng.randint(1, len(p.kinds))]), f.cell)
            person_times = rng.randint(20, 160)
            if number == 9:
                ws.write_number(row, 3, 2026.1, f.cell)  # typed 2026.10, kept as 2026.1
                expect.rejects[f"{where}:{row + 1}"] = "month typed as the number 2026.1"
                planted += 1
                ws.write_number(row, 6, person_times, f.cell)
            elif number == 23:
                ws.write_string(row, 6, f"约{person_times}", f.cell)
                expect.rejects[f"{where}:{row + 1}"] = "person-times as 约120"
                planted += 1
            elif number % 4 == 0:
                ws.write_string(row, 6, f"{person_times * 10:,}", f.text)
            elif number % 4 == 1:
                ws.write_number(row, 6, float(person_times), f.cell)
            else:
                ws.write_string(row, 6, full_width(str(person_times)), f.text)
            ws.write_number(row, 7, max(5, person_times // rng.randint(2, 5)), f.cell)
            ws.write_number(row, 8, rng.randint(1, 6), f.cell)
            ws.write_string(row, 9, "含入户走访" if rng.random() < 0.2 else "", f.cell)
            row += 1
        if row - 1 > first:
            ws.merge_range(first, 1, row - 1, 1, p.code, f.cell)
            ws.merge_range(first, 2, row - 1, 2, p.name, f.cell)
        elif row - 1 == first:
            ws.write_string(first, 1, p.code, f.cell)
            ws.write_string(first, 2, p.name, f.cell)
        ws.write_string(row, 2, "小计", f.cell)
        row += 1
        expect.skip("footer_rows")
    expect.records += number - planted
    ws.write_string(row, 0, "合计", f.cell)
    expect.skip("footer_rows")


def write_projects(path: Path) -> list[FileExpectation]:
    """The project workbook; returns what reading each of its two tables must give."""
    items = projects()
    book = new_workbook(str(path))
    f = Formats(book)
    project_expect = FileExpectation(PROJECTS_FILE, "PROJECT_SPEC")
    service_expect = FileExpectation(PROJECTS_FILE, "SERVICE_SPEC")
    _project_sheet(book, f, items, project_expect)
    _service_sheet(book, f, items, service_expect)
    summary = book.add_worksheet("汇总")
    summary.write_row(0, 0, ["镇街", "项目数", "服务人次（累计）"], f.header)
    summary.write_row(1, 0, ["全市", len(items), "见服务记录"])
    book.close()
    return [project_expect, service_expect]
