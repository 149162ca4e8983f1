"""The FalkorDB backend, over RESP with the ``falkordb`` async client.

RESP, not Bolt: FalkorDB's Bolt mode is experimental (see shared notes). A
bounded blocking pool caps the connections one hub opens; a statement waits
for a free connection rather than failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from redis import exceptions as redis_errors

from graph import _falkor_result as _result
from graph._cypher_text import cypher_header
from graph.errors import ConstraintViolation, GraphUnavailable, StatementError
from graph.statements import Backend, Mode, Statement
from graph.store import DEFAULT_BATCH_SIZE, Params, Row, WriteSummary, write_in_batches

GRAPH_NAME = "weibao"


class FalkorStore:
    """A :class:`graph.store.GraphStore` on a FalkorDB server."""

    backend = Backend.FALKORDB

    def __init__(
        self,
        *,
        password: str | None,
        unix_socket: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 6379,
        graph: str = GRAPH_NAME,
        max_connections: int = 16,
        timeout_ms: int = 60_000,
    ) -> None:
        common: dict[str, Any] = {
            "password": password,
            "decode_responses": True,
            "max_connections": max_connections,
            "timeout": 30,  # waiting for a free pooled connection
            # A hung server must not hang a request forever: a little over the
            # server-side query timeout, after which FalkorDB answers by itself.
            "socket_timeout": timeout_ms / 1000 + 5,
            "socket_connect_timeout": 5,
        }
        if unix_socket is not None:
            self._pool = aioredis.BlockingConnectionPool(
                connection_class=aioredis.UnixDomainSocketConnection,
                path=str(unix_socket),
                **common,
            )
        else:
            self._pool = aioredis.BlockingConnectionPool(host=host, port=port, **common)
        # redis-py types execute_command loosely; responses are checked by _result.
        self._client: Any = aioredis.Redis(connection_pool=self._pool)
        self.graph_name = graph
        self._timeout_ms = timeout_ms

    async def _run(self, stmt: Statement, params: Params | None) -> list[Any]:
        if self.backend not in stmt.backends:
            raise StatementError(stmt.name, "statement is not meant for FalkorDB")
        # Parameters travel in a CYPHER header, as the falkordb client writes them.
        header = cypher_header(stmt.name, params or {})
        query = f"CYPHER {header}{stmt.text}" if header else stmt.text
        command = "GRAPH.RO_QUERY" if stmt.mode is Mode.READ else "GRAPH.QUERY"
        try:
            response: list[Any] = await self._client.execute_command(
                command, self.graph_name, query, "--compact", "timeout", self._timeout_ms
            )
            _result.check(response)
            return response
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"FalkorDB does not answer: {exc}") from exc
        except redis_errors.ResponseError as exc:
            message = str(exc)
            if "unique constraint" in message.lower():
                raise ConstraintViolation(stmt.name, message) from exc
            raise StatementError(stmt.name, message) from exc
        except redis_errors.RedisError as exc:
            raise GraphUnavailable(f"FalkorDB error: {exc}") from exc

    @staticmethod
    def _rows(stmt: Statement, response: list[Any]) -> list[Row]:
        try:
            return _result.rows(response)
        except _result.UnsupportedValue as exc:
            raise StatementError(stmt.name, str(exc)) from exc

    @staticmethod
    def _summary(response: list[Any]) -> WriteSummary:
        stats = _result.stats(response)
        return WriteSummary(
            nodes_created=int(stats.get("Nodes created", 0)),
            relationships_created=int(stats.get("Relationships created", 0)),
            properties_set=int(stats.get("Properties set", 0)),
            nodes_deleted=int(stats.get("Nodes deleted", 0)),
        )

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        if stmt.mode is not Mode.READ:
            raise StatementError(stmt.name, "a write statement was sent to read()")
        return self._rows(stmt, await self._run(stmt, params))

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        result = await self._run(stmt, params)
        return self._rows(stmt, result), self._summary(result)

    async def write_rows(
        self,
        stmt: Statement,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra: Params | None = None,
    ) -> WriteSummary:
        async def run(params: Params) -> WriteSummary:
            return self._summary(await self._run(stmt, params))

        return await write_in_batches(run, rows, batch_size, extra)

    async def ping(self) -> bool:
        try:
            await self._client.ping()
        except (redis_errors.RedisError, OSError):
            return False
        return True

    async def command(self, *args: str | int) -> Any:
        """A raw server command (index and constraint DDL, AOF rewrite)."""
        try:
            return await self._client.execute_command(*args)
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"FalkorDB does not answer: {exc}") from exc
        except redis_errors.RedisError as exc:
            raise StatementError(str(args[0]), str(exc)) from exc

    async def close(self) -> None:
        await self._pool.disconnect()
