"""The oversight net (监管网): supervision tasks, the ledger, rectifications, commissioners.

Each town's supervisor gets a key supervision task per quarter; what they find
goes into the ledger and is rectified under follow-up. Findings follow the
data: "visits not made" entries name the town's least diligent directors and
stations missing one of the four-haves get an entry in the third quarter, so
the portal's oversight pages and the data agree. Commissioners (NPC deputies,
CPPCC members) oversee towns; every town has at least one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from hub.demo.clock import LAST_EVENT_DAY, QUARTERS, TODAY, add_days, day_between, day_ms, iso
from hub.demo.context import County, DirectorRec, TownRec
from hub.demo.people import make_person
from hub.demo.rows import Props

_TASK_THEMES = (
    "儿童主任走访质量专项督导",
    "困境儿童档案规范化督查",
    "未保站“四有”建设督查",
    "强制报告制度落实情况督查",
)
_FLAG_NAMES = {
    "hasVenue": "固定场所",
    "hasTeam": "专门队伍",
    "hasRules": "管理制度",
    "hasServices": "服务开展",
}
_VILLAGE_PROBLEMS = (
    ("档案不完整", "部分儿童“一人一档”资料缺失，未及时更新"),
    ("阵地建设", "儿童之家开放时间不固定，活动记录不全"),
    ("政策落实", "困境儿童基本生活保障政策宣传不到位"),
    ("安全隐患", "村内坑塘未设置防溺水警示标识"),
)
_SEVERITIES = ("一般", "较重", "严重")
_OCCUPATIONS = (
    "中学教师",
    "律师",
    "医生",
    "企业负责人",
    "社区党组织书记",
    "妇联干部",
    "小学校长",
    "个体工商户",
)


def build_oversight(county: County) -> None:
    """SupervisionTask, LedgerEntry, Rectification and Commissioner rows."""
    rng = county.rng("oversight")
    entry_n = 0
    for town in county.towns:
        mine = set(town.director_ids)
        # Least diligent first: they are the ones a supervisor finds short of visits.
        directors = sorted(
            (d for d in county.directors if d.id in mine), key=lambda d: (d.diligence, d.id)
        )
        for q_index, quarter in enumerate(QUARTERS):
            task_id = f"task-{town.division.code}-{quarter.period}"
            issued = add_days(quarter.start, 4)
            county.builder.node(
                "SupervisionTask",
                task_id,
                {
                    "title": f"{quarter.period}{town.division.name}{_TASK_THEMES[q_index]}",
                    "period": quarter.period,
                    "issuedDate": iso(issued),
                    "dueDate": iso(_quarter_end(quarter.start)),
                    "status": "completed" if quarter.complete else "in_progress",
                    "regionCode": town.division.code,
                },
            )
            county.builder.rel(
                ("SupervisionTask", "ASSIGNED_TO", "Supervisor"), task_id, town.supervisor_id
            )
            county.builder.rel(("SupervisionTask", "CONCERNS", "Town"), task_id, town.id)
            for finding in _findings(rng, town, directors, q_index):
                entry_n += 1
                found = day_between(rng, add_days(issued, 3), min(quarter.end, LAST_EVENT_DAY))
                entry_id = f"ledger-{county.code}-{entry_n:04d}"
                _entry(county, rng, entry_id, task_id, town, finding, found)
    _commissioners(county, rng)


def _quarter_end(start: date) -> date:
    month = start.month + 3
    year = start.year + (month > 12)
    return add_days(date(year, (month - 1) % 12 + 1, 1), -1)


@dataclass(frozen=True)
class _Finding:
    """A problem a supervisor found, and what it concerns."""

    label: str
    id: str
    region_code: str
    category: str
    problem: str


def _findings(
    rng: random.Random, town: TownRec, directors: list[DirectorRec], q_index: int
) -> list[_Finding]:
    out: list[_Finding] = []
    code = town.division.code
    count = rng.randint(1, 3) if q_index == 3 else rng.randint(2, 5)
    if q_index == 2 and town.station_lacks:
        lacking = _FLAG_NAMES[town.station_lacks]
        out.append(
            _Finding(
                "Station", town.station_id, code, "阵地建设", f"未保站“四有”中“{lacking}”不达标"
            )
        )
    for _ in range(count):
        u = rng.random()
        if u < 0.45 and directors:
            director = directors[rng.randrange(min(5, len(directors)))]
            problem = f"儿童主任{director.person.name}本季度走访未按要求全覆盖"
            out.append(
                _Finding(
                    "Director", director.id, director.village.division.code, "走访不到位", problem
                )
            )
        elif u < 0.55:
            problem = "未保站值班记录不完整，个别时段无人值守"
            out.append(_Finding("Station", town.station_id, code, "阵地建设", problem))
        else:
            village = rng.choice(town.villages)
            category, problem = rng.choice(_VILLAGE_PROBLEMS)
            out.append(
                _Finding(
                    "Village",
                    village.id,
                    village.division.code,
                    category,
                    f"{village.short_name}{problem}",
                )
            )
    return out


def _entry(
    county: County,
    rng: random.Random,
    entry_id: str,
    task_id: str,
    town: TownRec,
    finding: _Finding,
    found: date,
) -> None:
    b = county.builder
    found_at = day_ms(found, 17)
    b.node(
        "LedgerEntry",
        entry_id,
        {
            "problem": finding.problem,
            "category": finding.category,
            "severity": rng.choices(_SEVERITIES, weights=(70, 25, 5))[0],
            "foundDate": iso(found),
            "regionCode": finding.region_code,
        },
        recorded_at=found_at,
    )
    b.rel(("LedgerEntry", "UNDER", "SupervisionTask"), entry_id, task_id)
    b.rel(("LedgerEntry", "CONCERNS", finding.label), entry_id, finding.id)
    b.rel(("LedgerEntry", "RECORDED_BY", "Supervisor"), entry_id, town.supervisor_id)
    if rng.random() < 0.1:
        return  # noted for the record, no rectification ordered
    deadline = add_days(found, rng.choice((15, 30)))
    props: Props = {"deadline": iso(deadline), "regionCode": finding.region_code}
    done = rng.random() < (0.85 if deadline < TODAY else 0.4)
    completed = add_days(found, rng.randint(3, (deadline - found).days + 10)) if done else None
    if completed is not None and completed <= LAST_EVENT_DAY:
        props.update(
            {
                "status": "已整改",
                "completedDate": iso(completed),
                "evidence": "整改报告、补充走访记录及现场照片",
                "signedOffBy": town.supervisor_name,
            }
        )
    else:
        props["status"] = "逾期" if deadline < TODAY else "整改中"
    rect_id = f"rectification-{entry_id.removeprefix('ledger-')}"
    b.node("Rectification", rect_id, props)
    b.rel(("Rectification", "RESOLVES", "LedgerEntry"), rect_id, entry_id)


def _commissioners(county: County, rng: random.Random) -> None:
    towns = county.towns
    count = county.targets.commissioners
    assigned: list[list[TownRec]] = [[] for _ in range(count)]
    for i, town in enumerate(towns):
        assigned[i % count].append(town)
    for group in assigned:
        for town in rng.sample(towns, k=min(len(towns), rng.randint(0 if group else 1, 1))):
            if town not in group:
                group.append(town)
    for n, group in enumerate(assigned, start=1):
        body = "人大代表" if n <= round(count * 0.6) else "政协委员"
        person = make_person(county, rng, ages=(35, 62))
        codes = sorted(t.division.code for t in group)
        commissioner_id = f"commissioner-{county.code}-{n:02d}"
        county.builder.node(
            "Commissioner",
            commissioner_id,
            {
                "name": person.name,
                "body": body,
                "title": f"{county.division.name}{body}（{rng.choice(_OCCUPATIONS)}），"
                "儿童权益保护督查专员",
                "appointedDate": iso(day_between(rng, date(2022, 1, 1), date(2025, 6, 30))),
                "regionCodes": codes,
            },
        )
        for town in sorted(group, key=lambda t: t.division.code):
            county.builder.rel(("Commissioner", "OVERSEES", "Town"), commissioner_id, town.id)
        county.commissioner_names[commissioner_id] = (person.name, codes)
