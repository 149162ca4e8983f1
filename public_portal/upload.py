"""Reading a form post under a size limit: a flood of large bodies costs little.

The declared length is checked before reading; a body without one (chunked)
is counted as it arrives. Only then is it parsed (multipart or urlencoded),
with few fields and one file at most.
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.types import Message, Receive

from public_portal.errors import PortalError

MAX_FIELDS = 30
#: A text field's part: the longest description (2,000 characters, UTF-8) with room.
MAX_PART_BYTES = 64 * 1024


class BodyTooLarge(PortalError):
    """The post is larger than the portal takes (413)."""


async def read_form(request: Request, max_bytes: int) -> FormData:
    """The posted form, or :class:`BodyTooLarge`; use it as ``async with``."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise BodyTooLarge(declared)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise BodyTooLarge(str(len(body)))
    replayed = Request(request.scope, _replay(bytes(body)))
    return await replayed.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_PART_BYTES)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
