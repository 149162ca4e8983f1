"""``/feedback``: the form in three steps, the submission and the one-time confirmation.

Steps 1 and 2 are GET forms (the kind and town, then the village): public
division codes in the address, nothing personal, and the back button works.
Step 3 (what it is about, the description, an optional photo and contact) is
a POST with the portal's CSRF token and honeypot, counted by the per-address
and per-contact limits; past the free submissions it needs a proof of work
(done by ``static/portal.js``), past the maximum it is refused with a 429 page.

The confirmation shows the tracking code (reference and access code) once,
in the response to the post, never cached; a danger disclosure shows first
how to call 110 and the 24-hour line.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from public_portal.errors import PortalUnavailable
from public_portal.feedback_form import (
    KINDS,
    MAX_DESCRIPTION,
    SCHEMA_FIELDS,
    WHOLE_TOWN,
    Draft,
    check_details,
    check_picker,
    read_draft,
    submission_input,
)
from public_portal.forms import FIELD, HONEYPOT, honeypot_filled
from public_portal.i18n import N_
from public_portal.parts import Parts, client_ip
from public_portal.picker import Picker
from public_portal.upload import BodyTooLarge, read_form
from schema.media import PhotoError, sniff_type, strip_location

log = logging.getLogger(__name__)

SUBMIT = """
mutation PortalSubmitFeedback($input: SubmitFeedbackInput!) {
  submitFeedback(input: $input) {
    reference accessCode urgent acceptBy
    emergency { police hotline hotlineName }
  }
}
"""
POW_CHALLENGE = "pow_challenge"
POW_NONCE = "pow_nonce"


def feedback_routes(parts: Parts) -> list[Route]:
    picker = Picker(parts.ops)

    async def details_page(
        request: Request,
        draft: Draft,
        *,
        status: int = 200,
        pow_bits: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Step 3, with the visitor's input kept (a file input cannot be refilled)."""
        assert draft.town is not None
        if pow_bits is None:
            pow_bits = parts.submissions.check(client_ip(request), draft.phone).pow_bits
        towns = {c.value: c.label for c in await picker.towns(request)}
        villages = {c.value: c.label for c in await picker.villages(request, draft.town)}
        return parts.form_page(
            request,
            "feedback.html",
            status=status,
            headers=headers,
            step=3,
            draft=draft,
            kinds=KINDS,
            town_name=towns.get(draft.town, draft.town),
            village_name=villages.get(draft.village_code or ""),
            subjects=await picker.subjects(request, draft.town, draft.village_code),
            max_description=MAX_DESCRIPTION,
            pow_challenge=parts.pow.challenge(pow_bits) if pow_bits else None,
            max_photo_mb=_megabytes(parts.settings.max_photo_bytes),
            field_names={"form": FIELD, "honeypot": HONEYPOT},
            links=_links(draft),
        )

    async def form(request: Request) -> Response:
        draft = read_draft(request.query_params)
        editing = request.query_params.get("edit") == "1"
        check_picker(draft, None if editing else request.query_params.get("step"))
        status = 400 if draft.errors else 200
        try:
            if editing or draft.step == 1:
                return parts.form_page(
                    request,
                    "feedback.html",
                    status=status,
                    step=1,
                    draft=draft,
                    kinds=KINDS,
                    towns=await picker.towns(request),
                )
            assert draft.town is not None
            if draft.step == 2:
                towns = {c.value: c.label for c in await picker.towns(request)}
                return parts.form_page(
                    request,
                    "feedback.html",
                    status=status,
                    step=2,
                    draft=draft,
                    kinds=KINDS,
                    town_name=towns.get(draft.town, draft.town),
                    villages=await picker.villages(request, draft.town),
                    whole_town=WHOLE_TOWN,
                    links=_links(draft),
                )
            return await details_page(request, draft)
        except PortalUnavailable:
            return _unavailable(parts, request)

    async def submit(request: Request) -> Response:
        try:
            posted = await read_form(request, parts.settings.max_body_bytes)
        except BodyTooLarge:
            return parts.message(
                request,
                413,
                N_("提交的内容过大"),
                N_("照片请不要超过%(mb)sMB，文字请不要超过2000字。请返回修改后再提交。"),
                values={"mb": _megabytes(parts.settings.max_photo_bytes)},
            )
        except (HTTPException, MultiPartException):  # not a form we can read
            return parts.message(
                request, 400, N_("无法提交"), N_("提交未被接受。请刷新页面后重新填写。")
            )
        try:
            return await _submit(request, posted)
        except PortalUnavailable:
            return _unavailable(parts, request)
        finally:
            await posted.close()

    async def _submit(request: Request, values: FormData) -> Response:
        draft = read_draft(values)
        if honeypot_filled(_str(values.get(HONEYPOT))):
            return parts.message(
                request, 400, N_("无法提交"), N_("提交未被接受。请刷新页面后重新填写。")
            )
        if draft.step != 3:  # the picker's choices are missing: start again from them
            query = {"kind": draft.kind or "", "town": draft.town or "", "edit": "1"}
            return RedirectResponse(f"/feedback?{urlencode(query)}", status_code=303)
        if not parts.guard.valid(request, _str(values.get(FIELD))):
            draft.errors["form"] = N_("表单已过期，请检查后再次提交")
            return await details_page(request, draft, status=403)
        check_details(draft)
        if draft.errors:
            return await details_page(request, draft, status=400)
        ip = client_ip(request)
        verdict = parts.submissions.check(ip, draft.phone)
        if not verdict.allowed:
            return _too_many(parts, request, verdict.retry_after_s)
        # A challenge is asked as hard as the address's count says when it is issued;
        # a solution is taken at any of our difficulties (the count may have grown
        # meanwhile: several tabs, a shared address), once. The maximum stays the limit.
        if verdict.pow_bits and not parts.pow.verify(
            _str(values.get(POW_CHALLENGE)) or "",
            _str(values.get(POW_NONCE)) or "",
            parts.settings.pow_bits,
        ):
            draft.errors["f-pow"] = N_(
                "近期从您的网络提交较多，需要浏览器完成一项自动验证后才能提交。"
                "请稍候片刻再点击“提交”；如浏览器未启用JavaScript，请稍后再试。"
            )
            return await details_page(
                request,
                draft,
                status=429,
                pow_bits=verdict.pow_bits,
                headers={"Retry-After": "5"},
            )
        parts.submissions.record(ip, draft.phone)
        context = parts.ops.context(request)
        photo_key = None
        photo = values.get("photo")
        if isinstance(photo, UploadFile) and photo.filename:
            photo_key = await _store_photo(parts, context.blobs, photo, draft)
            if draft.errors:
                return await details_page(request, draft, status=400)
        outcome = await parts.ops.run_in(context, SUBMIT, input=submission_input(draft, photo_key))
        if outcome.refused:
            for problem in outcome.problems:
                target = SCHEMA_FIELDS.get(problem.argument or "", "form")
                draft.errors.setdefault(target, problem.message)
            return await details_page(request, draft, status=400)
        if not outcome.ok or outcome.data is None:
            raise PortalUnavailable("submitFeedback")
        result = outcome.data["submitFeedback"]
        return parts.pages.render(request, "feedback_done.html", private=True, result=result)

    return [
        Route("/feedback", form, methods=["GET"], name="portal:feedback"),
        Route("/feedback", submit, methods=["POST"], name="portal:feedback_submit"),
    ]


async def _store_photo(parts: Parts, blobs: Any, photo: UploadFile, draft: Draft) -> str | None:
    """The photo without its metadata, stored; None (and an error on the draft) if unusable."""
    limit = parts.settings.max_photo_bytes
    data = await photo.read(limit + 1)
    if len(data) > limit:
        draft.errors["f-photo"] = N_("照片过大，请换一张较小的照片")
        return None
    if blobs is None or sniff_type(data) is None:
        draft.errors["f-photo"] = N_("请上传JPEG、PNG或WebP格式的照片")
        return None
    try:
        # Re-encoding a phone's photo takes a moment of CPU: off the event loop.
        clean = await asyncio.to_thread(strip_location, data, max_bytes=limit)
    except PhotoError:
        draft.errors["f-photo"] = N_("无法读取这张照片，请换一张JPEG、PNG或WebP格式的照片")
        return None
    content_type = sniff_type(clean)
    assert content_type is not None
    key: str = await blobs.put(clean, content_type)
    return key


def _links(draft: Draft) -> dict[str, str]:
    """Links back to the picker's earlier steps, keeping the choices made."""
    kind, town = (draft.kind or "").lower(), draft.town or ""
    return {
        "edit_town": "/feedback?" + urlencode({"kind": kind, "town": town, "edit": "1"}),
        "edit_village": "/feedback?" + urlencode({"kind": kind, "town": town}),
    }


def _megabytes(size: int) -> str:
    """A size limit as people read it: ``5`` (MB), ``0.5``."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _too_many(parts: Parts, request: Request, retry_after_s: int) -> Response:
    minutes = max(1, (retry_after_s + 59) // 60)
    if minutes <= 90:
        text = N_(
            "从您的网络或使用同一联系电话的提交已达上限，本次提交未被接受。"
            "请在约 %(n)s 分钟后再试。"
        )
    else:
        minutes = (minutes + 59) // 60
        text = N_(
            "从您的网络或使用同一联系电话的提交已达上限，本次提交未被接受。"
            "请在约 %(n)s 小时后再试。"
        )
    return parts.message(
        request,
        429,
        N_("提交过于频繁"),
        text,
        headers={"Retry-After": str(retry_after_s)},
        values={"n": minutes},
        emergency=True,
    )


def _unavailable(parts: Parts, request: Request) -> Response:
    return parts.message(
        request,
        503,
        N_("服务暂不可用"),
        N_("系统暂时无法处理您的请求，请稍后再试。"),
        emergency=True,
    )
