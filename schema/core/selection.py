"""Which graph properties a query reads: statements project only those.

Projecting every property of a hundred visits costs the graph and the wire
about as much as the query itself; projecting what the selection names halves
a page's time. Children's personal properties are not even read unless the
reader may see them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from schema.context import Info
from schema.core.rows import camel

Selection = SelectedField | FragmentSpread | InlineFragment


@functools.cache
def _field_props(cls: type) -> dict[str, tuple[str, ...]]:
    """GraphQL field name → graph properties it reads, for a node type."""
    out: dict[str, tuple[str, ...]] = {}
    for field in dataclasses.fields(cls):
        if field.init and field.name not in ("id", "key"):
            name = camel(field.name.rstrip("_"))
            out[name] = (name,)
    out.update(getattr(cls, "__requires__", {}))
    return out


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    for sel in selections:
        if isinstance(sel, SelectedField):
            yield sel
        else:  # fragments: their fields count as if written in place
            yield from _fields(sel.selections)


def _node_selections(connection: SelectedField) -> list[Selection]:
    out: list[Selection] = []
    for field in _fields(connection.selections):
        if field.name == "nodes":
            out.extend(field.selections)
        elif field.name == "edges":
            for sub in _fields(field.selections):
                if sub.name == "node":
                    out.extend(sub.selections)
    return out


def props_for(info: Info, label: str, cls: type[Any], *, connection: bool) -> frozenset[str]:
    """The properties of ``label`` the current field's selection reads.

    Computed once per field of a query, not once per parent object: building
    ``info.selected_fields`` from the syntax tree costs more than the rest of
    a small resolver.
    """
    memo = info.context.selection_memo
    key = (id(info._raw_info.field_nodes[0]), label, connection)
    found = memo.get(key)
    if found is not None:
        return found
    field_props = _field_props(cls)  # type: ignore[arg-type]  # classes are hashable
    names: set[str] = set()
    for selected in _fields(info.selected_fields):
        selections = _node_selections(selected) if connection else list(selected.selections)
        for field in _fields(selections):
            names.update(field_props.get(field.name, ()))
    # Personal fields the reader may not have are not even read from the graph.
    names.difference_update(info.context.access.hidden(label))
    memo[key] = frozenset(names)
    return memo[key]


def to_one_fields(info: Info, label: str, *, connection: bool) -> dict[str, frozenset[str]]:
    """The to-one relationship fields selected on this field's nodes, with what they read.

    ``{"Visit.child": {"name", …}}``: the list resolver loads them for its whole
    page at once (see :func:`schema.core.fields.prefetch_to_one`).
    """
    from graph.queries.catalog import RELATIONS
    from schema.core.registry import kind_of_label

    memo = info.context.to_one_memo
    key = (id(info._raw_info.field_nodes[0]), label, connection)
    found = memo.get(key)
    if found is not None:
        return found
    by_rel: dict[str, set[str]] = {}
    for selected in _fields(info.selected_fields):
        selections = _node_selections(selected) if connection else list(selected.selections)
        for field in _fields(selections):
            rel = RELATIONS.get(f"{label}.{field.name}")
            if rel is None or rel.many:
                continue
            field_props = _field_props(kind_of_label(rel.child).cls)  # type: ignore[arg-type]
            names = by_rel.setdefault(rel.name, set())
            for sub in _fields(field.selections):
                names.update(field_props.get(sub.name, ()))
    result: dict[str, frozenset[str]] = {}
    for rel_name, names in by_rel.items():
        names.difference_update(info.context.access.hidden(RELATIONS[rel_name].child))
        result[rel_name] = frozenset(names)
    memo[key] = result
    return result
