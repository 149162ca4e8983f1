"""Connectors that bring the program's existing systems into the graph.

* :class:`SyncEngine` runs a source's streams (:mod:`connectors.core`):
  incremental, idempotent, resumable, with provenance and rejects;
* :func:`load_sources` reads the sources file (:mod:`connectors.config`);
* :data:`connectors.systems.SYSTEMS`: the connectors of the program's systems;
* the exceptions under :class:`ConnectorError`.
"""

from __future__ import annotations

from connectors.config import (
    SourceConfig,
    build_source,
    engine_for,
    load_sources,
    parse_sources,
)
from connectors.core.engine import RunReport, SyncEngine, sync_source
from connectors.core.records import RawRecord, RawReject
from connectors.core.stream import NodeUpsert, Person, RelUpsert, Source, Stream
from connectors.errors import ConfigError, ConnectorError, SourceError, SyncError

__all__ = [
    "ConfigError",
    "ConnectorError",
    "NodeUpsert",
    "Person",
    "RawRecord",
    "RawReject",
    "RelUpsert",
    "RunReport",
    "Source",
    "SourceConfig",
    "SourceError",
    "Stream",
    "SyncEngine",
    "SyncError",
    "build_source",
    "engine_for",
    "load_sources",
    "parse_sources",
    "sync_source",
]
