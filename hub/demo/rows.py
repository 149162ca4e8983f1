"""Row shapes of the demo data set and the collector that stamps them.

Rows have the shapes :mod:`graph.queries.bulk` takes (``{"id", "props"}`` for
nodes, ``{"start", "end", "props"}`` for relationships). The collector adds
what every synced record carries (provenance, and versioning on event types)
in one place, so no generator can forget it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias, TypedDict

from graph.model import EVENT_LABELS, NODE_TYPES, REL_TYPES
from hub.demo.clock import NOW_MS

PropValue: TypeAlias = str | int | float | bool | list[str] | list[int] | list[float]
Props: TypeAlias = dict[str, PropValue]
#: A relationship triple of the model: (start label, type, end label).
RelKey: TypeAlias = tuple[str, str, str]

SOURCE = "demo"

_NODE_ORDER = {t.label: i for i, t in enumerate(NODE_TYPES)}
_REL_ORDER = {(r.start, r.type, r.end): i for i, r in enumerate(REL_TYPES)}


class NodeRow(TypedDict):
    id: str
    props: Props


class RelRow(TypedDict):
    start: str
    end: str
    props: Props


@dataclass(frozen=True)
class DemoPart:
    """The rows of one county, self-contained: every relationship joins two of its nodes.

    ``nodes`` and ``rels`` iterate in load order (the model's order of labels
    and triples); a part's nodes are all loaded before its relationships.
    """

    county_code: str
    nodes: Mapping[str, Sequence[NodeRow]]
    rels: Mapping[RelKey, Sequence[RelRow]]


class PartBuilder:
    """Collects the rows of one part and stamps provenance and versioning on them."""

    def __init__(self, county_code: str) -> None:
        self.county_code = county_code
        self._nodes: dict[str, list[NodeRow]] = {}
        self._rels: dict[RelKey, list[RelRow]] = {}

    def node(self, label: str, id_: str, props: Props, *, recorded_at: int | None = None) -> str:
        """Add a node; event labels need ``recorded_at`` (epoch ms). Returns the id."""
        props["source"] = SOURCE
        props["sourceKey"] = id_
        props["seenAt"] = NOW_MS
        if label in EVENT_LABELS:
            if recorded_at is None:
                raise ValueError(f"{label} is an event type: give recorded_at")
            props["recordId"] = id_
            props["version"] = 1
            props["recordedAt"] = recorded_at
        self._nodes.setdefault(label, []).append({"id": id_, "props": props})
        return id_

    def rel(self, key: RelKey, start: str, end: str, props: Props | None = None) -> None:
        """Add a relationship of the model triple ``key`` between two node ids."""
        stamped: Props = dict(props or {})
        stamped["source"] = SOURCE
        stamped["sourceKey"] = f"{start}-{key[1]}->{end}"
        stamped["seenAt"] = NOW_MS
        self._rels.setdefault(key, []).append({"start": start, "end": end, "props": stamped})

    def count(self, label: str) -> int:
        return len(self._nodes.get(label, ()))

    def build(self) -> DemoPart:
        """The collected rows, ordered for loading."""
        nodes = {k: self._nodes[k] for k in sorted(self._nodes, key=_NODE_ORDER.__getitem__)}
        rels = {k: self._rels[k] for k in sorted(self._rels, key=_REL_ORDER.__getitem__)}
        return DemoPart(self.county_code, nodes, rels)
