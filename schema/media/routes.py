"""The HTTP route serving photos by signed link: ``GET /media/photos/{sha256}``.

* 403: the signature is missing, wrong or expired (checked before the store is
  touched, so a guessed key costs nothing and tells nothing);
* 404: no such blob, or a blob that is not a photo;
* 200: the photo re-encoded by :func:`strip_location`.

The blob store keeps the photo *as uploaded*, EXIF GPS included: it is the
visit's evidence, and its sha256 is the key the evidence checks compare. The
location is stripped here, on every response, so the original is never
served; a 12-megapixel JPEG takes a few tens of milliseconds, in a worker
thread. Browsers may cache the answer privately until the link expires.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from schema.media.blobs import BlobStore
from schema.media.errors import BlobError, PhotoError
from schema.media.photos import CONTENT_TYPES, sniff_type, strip_location
from schema.media.signing import PHOTO_PATH, PhotoSigner

log = logging.getLogger(__name__)

_PHOTO_TYPES = frozenset(CONTENT_TYPES.values())
_REFUSAL_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def media_routes(
    blobs: BlobStore, signer: PhotoSigner, *, clock: Callable[[], float] = time.time
) -> list[Route]:
    """The media routes over ``blobs``, accepting links signed by ``signer``."""

    async def photo(request: Request) -> Response:
        sha256 = str(request.path_params["sha256"])
        now = clock()
        exp_text = request.query_params.get("exp", "")
        sig = request.query_params.get("sig", "")
        if not (exp_text.isascii() and exp_text.isdigit() and len(exp_text) <= 12):
            return _refuse(403, "forbidden: missing or bad link signature")
        exp = int(exp_text)
        if not signer.verify(sha256, exp, sig, now):
            return _refuse(403, "forbidden: missing, bad or expired link signature")
        try:
            blob = await blobs.get(sha256)
        except BlobError:
            log.exception("photo %s cannot be read from the blob store", sha256)
            return _refuse(503, "the photo store is unavailable")
        if blob is None or blob.content_type.split(";")[0].strip() not in _PHOTO_TYPES:
            return _refuse(404, "not found")
        try:
            served = await asyncio.to_thread(strip_location, blob.data)
        except PhotoError:
            log.warning("blob %s is stored as a photo but is not one", sha256)
            return _refuse(404, "not found")
        content_type = sniff_type(served)
        if content_type is None:  # strip_location only writes JPEG, PNG or WebP
            return _refuse(404, "not found")
        remaining = max(0, exp - int(now))
        return Response(
            served,
            media_type=content_type,
            headers={
                "Cache-Control": f"private, max-age={remaining}",
                "X-Content-Type-Options": "nosniff",
                "Content-Disposition": "inline",
            },
        )

    return [Route(PHOTO_PATH + "{sha256}", photo, methods=["GET"], name="media-photo")]


def _refuse(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers=_REFUSAL_HEADERS)
