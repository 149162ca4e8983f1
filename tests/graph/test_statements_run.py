"""Every registered statement runs on every backend it is meant for."""

from __future__ import annotations

import pytest

from graph import GraphStore, Mode, StatementError, all_statements
from graph.queries import meta

STATEMENTS = list(all_statements())
DESTRUCTIVE = frozenset({meta.DELETE_ALL_DATA.name})


@pytest.mark.parametrize("stmt", STATEMENTS, ids=[s.name for s in STATEMENTS])
async def test_statement_runs(store: GraphStore, stmt: object) -> None:
    from graph.statements import Statement

    assert isinstance(stmt, Statement)
    if store.backend not in stmt.backends:
        pytest.skip(f"{stmt.name} is for {sorted(b.value for b in stmt.backends)} only")
    if stmt.name in DESTRUCTIVE:
        pytest.skip(f"{stmt.name} empties the shared graph; the connector tests run it")
    missing = [p for p in stmt.params if p not in stmt.sample]
    assert not missing, f"{stmt.name}: sample lacks parameters {missing}"
    try:
        if stmt.mode is Mode.READ:
            await store.read(stmt, stmt.sample)
        else:
            await store.write(stmt, stmt.sample)
    except StatementError as exc:
        # Schema DDL run twice is refused by FalkorDB ("already indexed"): that is the
        # migration's business (it tolerates it), not a broken statement.
        if stmt.name.startswith("ddl.") and "already" in exc.message.lower():
            return
        raise
    finally:
        await store.write(meta.DELETE_BY_SOURCE, {"source": "test"})


def test_statement_names_are_unique_and_texts_parameterised() -> None:
    names = [s.name for s in STATEMENTS]
    assert len(names) == len(set(names))
    for stmt in STATEMENTS:
        assert stmt.text.strip(), stmt.name
        for param in stmt.params:
            assert f"${param}" in stmt.text, f"{stmt.name} declares ${param} but does not use it"
