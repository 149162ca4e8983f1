"""`weibao sync` end to end: every connector on the shipped samples, twice, and after a kill -9.

Real processes, the real embedded graph, the stand-ins over real HTTP, the
sample workbooks, CSV files and SQLite database.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graph import GraphConfig, open_graph
from graph.queries import meta, sync

#: Properties that say when (or, for a record, from which request it was last read), not
#: what: they differ between two syncs to the same graph.
VOLATILE = frozenset(
    {"seenAt", "runId", "savedAt", "startedAt", "finishedAt", "at", "createdAt", "location"}
    # The screening after a sync stamps its flags with when it ran (and when they are due).
    | {"screenedAt", "recordedAt", "changedAt", "dueDate", "month", "quarter"}
)
#: The runs' own records: their ids carry the run.
RUN_LABELS = frozenset({"SyncRun", "SyncState", "SyncReject", "Migration"})


def weibao(data_dir: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", "sync", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def json_objects(text: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    out, i = [], 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)
    return out


async def snapshot(data_dir: Path) -> tuple[list[Any], list[Any]]:
    async with open_graph(GraphConfig(data_dir=data_dir)) as store:
        nodes = await store.read(meta.DUMP_NODES)
        rels = await store.read(meta.DUMP_RELS)
    kept_nodes = sorted(
        json.dumps(
            {"labels": n["labels"], **{k: v for k, v in n["props"].items() if k not in VOLATILE}},
            sort_keys=True,
            ensure_ascii=False,
        )
        for n in nodes
        if not set(n["labels"]) & RUN_LABELS
    )
    kept_rels = sorted(
        json.dumps(
            {
                "start": r["start"],
                "type": r["type"],
                "end": r["end"],
                **{k: v for k, v in (r["props"] or {}).items() if k not in VOLATILE},
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        for r in rels
    )
    return kept_nodes, kept_rels


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("sync-clean") / "data"
    first = weibao(data_dir, "--samples", "--json")
    assert first.returncode == 0, first.stderr
    return data_dir


def test_a_second_run_inserts_and_updates_nothing(clean_run: Path) -> None:
    again = weibao(clean_run, "--samples", "--json")
    assert again.returncode == 0, again.stderr
    reports = json_objects(again.stdout)
    assert len(reports) >= 8
    for report in reports:
        assert report["status"] == "ok", report
        assert (report["inserted"], report["updated"]) == (0, 0), report


async def test_every_stream_loads_and_rejects_with_reasons(clean_run: Path) -> None:
    async with open_graph(GraphConfig(data_dir=clean_run)) as store:
        runs = await store.read(meta.DUMP_NODES)
        first_runs = [
            n["props"] for n in runs if "SyncRun" in n["labels"] and n["props"]["inserted"] > 0
        ]
        assert first_runs
        for run in first_runs:
            assert run["status"] == "ok"
            assert run["rejected"] < run["read"]
            if run["rejected"]:
                rejects = await store.read(sync.REJECTS_OF_RUN, {"runId": run["id"], "limit": 100})
                assert len(rejects) == run["rejected"]
                assert all(r["location"] and r["reason"] for r in rejects)


def _sync_states(data_dir: Path) -> int:
    """Bookmarks saved so far, read through the running sync's own graph server."""

    async def count() -> int:
        async with open_graph(GraphConfig(data_dir=data_dir, attach=True)) as store:
            nodes = await store.read(meta.DUMP_NODES)
        return sum(1 for n in nodes if "SyncState" in n["labels"])

    try:
        return asyncio.run(count())
    except Exception:
        return 0


def test_a_sync_killed_mid_way_resumes_to_the_same_graph(clean_run: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Small batches: many commits to be killed between (and the result must not depend
    # on the batch size either).
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hub",
            "sync",
            "--samples",
            "--batch-size",
            "7",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Kill it once some streams' bookmarks are saved and others are not.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if (data_dir / "graph" / "server.pid").exists() and _sync_states(data_dir) >= 3:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the sync finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    # Let the embedded server notice its parent died and stop.
    deadline = time.monotonic() + 30
    pid_file = data_dir / "graph" / "server.pid"
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    resumed = weibao(data_dir, "--samples", "--json")
    assert resumed.returncode == 0, resumed.stderr
    got, want = asyncio.run(snapshot(data_dir)), asyncio.run(snapshot(clean_run))
    for part in (0, 1):  # nodes, relationships
        missing = sorted(set(want[part]) - set(got[part]))
        extra = sorted(set(got[part]) - set(want[part]))
        assert not missing, (len(missing), missing[:3], extra[:3])
        assert not extra, (len(extra), extra[:3])
        assert got[part] == want[part]


def test_reviews_are_listed_decided_and_applied(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert weibao(data_dir, "--samples").returncode == 0

    def reviews(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hub", "reviews", *args, "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "COLUMNS": "250"},
        )

    listed = reviews("list")
    assert listed.returncode == 0, listed.stderr
    ids = [w for w in listed.stdout.split() if w.startswith("review-")]
    assert ids, listed.stdout  # the education sample's homophone without a village
    decided = reviews("merge", ids[0], "--by", "reviewer")
    assert decided.returncode == 0, decided.stderr
    assert "merged" in decided.stderr
    again = weibao(data_dir, "--samples", "--json", "education")
    assert again.returncode == 0, again.stderr
    report = json_objects(again.stdout)[0]
    # The merged pupil's record now applies to the child (and is the only change).
    assert (report["inserted"], report["updated"]) == (1, 0), report
    assert ids[0] not in reviews("list").stdout  # no longer open
    assert ids[0] in reviews("list", "--status", "merged").stdout
    unknown = reviews("merge", "review-none")
    assert unknown.returncode == 1
    assert "no identity review" in unknown.stderr
