"""`weibao screening`, and the screening after `weibao sync` and scheduled syncs.

Real processes (and the hub's scheduler in-process), the shipped samples.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from graph import GraphStore
from graph.queries import bulk, meta
from hub.schedule import scheduled_syncs
from hub.settings import Settings
from schema.care.screening_rules import load_rules

SAMPLES = Path(__file__).resolve().parents[2] / "connectors" / "samples"

#: The systems whose samples give children and the signals about them.
SOURCES = ("civil_affairs", "household", "education")


def weibao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )


def _opened(text: str) -> int:
    """The flags a run opened, from its summary line."""
    line = next(x for x in text.splitlines() if x.startswith("screening ("))
    return int(line.split(": ", 1)[1].split(" ", 1)[0])


def _objects(text: str) -> list[dict[str, object]]:
    decoder, out, i = json.JSONDecoder(), [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)
    return out


def test_rules_are_printed_and_a_bad_file_is_refused_by_rule(tmp_path: Path) -> None:
    shown = weibao("screening", "rules")
    assert shown.returncode == 0, shown.stderr
    rules = load_rules()
    assert rules.version in shown.stdout
    for rule in rules.rules:
        assert rule.id in shown.stdout
    bad = tmp_path / "rules.toml"
    bad.write_text(
        'version = "x"\n[[rules]]\nid = "odd"\ndescription = "d"\nany = ["moon-phase"]\n'
        'suggest = "困境儿童"\ndue_days = 3\n',
        encoding="utf-8",
    )
    for command in (("screening", "rules"), ("screening", "run", "--data-dir", str(tmp_path))):
        refused = weibao(*command, "--rules", str(bad))
        assert refused.returncode == 2
        assert "rule 'odd'" in refused.stderr
        assert "any" in refused.stderr


def test_a_sync_that_loads_opens_the_flags_and_a_rerun_adds_none(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "data")
    synced = weibao("sync", "--samples", "--json", *SOURCES, "--data-dir", data_dir)
    assert synced.returncode == 0, synced.stderr
    opened = _opened(synced.stderr)
    assert opened > 0, synced.stderr
    # stdout keeps one JSON object per stream, nothing else.
    assert {obj["source"] for obj in _objects(synced.stdout)} == set(SOURCES)

    again = weibao("screening", "run", "--json", "--data-dir", data_dir)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["ruleVersion"] == load_rules().version
    assert (report["flagged"], report["alreadyOpen"]) == (0, opened)


def test_no_screening_leaves_it_to_a_run_by_hand(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "data")
    synced = weibao("sync", "--samples", *SOURCES, "--no-screening", "--data-dir", data_dir)
    assert synced.returncode == 0, synced.stderr
    assert "screening" not in synced.stderr
    by_hand = weibao("screening", "run", "--data-dir", data_dir)
    assert by_hand.returncode == 0, by_hand.stderr
    assert _opened(by_hand.stdout) > 0, by_hand.stdout


async def test_a_scheduled_sync_that_loads_screens(store: GraphStore, tmp_path: Path) -> None:
    # 李梦可 of 狄坡村, in care and paired; the household extract gives her father as 服刑.
    sample = SAMPLES / "household" / "户籍信息_官桥派出所.csv"
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[sources.household]\nsystem = "household"\nevery = "1h"\n'
        f'files = [{{ path = "{sample}", town_code = "370481110" }}]\n',
        encoding="utf-8",
    )
    await store.write(meta.DELETE_ALL_DATA)
    try:
        await store.write_rows(
            bulk.node_upsert("Child"),
            [{"id": "t-child", "props": {"source": "test", "idNumber": "37048120210324610X",
                                         "villageCode": "370481110206"}}],
        )  # fmt: skip
        await store.write_rows(
            bulk.node_upsert("Director"), [{"id": "t-dir", "props": {"source": "test"}}]
        )
        await store.write_rows(
            bulk.rel_upsert("Director", "PAIRED_WITH", "Child"),
            [{"start": "t-dir", "end": "t-child", "props": {}}],
        )
        settings = Settings(data_dir=tmp_path, sources_file=sources)
        flags: list[dict[str, Any]] = []
        async with scheduled_syncs(settings, store, first_delay_s=0.01):
            deadline = time.monotonic() + 30
            while not flags and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
                flags = [
                    n["props"]
                    for n in await store.read(meta.DUMP_NODES)
                    if "Screening" in n["labels"]
                ]
        assert [f["signals"] for f in flags] == [["parent-imprisoned"]]
        rels = await store.read(meta.DUMP_RELS)
        assert {(r["type"], r["end"]) for r in rels if r["start"] == flags[0]["id"]} == {
            ("OF", "t-child"),
            ("ASSIGNED_TO", "t-dir"),
        }
    finally:
        await store.write(meta.DELETE_ALL_DATA)
