"""The exceptions of the ``schema`` package, in one tree.

::

    SchemaError                  root: everything this package raises
    ├── PublicError              safe to show a client: never masked
    │   ├── BadArgument          a field argument is unusable (bad id, cursor, filter, page)
    │   ├── Forbidden            the reader's role, region or agreement does not cover it
    │   ├── AuditUnavailable     the audit trail cannot take the read: personal data withheld
    │   └── RequestRefused       the HTTP layer refuses the request (carries a status)
    │       ├── BadRequest               400: the body or its parameters are unusable
    │       ├── BatchRefused             400: a JSON array body while batching is off or too long
    │       ├── PersistedQueryNotFound   400: no trusted document has the given id
    │       ├── PersistedQueryRequired   403: this client may only run trusted documents
    │       ├── MethodNotAllowed         405: not GET/POST, or a mutation over GET
    │       ├── NotAcceptable            406: neither GraphQL response media type is accepted
    │       ├── BodyTooLarge             413: the body is over the size limit
    │       ├── UnsupportedMediaType     415: a POST body that is not application/json
    │       └── OperationTimedOut        504: execution ran past the per-request time limit
    ├── GraphQLRequestError      the document does not parse or validate, or its variables
    │                            do not coerce: a GraphQL "request error", no ``data``
    └── DocumentsError           the trusted-documents folder cannot be loaded (start-up)

Resolvers raise subclasses of :class:`PublicError` for failures the client
should read (a mutation's expected failures are union results instead); any
other exception reaching the client is masked as "Unexpected error." and
logged with its traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from graphql import GraphQLError


class SchemaError(Exception):
    """Root of the exceptions of the ``schema`` package."""


class PublicError(SchemaError):
    """An error whose message is meant for the client: never masked.

    ``code`` lands in the GraphQL error's ``extensions`` so clients can branch
    on it without parsing the message.
    """

    code: ClassVar[str] = "PUBLIC_ERROR"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, **self.details}


class BadArgument(PublicError):
    """A field argument is unusable: a malformed id or cursor, a bad filter or page."""

    code = "BAD_ARGUMENT"


class Forbidden(PublicError):
    """The reader may not have this: their role, regions or agreement do not cover it."""

    code = "FORBIDDEN"


class AuditUnavailable(PublicError):
    """The audit trail cannot record the read, so the personal data is not returned."""

    code = "AUDIT_UNAVAILABLE"


class RequestRefused(PublicError):
    """The HTTP layer refuses the request before any GraphQL runs."""

    status: ClassVar[int] = 400
    code = "BAD_REQUEST"
    headers: Mapping[str, str] = {}


class BadRequest(RequestRefused):
    """The body is not JSON, or a parameter is missing or of the wrong type."""


class BatchRefused(RequestRefused):
    """A JSON array body (several operations) while batching is off or over the cap."""

    code = "BATCH_REFUSED"


class PersistedQueryNotFound(RequestRefused):
    """No trusted document has the requested id (Apollo's ``PersistedQueryNotFound``)."""

    code = "PERSISTED_QUERY_NOT_FOUND"


class PersistedQueryRequired(RequestRefused):
    """A client restricted to trusted documents sent a free-form ``query``."""

    status = 403
    code = "PERSISTED_QUERY_REQUIRED"


class MethodNotAllowed(RequestRefused):
    """Not GET or POST; or a mutation over GET, which the spec answers with 405."""

    status = 405
    code = "METHOD_NOT_ALLOWED"

    def __init__(self, message: str, *, allow: Sequence[str], **details: Any) -> None:
        super().__init__(message, **details)
        self.headers = {"Allow": ", ".join(allow)}


class NotAcceptable(RequestRefused):
    """The ``Accept`` header allows neither GraphQL response media type."""

    status = 406
    code = "NOT_ACCEPTABLE"


class BodyTooLarge(RequestRefused):
    """The request body is over the size limit (refused before it is all read)."""

    status = 413
    code = "BODY_TOO_LARGE"


class UnsupportedMediaType(RequestRefused):
    """A POST whose body is not ``application/json`` (UTF-8)."""

    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


class OperationTimedOut(RequestRefused):
    """Execution ran past the per-request time limit and was cancelled."""

    status = 504
    code = "TIMEOUT"


class GraphQLRequestError(SchemaError):
    """The document failed to parse or validate, or its variables failed to coerce.

    The GraphQL-over-HTTP spec calls these *request errors*: the response has
    ``errors`` and no ``data`` (400 for ``application/graphql-response+json``,
    200 for legacy ``application/json`` clients).
    """

    def __init__(self, errors: Sequence[GraphQLError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class DocumentsError(SchemaError):
    """The trusted-documents folder holds a file that cannot be used."""
