"""``/feedback/status``: a submission's progress by its reference and access code, and
``/feedback/rate``: the submitter's rating of the reply (回访).

The codes are posted, not put in the address (it would land in logs and
history). Look-ups and ratings are limited per address, so the access code
(40 random bits) cannot be found by trying; the schema answers a wrong code
exactly as an unknown reference, and so does this page.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from public_portal.forms import FIELD
from public_portal.i18n import N_
from public_portal.parts import Parts, client_ip

_FIELDS = """
    reference kind status statusLabel submittedAt urgent acceptBy replyBy repliedAt
    publicReply rating canRate
    stages { stage label at }
"""
STATUS = (
    "query PortalFeedbackStatus($reference: String!, $accessCode: String!) {\n"
    f"  feedbackStatus(reference: $reference, accessCode: $accessCode) {{ {_FIELDS} }}\n}}"
)
RATE = (
    "mutation PortalRateFeedback($reference: String!, $accessCode: String!, $rating: Int!, "
    "$comment: String) {\n  rateFeedback(reference: $reference, accessCode: $accessCode, "
    f"rating: $rating, comment: $comment) {{ {_FIELDS} }}\n}}"
)
MAX_CODE = 64
MAX_COMMENT = 500
#: The five levels of satisfaction, best last (as the schema counts them).
RATINGS: tuple[tuple[int, str], ...] = (
    (1, N_("很不满意")),
    (2, N_("不满意")),
    (3, N_("基本满意")),
    (4, N_("满意")),
    (5, N_("非常满意")),
)


def status_routes(parts: Parts) -> list[Route]:
    def page(request: Request, status: int = 200, **context: Any) -> Response:
        values = {
            "reference": "",
            "access_code": "",
            "errors": {},
            "result": None,
            "not_found": False,
            "rated": False,
            "ratings": RATINGS,
            "max_comment": MAX_COMMENT,
            "field_names": {"form": FIELD},
            **context,
        }
        return parts.form_page(request, "status.html", status=status, **values)

    def too_many(request: Request, wait: int) -> Response:
        return parts.message(
            request,
            429,
            N_("查询过于频繁"),
            N_("从您的网络查询次数过多，请在约 %(minutes)s 分钟后再试。"),
            headers={"Retry-After": str(wait)},
            values={"minutes": max(1, (wait + 59) // 60)},
        )

    def unavailable(request: Request) -> Response:
        return parts.message(
            request, 503, N_("服务暂不可用"), N_("系统暂时无法处理您的请求，请稍后再试。")
        )

    async def form(request: Request) -> Response:
        return page(request)

    async def posted(request: Request) -> dict[str, str]:
        async with request.form(max_files=0, max_fields=10, max_part_size=8192) as values:
            return {k: v for k, v in values.items() if isinstance(v, str)}

    def codes_of(request: Request, fields: dict[str, str]) -> tuple[str, str, dict[str, str]]:
        reference = fields.get("reference", "").strip()[:MAX_CODE]
        code = fields.get("access_code", "").strip()[:MAX_CODE]
        errors: dict[str, str] = {}
        if not parts.guard.valid(request, fields.get(FIELD)):
            errors["form"] = N_("表单已过期，请再次提交")
        if not reference:
            errors["f-reference"] = N_("请填写受理编号")
        if not code:
            errors["f-access-code"] = N_("请填写查询码")
        return reference, code, errors

    async def look_up(request: Request) -> Response:
        reference, code, errors = codes_of(request, await posted(request))
        if errors:
            return page(request, 400, reference=reference, errors=errors)
        wait = parts.lookups.take(client_ip(request))
        if wait:
            return too_many(request, wait)
        outcome = await parts.ops.run(request, STATUS, reference=reference, accessCode=code)
        if outcome.problems and not outcome.refused:
            return unavailable(request)
        result = (outcome.data or {}).get("feedbackStatus")
        if result is None:
            return page(request, 404, reference=reference, not_found=True)
        return page(request, reference=reference, access_code=code, result=result)

    async def rate(request: Request) -> Response:
        fields = await posted(request)
        reference, code, errors = codes_of(request, fields)
        rating = fields.get("rating", "")
        if rating not in {str(value) for value, _ in RATINGS}:
            errors["f-rating"] = N_("请选择满意程度")
        comment = fields.get("comment", "").strip()
        if len(comment) > MAX_COMMENT:
            errors["f-comment"] = N_("意见不能超过500字")
        if errors:
            # Show the case again with the rating form and its errors (the codes held).
            wait = parts.lookups.take(client_ip(request))
            if wait:
                return too_many(request, wait)
            outcome = await parts.ops.run(request, STATUS, reference=reference, accessCode=code)
            result = (outcome.data or {}).get("feedbackStatus")
            return page(
                request, 400, reference=reference, access_code=code, result=result, errors=errors
            )
        wait = parts.lookups.take(client_ip(request))
        if wait:
            return too_many(request, wait)
        outcome = await parts.ops.run(
            request,
            RATE,
            reference=reference,
            accessCode=code,
            rating=int(rating),
            comment=comment or None,
        )
        if outcome.refused:
            message = outcome.problems[0].message
            return page(request, 400, reference=reference, errors={"form": message})
        if outcome.problems:
            return unavailable(request)
        result = (outcome.data or {}).get("rateFeedback")
        if result is None:
            return page(request, 404, reference=reference, not_found=True)
        return page(request, reference=reference, access_code=code, result=result, rated=True)

    return [
        Route("/feedback/status", form, methods=["GET"], name="portal:status"),
        Route("/feedback/status", look_up, methods=["POST"], name="portal:status_look_up"),
        Route("/feedback/rate", rate, methods=["POST"], name="portal:rate"),
    ]
