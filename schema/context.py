"""The per-request context every resolver receives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as _Info

from graph import GraphStore
from schema.access.audit import AuditSink, MemorySink
from schema.access.policy import Access
from schema.access.principal import ANONYMOUS, Principal
from schema.core.loaders import Loaders


@dataclass
class Context:
    """What a resolver may use: the graph store, the reader, this request's loaders.

    ``principal`` is who reads (anonymous unless the hub authenticated the
    request); ``access`` applies the policy to them and notes what personal
    data the request returns; ``audit`` receives the request's access event.
    """

    store: GraphStore
    request: Any = None
    principal: Principal = ANONYMOUS
    audit: AuditSink = field(default_factory=MemorySink)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    break_glass_s: int = 3 * 3600
    access: Access = field(init=False)
    loaders: Loaders = field(init=False)
    audit_failure: BaseException | None = field(init=False, default=None)
    # Per-request memo of what each field of the query selects (see schema.core.selection).
    selection_memo: dict[tuple[int, str, bool], frozenset[str]] = field(
        init=False, default_factory=dict
    )
    to_one_memo: dict[tuple[int, str, bool], dict[str, frozenset[str]]] = field(
        init=False, default_factory=dict
    )
    # To-one relationships loaded for a whole page: (relationship, properties) → key → row.
    prefetched: dict[tuple[str, frozenset[str]], dict[str, Any]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.access = Access(self.principal)
        self.loaders = Loaders(self.store)


Info = _Info[Context, None]
