"""The graph layer: the program's graph model, its Cypher, and the stores that run it.

Imports nothing else of the hub. Everything other packages need is here:

* :func:`open_graph` / :class:`GraphConfig`: the embedded FalkorDB (default),
  an external FalkorDB, or Neo4j 5;
* :class:`GraphStore` (the async interface) and :class:`CountingStore`;
* :mod:`graph.queries`: the named statements; :mod:`graph.model`: the allow-list;
* :func:`migrate`, :func:`compact`;
* :class:`AuditLog`: the hash-chained trail of reads of children's personal data;
* the exceptions under :class:`GraphError`.
"""

from __future__ import annotations

from graph import model, queries
from graph.audit import AccessEvent, AccessEventIn, AuditChainError, AuditLog, VerifyReport
from graph.connect import GraphConfig, compact, open_graph, redact
from graph.errors import (
    ConfigurationError,
    ConstraintViolation,
    DataDirLocked,
    EmbeddedServerError,
    GraphError,
    GraphUnavailable,
    MigrationError,
    StatementError,
    UnsupportedPlatform,
)
from graph.migrations import migrate
from graph.statements import Backend, Mode, Statement, all_statements
from graph.store import CountingStore, GraphStore, Row, WriteSummary

__all__ = [
    "AccessEvent",
    "AccessEventIn",
    "AuditChainError",
    "AuditLog",
    "Backend",
    "ConfigurationError",
    "ConstraintViolation",
    "CountingStore",
    "DataDirLocked",
    "EmbeddedServerError",
    "GraphConfig",
    "GraphError",
    "GraphStore",
    "GraphUnavailable",
    "MigrationError",
    "Mode",
    "Row",
    "Statement",
    "StatementError",
    "UnsupportedPlatform",
    "VerifyReport",
    "WriteSummary",
    "all_statements",
    "compact",
    "migrate",
    "model",
    "open_graph",
    "queries",
    "redact",
]
