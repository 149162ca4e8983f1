"""Scheduled syncs inside the hub: a source with `every` runs, again and again, and stops."""

from __future__ import annotations

import asyncio
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
            for _ in range(100):
                await asyncio.sleep(0.1)
                nodes = await store.read(meta.DUMP_NODES)
                runs = [n["props"] for n in nodes if "SyncRun" in n["labels"]]
                if len(runs) >= 4:  # two streams, twice
                    break
        assert len(runs) >= 4
        assert all(r["status"] in ("ok", "running") for r in runs)
    finally:
        await store.write(meta.DELETE_ALL_DATA)


async def test_no_sources_file_no_schedule(store: GraphStore, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, sources_file=tmp_path / "none.toml")
    async with scheduled_syncs(settings, store) as count:
        assert count == 0
