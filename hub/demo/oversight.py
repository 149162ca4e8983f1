"""The oversight net (监管网): supervision tasks, the ledger, rectifications, commissioners.

Each town's supervisor gets a key supervision task per quarter; what they find
goes into the ledger and is rectified under follow-up. Findings follow the
data: "visits not made" entries name the town's least diligent directors and
stations missing one of the four-haves get an entry in the third quarter, so
the portal's oversight pages and the data agree. Commissioners (NPC deputies,
CPPCC members) oversee towns; every town has at least one.

Rectifications follow the hub's workflow (:mod:`schema.oversight.supervision_workflow`)
on China's working-day calendar, as if the hub had run all year: deadlines in
working days, the doer's evidence, the supervisor's sign-off (销号), the re-check
ten working days later, and for those late, 催办 at 00:00 the day after the
deadline and 通报 when three more working days passed unsigned; every step in
the trail. At "now" the escalation would find nothing left to do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from hub.demo.clock import LAST_EVENT_DAY, QUARTERS, TODAY, add_days, day_between, day_ms, iso
from hub.demo.context import County, DirectorRec, TownRec
from hub.demo.people import make_person
from hub.demo.rows import Props
from schema.core.workdays import add_working_days
from schema.oversight import supervision_workflow as wf

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
    names = {d.id: d.person.name for d in county.directors}
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
            done = True
            for finding in _findings(rng, town, directors, q_index, names):
                entry_n += 1
                found = day_between(rng, add_days(issued, 3), min(quarter.end, LAST_EVENT_DAY))
                entry_id = f"ledger-{county.code}-{entry_n:04d}"
                done &= _entry(county, rng, entry_id, task_id, town, finding, found, entry_n)
            # Completed as the hub allows it: the quarter over and every rectification done.
            county.builder.node(
                "SupervisionTask",
                task_id,
                {
                    "title": f"{quarter.period}{town.division.name}{_TASK_THEMES[q_index]}",
                    "period": quarter.period,
                    "issuedDate": iso(issued),
                    "dueDate": iso(_quarter_end(quarter.start)),
                    "status": wf.TASK_COMPLETED if quarter.complete and done else wf.TASK_OPEN,
                    "regionCode": town.division.code,
                    "origin": wf.ORIGIN_PLAN,
                },
            )
            county.builder.rel(
                ("SupervisionTask", "ASSIGNED_TO", "Supervisor"), task_id, town.supervisor_id
            )
            county.builder.rel(("SupervisionTask", "CONCERNS", "Town"), task_id, town.id)
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
    doer_id: str = ""  # the director who must fix it; none: the town's station
    doer_name: str = ""


def _findings(
    rng: random.Random,
    town: TownRec,
    directors: list[DirectorRec],
    q_index: int,
    names: dict[str, str],
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
                    "Director",
                    director.id,
                    director.village.division.code,
                    "走访不到位",
                    problem,
                    director.id,
                    director.person.name,
                )
            )
        elif u < 0.55:
            problem = "未保站值班记录不完整，个别时段无人值守"
            out.append(_Finding("Station", town.station_id, code, "阵地建设", problem))
        else:
            village = rng.choice(town.villages)
            category, problem = rng.choice(_VILLAGE_PROBLEMS)
            doer = village.director_ids[0] if village.director_ids else ""
            out.append(
                _Finding(
                    "Village",
                    village.id,
                    village.division.code,
                    category,
                    f"{village.short_name}{problem}",
                    doer,
                    names.get(doer, ""),
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
    entry_n: int,
) -> bool:
    """Write the entry and its rectification, if one was ordered; whether all is done."""
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
            "month": iso(found)[:7],
            "quarter": f"{found.year}Q{(found.month + 2) // 3}",
        },
        recorded_at=found_at,
    )
    b.rel(("LedgerEntry", "UNDER", "SupervisionTask"), entry_id, task_id)
    b.rel(("LedgerEntry", "CONCERNS", finding.label), entry_id, finding.id)
    b.rel(("LedgerEntry", "RECORDED_BY", "Supervisor"), entry_id, town.supervisor_id)
    if rng.random() < 0.1:
        return True  # noted for the record, no rectification ordered
    # The draws are those of the calendar-day deadlines this replaced (15 or 30 days),
    # so that the draws after them (the commissioners) stay the same.
    calendar_days = rng.choice((15, 30))
    by_calendar = add_days(found, calendar_days)
    done = rng.random() < (0.85 if by_calendar < TODAY else 0.4)
    completed = add_days(found, rng.randint(3, calendar_days + 10)) if done else None
    if completed is not None and completed > LAST_EVENT_DAY:
        completed = None  # it would be signed off after "now": not yet
    working_days = 10 if calendar_days == 15 else 20
    rect = _Rectification(county, town, finding, entry_id, found, working_days, entry_n)
    return rect.write(completed) in wf.DONE


#: Working days from 催办 to 通报, and from the sign-off to the re-check.
_NOTICE_AFTER = wf.DEFAULT_NOTICE_AFTER
_RECHECK_AFTER = wf.DEFAULT_RECHECK_AFTER
_EVIDENCE = "整改报告、补充走访记录及现场照片"


@dataclass
class _Rectification:
    """One rectification's life until "now", with its trail of steps."""

    county: County
    town: TownRec
    finding: _Finding
    entry_id: str
    found: date
    working_days: int
    n: int

    @property
    def id(self) -> str:
        return f"rectification-{self.entry_id.removeprefix('ledger-')}"

    def write(self, completed: date | None) -> str:
        """Write it and its steps; its state "now"."""
        town, finding = self.town, self.finding
        deadline = add_working_days(self.found, self.working_days)
        supervisor = f"{town.division.name}儿童督导员{town.supervisor_name}"
        props: Props = {
            "deadline": iso(deadline),
            "regionCode": finding.region_code,
            "workingDays": self.working_days,
            "openedAt": day_ms(self.found, 17, 30),
            "openedBy": town.supervisor_name,
            "noticeTo": f"{town.division.name}及{wf.CENTER}",
            "round": 1,
            "escalationLevel": wf.NOT_ESCALATED,
        }
        if finding.doer_id:
            doer = ("director", f"儿童主任{finding.doer_name}")
            props.update(assigneeId=finding.doer_id, urgeTo=supervisor)
        else:
            doer = ("station_staff", f"{town.division.name}未保站")
            props["urgeTo"] = wf.CENTER
        props.update(assigneeRole=doer[0], assigneeName=doer[1])
        self._step(
            "opened",
            self.found,
            17,
            30,
            f"限期{self.working_days}个工作日整改，{iso(deadline)}前销号；责任人：{doer[1]}",
            ("supervisor", town.supervisor_name),
        )
        # Evidence: the day before the sign-off, or (a third of those still open) waiting.
        submitted = max(self.found, add_days(completed, -1)) if completed else None
        if completed is None and self.n % 3 == 0:
            submitted = min(LAST_EVENT_DAY, add_days(self.found, 5))
        status = wf.OPEN
        if submitted is not None:
            status = wf.SUBMITTED
            props.update(
                evidence=_EVIDENCE,
                submittedAt=day_ms(submitted, 15),
                submittedBy=doer[1],
                submitterRole=doer[0],
            )
            self._step("evidence-submitted", submitted, 15, 0, _EVIDENCE, doer)
        self._escalate(props, deadline, completed or TODAY)
        if completed is not None:
            status = wf.SIGNED_OFF
            recheck = add_working_days(completed, _RECHECK_AFTER)
            note = "经现场核查，整改到位，同意销号"
            props.update(
                completedDate=iso(completed),
                signedOffAt=day_ms(completed, 16),
                signedOffBy=town.supervisor_name,
                signedOffRole="supervisor",
                signOffNote=note,
                recheckDate=iso(recheck),
            )
            self._step("signed-off", completed, 16, 0, note, ("supervisor", town.supervisor_name))
            if recheck < TODAY:
                status = wf.HELD
                props.update(recheckedAt=day_ms(recheck, 10), recheckOutcome="HELD")
                self._step(
                    "rechecked-held",
                    recheck,
                    10,
                    0,
                    "复查未反弹",
                    ("supervisor", town.supervisor_name),
                )
        props["status"] = status
        b = self.county.builder
        b.node("Rectification", self.id, props)
        b.rel(("Rectification", "RESOLVES", "LedgerEntry"), self.id, self.entry_id)
        return status

    def _escalate(self, props: Props, deadline: date, until: date) -> None:
        """催办 at 00:00 the day after the deadline, 通报 after the grace: as the hub would
        have, up to the sign-off (or "now")."""
        if not deadline < until:
            return
        urged = add_days(deadline, 1)
        notice_due = add_working_days(urged, _NOTICE_AFTER)
        props.update(
            escalationLevel=wf.URGE,
            urgedAt=day_ms(urged, 0),
            escalatedAt=day_ms(urged, 0),
            noticeDueDate=iso(notice_due),
        )
        self._step("urged", urged, 0, 0, f"逾期未销号，催办：{props['urgeTo']}", None)
        if notice_due < until:
            noticed = add_days(notice_due, 1)
            props.update(
                escalationLevel=wf.NOTICE,
                noticedAt=day_ms(noticed, 0),
                escalatedAt=day_ms(noticed, 0),
            )
            note = f"催办后仍未销号，通报：{props['noticeTo']}"
            self._step("noticed", noticed, 0, 0, note, None)

    def _step(
        self,
        action: str,
        day: date,
        hour: int,
        minute: int,
        note: str,
        actor: tuple[str, str] | None,
    ) -> None:
        """A step of the trail, with the id the hub gives it (every step is of round 1)."""
        step_id = f"{self.id}:opened" if action == "opened" else f"{self.id}:{action}:1"
        moment = day_ms(day, hour, minute)
        role, name = actor or (wf.SYSTEM, "")
        props: Props = {
            "action": action,
            "note": note,
            "round": 1,
            "at": moment,
            "actorRole": role,
            "regionCode": self.finding.region_code,
        }
        if name:
            props["actorName"] = name
        b = self.county.builder
        b.node("RectificationStep", step_id, props, recorded_at=moment)
        b.rel(("RectificationStep", "ON", "Rectification"), step_id, self.id)


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
