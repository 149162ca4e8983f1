"""GraphiQL without a CDN: its scripts are served by the hub from ``tools/graphiql``.

strawberry's GraphiQL page loads React, GraphiQL and two plugins from unpkg;
the hub's machines (and many government networks) reach no CDN, so in
development the hub serves exactly those files, pinned in
``tools/graphiql/package.json`` and installed by ``make setup``, and rewrites
the page to use them. Only the files the page needs are served. Without the
folder (an installed wheel) the page keeps its CDN addresses.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "tools" / "graphiql" / "node_modules"
PREFIX = "/_graphiql/"
FILES = frozenset(
    {
        "graphiql/graphiql.min.js",
        "graphiql/graphiql.min.css",
        "react/umd/react.production.min.js",
        "react-dom/umd/react-dom.production.min.js",
        "@graphiql/plugin-explorer/dist/index.umd.js",
        "@graphiql/plugin-explorer/dist/style.css",
        "js-cookie/dist/js.cookie.min.js",
    }
)
_UNPKG = re.compile(r"https://unpkg\.com/(@?[^@\"]+)@[^/\"]+/")


_CSRF_FROM_COOKIE = 'const csrfToken = Cookies.get("csrftoken");'
_CSRF_HEADER = 'defaultHeaders["x-csrftoken"] = csrfToken;'
#: The page asks the hub for the session's CSRF token (``GET /auth/session``) before
#: it builds its fetcher: a signed-in browser's queries are cookie-authenticated POSTs.
_CSRF_FROM_SESSION = """const csrfToken = (function () {
        try {
          const request = new XMLHttpRequest();
          request.open("GET", "/auth/session", false);
          request.send();
          return JSON.parse(request.responseText).csrfToken;
        } catch (e) {
          return null;
        }
      })();"""


def with_session_csrf(html: str) -> str:
    """strawberry's page sends Django's CSRF cookie; the hub's token lives in the session."""
    if _CSRF_FROM_COOKIE not in html or _CSRF_HEADER not in html:
        log.warning("GraphiQL page changed: signed-in queries from it will lack the CSRF token")
        return html
    html = html.replace(_CSRF_FROM_COOKIE, _CSRF_FROM_SESSION)
    return html.replace(_CSRF_HEADER, 'defaultHeaders["x-csrf-token"] = csrfToken;')


def local_graphiql(assets: Path = ASSETS) -> tuple[str, list[Route]] | None:
    """The GraphiQL page pointing at local files and the route serving them, if installed."""
    if not all((assets / name).is_file() for name in FILES):
        log.warning("GraphiQL assets not installed (make setup); the page will use a CDN")
        return None
    html = _UNPKG.sub(lambda m: f"{PREFIX}{m.group(1)}/", get_graphql_ide_html("graphiql"))
    html = with_session_csrf(html)

    async def serve(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(assets / name, headers={"cache-control": "max-age=86400"})

    return html, [Route(PREFIX + "{name:path}", serve)]
