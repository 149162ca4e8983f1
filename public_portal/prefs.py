"""``/prefs``: a visitor's language and large-text mode, set by ordinary links.

A link (not a script) sets the cookie and comes back to the page it was on,
so both work without JavaScript. Neither choice is sensitive, so a GET may
set it; the page to come back to must be a path of this site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from public_portal.i18n import LANGUAGES
from public_portal.render import CARE_COOKIE, LANG_COOKIE

YEAR_S = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/`` (no open redirects)."""
    if not target or len(target) > 2048 or not target.startswith("/"):
        return "/"
    # "//host" and "/\\host" are other sites to a browser.
    if target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def prefs_routes(*, secure_cookies: bool) -> list[Route]:
    async def prefs(request: Request) -> Response:
        response = RedirectResponse(
            safe_next(request.query_params.get("next")),
            status_code=303,
            headers={"Cache-Control": "no-store"},
        )
        language = request.query_params.get("lang")
        if language in LANGUAGES:
            _remember(response, LANG_COOKIE, language, secure_cookies)
        care = request.query_params.get("care")
        if care in ("0", "1"):
            _remember(response, CARE_COOKIE, care, secure_cookies)
        return response

    return [Route("/prefs", prefs, methods=["GET"], name="portal:prefs")]


def _remember(response: Response, name: str, value: str, secure: bool) -> None:
    response.set_cookie(
        name, value, max_age=YEAR_S, path="/", httponly=True, samesite="lax", secure=secure
    )
