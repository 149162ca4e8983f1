"""反馈办理情况统计表: feedback handling rates per town and in all, for a period.

The figures of ``feedbackRates``: readers of statistics only (commissioners)
get small counts withheld, shown as ``<5``; never a complainant or a text.
"""

from __future__ import annotations

from typing import Any

from hub.exports.base import Export

WITHHELD = "<5"


def _percent(value: Any) -> str | None:
    return None if value is None else f"{float(value) * 100:.1f}%"


def _row(rate: dict[str, Any], town: str) -> dict[str, Any]:
    if rate.get("suppressed"):
        return {"town": town, "total": WITHHELD}
    mean = rate.get("satisfaction")
    return {
        "town": town,
        "total": rate.get("total"),
        "acceptedOnTime": rate.get("acceptedOnTime"),
        "responseRate": _percent(rate.get("responseRate")),
        "resolved": rate.get("resolved"),
        "resolutionRate": _percent(rate.get("resolutionRate")),
        "overdue": rate.get("overdue"),
        "rated": rate.get("rated") if rate.get("rated") is not None else WITHHELD,
        "satisfaction": None if mean is None else round(float(mean), 2),
        "satisfiedShare": _percent(rate.get("satisfiedShare")),
    }


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rates = data.get("feedbackRates") or {}
    rows = [_row(t, str(t.get("townName") or t.get("townCode"))) for t in rates.get("towns", [])]
    rows.append(_row(rates.get("overall") or {}, "合计"))
    return rows


_RATE = """townCode townName total acceptedOnTime responseRate resolved resolutionRate
  overdue rated satisfaction satisfiedShare suppressed"""

EXPORT = Export(
    name="feedback_rates",
    title="反馈办理情况统计表",
    query=f"""
    query FeedbackRates($period: String, $inRegion: String) {{
      feedbackRates(period: $period, inRegion: $inRegion) {{
        towns {{ {_RATE} }}
        overall {{ {_RATE} }}
      }}
    }}
    """,
    rows=_rows,
    columns=(
        ("town", "乡镇（街道）"),
        ("total", "反馈件数"),
        ("acceptedOnTime", "按时受理件数"),
        ("responseRate", "按时响应率"),
        ("resolved", "已答复件数"),
        ("resolutionRate", "办结率"),
        ("overdue", "逾期件数"),
        ("rated", "回访评价件数"),
        ("satisfaction", "平均满意度（1-5）"),
        ("satisfiedShare", "满意率（4-5分）"),
    ),
    params=("period", "inRegion"),
)
