"""`weibao audit verify` and `weibao audit tail` on a data dir of their own."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from graph import GraphConfig, migrate, open_graph
from graph.audit import AccessEventIn, AuditLog
from graph.falkordb_store import FalkorStore
from graph.store import unwrap
from hub.cli import app


def event(i: int) -> AccessEventIn:
    return AccessEventIn(
        at=1_767_225_600_000 + i * 60_000,  # 2026-01-01 08:00 CST onwards
        principal="user:admin",
        role="center_admin",
        client_id=None,
        purpose="个案核查" if i % 2 else None,
        request_id=f"req-{i}",
        records=tuple(f"Child:c-{i}-{k}" for k in range(i)),
        fields=("Child.name", "Child.idNumber"),
        break_glass=i == 3,
    )


def make_trail(data_dir: Path, n: int, *edits: str) -> None:
    """Write ``n`` events on the data dir's graph, apply raw Cypher edits, close it."""

    async def go() -> None:
        async with open_graph(GraphConfig(data_dir=data_dir)) as store:
            await migrate(store)
            await AuditLog(store).append([event(i) for i in range(1, n + 1)])
            falkor = unwrap(store)
            assert isinstance(falkor, FalkorStore)
            for cypher in edits:
                await falkor.command("GRAPH.QUERY", falkor.graph_name, cypher)

    asyncio.run(go())


def weibao(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "160"})
    return result.exit_code, result.output


def test_verify_an_intact_trail_exits_0(tmp_path: Path) -> None:
    make_trail(tmp_path, 4)
    code, out = weibao("audit", "verify", "--data-dir", str(tmp_path))
    assert code == 0, out
    assert "audit trail intact: 4 events, head 4:" in out


def test_verify_a_tampered_trail_exits_1_naming_the_events(tmp_path: Path) -> None:
    make_trail(
        tmp_path,
        6,
        "MATCH (e:AccessEvent {seq: 2}) SET e.purpose = 'x'",
        "MATCH (e:AccessEvent {seq: 4}) DELETE e",
    )
    code, out = weibao("audit", "verify", "--data-dir", str(tmp_path))
    assert code == 1, out
    assert "NOT intact" in out
    assert "event 2 (access-2): content changed — its hash does not match" in out
    assert "event 4 is missing (seq jumps from 3 to 5)" in out
    assert "intact:" not in out


def test_verify_an_empty_trail(tmp_path: Path) -> None:
    code, out = weibao("audit", "verify", "--data-dir", str(tmp_path))
    assert (code, "audit trail intact: 0 events") == (0, out.strip().split(", head")[0])


def test_tail_shows_the_last_events_without_the_records(tmp_path: Path) -> None:
    make_trail(tmp_path, 5)
    code, out = weibao("audit", "tail", "-n", "3", "--data-dir", str(tmp_path))
    assert code == 0, out
    lines = [line for line in out.splitlines() if "user:admin" in line]
    assert [line.split()[1] for line in lines] == ["3", "4", "5"]  # oldest first, seq
    assert "2026-01-01 08:03:00" in lines[0]  # China Standard Time
    assert "[break-glass]" in lines[0]
    assert "个案核查" in lines[0]
    assert "Child.name, Child.idNumber" in lines[0]
    assert lines[1].split("│")[6].strip() == "4"  # how many records, not which
    assert "Child:c-" not in out
    code, out = weibao("audit", "tail", "--data-dir", str(tmp_path / "empty"))
    assert (code, out.strip()) == (0, "the audit trail is empty")
