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


def local_graphiql(assets: Path = ASSETS) -> tuple[str, list[Route]] | None:
    """The GraphiQL page pointing at local files and the route serving them, if installed."""
    if not all((assets / name).is_file() for name in FILES):
        log.warning("GraphiQL assets not installed (make setup); the page will use a CDN")
        return None
    html = _UNPKG.sub(lambda m: f"{PREFIX}{m.group(1)}/", get_graphql_ide_html("graphiql"))

    async def serve(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(assets / name, headers={"cache-control": "max-age=86400"})

    return html, [Route(PREFIX + "{name:path}", serve)]
