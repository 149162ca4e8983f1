"""The portal's pages. For now the home page with the program's live headline figures."""

from __future__ import annotations

import html
from collections.abc import Callable

import strawberry
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from schema import Context

HOME_QUERY = """
query PortalHome {
  overview { towns villages stations facilities directors supervisors trainings servicePersonTimes }
}
"""

_FIGURES = (
    ("towns", "镇街", "Towns"),
    ("villages", "村（社区）", "Villages"),
    ("directors", "儿童主任", "Children's directors"),
    ("supervisors", "儿童督导员", "Supervisors"),
    ("stations", "未保站", "Protection stations"),
    ("facilities", "村级未保设施", "Village facilities"),
    ("trainings", "培训场次", "Trainings"),
    ("servicePersonTimes", "服务人次", "Service person-times"),
)


def portal_routes(schema: strawberry.Schema, context: Callable[[Request], Context]) -> list[Route]:
    """The portal's routes; ``context`` builds the GraphQL context of a request."""

    async def home(request: Request) -> HTMLResponse:
        result = await schema.execute(HOME_QUERY, context_value=context(request))
        if result.errors or not result.data:
            return HTMLResponse(_page("<p>数据暂不可用 / Figures unavailable.</p>"), 503)
        figures = result.data["overview"]
        items = "".join(
            f'<div class="fig"><dt>{zh}<span lang="en"> {en}</span></dt>'
            f"<dd>{int(figures[key]):,}</dd></div>"
            for key, zh, en in _FIGURES
        )
        return HTMLResponse(_page(f"<dl class='figures'>{items}</dl>"))

    return [Route("/", home, name="portal:home")]


def _page(body: str) -> str:
    title = html.escape("滕州市未成年人保护 · 心滕你")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;color:#1a1a1a;background:#fff}}
header,main{{max-width:60rem;margin:0 auto;padding:1rem}}
h1{{font-size:1.6rem}}
.figures{{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:1rem}}
.fig{{border:1px solid #767676;border-radius:.5rem;padding:1rem}}
dt span{{display:block;font-size:.85rem;color:#444}}
dd{{margin:.5rem 0 0;font-size:1.8rem;font-weight:700}}
</style></head>
<body><header><h1>{title}</h1><p>儿童主任网格化赋能行动 · 公众监督门户（建设中）</p>
<nav><a href="/login">工作人员与监督员登录</a></nav></header>
<main>{body}</main></body></html>"""
