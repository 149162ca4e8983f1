"""监督情况台账: the supervision ledger of a period and town, with each problem's rectification.

``/exports/ledger.xlsx?period=2026Q3&town=370481001``: the current versions of
the ledger entries found in the quarter (``period``, optional) in the region
(``town``, optional; the reader's regions apply anyway), oldest first; each
with its latest rectification: deadline, state, sign-off date (销号时间) and
escalation (督办情况: 催办 to whom and when, then 通报).
"""

from __future__ import annotations

from typing import Any

from hub.exports.base import Export, connection_rows

_entries, _next = connection_rows("ledgerEntries")

QUERY = """
query Ledger($period: String, $town: String, $after: String) {
  ledgerEntries(first: 100, after: $after, inRegion: $town,
                filter: { quarter: { eq: $period } },
                orderBy: { field: FOUND_DATE, direction: ASC }) {
    nodes {
      foundDate problem category severity regionCode
      village { name town { name } }
      station { name town { name } }
      director { name villages(first: 1) { nodes { name town { name } } } }
      recordedBy { name }
      task { towns(first: 1) { nodes { name } } }
      rectifications(first: 1, orderBy: { field: DEADLINE, direction: DESC }) {
        nodes {
          deadline status overdue completedDate escalationLevel urgedAt urgeTo noticedAt noticeTo
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _name(node: dict[str, Any] | None) -> str | None:
    return None if not node else node.get("name")


def _first(connection: dict[str, Any] | None) -> dict[str, Any] | None:
    nodes = (connection or {}).get("nodes") or []
    return nodes[0] if nodes else None


def _where(entry: dict[str, Any]) -> tuple[str | None, str | None]:
    """(镇街, 村居/站点) of an entry: its village, station or director's village."""
    village, station, director = entry.get("village"), entry.get("station"), entry.get("director")
    director_village = _first((director or {}).get("villages"))
    task_town = _first((entry.get("task") or {}).get("towns"))
    town = next(
        (
            _name(place.get("town"))
            for place in (village, station, director_village)
            if place and place.get("town")
        ),
        _name(task_town),
    )
    if village:
        place = _name(village)
    elif station:
        place = _name(station)
    else:
        place = _name(director_village)
    if director:
        place = f"{place or ''}（儿童主任{_name(director)}）"
    return town, place


def _escalation(rect: dict[str, Any]) -> str:
    parts = []
    if rect.get("urgedAt"):
        parts.append(f"{str(rect['urgedAt'])[:10]} 催办：{rect.get('urgeTo') or ''}")
    if rect.get("noticedAt"):
        parts.append(f"{str(rect['noticedAt'])[:10]} 通报：{rect.get('noticeTo') or ''}")
    return "；".join(parts) or "未督办"


def _status(rect: dict[str, Any] | None) -> str:
    if rect is None:
        return "未下达整改"
    status = str(rect.get("status") or "")
    return f"{status}（逾期）" if rect.get("overdue") else status


def ledger_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per ledger entry, in the columns of :data:`EXPORT`."""
    out = []
    for entry in _entries(data):
        town, place = _where(entry)
        rect = _first(entry.get("rectifications"))
        out.append(
            {
                "foundDate": entry.get("foundDate"),
                "town": town,
                "place": place,
                "problem": entry.get("problem"),
                "category": entry.get("category"),
                "severity": entry.get("severity"),
                "finder": _name(entry.get("recordedBy")),
                "deadline": (rect or {}).get("deadline"),
                "status": _status(rect),
                "closedOn": (rect or {}).get("completedDate"),
                "escalation": _escalation(rect) if rect else "",
            }
        )
    return out


EXPORT = Export(
    name="ledger",
    title="监督情况台账",
    query=QUERY,
    rows=ledger_rows,
    next_page=_next,
    columns=(
        ("#", "序号"),
        ("foundDate", "发现时间"),
        ("town", "镇街"),
        ("place", "村居/站点"),
        ("problem", "问题描述"),
        ("category", "类别"),
        ("severity", "严重程度"),
        ("finder", "发现人"),
        ("deadline", "整改期限"),
        ("status", "整改状态"),
        ("closedOn", "销号时间"),
        ("escalation", "督办情况"),
    ),
    params=("period", "town"),
)
