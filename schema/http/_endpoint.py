"""The GraphQL endpoint: an ASGI app speaking GraphQL over HTTP.

One request goes: method → ``Accept`` → body (type, size, JSON) → parameters
→ trusted-document lookup → :class:`~schema.safety.QueryGuard` (parse,
validate, limits, variables, cost) → ``schema.execute`` under the per-request
time limit. Everything before the last step is pure checking: a refused
request never builds a context and never reaches the graph.

GET runs queries only (a mutation gets 405 with ``Allow: POST``, as the spec
asks, so a link or a prefetch can never change data). A JSON array body is a
batch: refused unless ``Limits.max_batch`` allows it, then answered with one
result per operation. A request running past ``Limits.timeout_s`` is
cancelled and answered with 504 and a ``TIMEOUT`` error, whichever the media
type: it has no result to show.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from graphql import GraphQLError, OperationType
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType as ExecutedType

from schema.documents import TrustedDocuments, document_id, requested_id
from schema.errors import (
    BadRequest,
    BatchRefused,
    GraphQLRequestError,
    MethodNotAllowed,
    NotAcceptable,
    OperationTimedOut,
    PersistedQueryRequired,
    RequestRefused,
    UnsupportedMediaType,
)
from schema.http._multipart import is_multipart, multipart_params
from schema.http._negotiation import JSON, is_json_body, negotiate, prefers_html
from schema.http._params import GraphQLParams, decode_json, read_body
from schema.http._responses import (
    Payload,
    errors_payload,
    json_response,
    refusal_payload,
    refusal_response,
    request_error_status,
    result_payload,
)
from schema.safety import MASKED_MESSAGE, Limits, QueryGuard, checked_document, install

log = logging.getLogger(__name__)

METHODS = ("GET", "POST")
HTTP_OPERATIONS = (OperationType.QUERY, OperationType.MUTATION)


def nobody(request: Request) -> bool:
    """The default ``trusted_only``: every client may send free-form queries."""
    return False


class GraphQLEndpoint:
    """GraphQL over HTTP for one schema, with its limits and trusted documents.

    ``context`` builds the resolvers' context for a request (once per HTTP
    request, shared by a batch's operations so they share DataLoaders).
    ``trusted_only`` decides per request whether the client may only run
    trusted documents (later: from the authenticated principal).
    """

    def __init__(
        self,
        schema: strawberry.Schema,
        context: Callable[[Request], Any],
        *,
        graphiql: bool = False,
        graphiql_html: str | None = None,
        limits: Limits | None = None,
        documents: TrustedDocuments | None = None,
        trusted_only: Callable[[Request], bool] = nobody,
    ) -> None:
        self.schema = schema
        self.limits = limits or Limits()
        self.documents = documents if documents is not None else TrustedDocuments()
        self.guard = QueryGuard(schema._schema, self.limits)
        install(schema)  # execution reuses the guard's parse and validation
        self._context = context
        self._trusted_only = trusted_only
        # ``graphiql_html`` lets the host serve GraphiQL's scripts itself (no CDN).
        if graphiql:
            self._graphiql_html: str | None = graphiql_html or get_graphql_ide_html("graphiql")
        else:
            self._graphiql_html = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self._respond(request)
        except ClientDisconnect:
            return
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        media_type = JSON  # refusals before negotiation answer in the legacy type
        try:
            if request.method not in METHODS:
                raise MethodNotAllowed(
                    f"{request.method} is not allowed: use GET or POST", allow=METHODS
                )
            accept = request.headers.get("accept")
            if self._graphiql_html is not None and request.method == "GET" and prefers_html(accept):
                return HTMLResponse(self._graphiql_html)
            negotiated = negotiate(accept)
            if negotiated is None:
                raise NotAcceptable(
                    "the Accept header allows neither application/graphql-response+json "
                    "nor application/json"
                )
            media_type = negotiated
            if request.method == "GET":
                params = GraphQLParams.from_query_string(request.query_params)
                return await self._single(request, params, media_type)
            return await self._post(request, media_type)
        except RequestRefused as refused:
            log.debug("refused %s: %s", refused.code, refused.message)
            return refusal_response(refused, media_type)
        except ClientDisconnect:
            raise
        except Exception:
            # A bug of ours: the client gets a GraphQL-shaped 500, the log the traceback.
            log.exception("GraphQL request failed")
            return json_response({"errors": [{"message": MASKED_MESSAGE}]}, media_type, 500)

    async def _post(self, request: Request, media_type: str) -> Response:
        content_type = request.headers.get("content-type")
        if is_multipart(content_type):
            params = await multipart_params(
                request, max_bytes=self.limits.max_upload_bytes, max_files=self.limits.max_files
            )
            return await self._single(request, params, media_type)
        if not is_json_body(content_type):
            raise UnsupportedMediaType(
                "a POST body must be application/json (UTF-8), or multipart/form-data "
                "with files (GraphQL multipart request)"
            )
        data = decode_json(await read_body(request, self.limits.max_body_bytes))
        if not isinstance(data, list):
            return await self._single(request, GraphQLParams.from_json(data), media_type)
        limit = self.limits.max_batch
        if limit == 0:
            raise BatchRefused("batching is disabled (setting graphql.max_batch is 0)", limit=0)
        if not data or len(data) > limit:
            raise BatchRefused(
                f"a batch of {len(data)} operations is outside the limit of 1 to {limit}",
                limit=limit,
            )
        batch = [GraphQLParams.from_json(item) for item in data]
        context = _Lazy(self._context, request)
        async with _deadline(self.limits.timeout_s):
            results = [await self._batch_item(request, p, media_type, context) for p in batch]
        return json_response(results, media_type)

    async def _single(self, request: Request, params: GraphQLParams, media_type: str) -> Response:
        context = _Lazy(self._context, request)
        async with _deadline(self.limits.timeout_s):
            status, payload = await self._operation(request, params, media_type, context)
        return json_response(payload, media_type, status)

    async def _batch_item(
        self, request: Request, params: GraphQLParams, media_type: str, context: _Lazy
    ) -> Payload:
        try:
            return (await self._operation(request, params, media_type, context))[1]
        except RequestRefused as refused:
            return refusal_payload(refused)

    async def _operation(
        self, request: Request, params: GraphQLParams, media_type: str, context: _Lazy
    ) -> tuple[int, Payload]:
        """Check, then execute one operation: ``(status, payload)``."""
        source = self._source(request, params)
        try:
            parsed = self.guard.parse(source)
            operation = parsed.operation(params.operation_name)
            if request.method == "GET" and operation.operation is not OperationType.QUERY:
                raise MethodNotAllowed(
                    f"a {operation.operation.value} cannot run over GET: use POST",
                    allow=("POST",),
                )
            if operation.operation not in HTTP_OPERATIONS:
                raise GraphQLRequestError(
                    [GraphQLError("subscriptions are not served over HTTP", operation)]
                )
            checked = self.guard.check(parsed, operation, params.variables)
        except GraphQLRequestError as refused:
            return request_error_status(media_type), errors_payload(refused.errors)
        allowed = (
            (ExecutedType.QUERY,)
            if request.method == "GET"
            else (ExecutedType.QUERY, ExecutedType.MUTATION)
        )
        with checked_document(source, checked.document):
            result = await self.schema.execute(
                source,
                variable_values=params.variables,
                context_value=context.get(),
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
            )
        if isinstance(result, PreExecutionError):  # strawberry's own extra rules
            return request_error_status(media_type), errors_payload(result.errors or [])
        return 200, result_payload(result.data, result.errors, result.extensions)

    def _source(self, request: Request, params: GraphQLParams) -> str:
        """The document text to run: a trusted document's, or the free-form query."""
        key = requested_id(params.document_id, params.extensions)
        trusted_only = self._trusted_only(request)
        if key is None:
            if params.query is None:
                raise BadRequest("the request has no query (nor documentId)")
            if trusted_only:
                raise PersistedQueryRequired(
                    "PersistedQueryRequired: this client may only run trusted documents; "
                    "send documentId 'sha256:<hex>' instead of query"
                )
            return params.query
        if params.query is not None and document_id(params.query) != key:
            raise BadRequest("the query's sha256 does not match its document id")
        if key not in self.documents and params.query is not None and not trusted_only:
            return params.query  # an Apollo client resending an unknown hash with its query
        return self.documents.resolve(key)


class _Lazy:
    """The request's context, built on first use: refused requests never build one."""

    def __init__(self, factory: Callable[[Request], Any], request: Request) -> None:
        self._factory = factory
        self._request = request
        self._value: Any = None

    def get(self) -> Any:
        if self._value is None:
            self._value = self._factory(self._request)
        return self._value


@contextlib.asynccontextmanager
async def _deadline(seconds: float) -> AsyncIterator[None]:
    """``asyncio.timeout`` whose expiry becomes :class:`OperationTimedOut` (504)."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise OperationTimedOut(
            f"the request did not finish within the time limit of {seconds:g} s",
            limit=seconds,
        ) from None
