"""Stand-in of the 智慧民政 Smart Civil Affairs platform: ``/scas/api/v1/<listing>``.

Listings: ``directors``, ``children``, ``visits``.

Bearer token; ``page`` (from 1) and ``page_size`` (at most 200, silently);
``updated_since`` inclusive; ascending ``updated_at`` then id; the body is
``{"code": 0, "message": "success", "data": {"items": [...], "total": N, "page": p,
"page_size": s}}``. Like the real platform, every page after the first starts
with the last record of the page before (an inclusive boundary in its paging
query): clients must de-duplicate, and must not stop on record counts.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from connectors.standins._http import (
    BadRequest,
    Build,
    Listing,
    Page,
    bearer_check,
    endpoint,
    int_param,
)
from connectors.standins.state import StandinState

SYSTEM = "civil_affairs"
PREFIX = "/scas/api/v1"
MAX_PAGE_SIZE = 200
_LISTINGS = {
    "directors": ("directors.json", "director_id"),
    "children": ("children.json", "child_id"),
    "visits": ("visits.json", "visit_id"),
}


def _pager(listing: Listing) -> Build:
    def build(request: Request) -> Page:
        page = int_param(request, "page", 1, 1, {"code": 400, "message": "参数错误：page"})
        size = int_param(
            request, "page_size", 20, 1, {"code": 400, "message": "参数错误：page_size"}
        )
        size = min(size, MAX_PAGE_SIZE)
        try:
            first = listing.start(request.query_params.get("updated_since"))
        except ValueError:
            raise BadRequest(
                {"code": 400, "message": "参数错误：updated_since 格式不正确"}
            ) from None
        total = len(listing.records) - first
        start = first + (page - 1) * size
        items = listing.records[start : start + size]
        if page > 1 and items:
            items = [listing.records[start - 1], *items]
        body = {
            "code": 0,
            "message": "success",
            "data": {"items": items, "total": total, "page": page, "page_size": size},
        }
        return Page(body, items)

    return build


def routes(state: StandinState, data_dir: Path) -> list[BaseRoute]:
    """The platform's three listings, served from ``data_dir/civil_affairs``."""
    check = bearer_check(lambda: state.civil_affairs_token, "scas")
    out: list[BaseRoute] = []
    for name, (file, id_field) in _LISTINGS.items():
        listing = Listing.load(data_dir / SYSTEM / file, id_field, "updated_at")
        out.append(Route(f"{PREFIX}/{name}", endpoint(state, SYSTEM, check, _pager(listing))))
    return out
