"""Turning results and refusals into HTTP responses, per the GraphQL-over-HTTP draft.

Status codes:

* a result that reached execution: 200, with ``data`` (and ``errors``, masked);
* a GraphQL request error (syntax, validation, a limit, variables that do not
  coerce): 400 with ``application/graphql-response+json``, 200 with legacy
  ``application/json``; ``errors`` only, never ``data``;
* an HTTP-level refusal: its own status (400, 403, 405, 406, 413, 415, 504)
  and ``errors`` only, whatever the media type.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from graphql import GraphQLError
from starlette.responses import Response

from schema.errors import RequestRefused
from schema.http._negotiation import GRAPHQL_RESPONSE_JSON
from schema.safety import mask_errors

Payload = dict[str, Any]


def request_error_status(media_type: str) -> int:
    """The status of a GraphQL request error: the legacy type keeps 200."""
    return 400 if media_type == GRAPHQL_RESPONSE_JSON else 200


def errors_payload(errors: Iterable[GraphQLError]) -> Payload:
    """``{"errors": [...]}``, masked, and without ``data``: nothing was executed."""
    return {"errors": [e.formatted for e in mask_errors(errors)]}


def refusal_payload(refused: RequestRefused) -> Payload:
    return {"errors": [{"message": refused.message, "extensions": refused.extensions}]}


def result_payload(
    data: Any, errors: Iterable[GraphQLError] | None, extensions: Mapping[str, Any] | None
) -> Payload:
    """An executed operation: ``data`` always present (maybe null), ``errors`` if any."""
    payload: Payload = {"data": data}
    if errors:
        payload["errors"] = [e.formatted for e in mask_errors(errors)]
    if extensions:
        payload["extensions"] = dict(extensions)
    return payload


def json_response(
    content: Payload | list[Payload],
    media_type: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Response(
        body.encode("utf-8"),
        status_code=status,
        headers=dict(headers or {}),
        media_type=f"{media_type}; charset=utf-8",
    )


def refusal_response(refused: RequestRefused, media_type: str) -> Response:
    return json_response(refusal_payload(refused), media_type, refused.status, refused.headers)
