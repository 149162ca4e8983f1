"""A record's canonical JSON and hash: how the engine tells a changed record from the same.

The hash covers what a record gives the graph: its primary node's values, the
other nodes it names and its relationships (with their ends as resolved). Its
text must not change between versions of the hub: a stored hash that no longer
matches would count every record as updated at the next sync.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from connectors.core.stream import NodeUpsert, RelUpsert, Upsert

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# json.dumps builds an encoder, and the encoder its C core, at every call: a third of
# the cost for a record's values. The C core made once gives the same text (the
# stdlib's own fast path); without it, the pure-Python encoder does.
_C_MAKE: Callable[..., Callable[[Any, int], list[str]]] | None = getattr(
    json.encoder, "c_make_encoder", None
)
_C_ENCODE = (
    None
    if _C_MAKE is None
    else _C_MAKE(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
)
_NONE = "[]"


def canonical(value: Any) -> str:
    """Compact JSON with sorted keys, non-ASCII kept: the same value, the same text."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def nodes_json(upserts: Iterable[Upsert]) -> str:
    """The canonical JSON of the non-primary nodes of a record."""
    sigs = [
        f"{u.label}:{u.key}:{canonical(u.props)}"
        for u in upserts
        if isinstance(u, NodeUpsert) and not u.primary
    ]
    return canonical(sorted(sigs)) if sigs else _NONE


def rels_json(upserts: Iterable[Upsert]) -> str:
    """The canonical JSON of a record's relationships (their ends as they are now)."""
    sigs = [
        f"{u.start_label}:{u.start_key}-{u.type}->{u.end_label}:{u.end_key}:{canonical(u.props)}"
        for u in upserts
        if isinstance(u, RelUpsert)
    ]
    return canonical(sorted(sigs)) if sigs else _NONE


def record_hash(props_json: str, nodes: str, rels: str) -> str:
    """SHA-256 of the canonical JSON of ``{nodes, props, rels}``, from their JSON texts."""
    body = f'{{"nodes":{nodes},"props":{props_json},"rels":{rels}}}'
    return hashlib.sha256(body.encode()).hexdigest()
