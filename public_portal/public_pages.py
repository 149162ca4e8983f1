"""``/`` (the program's headline figures, live) and ``/transparency`` (信息公开).

Both read aggregates as the anonymous principal: the schema withholds counts
under five from statistics-only readers, and these pages show them as ``<5``.
The answers are kept a few seconds (:meth:`Operations.run_public`): live to
within seconds, and a crowd costs the graph one read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from public_portal.i18n import N_
from public_portal.parts import Parts
from public_portal.render import CST

_OVERVIEW = (
    "overview { towns villages stations facilities directors supervisors trainings "
    "servicePersonTimes }"
)
HOME_QUERY = f"query PortalHome {{ {_OVERVIEW} }}"
_RATE = """
  townCode townName department total acceptedOnTime resolved overdue rated
  responseRate resolutionRate satisfaction satisfiedShare suppressed
"""
TRANSPARENCY_QUERY = f"""
query PortalTransparency($period: String) {{
  {_OVERVIEW}
  coverage {{ villages villagesWithDirector ratio }}
  stationStats(groupBy: [FOUR_HAVES]) {{ fourHaves count display }}
  feedbackStats(groupBy: [KIND]) {{ kind count display }}
  feedbackRates(period: $period) {{
    period
    overall {{ {_RATE} }}
    towns {{ {_RATE} }}
  }}
}}
"""

FIGURES: tuple[tuple[str, str], ...] = (
    ("towns", N_("镇（街道）")),
    ("villages", N_("村（社区）")),
    ("directors", N_("儿童主任")),
    ("supervisors", N_("儿童督导员")),
    ("stations", N_("未成年人保护工作站")),
    ("facilities", N_("村级未成年人保护设施")),
    ("trainings", N_("培训场次")),
    ("servicePersonTimes", N_("服务人次")),
)
KIND_LABELS = {
    "complaint": N_("投诉"),
    "suggestion": N_("建议"),
    "concern": N_("反映儿童情况"),
    "praise": N_("表扬"),
}
_PERIOD = re.compile(r"^\d{4}(Q[1-4])?$")
#: Years offered on the transparency page, counting back from this one.
YEARS_SHOWN = 3


def public_routes(parts: Parts) -> list[Route]:
    async def home(request: Request) -> Response:
        outcome = await parts.ops.run_public(request, HOME_QUERY)
        figures = None
        if outcome.ok and outcome.data is not None:
            overview = outcome.data["overview"]
            figures = [(label, overview[key]) for key, label in FIGURES]
        return parts.pages.render(
            request, "home.html", status=200 if figures else 503, figures=figures
        )

    async def transparency(request: Request) -> Response:
        asked = request.query_params.get("period", "")
        period = asked if _PERIOD.match(asked) else None
        outcome = await parts.ops.run_public(request, TRANSPARENCY_QUERY, period=period)
        if not outcome.ok or outcome.data is None:
            return parts.message(request, 503, N_("服务暂不可用"), N_("数据暂不可用，请稍后再试。"))
        data = outcome.data
        year = dt.datetime.now(CST).year
        return parts.pages.render(
            request,
            "transparency.html",
            figures=[(label, data["overview"][key]) for key, label in FIGURES],
            coverage=data["coverage"],
            stations=_four_haves(data["stationStats"]),
            kinds=[
                (KIND_LABELS.get(b["kind"], b["kind"]), b["display"]) for b in data["feedbackStats"]
            ],
            rates=data["feedbackRates"],
            period=period,
            periods=[str(year - i) for i in range(YEARS_SHOWN)],
        )

    return [
        Route("/", home, methods=["GET"], name="portal:home"),
        Route("/transparency", transparency, methods=["GET"], name="portal:transparency"),
    ]


def _four_haves(buckets: list[dict[str, Any]]) -> dict[str, str]:
    """Stations meeting the four-haves and not, as shown (``<5`` when withheld)."""
    shown = {"true": "0", "false": "0"}
    for bucket in buckets:
        shown[str(bucket["fourHaves"]).lower()] = bucket["display"]
    return shown
