"""The per-request context every resolver receives."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as _Info

from graph import GraphStore
from schema.access.audit import AuditSink, MemorySink
from schema.access.policy import Access
from schema.access.principal import ANONYMOUS, Principal
from schema.care.evidence import EvidenceRules
from schema.core.loaders import Loaders
from schema.oversight.feedback_rules import FeedbackRules


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
    #: How long those on duty have to acknowledge a mandatory report (its timer).
    report_ack_s: int = 3600
    #: Frontline care: the photo blob store and the signer of photo links (None:
    #: no photos taken or served), and the clock (tests and benchmarks set it).
    blobs: Any = None
    photo_signer: Any = None
    clock: Callable[[], float] = time.time
    evidence_rules: EvidenceRules = field(default_factory=EvidenceRules)
    #: Feedback from the public: deadlines, danger words, hotlines (the hub's settings).
    feedback_rules: FeedbackRules = field(default_factory=FeedbackRules)
    access: Access = field(init=False)
    loaders: Loaders = field(init=False)
    audit_failure: BaseException | None = field(init=False, default=None)
    #: Whether queries of known shape may skip the field-by-field executor
    #: (:mod:`schema.core.compiled`); tests compare both paths.
    compile_queries: bool = True
    #: "compiled" when the query was answered by :mod:`schema.core.compiled`, else
    #: why it took the general path (for tests and the debug log).
    execution_path: str = field(init=False, default="")
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
