"""Errors of the graph layer.

Every error this package raises derives from :class:`GraphError`; driver and
client exceptions (neo4j, redis/falkordb, OS errors of the embedded server) are
translated at this package's boundary with ``raise … from exc``::

    GraphError
    ├── GraphUnavailable        the backend does not answer (down, refused, timed out)
    ├── StatementError          the backend rejected a statement (syntax, constraint, type)
    │   └── ConstraintViolation a unique key already exists
    ├── EmbeddedServerError     the embedded FalkorDB server could not be started or stopped
    │   ├── DataDirLocked       another running hub holds the data directory
    │   └── UnsupportedPlatform the bundled server cannot run on this machine
    ├── MigrationError          a schema migration failed
    └── ConfigurationError      a graph URI or option is not understood
"""

from __future__ import annotations


class GraphError(Exception):
    """Root of every error raised by :mod:`graph`."""


class GraphUnavailable(GraphError):
    """The graph backend does not answer."""


class StatementError(GraphError):
    """The backend rejected a statement."""

    def __init__(self, statement: str, message: str) -> None:
        super().__init__(f"statement {statement!r} failed: {message}")
        self.statement = statement
        self.message = message


class ConstraintViolation(StatementError):
    """A write would break a uniqueness constraint."""


class EmbeddedServerError(GraphError):
    """The embedded FalkorDB server could not be started, reached or stopped."""


class DataDirLocked(EmbeddedServerError):
    """Another running hub holds the data directory."""


class UnsupportedPlatform(EmbeddedServerError):
    """The bundled FalkorDB server cannot run on this machine."""


class MigrationError(GraphError):
    """A schema migration failed."""


class ConfigurationError(GraphError):
    """A graph URI or option is not understood."""
