"""One Starlette app imitating the three REST platforms, for tests and ``weibao sync --samples``.

::

    /scas/api/v1/{directors,children,visits}        智慧民政 (page numbers, bearer)
    /volunteer/oauth/token                          志愿服务平台 token (client credentials)
    /volunteer/api/{volunteers,teams,service-hours} 志愿服务平台 (cursor, short-lived tokens)
    /hotline/api/orders                             12345 hotline (Link headers, rate-limited)
    /load/api/records                               generated records for load tests

Every answer carries ``X-Sample-Data: SAMPLE …``: nobody should mistake a
stand-in for the real platform.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connectors.standins import civil_affairs, hotline, load, volunteers
from connectors.standins.state import SAMPLE_HEADER, SAMPLE_NOTICE, StandinState

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "samples"


class SampleHeader:
    """Marks every HTTP answer as sample data (pure ASGI, so it costs next to nothing)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._header = (SAMPLE_HEADER.lower().encode(), SAMPLE_NOTICE.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self._header]
            await send(message)

        await self.app(scope, receive, marked)


def create_app(data_dir: Path | None = None, state: StandinState | None = None) -> ASGIApp:
    """The stand-ins' app, serving the samples under ``data_dir`` (default: the shipped ones)."""
    root = data_dir or DEFAULT_DATA_DIR
    state = state or StandinState()
    app = Starlette(
        routes=[
            *civil_affairs.routes(state, root),
            *volunteers.routes(state, root),
            *hotline.routes(state, root),
            *load.routes(state),
        ]
    )
    return SampleHeader(app)
