"""XLSX exports (finance's allowance sheet, the supervision ledger 台账…): GraphQL in, sheet out.

Each module of this package defining ``EXPORT`` (an :class:`Export`) is served
at ``/exports/<name>.xlsx``. The document runs in-process with the request's
principal and context, exactly as if the client had sent it: the same access
rules, the same audit trail. Rows are written with openpyxl in write-only mode,
a bold frozen header row of Chinese column names first.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import strawberry
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.exports.base import Export, connection_rows

__all__ = ["Export", "connection_rows", "discover", "export_routes", "workbook_bytes"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PAGES = 500  # 50,000 rows at 100 a page: far above any export of one city


def discover() -> dict[str, Export]:
    """The exports defined in this package's modules, by name."""
    found: dict[str, Export] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name in ("base",):
            continue
        export = getattr(importlib.import_module(f"{__name__}.{module.name}"), "EXPORT", None)
        if isinstance(export, Export):
            found[export.name] = export
    return found


def workbook_bytes(export: Export, rows: list[dict[str, Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(export.title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for _, title in export.columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    # A column keyed ``#`` numbers the rows (序号) across all pages.
    for number, row in enumerate(rows, start=1):
        sheet.append([number if key == "#" else _cell(row.get(key)) for key, _ in export.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items())
    return value


def export_routes(schema: strawberry.Schema, context: Callable[[Request], Any]) -> list[Route]:
    exports = discover()

    async def serve(request: Request) -> Response:
        export = exports.get(str(request.path_params["name"]))
        if export is None:
            return JSONResponse({"error": "no such export"}, status_code=404)
        variables: dict[str, Any] = {}
        for name in export.params:
            value = request.query_params.get(name)
            if value is not None:
                variables[name] = value
        missing = [p for p in export.required if p not in variables]
        if missing:
            return JSONResponse(
                {"error": f"missing parameter(s): {', '.join(missing)}"}, status_code=400
            )
        rows: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            page_vars = {**variables, **({"after": after} if after else {})}
            result = await schema.execute(
                export.query, variable_values=page_vars, context_value=context(request)
            )
            if result.errors or result.data is None:
                codes = {(e.extensions or {}).get("code") for e in result.errors or ()}
                status = 403 if "FORBIDDEN" in codes else 400
                messages = [e.message for e in result.errors or ()]
                return JSONResponse({"errors": messages}, status_code=status)
            rows.extend(export.rows(result.data))
            after = export.next_page(result.data) if export.next_page else None
            if after is None:
                break
        body = workbook_bytes(export, rows)
        filename = quote(f"{export.title}.xlsx")
        return Response(
            body,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="{export.name}.xlsx"; '
                f"filename*=UTF-8''{filename}",
                "Cache-Control": "no-store",
            },
        )

    return [Route("/exports/{name}.xlsx", serve, methods=["GET"], name="export")]
