"""From a connector's data to a verification task: the household registry's 服刑 becomes a flag.

The real household connector reads the shipped 官桥 extract into the real
embedded graph; the screening then runs over what it wrote. The graph is
emptied before and after (the sync writes guardians, source records, runs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from connectors import SyncEngine
from connectors.systems import SYSTEMS
from graph import GraphStore
from graph.model import CST
from graph.queries import bulk, meta
from schema.care.screening import run_screening
from schema.care.screening_rules import load_rules

SAMPLE = (
    Path(__file__).resolve().parents[3] / "connectors" / "samples" / "household"
    / "户籍信息_官桥派出所.csv"
)  # fmt: skip
EDUCATION = SAMPLE.parents[1] / "education" / "education.sqlite"
#: 李梦可 of 狄坡村 (官桥镇): the extract gives her father as 服刑, her mother 外出务工.
CHILD_ID_NUMBER = "37048120210324610X"
VILLAGE = "370481110206"
NOW = int(dt.datetime(2026, 9, 29, 10, 0, tzinfo=CST).timestamp() * 1000)


@pytest_asyncio.fixture
async def empty(store: GraphStore) -> AsyncIterator[GraphStore]:
    await store.write(meta.DELETE_ALL_DATA)
    yield store
    await store.write(meta.DELETE_ALL_DATA)


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test"}}


async def _program(store: GraphStore, *, paired: bool = True) -> None:
    """The child in care (no category yet), her village, its directors; one paired with her."""
    await store.write_rows(
        bulk.node_upsert("Child"),
        [_node("t-child", name="李梦可", idNumber=CHILD_ID_NUMBER, villageCode=VILLAGE,
               status="在册")],
    )  # fmt: skip
    await store.write_rows(bulk.node_upsert("Village"), [_node("t-village", code=VILLAGE)])
    await store.write_rows(
        bulk.node_upsert("Director"),
        [
            _node("t-dir-paired", name="张主任", villageCode=VILLAGE, status="在岗"),
            _node("t-dir-village", name="李主任", villageCode=VILLAGE, status="在岗"),
            _node("t-dir-gone", name="王主任", villageCode=VILLAGE, status="离任"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Director", "ASSIGNED_TO", "Village"),
        [_rel("t-dir-village", "t-village"), _rel("t-dir-gone", "t-village")],
    )
    if paired:
        await store.write_rows(
            bulk.rel_upsert("Director", "PAIRED_WITH", "Child"), [_rel("t-dir-paired", "t-child")]
        )


async def _sync_household(store: GraphStore) -> None:
    await _sync(store, "household", {"files": [{"path": str(SAMPLE), "town_code": "370481110"}]})


async def _sync(store: GraphStore, system: str, settings: dict[str, Any]) -> None:
    spec = SYSTEMS[system]
    source = spec.build(system, spec.settings.model_validate(settings))
    engine = SyncEngine(
        store,
        precedence={system: spec.precedence},
        field_precedence={system: spec.field_precedence} if spec.field_precedence else None,
    )
    for stream in source.streams():
        report = await engine.sync(source, stream)
        assert report.status == "ok", report.errors
        assert report.inserted == 1  # only the child in care is enriched


async def _graph(store: GraphStore) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    nodes = {
        str(n["props"]["id"]): {"labels": n["labels"], **n["props"]}
        for n in await store.read(meta.DUMP_NODES)
        if "id" in n["props"]  # migrations are numbered
    }
    return nodes, await store.read(meta.DUMP_RELS)


def _of_label(nodes: dict[str, dict[str, Any]], label: str) -> list[dict[str, Any]]:
    return [n for n in nodes.values() if label in n["labels"]]


async def test_a_household_signal_opens_one_task_for_the_paired_director(
    empty: GraphStore,
) -> None:
    await _program(empty)
    await _sync_household(empty)
    rules = load_rules()

    report = await run_screening(empty, rules, now_ms=NOW)

    assert (report.checked, report.flagged, report.unassigned) == (1, 1, 0)
    nodes, rels = await _graph(empty)
    [flag] = _of_label(nodes, "Screening")
    assert flag["outcome"] == "pending"
    assert flag["signals"] == ["parent-imprisoned"]
    assert flag["rules"] == ["parent-absent"]
    assert flag["category"] == "事实无人抚养儿童"
    assert flag["ruleVersion"] == rules.version
    assert flag["reasons"] == [
        "parent-absent: parent-imprisoned ← 父亲 whereabouts=服刑 (household)"
    ]
    assert (flag["villageCode"], flag["month"], flag["quarter"]) == (VILLAGE, "2026-09", "2026Q3")
    assert (flag["recordId"], flag["version"], flag["source"]) == (flag["id"], 1, "hub")
    assert flag["dueDate"] > "2026-09-29"
    links = {(r["start"], r["type"], r["end"]) for r in rels if r["start"] == flag["id"]}
    assert links == {(flag["id"], "OF", "t-child"), (flag["id"], "ASSIGNED_TO", "t-dir-paired")}
    # Without a category before, she is now suspected, and the change is logged.
    child = nodes["t-child"]
    assert (child["categories"], child["primaryCategory"]) == (["疑似困境儿童"], "疑似困境儿童")
    [change] = _of_label(nodes, "CategoryChange")
    assert (change["previous"], change["actor"]) == ([], "screening")
    assert any(r["start"] == change["id"] and r["end"] == "t-child" for r in rels)

    again = await run_screening(empty, rules, now_ms=NOW + 3_600_000)

    assert (again.flagged, again.already_open, again.suspected) == (0, 1, 0)
    after, _ = await _graph(empty)
    assert len(_of_label(after, "Screening")) == 1
    assert len(_of_label(after, "CategoryChange")) == 1


async def test_without_a_pairing_the_village_director_gets_it_and_without_one_nobody(
    empty: GraphStore,
) -> None:
    await _program(empty, paired=False)
    await _sync_household(empty)
    report = await run_screening(empty, load_rules(), now_ms=NOW)
    _, rels = await _graph(empty)
    [flag_id] = report.flags
    assigned = [r["end"] for r in rels if r["start"] == flag_id and r["type"] == "ASSIGNED_TO"]
    assert assigned == ["t-dir-village"]  # the director who left office is passed over

    # A child nobody is responsible for: the flag exists, unassigned, and is reported.
    await empty.write_rows(
        bulk.node_upsert("Child"),
        [_node("t-orphaned", villageCode="370481110999", schoolStatus="辍学", status="在册")],
    )
    lone = await run_screening(empty, load_rules(), now_ms=NOW, child_ids=["t-orphaned"])
    assert (lone.checked, lone.flagged, lone.unassigned) == (1, 1, 1)
    assert lone.unassigned_flags == lone.flags
    nodes, rels = await _graph(empty)
    assert nodes[lone.flags[0]]["outcome"] == "pending"
    assert not [r for r in rels if r["start"] == lone.flags[0] and r["type"] == "ASSIGNED_TO"]


async def test_an_education_dropout_names_the_bureau(empty: GraphStore) -> None:
    # 刘铭宇 of 狄坡村: a left-behind child in care; the bureau's records say 辍学.
    await empty.write_rows(
        bulk.node_upsert("Child"),
        [_node("t-pupil", name="刘铭宇", idNumber="370481201602151055", villageCode=VILLAGE,
               categories=["留守儿童"], primaryCategory="留守儿童", status="在册")],
    )  # fmt: skip
    await _program(empty, paired=False)
    await empty.write_rows(
        bulk.rel_upsert("Director", "PAIRED_WITH", "Child"), [_rel("t-dir-paired", "t-pupil")]
    )
    await _sync(empty, "education", {"url": f"sqlite:///{EDUCATION}"})

    report = await run_screening(empty, load_rules(), now_ms=NOW, child_ids=["t-pupil"])

    [flag_id] = report.flags
    nodes, rels = await _graph(empty)
    flag = nodes[flag_id]
    assert flag["reasons"] == ["school-dropout: school-dropout ← schoolStatus=辍学 (education)"]
    assert (flag["category"], flag["signals"]) == ("困境儿童", ["school-dropout"])
    assert [r["end"] for r in rels if r["start"] == flag_id and r["type"] == "ASSIGNED_TO"] == [
        "t-dir-paired"
    ]
    # She has a category: she is not marked suspected.
    assert nodes["t-pupil"]["categories"] == ["留守儿童"]
    assert not _of_label(nodes, "CategoryChange")
