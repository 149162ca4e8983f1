"""Parameter values as CYPHER-header text for FalkorDB, checked in the same pass.

The falkordb client's ``stringify_param_value`` plus our check walked every
value twice and cost ~9 s of the 13 s a 100k-row sync spent (cProfile): this
is one walk with a dispatch on the exact type, and the same text (strings in
double quotes with ``\\`` and ``"`` escaped, map keys in backticks).

Most values take a faster road (:func:`_fast`): the standard library's C JSON
encoder, whose text is Cypher but for the quoted map keys, which are put in
backticks (found by the NUL the encoder writes after each). The walk still cost
a connector's batch of 1,000 rows about 10 ms of the event loop's time, as much
as the graph spent on it; the JSON road costs about two thirds of that (a
regular expression over the text cost more than the walk). Where the two texts
could mean different values, the walk decides.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from graph.errors import StatementError


class _Bad(Exception):
    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason


def _text(v: str, path: str) -> str:
    if "\\" in v or '"' in v:
        v = v.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{v}"'


def _float(v: float, path: str) -> str:
    if not math.isfinite(v):
        raise _Bad(path, "is not a finite number")
    return repr(v)


@functools.lru_cache(maxsize=4096)
def _key(k: str) -> str:
    if not k or "`" in k:
        raise ValueError(f"map key {k!r} cannot be used")
    return f"`{k}`:"


def _map(v: Mapping[str, Any], path: str) -> str:
    parts = []
    for k, item in v.items():
        if not isinstance(k, str):
            raise _Bad(path, "has a non-string key")
        try:
            key = _key(k)
        except ValueError as exc:
            raise _Bad(path, str(exc)) from exc
        parts.append(key + _value(item, path))
    return "{" + ",".join(parts) + "}"


def _list(v: list[Any] | tuple[Any, ...], path: str) -> str:
    return "[" + ",".join([_value(item, path) for item in v]) + "]"


_BY_TYPE: dict[type, Callable[[Any, str], str]] = {
    str: _text,
    int: lambda v, p: str(v),
    bool: lambda v, p: "true" if v else "false",
    type(None): lambda v, p: "null",
    float: _float,
    dict: _map,
    list: _list,
    tuple: _list,
}


def _value(v: Any, path: str) -> str:
    render = _BY_TYPE.get(type(v))
    if render is not None:
        return render(v, path)
    if isinstance(v, Mapping):
        return _map(v, path)
    raise _Bad(
        path,
        f"has type {type(v).__name__}; use epoch-ms integers for instants and ISO strings "
        "for dates",
    )


#: The key separator is a NUL, which JSON never writes raw (in a string it is
#: ``\\u0000``, which :func:`_fast` refuses): so every NUL follows a map key.
_JSON = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", "\x00"), check_circular=False
).encode
#: JSON's text for keys that are not strings; the walk rejects those.
_NOT_STRING_KEYS = frozenset({"true", "false", "null"})


def _fast(value: Any) -> str | None:
    """``value``'s text by the C JSON encoder, or None where it could differ from the walk's.

    FalkorDB reads JSON's ``\\n \\r \\t \\b \\f \\" \\\\`` escapes as the walk's raw
    characters, but not ``\\u``; JSON's ``Infinity`` and ``NaN`` are refused by
    ``allow_nan``; types JSON does not know raise. Map keys, which JSON quotes, are
    put in backticks. Those values, and maps with keys that are not plain names, take
    the walk, which renders them or names what is wrong.
    """
    try:
        text = _JSON(value)
    except (TypeError, ValueError):
        return None
    if "\\u" in text:
        return None
    if "\x00" not in text:
        return text
    parts = text.split("\x00")
    out = []
    for part in parts[:-1]:
        # ``…{"key"`` or ``…,"key"``: the opening quote follows ``{`` or ``,``; a quote
        # found after a backslash (a key with a quote in it) sends the value to the walk.
        opening = part.rfind('"', 0, -1)
        key = part[opening + 1 : -1]
        if (
            opening < 1
            or part[opening - 1] not in "{,"
            or not key.isidentifier()
            or key in _NOT_STRING_KEYS
        ):
            return None
        out.append(f"{part[:opening]}`{key}`:")
    out.append(parts[-1])
    return "".join(out)


def cypher_header(statement: str, params: Mapping[str, Any]) -> str:
    """``k1=v1 k2=v2 `` for ``CYPHER …``; a value no backend takes names its parameter."""
    out = []
    for key, value in params.items():
        try:
            text = _fast(value)
            out.append(f"{key}={_value(value, key) if text is None else text} ")
        except _Bad as bad:
            # Only on failure: walk again, naming the exact place (rows[3].props.startedAt).
            where = _locate(value, key) or bad.path
            raise StatementError(statement, f"parameter {where} {bad.reason}") from None
    return "".join(out)


def _locate(value: Any, path: str) -> str | None:
    """The full path of the first value that does not render, if any."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                return path
            found = _locate(v, f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = _locate(v, f"{path}[{i}]")
            if found:
                return found
        return None
    try:
        _value(value, path)
    except _Bad:
        return path
    return None
