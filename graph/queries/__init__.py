"""The hub's Cypher, by concern. Importing this package registers every statement."""

from __future__ import annotations

from graph.queries import bulk, meta, overview, schema_ddl

__all__ = ["bulk", "meta", "overview", "schema_ddl"]
