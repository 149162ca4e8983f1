"""A synchronous reader of FalkorDB's compact result format.

The ``falkordb`` client parses every cell through an ``await`` (a coroutine
per value); for a page of a hundred nodes with twenty properties that is most
of a query's time (measured: 2.2 ms client-side for a 0.35 ms query). The
hub's statements return only scalars, lists and maps (map projections), which
this module reads in plain loops.

Compact format: ``[header, rows, stats]`` (or ``[stats]`` without a result
set); a header entry is ``[column type, name]``; a cell is ``[value type, value]``.
"""

from __future__ import annotations

from typing import Any

from redis.exceptions import ResponseError

_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP, _POINT = 1, 2, 3, 4, 5, 6, 10, 11


class UnsupportedValue(Exception):
    """A statement returned a value the hub never returns (a node, edge, path or temporal)."""


def value(cell: list[Any]) -> Any:
    # Strings (most cells) are answered inline in maps and arrays: a call per
    # cell was a third of parsing a page of nested maps.
    kind = cell[0]
    if kind == _STRING:
        return cell[1]
    if kind == _MAP:
        it = iter(cell[1])
        return {k: (c[1] if c[0] == _STRING else value(c)) for k, c in zip(it, it, strict=True)}
    if kind == _INTEGER:
        return int(cell[1])
    if kind == _NULL:
        return None
    if kind == _ARRAY:
        return [c[1] if c[0] == _STRING else value(c) for c in cell[1]]
    if kind == _DOUBLE:
        return float(cell[1])
    if kind == _BOOLEAN:
        return cell[1] == "true"
    if kind == _POINT:
        raw = cell[1]
        return {"latitude": float(raw[0]), "longitude": float(raw[1])}
    raise UnsupportedValue(f"result value of FalkorDB type {kind}; return plain values")


def rows(response: list[Any]) -> list[dict[str, Any]]:
    """The result rows as dicts (raises the server's error if the response carries one)."""
    check(response)
    if len(response) < 3:
        return []
    names = [column[1] for column in response[0]]
    return [
        {name: value(cell) for name, cell in zip(names, record, strict=True)}
        for record in response[1]
    ]


def stats(response: list[Any]) -> dict[str, float]:
    """The statistics lines (``"Nodes created: 3"``) as numbers by name."""
    check(response)
    out: dict[str, float] = {}
    for line in response[-1]:
        name, _, rest = str(line).partition(": ")
        try:
            out[name] = float(rest.split(" ")[0])
        except ValueError:
            continue
    return out


def check(response: list[Any]) -> None:
    if response and isinstance(response[0], ResponseError):
        raise response[0]
    if response and isinstance(response[-1], ResponseError):
        raise response[-1]
