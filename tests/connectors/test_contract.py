"""The contract every connector passes (as Meltano's generated tap tests):
discoverable, its settings and records schema-valid, its keys unique, and a
second run that changes nothing. Run on the shipped samples, the platforms
served by the stand-ins over real HTTP, into the real embedded graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from pydantic import BaseModel

from connectors import SyncEngine
from connectors.core.engine import RunReport
from connectors.systems import SYSTEMS, SampleEnv
from graph import GraphStore
from graph.queries import meta, sync

SAMPLES = Path(__file__).resolve().parents[2] / "connectors" / "samples"
#: Systems whose records name other systems' records run after them.
ORDER = ["civil_affairs", "child_welfare", "household", "education", "volunteers", "hotline",
         "projects"]  # fmt: skip


def test_every_system_is_in_the_order() -> None:
    assert sorted(ORDER) == sorted(SYSTEMS)


@pytest.fixture(scope="module")
def env() -> Iterator[SampleEnv]:
    from connectors.standins import serve_standins

    with serve_standins() as standins:
        yield SampleEnv(
            samples=SAMPLES, rest_base_url=standins.base_url, rest_tokens=standins.secrets
        )


@pytest_asyncio.fixture(scope="module")
async def runs(store: GraphStore, env: SampleEnv) -> AsyncIterator[dict[str, list[RunReport]]]:
    """Every system's first and second run (the graph emptied before and after)."""
    await store.write(meta.DELETE_ALL_DATA)
    engine = SyncEngine(
        store,
        precedence={n: s.precedence for n, s in SYSTEMS.items()},
        field_precedence={n: s.field_precedence for n, s in SYSTEMS.items() if s.field_precedence},
    )
    out: dict[str, list[RunReport]] = {}
    for attempt in ("first", "second"):
        for name in ORDER:
            spec = SYSTEMS[name]
            source = spec.build(name, spec.settings.model_validate(spec.sample_settings(env)))
            for stream in source.streams():
                report = await engine.sync(source, stream)
                out.setdefault(f"{name}.{stream.name}", []).append(report)
        assert attempt
    yield out
    await store.write(meta.DELETE_ALL_DATA)


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_discoverable(name: str, env: SampleEnv) -> None:
    spec = SYSTEMS[name]
    assert spec.title
    assert issubclass(spec.settings, BaseModel)
    settings = spec.settings.model_validate(spec.sample_settings(env))
    source = spec.build(name, settings)
    streams = source.streams()
    assert streams
    assert len({s.name for s in streams}) == len(streams)
    for stream in streams:
        assert issubclass(stream.model, BaseModel)
        fields = set(stream.model.model_fields) | {
            n for n in dir(stream.model) if isinstance(getattr(stream.model, n, None), property)
        }
        assert stream.primary_key in fields, (name, stream.name)
        if stream.cursor_field is not None:
            assert stream.cursor_field in stream.model.model_fields


def _stream_names() -> list[str]:
    """Every stream of every system (built with placeholder credentials: nothing connects)."""
    env = SampleEnv(
        samples=SAMPLES, rest_base_url="http://127.0.0.1:1", rest_tokens=defaultdict(lambda: "x")
    )
    names = []
    for name in sorted(SYSTEMS):
        spec = SYSTEMS[name]
        source = spec.build(name, spec.settings.model_validate(spec.sample_settings(env)))
        names += [f"{name}.{s.name}" for s in source.streams()]
    return names


@pytest.mark.parametrize("stream", _stream_names())
async def test_loads_its_samples_and_a_second_run_changes_nothing(
    runs: dict[str, list[RunReport]], store: GraphStore, stream: str
) -> None:
    first, second = runs[stream]
    assert first.status == "ok", first.errors
    assert first.inserted > 0, stream
    # Schema-valid: what was read loaded, or was rejected with a location and a reason.
    assert first.read == first.inserted + first.updated + first.unchanged + first.rejected + (
        first.skipped
    )
    assert first.rejected < first.read / 2, first.errors
    rejects = await store.read(sync.REJECTS_OF_RUN, {"runId": first.run_id, "limit": 10_000})
    assert len(rejects) == first.rejected
    assert all(r["location"] and r["reason"] for r in rejects)
    # Keys unique: every loaded record has its own source record (none merged by a key clash).
    records = await store.read(meta.DUMP_NODES)
    source, _ = stream.split(".")
    own = [
        n
        for n in records
        if "SourceRecord" in n["labels"]
        and n["props"]["sourceName"] == source
        and n["props"]["runId"] in (first.run_id, second.run_id)
    ]
    assert len({n["props"]["id"] for n in own}) == len(own)
    # The second run changes nothing.
    assert second.status == "ok", second.errors
    assert (second.inserted, second.updated) == (0, 0), stream
