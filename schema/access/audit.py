"""One access event per request that returned a child's personal data.

The policy notes, while rows are turned into objects, which records and which
personal fields a request returns (:class:`schema.access.policy.Access`).
When execution ends, :class:`AuditExtension` hands one event to the request's
:class:`AuditSink`: the hub's is a background writer to the hash-chained
trail, so the request does not wait on a graph write. A sink that cannot
take the event (its queue is full, it is stopped) fails the request closed:
the data is withheld, never returned unrecorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graph.audit import AccessEventIn
from schema.errors import AuditUnavailable

if TYPE_CHECKING:
    from schema.context import Context


class AuditSink(Protocol):
    """Where a request's access event goes; ``submit`` must not block."""

    def submit(self, event: AccessEventIn) -> None: ...


class MemorySink:
    """Keeps the events in a list: for in-process tools and tests that read the events back."""

    def __init__(self) -> None:
        self.events: list[AccessEventIn] = []

    def submit(self, event: AccessEventIn) -> None:
        self.events.append(event)


class AuditExtension(SchemaExtension):
    """Emits the request's access event after execution; withholds the data if it cannot."""

    def on_execute(self) -> Iterator[None]:
        yield
        from schema.context import Context

        context = self.execution_context.context
        result = self.execution_context.result
        if isinstance(context, Context) and result is not None:
            record_access(context, result)


def record_access(context: Context, result: Any) -> None:
    """Hand the request's access event to its sink; if it cannot take it, withhold the data.

    ``result`` is the execution result (graphql-core's or strawberry's): on failure
    its ``data`` becomes None and its ``errors`` name the reason.
    """
    access = context.access
    if not access.records:
        return
    principal = access.principal
    event = AccessEventIn(
        at=int(time.time() * 1000),
        principal=f"{principal.kind}:{principal.name}",
        role=principal.role.value,
        client_id=principal.agreement.client_id if principal.agreement else None,
        purpose=principal.purpose,
        request_id=context.request_id,
        records=tuple(sorted(access.records)),
        fields=tuple(sorted(access.fields)),
        break_glass=access.break_glass,
    )
    try:
        context.audit.submit(event)
    except Exception as exc:
        error = AuditUnavailable(
            "the audit trail cannot record this read now; personal data withheld"
        )
        result.data = None
        result.errors = [
            GraphQLError(error.message, original_error=error, extensions=error.extensions)
        ]
        context.audit_failure = exc
