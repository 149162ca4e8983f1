"""The Neo4j 5 backend, through the official async driver.

One driver for the store's life. Reads are routed READ so that a cluster's
replicas serve them; writes go through ``execute_query``'s managed
transactions, which the driver retries on transient errors, so every write
statement of the hub is idempotent (MERGE, not CREATE).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from graph._params import check_params
from graph.errors import ConstraintViolation, GraphUnavailable, StatementError
from graph.statements import Backend, Mode, Statement
from graph.store import DEFAULT_BATCH_SIZE, Params, Row, WriteSummary, write_in_batches


class Neo4jStore:
    """A :class:`graph.store.GraphStore` on a Neo4j 5 server or cluster."""

    backend = Backend.NEO4J

    def __init__(self, uri: str, *, user: str, password: str, database: str | None = None) -> None:
        self._driver = neo4j.AsyncGraphDatabase.driver(uri, auth=(user, password))
        self._database = database

    async def _run(self, stmt: Statement, params: Params | None) -> neo4j.EagerResult:
        if self.backend not in stmt.backends:
            raise StatementError(stmt.name, "statement is not meant for Neo4j")
        params = dict(params or {})
        check_params(stmt.name, params)
        routing = (
            neo4j.RoutingControl.READ if stmt.mode is Mode.READ else neo4j.RoutingControl.WRITE
        )
        try:
            return await self._driver.execute_query(
                neo4j.Query(stmt.text),  # a registered statement, never user text
                params,
                routing_=routing,
                database_=self._database,
            )
        except neo4j_errors.ConstraintError as exc:
            raise ConstraintViolation(stmt.name, exc.message or str(exc)) from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise GraphUnavailable(f"Neo4j does not answer: {exc}") from exc
        except neo4j_errors.Neo4jError as exc:
            raise StatementError(stmt.name, exc.message or str(exc)) from exc
        except neo4j_errors.DriverError as exc:
            raise GraphUnavailable(f"Neo4j driver error: {exc}") from exc

    @staticmethod
    def _summary(result: neo4j.EagerResult) -> WriteSummary:
        c = result.summary.counters
        return WriteSummary(
            nodes_created=c.nodes_created,
            relationships_created=c.relationships_created,
            properties_set=c.properties_set,
            nodes_deleted=c.nodes_deleted,
        )

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        if stmt.mode is not Mode.READ:
            raise StatementError(stmt.name, "a write statement was sent to read()")
        result = await self._run(stmt, params)
        return [record.data() for record in result.records]

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        result = await self._run(stmt, params)
        return [record.data() for record in result.records], self._summary(result)

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
            await self._driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            return False
        return True

    async def close(self) -> None:
        await self._driver.close()
