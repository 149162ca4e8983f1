"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as _Info

from graph import GraphStore
from schema.core.loaders import Loaders


@dataclass
class Context:
    """What a resolver may use: the graph store, this request's loaders, the request.

    ``personal_data`` opens children's personal fields; until the access
    rules arrive it is a development-only switch, off by default.
    """

    store: GraphStore
    request: Any = None
    personal_data: bool = False
    loaders: Loaders = field(init=False)
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
        self.loaders = Loaders(self.store)


Info = _Info[Context, None]
