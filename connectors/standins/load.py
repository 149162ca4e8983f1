"""A generating endpoint for load and memory tests: ``/load/api/records?total=N``.

Not an imitation of a platform: records are made on the fly (nothing is held),
so a read of any length costs the server no memory. Page numbers
(``page``, ``page_size`` up to 1,000) and the civil-affairs body shape
(``data.items``, ``data.total``), ``updated_at`` one second apart from
2026-01-01T00:00:00+08:00, no authentication.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from connectors.standins._http import CST, Page, endpoint, int_param
from connectors.standins.state import StandinState

SYSTEM = "load"
PATH = "/load/api/records"
MAX_PAGE_SIZE = 1000
_EPOCH = datetime(2026, 1, 1, tzinfo=CST)


def record(index: int) -> dict[str, object]:
    """The ``index``-th generated record (0-based)."""
    return {
        "id": f"R{index:09d}",
        "updated_at": (_EPOCH + timedelta(seconds=index)).isoformat(),
        "name": f"样例记录{index}",
        "village_code": f"370481001{200 + index % 17:03d}",
        "value": index,
    }


def _build(request: Request) -> Page:
    bad = {"code": 400, "message": "bad parameter"}
    total = int_param(request, "total", 1000, 0, bad)
    page = int_param(request, "page", 1, 1, bad)
    size = min(int_param(request, "page_size", 100, 1, bad), MAX_PAGE_SIZE)
    start = (page - 1) * size
    items = [record(i) for i in range(start, min(total, start + size))]
    return Page({"code": 0, "data": {"items": items, "total": total}}, items)


async def _open(request: Request) -> Response | None:
    return None


def routes(state: StandinState) -> list[BaseRoute]:
    return [Route(PATH, endpoint(state, SYSTEM, _open, _build))]
