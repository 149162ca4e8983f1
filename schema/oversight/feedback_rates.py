"""``feedbackRates(inRegion, period)``: how well feedback is handled, per town and department.

* response rate: accepted within the deadline, of those whose acceptance was
  due (accepted, or past the deadline);
* resolution rate: replied to (and not reopened since), of all;
* satisfaction: the mean rating at the follow-up and the share rated 4 or 5.

Readers of statistics only (commissioners, the public) get aggregates with
small counts withheld (:meth:`schema.access.policy.Access.suppress`): a town
with fewer than five submissions shows no figures, and when only one row is
withheld the next smallest is withheld with it, so that the total does not
give it back; a mean of fewer than five ratings is withheld likewise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import strawberry

from graph.queries import feedback as q
from schema.access.policy import Access
from schema.care.common import now_ms
from schema.context import Info
from schema.core.fields import check_region
from schema.errors import BadArgument
from schema.oversight import feedback_workflow as wf

_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|Q[1-4])?$")
_COUNTS = ("total", "acceptDue", "acceptedOnTime", "resolved", "overdue", "rated", "ratingSum")


@strawberry.type(description="Handling figures of one town, one department, or all.")
class FeedbackRate:
    town_code: str | None = None
    town_name: str | None = None
    department: str | None = strawberry.field(default=None, description="转办 to (null: all)")
    total: int | None = strawberry.field(default=None, description="Submissions (null: withheld)")
    accepted_on_time: int | None = None
    resolved: int | None = None
    overdue: int | None = strawberry.field(default=None, description="Past a running deadline")
    rated: int | None = None
    response_rate: float | None = strawberry.field(
        default=None, description="Accepted within the deadline, of those due (0-1)"
    )
    resolution_rate: float | None = strawberry.field(
        default=None, description="Replied to, of all (0-1)"
    )
    satisfaction: float | None = strawberry.field(default=None, description="Mean rating 1-5")
    satisfied_share: float | None = strawberry.field(
        default=None, description="Share of ratings of 4 or 5 (0-1)"
    )
    suppressed: bool = strawberry.field(
        default=False,
        description="Figures withheld: too few submissions for a statistics-only reader",
    )


@strawberry.type(description="Feedback handling rates (响应率, 办结率, 满意度).")
class FeedbackRates:
    period: str | None
    overall: FeedbackRate
    towns: list[FeedbackRate]
    departments: list[FeedbackRate]


@dataclass
class _Sum:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0))
    satisfied: int = 0

    def add(self, row: dict[str, Any]) -> None:
        for name in _COUNTS:
            # FalkorDB's sum() of integers is a float.
            self.counts[name] += int(row[name] or 0)
        self.satisfied += int(row["satisfied"] or 0)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _rate(
    total: _Sum,
    access: Access,
    *,
    town_code: str | None = None,
    town_name: str | None = None,
    department: str | None = None,
) -> FeedbackRate:
    c = total.counts
    rate = FeedbackRate(
        town_code=town_code,
        town_name=town_name,
        department=department,
        total=c["total"],
        accepted_on_time=c["acceptedOnTime"],
        resolved=c["resolved"],
        overdue=c["overdue"],
        rated=c["rated"],
        response_rate=_ratio(c["acceptedOnTime"], c["acceptDue"]),
        resolution_rate=_ratio(c["resolved"], c["total"]),
        satisfaction=_ratio(c["ratingSum"], c["rated"]),
        satisfied_share=_ratio(total.satisfied, c["rated"]),
    )
    if access.suppress(c["rated"]):
        rate.rated = rate.satisfaction = rate.satisfied_share = None
    return rate


def _withhold(rate: FeedbackRate) -> None:
    for name in (
        "total",
        "accepted_on_time",
        "resolved",
        "overdue",
        "rated",
        "response_rate",
        "resolution_rate",
        "satisfaction",
        "satisfied_share",
    ):
        setattr(rate, name, None)
    rate.suppressed = True


def _suppress(rows: list[FeedbackRate], access: Access) -> None:
    """Withhold small rows, and one more when a lone one could be worked out from the total."""
    if not access.aggregate_only:
        return
    small = [r for r in rows if access.suppress(r.total or 0)]
    if len(small) == 1 and len(rows) > 1:
        others = sorted((r for r in rows if r is not small[0]), key=lambda r: r.total or 0)
        small.append(others[0])
    for r in small:
        _withhold(r)


def _scope(access: Access) -> dict[str, Any]:
    """The reader's row scope for the rates statement, from the same policy as lists."""
    params = access.row_params("Feedback")
    scope = params.get("scope")
    if "scopeOne" in params:
        scope = [params["scopeOne"]]
    not_about = next((v for k, v in params.items() if k.startswith("f_notAbout")), None)
    return {"scope": scope, "notAbout": not_about}


async def feedback_rates(info: Info, in_region: str | None, period: str | None) -> FeedbackRates:
    """Rates over the reader's regions (or ``inRegion`` inside them) and ``period``."""
    access = info.context.access
    access.require_aggregates("Feedback", "`feedbackRates`")
    if period is not None and not _PERIOD.match(period):
        raise BadArgument("`period` is a year (2026), a month (2026-03) or a quarter (2026Q1)")
    rows = await info.context.store.read(
        q.RATES,
        {
            "region": check_region(in_region),
            "period": period,
            "today": wf.today_of(now_ms(info)).isoformat(),
            "resolved": list(wf.RESOLVED),
            "submitted": wf.SUBMITTED,
            "awaiting": list(wf.AWAITING_REPLY),
            **_scope(access),
        },
    )
    overall, towns, departments = _Sum(), dict[str, _Sum](), dict[str, _Sum]()
    for row in rows:
        overall.add(row)
        towns.setdefault(str(row["town"]), _Sum()).add(row)
        if row["department"] is not None:
            departments.setdefault(str(row["department"]), _Sum()).add(row)
    names: dict[str, str] = {}
    if towns:
        found = await info.context.store.read(q.TOWN_NAMES, {"codes": sorted(towns)})
        names = {str(r["code"]): str(r["name"]) for r in found}
    town_rows = [
        _rate(s, access, town_code=code, town_name=names.get(code))
        for code, s in sorted(towns.items())
    ]
    department_rows = [_rate(s, access, department=d) for d, s in sorted(departments.items())]
    total = _rate(overall, access)
    _suppress(town_rows, access)
    _suppress(department_rows, access)
    if access.suppress(overall.counts["total"]):
        _withhold(total)
    return FeedbackRates(period=period, overall=total, towns=town_rows, departments=department_rows)
