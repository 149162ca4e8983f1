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
from falkordb.asyncio import FalkorDB
from redis import exceptions as redis_errors

from graph._params import check_params
from graph.errors import ConstraintViolation, GraphUnavailable, StatementError
from graph.statements import Backend, Mode, Statement
from graph.store import DEFAULT_BATCH_SIZE, Params, Row, WriteSummary, batched

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
        self._db = FalkorDB(connection_pool=self._pool)
        self._graph = self._db.select_graph(graph)
        self.graph_name = graph
        self._timeout_ms = timeout_ms

    async def _run(self, stmt: Statement, params: Params | None) -> Any:
        if self.backend not in stmt.backends:
            raise StatementError(stmt.name, "statement is not meant for FalkorDB")
        params = dict(params or {})
        check_params(stmt.name, params)
        try:
            if stmt.mode is Mode.READ:
                return await self._graph.ro_query(stmt.text, params, timeout=self._timeout_ms)
            return await self._graph.query(stmt.text, params, timeout=self._timeout_ms)
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
    def _rows(result: Any) -> list[Row]:
        names = [column[1] for column in result.header]
        return [dict(zip(names, record, strict=True)) for record in result.result_set]

    @staticmethod
    def _summary(result: Any) -> WriteSummary:
        return WriteSummary(
            nodes_created=int(result.nodes_created),
            relationships_created=int(result.relationships_created),
            properties_set=int(result.properties_set),
            nodes_deleted=int(result.nodes_deleted),
        )

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        if stmt.mode is not Mode.READ:
            raise StatementError(stmt.name, "a write statement was sent to read()")
        return self._rows(await self._run(stmt, params))

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        result = await self._run(stmt, params)
        return self._rows(result), self._summary(result)

    async def write_rows(
        self,
        stmt: Statement,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra: Params | None = None,
    ) -> WriteSummary:
        total = WriteSummary()
        for batch in batched(rows, batch_size):
            result = await self._run(stmt, {**(extra or {}), "rows": batch})
            total += self._summary(result)
        return total

    async def ping(self) -> bool:
        try:
            await self._db.connection.ping()
        except (redis_errors.RedisError, OSError):
            return False
        return True

    async def command(self, *args: str | int) -> Any:
        """A raw server command (index and constraint DDL, AOF rewrite)."""
        try:
            return await self._db.connection.execute_command(*args)
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"FalkorDB does not answer: {exc}") from exc
        except redis_errors.RedisError as exc:
            raise StatementError(str(args[0]), str(exc)) from exc

    async def close(self) -> None:
        await self._pool.disconnect()
