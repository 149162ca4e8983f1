"""The oversight dashboards' figures: GraphQL operations and their shaping into sections.

Every figure is read with the signed-in reader's own principal, so the schema
scopes it to their jurisdiction and withholds small counts (``display`` is
``"<5"``): the page shows what it is given and never computes around a
withheld count. Each section is its own operation, so a section the schema
refuses leaves the others on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from starlette.requests import Request

from public_portal.charts import Bar, bar_chart
from public_portal.gql import Operations
from public_portal.i18n import N_

COVERAGE = """query PortalOversightCoverage {
  coverage {
    villages villagesWithDirector directors ratio
    towns { townCode villages villagesWithDirector directors ratio town { id name }
            vacancies { id } }
  }
}"""
STATIONS = """query PortalOversightStations {
  stationStats(groupBy: [FOUR_HAVES]) { fourHaves count display suppressed }
}"""
VISITS = """query PortalOversightVisits {
  visitStats(groupBy: [TOWN, QUARTER]) { town quarter count display suppressed }
}"""
ASSESSMENTS = """query PortalOversightAssessments {
  assessmentStats(groupBy: [PERIOD, TIER]) { period tier count display suppressed }
}"""
SUPERVISION = """query PortalOversightSupervision {
  rectificationStats(groupBy: [STATUS]) { status count display suppressed }
  supervisionTasks(first: 20) {
    totalCount
    nodes { id title status period dueDate progress { done total percent } }
  }
}"""
FEEDBACK = """query PortalOversightFeedback {
  feedbackRates {
    period
    overall { total responseRate resolutionRate satisfaction suppressed }
    towns { townCode townName total responseRate resolutionRate satisfaction suppressed }
  }
}"""
MINE = """query PortalOversightMine($me: ID!) {
  node(id: $me) {
    ... on Commissioner {
      name
      raisedTasks(first: 50) {
        nodes { id title note status issuedDate dueDate progress { done total percent } }
      }
    }
  }
}"""
#: A supervision task's states, in words (the schema's ``status`` is a key).
TASK_STATUS = {"in_progress": N_("办理中"), "completed": N_("已完成")}
NOTE = """mutation PortalOversightNote($subject: ID!, $note: String!) {
  noteToTask(subjectId: $subject, note: $note) { id title }
}"""


@dataclass
class Section:
    """One dashboard: its chart, its table (header, rows) and what failed to load."""

    key: str
    chart: Markup | None = None
    head: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    failed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _value(bucket: Mapping[str, Any]) -> float | None:
    count = bucket.get("count")
    return None if bucket.get("suppressed") or count is None else float(count)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _bars(rows: Sequence[tuple[str, Mapping[str, Any]]]) -> list[Bar]:
    return [Bar(label, _value(b), str(b.get("display", ""))) for label, b in rows]


class DashboardData:
    """Loads each section with the request's principal (:class:`Operations` runs it)."""

    def __init__(self, ops: Operations, gettext: Any) -> None:
        self.ops = ops
        self._ = gettext

    async def _section(
        self, name: str, request: Request, document: str
    ) -> tuple[Section, dict[str, Any] | None]:
        """A section and its data; without data (the query failed) it is marked failed."""
        section = Section(name)
        outcome = await self.ops.run(request, document)
        if not outcome.ok or outcome.data is None:
            section.failed = True
            return section, None
        return section, outcome.data

    async def coverage(self, request: Request) -> tuple[Section, dict[str, str], list[Any]]:
        """Coverage per town; also the towns' names by code and (id, name) for the notes."""
        section, data = await self._section("coverage", request, COVERAGE)
        if data is None:
            return section, {}, []
        towns = data["coverage"]["towns"]
        names = {t["townCode"]: (t["town"] or {}).get("name") or t["townCode"] for t in towns}
        choices = [(t["town"]["id"], names[t["townCode"]]) for t in towns if t["town"]]
        _ = self._
        section.chart = bar_chart(
            "chart-coverage",
            _("各镇街有儿童主任的村（居）占比"),
            _("每个镇街有儿童主任的村（居）所占百分比。"),
            [
                Bar(names[t["townCode"]], float(t["ratio"]) * 100, f"{t['ratio'] * 100:.1f}%")
                for t in towns
            ],
        )
        section.head = (_("镇街"), _("村（居）数"), _("有儿童主任"), _("空缺"), _("覆盖率"))
        section.rows = [
            (
                names[t["townCode"]],
                t["villages"],
                t["villagesWithDirector"],
                len(t["vacancies"]),
                f"{t['ratio'] * 100:.1f}%",
            )
            for t in towns
        ]
        section.extra = {
            k: data["coverage"][k] for k in ("villages", "villagesWithDirector", "directors")
        }
        return section, names, choices

    async def stations(self, request: Request) -> Section:
        section, data = await self._section("stations", request, STATIONS)
        if data is None:
            return section
        _ = self._
        words = {"true": _("四有齐全"), "false": _("尚未四有齐全")}
        rows = [
            (words.get(str(b["fourHaves"]).lower(), str(b["fourHaves"])), b)
            for b in data["stationStats"]
        ]
        section.chart = bar_chart(
            "chart-stations",
            _("工作站“四有”达标情况"),
            _("按“四有”是否齐全统计的工作站数。"),
            _bars(rows),
        )
        section.head = (_("“四有”"), _("工作站数"))
        section.rows = [(label, b["display"]) for label, b in rows]
        return section

    async def visits(self, request: Request, names: Mapping[str, str]) -> Section:
        section, data = await self._section("visits", request, VISITS)
        if data is None:
            return section
        _ = self._
        buckets = sorted(data["visitStats"], key=lambda b: (str(b["town"]), str(b["quarter"])))
        rows = [(f"{names.get(b['town'], b['town'])} {b['quarter']}", b) for b in buckets]
        section.chart = bar_chart(
            "chart-visits",
            _("各镇街每季度走访次数"),
            _("按镇街和季度统计的走访次数。"),
            _bars(rows),
        )
        section.head = (_("镇街"), _("季度"), _("走访次数"))
        section.rows = [
            (names.get(b["town"], b["town"]), b["quarter"], b["display"]) for b in buckets
        ]
        return section

    async def assessments(self, request: Request) -> Section:
        section, data = await self._section("assessments", request, ASSESSMENTS)
        if data is None:
            return section
        _ = self._
        buckets = sorted(data["assessmentStats"], key=lambda b: (str(b["period"]), str(b["tier"])))
        rows = [(f"{b['period']} {b['tier']}", b) for b in buckets]
        section.chart = bar_chart(
            "chart-assessments", _("考核结果分布"), _("按考核期和等次统计的考核数。"), _bars(rows)
        )
        section.head = (_("考核期"), _("等次"), _("考核数"))
        section.rows = [(b["period"], b["tier"], b["display"]) for b in buckets]
        section.extra = {"periods": sorted({str(b["period"]) for b in buckets if b["period"]})}
        return section

    async def supervision(self, request: Request) -> Section:
        section, data = await self._section("supervision", request, SUPERVISION)
        if data is None:
            return section
        _ = self._
        rows = [(str(b["status"]), b) for b in data["rectificationStats"]]
        section.chart = bar_chart(
            "chart-rectifications", _("整改进展"), _("按状态统计的整改事项数。"), _bars(rows)
        )
        section.head = (_("整改状态"), _("事项数"))
        section.rows = [(label, b["display"]) for label, b in rows]
        tasks = data["supervisionTasks"]
        section.extra = {"tasks": tasks["nodes"], "task_count": tasks["totalCount"]}
        return section

    async def feedback(self, request: Request) -> Section:
        section, data = await self._section("feedback", request, FEEDBACK)
        if data is None:
            return section
        _ = self._
        rates = data["feedbackRates"]
        towns = rates["towns"]
        section.chart = bar_chart(
            "chart-feedback",
            _("各镇街反馈办结率"),
            _("各镇街群众反馈的办结率（百分比）。"),
            [
                Bar(
                    t["townName"] or t["townCode"] or "—",
                    None if t["resolutionRate"] is None else t["resolutionRate"] * 100,
                    "—" if t["resolutionRate"] is None else f"{t['resolutionRate'] * 100:.1f}%",
                )
                for t in towns
            ],
        )
        section.head = (_("镇街"), _("反馈数"), _("按时受理率"), _("办结率"), _("满意度"))
        section.rows = [
            (
                t["townName"] or t["townCode"] or "—",
                "<5" if t["suppressed"] else t["total"],
                _share(t["responseRate"]),
                _share(t["resolutionRate"]),
                "—" if t["satisfaction"] is None else f"{t['satisfaction']:.2f}",
            )
            for t in [*towns, {**rates["overall"], "townName": _("合计"), "townCode": None}]
        ]
        section.extra = {"period": rates["period"]}
        return section

    async def mine(self, request: Request, me: str) -> list[dict[str, Any]] | None:
        """The tasks this commissioner raised (None: their account has no record)."""
        outcome = await self.ops.run(request, MINE, me=me)
        node = (outcome.data or {}).get("node") if outcome.ok else None
        if not node:
            return None
        nodes: list[dict[str, Any]] = node["raisedTasks"]["nodes"]
        return nodes
