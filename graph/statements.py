"""Named, parameterised Cypher statements and the registry that holds them.

All Cypher of the hub lives in :mod:`graph` and is declared through
:func:`statement`, so that one registry can hand every statement to the Neo4j
Cypher 5 front end (``tests/graph/test_cypher_lint.py``) and to the embedded
FalkorDB (``tests/graph/test_statements_run.py``). Values always travel as
``$params``; the only text ever interpolated into a statement is a label,
relationship type or property name taken from the allow-lists of
:mod:`graph.model`, and that happens once, at import time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field


class Mode(enum.Enum):
    """Whether a statement only reads (routed to replicas on Neo4j) or writes."""

    READ = "read"
    WRITE = "write"


class Backend(enum.Enum):
    """The graph engines the hub runs on."""

    FALKORDB = "falkordb"
    NEO4J = "neo4j"


BOTH: frozenset[Backend] = frozenset(Backend)


@dataclass(frozen=True)
class Statement:
    """One named Cypher statement.

    ``params`` names the parameters the statement expects, so callers and tests
    can check a call is complete. ``backends`` is both engines unless the
    statement is a per-backend migration step. ``sample`` gives parameter values
    that make the statement run in the statement test suite.
    """

    name: str
    text: str
    mode: Mode
    params: tuple[str, ...] = ()
    backends: frozenset[Backend] = BOTH
    sample: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return self.name


_REGISTRY: dict[str, Statement] = {}


def statement(
    name: str,
    text: str,
    mode: Mode = Mode.READ,
    *,
    params: tuple[str, ...] = (),
    backends: frozenset[Backend] = BOTH,
    sample: dict[str, object] | None = None,
) -> Statement:
    """Declare and register a statement; names are unique across the hub."""
    if name in _REGISTRY:
        raise ValueError(f"duplicate statement name {name!r}")
    stmt = Statement(
        name=name,
        text=text.strip(),
        mode=mode,
        params=params,
        backends=backends,
        sample=dict(sample or {}),
    )
    _REGISTRY[name] = stmt
    return stmt


def all_statements() -> Iterator[Statement]:
    """Every registered statement, after importing the modules that declare them."""
    from graph import queries  # noqa: F401  (importing declares the statements)

    yield from sorted(_REGISTRY.values(), key=lambda s: s.name)
