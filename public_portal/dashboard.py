"""``/oversight``: the oversight commissioners' dashboards (督查专员), and their notes.

A signed-in commissioner (or a center admin or auditor) reads aggregate figures
of their jurisdiction: coverage per town, stations' four-haves, visits,
assessments, supervision tasks and rectifications, feedback handling rates.
Each chart is server-drawn SVG followed by its table (:mod:`public_portal.charts`).

A commissioner's note on any section becomes a tracked supervision task
(``noteToTask``); their raised tasks are listed with their progress. Forms carry
the portal's own token and the hub session's CSRF token, as the portal's other
forms do.

Views are logged: every figure is read through GraphQL with the reader's
principal (the audit extension records any personal data read: there is none
here), and each page view is logged at INFO with the user and the page, since
the schema has no mutation that records a view.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from public_portal.dashboard_data import NOTE, TASK_STATUS, DashboardData
from public_portal.forms import FIELD
from public_portal.i18n import N_
from public_portal.parts import Parts
from schema.access.principal import Principal, Role
from schema.core.ids import to_global_id

log = logging.getLogger(__name__)

PATH = "/oversight"
#: Who may read the dashboards: commissioners, and the center's admins and auditors.
READERS = frozenset({Role.COMMISSIONER, Role.CENTER_ADMIN, Role.AUDITOR})
MAX_NOTE = 1000
#: The sections a note may be about (the form's ``section``: where to come back to).
SECTIONS = ("coverage", "stations", "visits", "assessments", "supervision", "feedback")


def _reader(request: Request) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) and user.is_authenticated else None


def dashboard_routes(parts: Parts) -> list[Route]:
    def gettext(request: Request) -> Any:
        return lambda message: parts.pages.gettext(request, message)

    def refuse(request: Request, reader: Principal | None) -> Response | None:
        """Anonymous: to the login page; a reader of another role: 403."""
        if reader is None:
            return RedirectResponse(f"/login?next={PATH}", status_code=303)
        if reader.role not in READERS:
            return parts.message(
                request,
                403,
                N_("无权访问"),
                N_("监督看板仅供督查专员和未成年人保护中心查看。"),
            )
        return None

    def exports(request: Request, periods: list[str]) -> list[tuple[str, str]]:
        """The spreadsheets this reader may download (an export they would get 403 for
        is not offered)."""
        access = parts.ops.context(request).access
        links: list[tuple[str, str]] = [
            ("/exports/feedback_rates.xlsx", N_("反馈办理情况统计表")),
        ]
        if access.can_read("LedgerEntry"):
            links.append(("/exports/ledger.xlsx", N_("监督情况台账")))
        if access.can_read("Assessment"):
            links.extend(
                (f"/exports/assessments.xlsx?{urlencode({'period': p})}", N_("考核结果"))
                for p in periods[-2:]
            )
        return links

    async def page(
        request: Request,
        reader: Principal,
        *,
        status: int = 200,
        errors: dict[str, str] | None = None,
        note: str = "",
        noted: bool = False,
    ) -> Response:
        data = DashboardData(parts.ops, gettext(request))
        coverage, names, towns = await data.coverage(request)
        sections = [
            coverage,
            await data.stations(request),
            await data.visits(request, names),
            await data.assessments(request),
            await data.supervision(request),
            await data.feedback(request),
        ]
        can_note = reader.role is Role.COMMISSIONER and reader.person_id is not None
        mine = (
            await data.mine(request, to_global_id("Commissioner", reader.person_id))
            if can_note and reader.person_id is not None
            else None
        )
        periods = sections[3].extra.get("periods", [])
        log.info(
            "oversight dashboard viewed: user=%s role=%s page=%s",
            reader.name,
            reader.role.value,
            PATH,
        )
        return parts.form_page(
            request,
            "dashboard.html",
            status=status,
            reader=reader,
            sections=sections,
            towns=towns,
            can_note=can_note,
            mine=mine,
            exports=exports(request, periods),
            errors=errors or {},
            note=note,
            noted=noted,
            field_names={"form": FIELD},
            max_note=MAX_NOTE,
            task_status=TASK_STATUS,
        )

    async def show(request: Request) -> Response:
        reader = _reader(request)
        refused = refuse(request, reader)
        if refused is not None or reader is None:
            return refused or Response(status_code=500)
        return await page(request, reader, noted=request.query_params.get("noted") == "1")

    async def add_note(request: Request) -> Response:
        reader = _reader(request)
        refused = refuse(request, reader)
        if refused is not None or reader is None:
            return refused or Response(status_code=500)
        async with request.form(max_files=0, max_fields=10, max_part_size=8192) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        section = fields.get("section", "")
        note = fields.get("note", "").strip()
        subject = fields.get("subject", "").strip()
        errors: dict[str, str] = {}
        if not parts.guard.valid(request, fields.get(FIELD)):
            errors["form"] = N_("表单已过期，请再次提交")
        if section not in SECTIONS or not subject:
            errors["form"] = N_("请选择意见针对的镇街或任务")
        if len(note) < 5 or len(note) > MAX_NOTE:
            errors[f"note-{section}" if section in SECTIONS else "form"] = N_("意见应为5至1000字")
        if not errors:
            outcome = await parts.ops.run(request, NOTE, subject=subject, note=note)
            if outcome.ok:
                log.info("oversight note made a task: user=%s section=%s", reader.name, section)
                return RedirectResponse(f"{PATH}?noted=1#mine", status_code=303)
            if not outcome.refused:
                return parts.message(
                    request, 503, N_("服务暂不可用"), N_("系统暂时无法处理您的请求，请稍后再试。")
                )
            errors["form"] = outcome.problems[0].message
        return await page(request, reader, status=400, errors=errors, note=note)

    return [
        Route(PATH, show, methods=["GET"], name="portal:oversight"),
        Route(f"{PATH}/note", add_note, methods=["POST"], name="portal:oversight_note"),
    ]
