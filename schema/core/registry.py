"""Which GraphQL type shows which graph label, for ``node(id:)`` and global ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.model import LABELS


@dataclass(frozen=True)
class NodeKind:
    type_name: str
    label: str
    cls: type[Any]


NODE_KINDS: dict[str, NodeKind] = {}


def node_type(label: str) -> Any:
    """Class decorator: register a strawberry type as the GraphQL face of ``label``."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label}")

    def register(cls: type[Any]) -> type[Any]:
        name = cls.__name__
        NODE_KINDS[name] = NodeKind(name, label, cls)
        return cls

    return register


def kind_of_label(label: str) -> NodeKind:
    for kind in NODE_KINDS.values():
        if kind.label == label:
            return kind
    raise KeyError(label)
