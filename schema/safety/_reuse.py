"""Letting ``schema.execute`` reuse the guard's work instead of parsing and validating again.

The guard has parsed and validated the document (with every rule strawberry
would run, and ours); doing it again inside ``schema.execute`` costs ~3 ms on
this schema. :class:`ReuseCheckedDocument` is a strawberry extension that,
inside :func:`checked_document`, hands strawberry the checked document and
marks validation done, as strawberry's own ``ValidationCache`` does. Outside
that block (the portal, tests) it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import strawberry
from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

_CHECKED: ContextVar[tuple[str, DocumentNode] | None] = ContextVar(
    "weibao_checked_document", default=None
)


@contextmanager
def checked_document(source: str, document: DocumentNode) -> Iterator[None]:
    """Within this block, executing ``source`` reuses ``document`` as checked."""
    token = _CHECKED.set((source, document))
    try:
        yield
    finally:
        _CHECKED.reset(token)


class ReuseCheckedDocument(SchemaExtension):
    """Skips strawberry's parse and validation of a document the guard has checked."""

    def _checked(self) -> DocumentNode | None:
        checked = _CHECKED.get()
        if checked is None or checked[0] != self.execution_context.query:
            return None
        return checked[1]

    def on_parse(self) -> Iterator[None]:
        document = self._checked()
        if document is not None:
            self.execution_context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        if self._checked() is not None:
            self.execution_context.pre_execution_errors = []
        yield


def install(schema: strawberry.Schema) -> None:
    """Add :class:`ReuseCheckedDocument` to ``schema`` once (inert outside the endpoint)."""
    extensions = list(schema.extensions)
    if ReuseCheckedDocument not in extensions:
        schema.extensions = (*extensions, ReuseCheckedDocument)
