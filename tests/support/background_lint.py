"""Lint every registered statement in the background while the rest of the suite runs.

Neo4j's front end costs tens of milliseconds to seconds per statement in node;
started when collection finishes, it overlaps with tests that mostly wait on
servers, and the lint test only collects the result.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from graph.cypher_lint import LintResult, lint_statements
from graph.statements import all_statements

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cypher-lint")
_future: Future[list[LintResult]] | None = None


def background_lint() -> Future[list[LintResult]]:
    """The lint of all registered statements, started on first call."""
    global _future
    if _future is None:
        items = [(s.name, s.text) for s in all_statements()]
        _future = _pool.submit(lint_statements, items)
    return _future
