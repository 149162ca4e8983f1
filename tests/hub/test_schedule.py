"""Scheduled syncs inside the hub: a source with `every` runs, again and again, and stops."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from graph import GraphStore
from graph.queries import meta
from hub.schedule import scheduled_syncs
from hub.settings import Settings

SAMPLES = Path(__file__).resolve().parents[2] / "connectors" / "samples" / "projects"


async def test_scheduled_sources_run_on_their_interval(store: GraphStore, tmp_path: Path) -> None:
    sheet = next(SAMPLES.glob("*.xlsx"))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[sources.projects]\nsystem = "projects"\nevery = "1s"\n'
        f'files = [{{ path = "{sheet}", town_code = "370481001" }}]\n',
        encoding="utf-8",
    )
    await store.write(meta.DELETE_ALL_DATA)
    settings = Settings(data_dir=tmp_path, sources_file=sources)
    try:
        async with scheduled_syncs(settings, store, first_delay_s=0.01) as count:
            assert count == 1
            runs: list[dict[str, object]] = []
            deadline = time.monotonic() + 20
            while len(runs) < 4 and time.monotonic() < deadline:  # two streams, twice
                await asyncio.sleep(0.1)
                runs = await _runs(store)
        assert len(runs) >= 4
        # Leaving the block let the run in progress finish: none is cut off.
        runs = await _runs(store)
        assert runs
        assert all(r["status"] == "ok" for r in runs), runs
    finally:
        await store.write(meta.DELETE_ALL_DATA)


async def _runs(store: GraphStore) -> list[dict[str, object]]:
    nodes = await store.read(meta.DUMP_NODES)
    return [n["props"] for n in nodes if "SyncRun" in n["labels"]]


async def test_no_sources_file_no_schedule(store: GraphStore, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, sources_file=tmp_path / "none.toml")
    async with scheduled_syncs(settings, store) as count:
        assert count == 0
