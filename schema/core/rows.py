"""From graph rows (dicts of camelCase properties) to strawberry objects.

Types are plain dataclasses whose leaf fields are read synchronously (an async
field costs ~8x a sync one in strawberry); only fields that fetch are async.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from graph.model import CST, DATES, INSTANTS
from schema.core.ids import to_global_id

T = TypeVar("T")

_CAMEL = re.compile(r"_([a-z])")


def camel(name: str) -> str:
    """``person_times`` → ``personTimes``: Python attribute to graph property."""
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def snake(name: str) -> str:
    """``personTimes`` → ``person_times``: graph property to Python attribute."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _instant(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromtimestamp(int(value) / 1000, CST)


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _plain(value: Any) -> Any:
    return value


Plan = tuple[tuple[str, str, Callable[[Any], Any]], ...]


@functools.cache
def _plan(cls: type) -> Plan:
    """(python attribute, graph property, converter) of a dataclass type, computed once."""
    plan = []
    for field in dataclasses.fields(cls):
        if field.name in ("id", "key") or not field.init:
            continue
        prop = camel(field.name.rstrip("_"))
        convert = _instant if prop in INSTANTS else _date if prop in DATES else _plain
        plan.append((field.name, prop, convert))
    return tuple(plan)


def from_row(cls: type[T], row: dict[str, Any], *, type_name: str | None = None) -> T:
    """Build ``cls`` from a node's properties; absent properties become ``None``.

    Instants (epoch ms in the graph) become aware datetimes in China Standard
    Time; ISO date strings become dates.
    """
    key = str(row["id"])
    plan = _plan(cls)  # type: ignore[arg-type]  # classes are hashable
    values: dict[str, Any] = {attr: conv(row.get(prop)) for attr, prop, conv in plan}
    values["key"] = key
    values["id"] = to_global_id(type_name or cls.__name__, key)
    return cls(**values)
