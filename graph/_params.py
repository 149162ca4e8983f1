"""Checks on parameter values before they reach a backend.

The FalkorDB client writes parameters into the query text, where ``datetime``,
``date``, ``bytes``, NaN and infinities do not parse; the hub keeps instants as
epoch-ms integers and dates as ISO strings, so such a value is a caller's bug
and gets a clear error instead of a server parse failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph._cypher_text import cypher_header


def check_params(statement: str, params: Mapping[str, Any]) -> None:
    """Raise :class:`StatementError` naming the first value no backend can take.

    The rules are those of the FalkorDB header rendering (one walk, one set of rules).
    """
    cypher_header(statement, params)
