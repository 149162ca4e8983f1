"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strawberry.types import Info as _Info

from graph import GraphStore


@dataclass
class Context:
    """What a resolver may use: the graph store and the request, nothing global."""

    store: GraphStore
    request: Any = None


Info = _Info[Context, None]
