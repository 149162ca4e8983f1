"""Every statement meant for Neo4j passes Neo4j's Cypher 5 front end; the lint catches bad Cypher.

The hub's tests run on the embedded FalkorDB, so without this check a statement
Neo4j 5 rejects would only fail in production. Statements declared for FalkorDB
only (per-backend steps such as ``CALL db.constraints()``) are linted too, but
their findings are printed, not failed on: Neo4j never runs them. Needs
``node`` and ``tools/cypher-lint/node_modules`` (``make setup``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.cypher_lint import LintResult, lint_statements
from graph.errors import GraphError
from graph.statements import Backend, all_statements
from tests.support.background_lint import background_lint

# name -> (Cypher text, a fragment the first error must contain)
BAD: dict[str, tuple[str, str]] = {
    "syntax": ("MATCH (n RETURN n", "Invalid input"),
    "undefined_variable": ("MATCH (n) RETURN m", "Variable `m` not defined"),
    "removed_exists": ("MATCH (n) WHERE exists(n.name) RETURN n", "no longer supported"),
    "empty": ("", "empty query"),
    "blank": ("  \n ", "empty query"),
    "cypher_prefix": ("CYPHER 25 MATCH (n) RETURN n", "CYPHER"),
    "two_statements": ("RETURN 1; RETURN 2", "2 statements"),
    "trailing_semicolon": ("RETURN 1;", "trailing `;`"),
    "falkordb_function": (
        "RETURN distance(point({x:1,y:1}), point({x:2,y:2}))",
        "Function distance is not present",
    ),
    "falkordb_procedure": (
        "CALL db.idx.fulltext.queryNodes('L','x')",
        "Procedure db.idx.fulltext.queryNodes is not present",
    ),
}
GOOD = "MATCH (m:Meta {id: $id}) WHERE m.value <> $skip RETURN m.value AS value"


@pytest.fixture(scope="module")
def registry_results() -> list[tuple[bool, LintResult]]:
    """Every registered statement, linted (started in the background at collection)."""
    statements = list(all_statements())
    results = background_lint().result()
    return [(Backend.NEO4J in s.backends, r) for s, r in zip(statements, results, strict=True)]


@pytest.fixture(scope="module")
def sample_results() -> dict[str, LintResult]:
    """The bad examples and the good one, linted by one node process."""
    items = [(name, text) for name, (text, _) in BAD.items()] + [("good", GOOD)]
    return {r.name: r for r in lint_statements(items)}


def test_every_registered_statement_passes(
    registry_results: list[tuple[bool, LintResult]],
) -> None:
    assert registry_results, "no statements registered"
    for on_neo4j, result in registry_results:
        for warning in result.warnings:
            print(f"{result.name}: warning {warning}")
        if not on_neo4j:
            for error in result.errors:
                print(f"{result.name} (FalkorDB only, not failed on): {error}")
    failed = {r.name: r.errors for on_neo4j, r in registry_results if on_neo4j and r.errors}
    assert not failed, f"statements Neo4j 5 rejects: {failed}"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_statement_is_an_error(name: str, sample_results: dict[str, LintResult]) -> None:
    errors = sample_results[name].errors
    assert errors, f"{name}: no error for {BAD[name][0]!r}"
    assert any(BAD[name][1] in e for e in errors), errors


def test_valid_statement_with_params_passes(sample_results: dict[str, LintResult]) -> None:
    assert sample_results["good"].errors == ()


def test_missing_node_modules_is_a_graph_error(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="make setup"):
        lint_statements([("x", "RETURN 1")], tool_dir=tmp_path)
