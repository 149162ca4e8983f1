"""Field-by-field merging of the sources' versions of one node, by precedence.

Where two sources give a field different values, the higher-ranked source's
wins (a source may rank higher for some fields only) and the field is listed
in the node's ``conflicts``, so the disagreement stays visible. ``None`` is no
value: it neither wins nor conflicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


# Not frozen: a frozen dataclass is several times slower to build, and one is built per record.
@dataclass(slots=True)
class Version:
    """One source's version of a node: its rank, name, key there, and values."""

    rank: int
    source: str
    key: str
    props: Mapping[str, Any]


@dataclass(slots=True)
class Merged:
    """The node's values, the top-ranked source and its key, the conflicting fields."""

    props: dict[str, Any]
    source: str
    key: str
    conflicts: list[str]


def merge(versions: list[Version], field_precedence: Mapping[str, Mapping[str, int]]) -> Merged:
    """Merge the versions of one node (at least one)."""
    if len(versions) == 1:
        # What the loop below gives for a single version, without its bookkeeping:
        # most nodes are described by one source only.
        (only,) = versions
        props = {k: v for k, v in only.props.items() if v is not None}
        return Merged(props, only.source, only.key, [])
    ordered = sorted(versions, key=lambda v: (-v.rank, v.source))
    best: dict[str, tuple[int, str, Any]] = {}
    conflicts: set[str] = set()
    for version in ordered:
        ranks = field_precedence.get(version.source, {})
        for field_, value in version.props.items():
            if value is None:
                continue
            field_rank = ranks.get(field_, version.rank)
            held = best.get(field_)
            if held is not None and held[2] != value:
                conflicts.add(field_)
            if held is None or field_rank > held[0]:
                best[field_] = (field_rank, version.source, value)
    top = ordered[0]
    return Merged({k: v[2] for k, v in best.items()}, top.source, top.key, sorted(conflicts))
