"""待核查走访清单: the flagged visits still waiting for a supervisor's review, with reasons."""

from __future__ import annotations

from typing import Any

from hub.exports.base import Export, connection_rows

_rows, _next = connection_rows("visits")


def _flatten(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for node in _rows(data):
        validity = node.get("validity") or {}
        out.append(
            {
                "startedAt": node.get("startedAt"),
                "villageCode": node.get("villageCode"),
                "director": (node.get("director") or {}).get("name"),
                "mode": node.get("mode"),
                "score": validity.get("score"),
                "reasons": validity.get("reasons"),
            }
        )
    return out


EXPORT = Export(
    name="flagged-visits",
    title="待核查走访清单",
    query="""
    query FlaggedVisits($inRegion: String, $after: String) {
      visits(first: 100, after: $after, inRegion: $inRegion,
             filter: { flagged: true, reviewed: false },
             orderBy: { field: STARTED_AT, direction: DESC }) {
        nodes { startedAt villageCode mode director { name } validity { score reasons } }
        pageInfo { hasNextPage endCursor }
      }
    }
    """,
    rows=_flatten,
    next_page=_next,
    columns=(
        ("startedAt", "走访时间"),
        ("villageCode", "村居代码"),
        ("director", "儿童主任"),
        ("mode", "走访方式"),
        ("score", "有效性评分"),
        ("reasons", "存疑原因"),
    ),
    params=("inRegion",),
)
