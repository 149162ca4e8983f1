"""Stand-in of the 12345 hotline's work-order API: ``/hotline/api/orders``.

Bearer token; ``page`` (from 1) and ``per_page`` (at most 100); the body is the
bare JSON array of orders, the paging is in RFC 8288 ``Link`` headers
(``first``, ``prev``, ``next``, ``last``, GitHub style) and ``X-Total-Count``;
``updated_since`` inclusive over ascending ``updated_at`` then order number.
The hotline is rate-limited (see :func:`~connectors.standins.faults.default_faults`).
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

SYSTEM = "hotline"
PATH = "/hotline/api/orders"
MAX_PER_PAGE = 100


def _pager(listing: Listing) -> Build:
    def build(request: Request) -> Page:
        bad = {"code": "400", "msg": "参数错误"}
        page = int_param(request, "page", 1, 1, bad)
        per_page = min(int_param(request, "per_page", 30, 1, bad), MAX_PER_PAGE)
        try:
            first = listing.start(request.query_params.get("updated_since"))
        except ValueError:
            raise BadRequest({"code": "400", "msg": "updated_since 格式错误"}) from None
        total = len(listing.records) - first
        last_page = max(1, -(-total // per_page))
        start = first + (page - 1) * per_page
        items = listing.records[start : start + per_page]

        def link(number: int, rel: str) -> str:
            url = request.url.include_query_params(page=number, per_page=per_page)
            return f'<{url}>; rel="{rel}"'

        links = [link(1, "first")]
        if page > 1:
            links.append(link(min(page - 1, last_page), "prev"))
        if page < last_page:
            links.append(link(page + 1, "next"))
        links.append(link(last_page, "last"))
        return Page(items, items, {"Link": ", ".join(links), "X-Total-Count": str(total)})

    return build


def routes(state: StandinState, data_dir: Path) -> list[BaseRoute]:
    """The work-order listing, served from ``data_dir/hotline/orders.json``."""
    listing = Listing.load(data_dir / SYSTEM / "orders.json", "order_no", "updated_at")
    check = bearer_check(lambda: state.hotline_token, "12345")
    return [Route(PATH, endpoint(state, SYSTEM, check, _pager(listing)))]
