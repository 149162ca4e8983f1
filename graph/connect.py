"""Opening a graph store from a URI: the embedded default, FalkorDB or Neo4j."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from graph.embedded import EmbeddedServer
from graph.errors import (
    ConfigurationError,
    DataDirLocked,
    GraphError,
    GraphUnavailable,
    StatementError,
)
from graph.falkordb_store import FalkorStore
from graph.neo4j_store import Neo4jStore
from graph.queries import meta
from graph.store import GraphStore, unwrap

log = logging.getLogger(__name__)

NEO4J_SCHEMES = frozenset({"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"})


@dataclass(frozen=True)
class GraphConfig:
    """Where the graph is; built by the hub from its settings."""

    uri: str = "embedded"
    data_dir: Path = Path("var")
    user: str = "neo4j"
    password: str | None = None
    database: str | None = None
    max_connections: int = 16
    query_timeout_ms: int = 60_000
    #: Embedded only: when a running hub holds the data dir, use its server
    #: (admin commands) instead of refusing. The server then stays the hub's.
    attach: bool = False


@contextlib.asynccontextmanager
async def open_graph(config: GraphConfig) -> AsyncIterator[GraphStore]:
    """Open the configured store for the ``async with`` block, then close it.

    For ``embedded`` this starts the data directory's FalkorDB server and
    stops it on exit.
    """
    scheme = urlsplit(config.uri).scheme
    server: EmbeddedServer | None = None
    store: GraphStore
    if config.uri == "embedded":
        server = EmbeddedServer(config.data_dir)
        try:
            info = server.start()
        except DataDirLocked:
            if not config.attach:
                raise
            info, server = server.attach(), None
        store = FalkorStore(
            password=info.password,
            unix_socket=info.socket,
            max_connections=config.max_connections,
            timeout_ms=config.query_timeout_ms,
        )
    elif scheme in ("falkordb", "falkor", "redis"):
        parts = urlsplit(config.uri)
        if not parts.hostname:
            raise ConfigurationError(f"no host in graph URI {config.uri!r}")
        password = unquote(parts.password) if parts.password else config.password
        store = FalkorStore(
            password=password,
            host=parts.hostname,
            port=parts.port or 6379,
            max_connections=config.max_connections,
            timeout_ms=config.query_timeout_ms,
        )
    elif scheme in NEO4J_SCHEMES:
        if config.password is None:
            raise ConfigurationError("a Neo4j URI needs a password (WEIBAO_GRAPH__PASSWORD)")
        store = Neo4jStore(
            config.uri, user=config.user, password=config.password, database=config.database
        )
    else:
        raise ConfigurationError(
            f"unsupported graph URI {config.uri!r}: use 'embedded', "
            "'falkordb://host:port' or a neo4j://, neo4j+s:// or bolt:// URI"
        )
    watchdog = asyncio.create_task(_supervise(server)) if server is not None else None
    try:
        if not await store.ping():
            raise GraphUnavailable(f"the graph at {redact(config.uri)} does not answer")
        await store.write(meta.ENSURE_GRAPH)
        yield store
    finally:
        if watchdog is not None:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
        await store.close()
        if server is not None:
            # Stopping waits for the server's clean shutdown; keep the loop free.
            await asyncio.get_running_loop().run_in_executor(None, server.stop)


async def _supervise(server: EmbeddedServer, every_s: float = 1.0) -> None:
    """Restart the embedded server if it dies while the hub runs.

    Requests during the gap fail with GraphUnavailable (and /healthz says 503);
    no acknowledged write is lost, since the AOF is fsynced every second and the
    server replays it on start.
    """
    while True:
        await asyncio.sleep(every_s)
        try:
            server.restart_if_dead()
        except GraphError as exc:  # keep supervising; report each failure
            log.error("could not restart the embedded FalkorDB: %s", exc)


def redact(uri: str) -> str:
    """The URI without its password, for logs and errors."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


async def compact(store: GraphStore, max_wait_s: float = 600.0) -> bool:
    """Rewrite FalkorDB's append-only file after a bulk load and wait for it.

    Replaying an AOF of UNWIND-MERGE batches is quadratic in the batches (shared
    notes: 20k nodes take 30 s); a rewritten AOF loads in a fraction of a second,
    so a restart after the demo load takes seconds. Returns False for backends
    that have nothing to compact.
    """
    inner = unwrap(store)
    if not isinstance(inner, FalkorStore):
        return False
    # "already in progress" is an answer too: then we wait for that rewrite.
    with contextlib.suppress(StatementError):
        await inner.command("BGREWRITEAOF")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_wait_s
    while loop.time() < deadline:
        info = await inner.command("INFO", "persistence")
        if (
            int(info.get("aof_rewrite_in_progress", 0)) == 0
            and int(info.get("aof_rewrite_scheduled", 0)) == 0
        ):
            return True
        await asyncio.sleep(0.1)
    raise GraphUnavailable(f"the AOF rewrite did not finish in {max_wait_s:.0f}s")
