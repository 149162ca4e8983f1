"""The embedded FalkorDB server: persistence, locking, crash recovery, platform checks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph import DataDirLocked, GraphConfig, UnsupportedPlatform, open_graph
from graph.embedded import EmbeddedServer, check_platform
from graph.queries import bulk, meta
from tests.support.processes import alive


async def test_data_survives_a_clean_restart(tmp_path: Path) -> None:
    config = GraphConfig(data_dir=tmp_path)
    async with open_graph(config) as store:
        await store.write_rows(
            bulk.node_upsert("Town"), [{"id": "370481001", "props": {"name": "荆河街道"}}]
        )
    async with open_graph(config) as store:
        rows = await store.read(meta.NODE_COUNT)
    assert rows[0]["nodes"] == 1
    assert not (tmp_path / "graph" / "server.pid").exists()


async def test_second_hub_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    async with open_graph(GraphConfig(data_dir=tmp_path)):
        with pytest.raises(DataDirLocked, match="in use by a running hub"):
            EmbeddedServer(tmp_path).start()
    # Released on exit: a new hub starts.
    server = EmbeddedServer(tmp_path)
    server.start()
    server.stop()


HUB_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from graph import GraphConfig, open_graph
    from graph.queries import bulk

    async def main():
        async with open_graph(GraphConfig(data_dir=Path(sys.argv[1]))) as store:
            rows = [{"id": f"v{i}", "props": {"name": f"村{i}"}} for i in range(500)]
            await store.write_rows(bulk.node_upsert("Village"), rows, batch_size=100)
            print("ready", flush=True)
            await asyncio.sleep(600)

    asyncio.run(main())
    """
)


def test_kill_9_of_the_hub_leaves_no_orphan_and_no_lost_data(tmp_path: Path) -> None:
    hub = subprocess.Popen(
        [sys.executable, "-c", HUB_SCRIPT, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert hub.stdout is not None
    assert hub.stdout.readline().strip() == "ready"
    server_pid = int((tmp_path / "graph" / "server.pid").read_text())
    assert alive(server_pid)
    hub.send_signal(signal.SIGKILL)
    hub.wait()
    hub.stdout.close()
    deadline = time.monotonic() + 10
    while alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(server_pid), "the server outlived its hub"

    async def count() -> int:
        async with open_graph(GraphConfig(data_dir=tmp_path)) as store:
            rows = await store.read(meta.NODE_COUNT)
            return int(rows[0]["nodes"])

    import asyncio

    assert asyncio.run(count()) == 500


def test_an_orphaned_server_is_stopped_before_a_new_start(tmp_path: Path) -> None:
    # A hub that could not arm the parent-death signal (started from a thread, or on
    # macOS) leaves its server running when killed; the next start must stop it.
    first = EmbeddedServer(tmp_path)
    first.start()
    orphan = first.info
    assert orphan is not None
    process, first._process = first._process, None  # forget it, as a crashed hub would
    first._release_lock()
    second = EmbeddedServer(tmp_path)
    second.start()
    try:
        assert second.info is not None
        assert second.info.pid != orphan.pid
        assert not alive(orphan.pid)
    finally:
        second.stop()
        assert process is not None
        process.wait()


def test_stale_socket_and_pid_files_are_cleared(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    server.dir.mkdir(parents=True)
    server.socket_path.write_text("stale")
    server.pid_path.write_text("999999\n")
    server.start()
    try:
        assert server.running
    finally:
        server.stop()


def test_deep_data_dir_keeps_its_socket_short(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    server = EmbeddedServer(deep)
    assert len(str(server.socket_path)) <= 100
    assert server.socket_path != EmbeddedServer(tmp_path).socket_path
    server.start()
    server.stop()


def test_old_glibc_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr("platform.machine", lambda: "x86_64")
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.31")
    with pytest.raises(UnsupportedPlatform, match=r"glibc >= 2\.35.*2\.31"):
        check_platform()


def test_musl_and_other_systems_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "confstr", lambda name: None)
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(UnsupportedPlatform, match="glibc"):
        check_platform()
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(UnsupportedPlatform, match="win32"):
        check_platform()


def test_a_server_that_cannot_start_reports_its_log(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    server.dir.mkdir(parents=True)
    # An AOF manifest that is not one: the server refuses to load it.
    (server.dir / "aof").mkdir()
    (server.dir / "aof" / "appendonly.aof.manifest").write_text("garbage\n")
    from graph import EmbeddedServerError

    with pytest.raises(EmbeddedServerError, match="exited with code"):
        server.start()
    assert not server.running


async def test_a_server_that_dies_under_the_hub_is_restarted(tmp_path: Path) -> None:
    import asyncio

    async with open_graph(GraphConfig(data_dir=tmp_path)) as store:
        await store.write_rows(bulk.node_upsert("Town"), [{"id": "t1", "props": {}}])
        pid = int((tmp_path / "graph" / "server.pid").read_text())
        await asyncio.sleep(1.2)  # let the AOF fsync (everysec)
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            await asyncio.sleep(0.1)
            if await store.ping():
                break
        assert int((tmp_path / "graph" / "server.pid").read_text()) != pid
        rows = await store.read(meta.NODE_COUNT)
        assert rows[0]["nodes"] == 1
