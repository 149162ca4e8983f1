"""Check Cypher statements against Neo4j's own Cypher 5 front end, without a server.

The hub runs on FalkorDB by default, so nothing would otherwise notice a
statement that Neo4j 5 rejects. ``tools/cypher-lint/lint.mjs`` runs Neo4j's
parser and semantic analysis (npm ``@neo4j-cypher/language-support``) in
``node``, offline; this module feeds it statements and reads back the
diagnostics. All statements go through one ``node`` process, because its
start-up costs far more than linting a statement.

The front end checks against the newest Cypher 5, not a particular 5.x minor
release, and it does not run anything: it complements, never replaces, running
the statements on a real engine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphError

TOOL_DIR = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"
_PACKAGE = ("node_modules", "@neo4j-cypher", "language-support")
_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class LintResult:
    """Diagnostics for one statement, each as ``"line:column: message"``.

    Errors mean Neo4j 5 would reject the statement; warnings are mostly
    deprecations, which still run but will break on a later Neo4j.
    """

    name: str
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def lint_statements(
    items: Sequence[tuple[str, str]], *, tool_dir: Path | None = None, processes: int = 2
) -> list[LintResult]:
    """Lint ``(name, text)`` pairs; one result per pair, in the same order.

    The pairs are split over ``processes`` node processes that run at once (the
    front end is single-threaded and costs tens of ms per statement).

    Raises :class:`GraphError` when ``node`` or the tool's ``node_modules`` are
    missing (a setup problem, not a lint finding) or the tool fails.
    """
    tool = tool_dir or TOOL_DIR
    node = shutil.which("node")
    if node is None:
        raise GraphError("cypher lint needs `node` (Node.js 20+) on PATH; run `make setup`")
    if not tool.joinpath(*_PACKAGE).is_dir():
        raise GraphError(f"cypher lint dependencies missing in {tool}; run `make setup`")
    chunks = [list(items[i::processes]) for i in range(max(1, processes))]
    chunks = [c for c in chunks if c] or [[]]
    try:
        procs = [
            subprocess.Popen(  # noqa: S603  (fixed argv, no shell)
                [node, str(tool / "lint.mjs")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                cwd=tool,
            )
            for _ in chunks
        ]
    except OSError as exc:
        raise GraphError(f"cypher lint could not run: {exc}") from exc
    outputs: list[list[LintResult]] = []
    for proc, chunk in zip(procs, chunks, strict=True):
        payload = json.dumps([{"name": name, "text": text} for name, text in chunk])
        # Writing one payload while the other process runs keeps both busy.
        try:
            stdout, stderr = proc.communicate(payload, timeout=_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            for p in procs:
                p.kill()
                p.wait()
            raise GraphError(f"cypher lint timed out after {_TIMEOUT_S:.0f}s") from exc
        if proc.returncode != 0:
            raise GraphError(f"cypher lint failed (exit {proc.returncode}): {stderr.strip()}")
        try:
            raw: list[dict[str, object]] = json.loads(stdout)
            outputs.append([_result(entry) for entry in raw])
        except (ValueError, TypeError, KeyError) as exc:
            raise GraphError(f"cypher lint returned unexpected output: {exc}") from exc
    # Undo the round-robin split.
    results: list[LintResult] = [None] * len(items)  # type: ignore[list-item]
    for offset, chunk_results in enumerate(outputs):
        for index, result in enumerate(chunk_results):
            results[offset + index * len(outputs)] = result
    if [r.name for r in results] != [name for name, _ in items]:
        raise GraphError("cypher lint results do not match the statements sent")
    return results


def _result(entry: dict[str, object]) -> LintResult:
    """One ``LintResult`` from the tool's JSON for a statement."""

    def lines(key: str) -> tuple[str, ...]:
        found = entry[key]
        if not isinstance(found, list):
            raise TypeError(f"{key} is not a list")
        return tuple(f"{d['line']}:{d['column']}: {d['message']}" for d in found)

    return LintResult(name=str(entry["name"]), errors=lines("errors"), warnings=lines("warnings"))
