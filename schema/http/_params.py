"""The GraphQL request parameters, read from a GET query string or a POST JSON body.

Type errors are refused here (400) so the guard and the executor only ever
see well-formed parameters. The body is read with its size limit enforced
twice: a ``Content-Length`` over the limit is refused before reading anything,
and the bytes are counted while streaming (a chunked body has no length).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request

from schema.errors import BadRequest, BodyTooLarge


@dataclass(frozen=True)
class GraphQLParams:
    """One operation's parameters: ``query``, ``operationName``, ``variables``, …"""

    query: str | None = None
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] | None = None
    document_id: Any = None  # checked by schema.documents.requested_id

    @classmethod
    def from_json(cls, data: Any) -> GraphQLParams:
        """From one decoded JSON request object."""
        if not isinstance(data, dict):
            raise BadRequest("a GraphQL request must be a JSON object")
        return cls(
            query=_optional(data, "query", str, "a string"),
            operation_name=_optional(data, "operationName", str, "a string"),
            variables=_optional(data, "variables", dict, "an object"),
            extensions=_optional(data, "extensions", dict, "an object"),
            document_id=data.get("documentId"),
        )

    @classmethod
    def from_query_string(cls, params: QueryParams) -> GraphQLParams:
        """From a GET query string; ``variables`` and ``extensions`` are JSON text."""
        decoded: dict[str, Any] = {
            key: params[key] for key in ("query", "operationName", "documentId") if key in params
        }
        for key in ("variables", "extensions"):
            if key in params:
                try:
                    decoded[key] = json.loads(params[key])
                except ValueError:
                    raise BadRequest(f"{key} must be a JSON-encoded object") from None
        return cls.from_json(decoded)


def _optional(data: Mapping[str, Any], key: str, type_: type, described: str) -> Any:
    value = data.get(key)
    if value is not None and not isinstance(value, type_):
        raise BadRequest(f"{key} must be {described} or null")
    return value


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or :class:`BodyTooLarge` as soon as it is known to be over ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise BadRequest("Content-Length is not a number") from None
        if length > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(f"the request body exceeds the limit of {limit} bytes", limit=limit)


def decode_json(body: bytes) -> Any:
    """The JSON value of a request body (UTF-8; no NaN or Infinity)."""
    if not body.strip():
        raise BadRequest("the request body is empty")
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise BadRequest("the request body is not UTF-8") from None
    except ValueError as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}") from None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
