"""Filter and order inputs, generated from the graph's list specs so the two never drift.

A filter nests at most two levels: ``filter: { name: { contains: "王" } }``.
Every field is optional; the fields given are ANDed. Instants (``…At``) are
``DateTime`` in GraphQL and epoch milliseconds in the graph.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from typing import Any

import strawberry

from graph.listing import ListSpec, param_name
from graph.model import INSTANTS
from graph.queries.catalog import SPECS
from schema.access.policy import Access
from schema.core.ids import from_global_id
from schema.core.rows import snake
from schema.errors import BadArgument


@strawberry.input(description="Free text: exact, substring or prefix.")
class TextFilter:
    eq: str | None = None
    contains: str | None = None
    starts_with: str | None = None


@strawberry.input(description="A key or code: exact or one of a list.")
class KeyFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")


@strawberry.input(description="An ISO date (YYYY-MM-DD) range, bounds included.")
class DateFilter:
    gte: dt.date | None = None
    lte: dt.date | None = None


@strawberry.input(description="An instant range, bounds included.")
class DateTimeFilter:
    gte: dt.datetime | None = None
    lte: dt.datetime | None = None


@strawberry.input(description="A whole number: exact or a range, bounds included.")
class IntFilter:
    eq: int | None = None
    gte: int | None = None
    lte: int | None = None


@strawberry.input(description="A number range, bounds included.")
class FloatFilter:
    gte: float | None = None
    lte: float | None = None


@strawberry.input(description="A list property containing any of the given values.")
class ListFilter:
    any: list[str]


@strawberry.enum
class OrderDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"


def epoch_ms(value: dt.datetime) -> int:
    if value.tzinfo is None:
        raise BadArgument("instants need a time zone, e.g. 2026-03-01T00:00:00+08:00")
    return int(value.timestamp() * 1000)


def _input_for(prop: str, kind: str) -> type:
    if kind == "int" and prop in INSTANTS:
        return DateTimeFilter
    return {
        "text": TextFilter,
        "key": KeyFilter,
        "date": DateFilter,
        "int": IntFilter,
        "float": FloatFilter,
        "bool": bool,
        "list": ListFilter,
    }[kind]


#: GraphQL types of the label-specific predicates' values.
PREDICATE_TYPES: dict[str, type] = {
    "noVisitSince": dt.datetime,
    "pairedWith": strawberry.ID,
    "child": strawberry.ID,
    "director": strawberry.ID,
    "reviewed": bool,
    "raisedBy": strawberry.ID,
}


@functools.cache
def filter_input(label: str, type_name: str) -> type:
    """The ``<Type>Filter`` input of a label's list spec."""
    spec = SPECS[label]
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    for f in spec.filters:
        annotations[snake(f.prop)] = _input_for(f.prop, f.kind) | None
        namespace[snake(f.prop)] = None
    for p in spec.predicates:
        annotations[snake(p.name)] = PREDICATE_TYPES[p.name] | None
        namespace[snake(p.name)] = None
    namespace["__annotations__"] = annotations
    cls = type(f"{type_name}Filter", (), namespace)
    return strawberry.input(cls, description=f"Conditions on {type_name} (all must hold).")


@functools.cache
def order_input(label: str, type_name: str) -> tuple[type, type]:
    """The ``<Type>OrderField`` enum and ``<Type>Order`` input of a label's list spec."""
    spec = SPECS[label]
    members = {snake(s).upper(): s for s in spec.sorts}
    field_enum: Any = strawberry.enum(enum.Enum(f"{type_name}OrderField", members))  # type: ignore[call-overload]
    default_field = next(iter(field_enum))
    namespace: dict[str, Any] = {
        "__annotations__": {"field": field_enum, "direction": OrderDirection},
        "field": default_field,
        "direction": OrderDirection.ASC,
    }
    order = strawberry.input(
        type(f"{type_name}Order", (), namespace), description=f"Order of a {type_name} list."
    )
    return field_enum, order


def filter_params(spec: ListSpec, value: Any, access: Access) -> dict[str, Any]:
    """Statement parameters for a filter input object (unset fields stay absent).

    A reader who may not see a child's personal data may not filter on it
    either: counts and orderings would reveal it.
    """
    params: dict[str, Any] = {}
    if value is None:
        return params
    for f in spec.filters:
        given = getattr(value, snake(f.prop), None)
        if given is None:
            continue
        access.check_condition(spec.label, f.prop, "filtering")
        if f.kind == "bool":
            params[param_name(f.prop, "eq")] = bool(given)
            continue
        for op in ("eq", "in_", "contains", "starts_with", "gte", "lte", "any"):
            v = getattr(given, op, None)
            if v is None:
                continue
            graph_op = {"in_": "in", "starts_with": "startsWith"}.get(op, op)
            params[param_name(f.prop, graph_op)] = _graph_value(v)
    for p in spec.predicates:
        given = getattr(value, snake(p.name), None)
        if given is None:
            continue
        if PREDICATE_TYPES[p.name] is strawberry.ID:
            given = from_global_id(str(given))[1]
        params[p.param] = _graph_value(given)
    return params


def _graph_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return epoch_ms(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_graph_value(v) for v in value]
    return value
