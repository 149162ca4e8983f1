"""Checks on parameter values before they reach a backend.

The FalkorDB client writes parameters into the query text, where ``datetime``,
``date``, ``bytes``, NaN and infinities do not parse; the hub keeps instants as
epoch-ms integers and dates as ISO strings, so such a value is a caller's bug
and gets a clear error instead of a server parse failure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graph.errors import StatementError


def check_params(statement: str, params: Mapping[str, Any]) -> None:
    """Raise :class:`StatementError` naming the first value no backend can take."""
    for key, value in params.items():
        _check(statement, key, value)


def _check(statement: str, path: str, value: Any) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StatementError(statement, f"parameter {path} is not a finite number")
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise StatementError(statement, f"parameter {path} has a non-string key")
            _check(statement, f"{path}.{k}", v)
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check(statement, f"{path}[{i}]", v)
        return
    raise StatementError(
        statement,
        f"parameter {path} has type {type(value).__name__}; "
        "use epoch-ms integers for instants and ISO strings for dates",
    )
