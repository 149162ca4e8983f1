"""The independent GraphQL-over-HTTP conformance audit, against a real served hub.

``graphql-http`` (the GraphQL foundation's reference implementation of the
GraphQL-over-HTTP spec) ships ``auditServer``: ~60 checks of status codes,
media types and parameters. Every one must pass: no error (a failed MUST), no
warning (a failed SHOULD), no notice (a failed MAY). Needs ``node`` and
``tools/graphql-audit/node_modules`` (``make setup``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.hub_process import Hub

TOOL = Path(__file__).resolve().parents[2] / "tools" / "graphql-audit"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path / "data", "serve")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def run_audit(url: str) -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None, "the audit needs `node` (Node.js 20+) on PATH"
    assert (TOOL / "node_modules" / "graphql-http").is_dir(), (
        f"run `make setup` (npm ci in {TOOL}) first"
    )
    done = subprocess.run(
        [node, str(TOOL / "audit.mjs"), url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_the_graphql_over_http_audit_passes_without_warnings(hub: Hub) -> None:
    report = run_audit(f"{hub.url}/graphql")
    counts = report["counts"]
    failures = [r for r in report["results"] if r["status"] != "ok"]
    print(json.dumps(report, indent=2, ensure_ascii=False))  # shown when the test fails
    assert counts["ok"] >= 50, counts
    assert failures == [], f"{counts}: " + json.dumps(failures, indent=2, ensure_ascii=False)
    assert counts == {"ok": len(report["results"]), "notice": 0, "warn": 0, "error": 0}
