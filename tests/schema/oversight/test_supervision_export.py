"""The ledger (台账) as an XLSX sheet over HTTP: Chinese headers, one row per current entry of
the period and town, with its rectification's deadline, state, 销号 date and escalation."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl

from graph import GraphStore
from graph.queries import bulk
from hub.auth.keys import KeyRing
from hub.auth.tokens import TokenService
from hub.settings import Settings
from schema.oversight.supervision_escalation import escalate_overdue_rectifications
from tests.schema.conftest import ClientFactory
from tests.support.supervision_world import (
    DIRECTOR,
    SUPERVISOR,
    TOWN,
    VILLAGE,
    World,
    at,
    gid,
    new_entry,
    new_rectification,
    new_task,
    supervision_world,
)

HEADERS = ["序号", "发现时间", "镇街", "村居/站点", "问题描述", "类别", "严重程度", "发现人",
           "整改期限", "整改状态", "销号时间", "督办情况"]  # fmt: skip
EVIDENCE = """mutation($id: ID!) { submitRectificationEvidence(id: $id,
  evidence: "已补齐全部走访记录") { status } }"""
SIGN_OFF = 'mutation($id: ID!) { signOffRectification(id: $id, note: "核实无误") { status } }'


async def _ledger(w: World) -> None:
    """Q2: one entry (not exported). Q3: a fixed one, an overdue one escalated twice, one noted
    without rectification; and one in the other town (not exported for this town)."""
    w.clock_s = at(2026, 6, 15, 10)
    await new_entry(w, await new_task(w), villageCode=VILLAGE, problem="二季度问题：档案缺失")
    w.clock_s = at(2026, 9, 1, 10)
    task = await new_task(w, period="2026Q3")
    fixed = await new_entry(w, task, villageCode=VILLAGE, problem="走访记录不全")
    rect = await new_rectification(w, fixed, days=3)
    await w.run(EVIDENCE, DIRECTOR, id=rect["id"])
    await w.run(SIGN_OFF, SUPERVISOR, id=rect["id"])
    w.clock_s = at(2026, 9, 22, 10)
    late = await new_entry(w, task, problem="困境儿童档案未更新", severity="SERIOUS")
    await new_rectification(w, late, deadline="2026-09-30")
    w.clock_s = at(2026, 9, 23, 10)
    await new_entry(
        w,
        task,
        stationId=gid("Station", "t-station-1"),
        directorId=None,
        problem="值班记录不完整",
        category="PREMISES",
    )
    for moment in (at(2026, 10, 1), at(2026, 10, 11)):
        await escalate_overdue_rectifications(w.store, now_ms=int(moment * 1000), notice_after=3)


async def _token(tmp_path: Path, store: GraphStore) -> str:
    """A bearer token of a supervisor of the test town, as the hub issues it."""
    await store.write_rows(
        bulk.node_upsert("User"),
        [
            {
                "id": "t-user-sup",
                "props": {
                    "source": "test",
                    "username": "t-supervisor",
                    "role": "supervisor",
                    "displayName": "赵督导",
                    "regionCodes": [TOWN],
                    "purposes": [],
                    "personId": "t-sup-1",
                    "disabled": False,
                },
            }
        ],
    )
    settings = Settings(data_dir=tmp_path)
    tokens = TokenService(
        KeyRing.load(settings.keys_dir), settings.issuer, settings.auth.audience, 600, 600
    )
    return tokens.issue_user("t-user-sup", "t-supervisor", "supervisor").token


def _sheet(body: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


async def test_the_ledger_of_a_quarter_and_town_opens_with_chinese_headers(
    store: GraphStore, hub_client: ClientFactory, tmp_path: Path
) -> None:
    async with supervision_world(store) as w:
        await _ledger(w)
        token = await _token(tmp_path, store)
        async with hub_client() as client:
            response = await client.get(
                "/exports/ledger.xlsx",
                params={"period": "2026Q3", "town": TOWN},
                headers={"authorization": f"Bearer {token}"},
            )
            refused = await client.get("/exports/ledger.xlsx", params={"town": TOWN})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        )
        rows = _sheet(response.content)
        assert rows[0] == HEADERS
        body = [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]
        assert [r["序号"] for r in body] == [1, 2, 3]
        assert [r["问题描述"] for r in body] == [
            "走访记录不全",
            "困境儿童档案未更新",
            "值班记录不完整",
        ]
        fixed, late, noted = body
        assert fixed["发现时间"] == "2026-09-01"
        assert (fixed["镇街"], fixed["村居/站点"]) == ("测试镇", "东村（儿童主任张主任）")
        assert (fixed["类别"], fixed["严重程度"], fixed["发现人"]) == (
            "走访不到位",
            "一般",
            "赵督导",
        )
        assert (fixed["整改期限"], fixed["整改状态"], fixed["销号时间"]) == (
            "2026-09-04",
            "已整改",
            "2026-09-01",
        )
        assert fixed["督办情况"] == "未督办"
        assert (late["整改期限"], late["整改状态"], late["销号时间"]) == (
            "2026-09-30",
            "整改中（逾期）",
            None,
        )
        assert late["督办情况"] == (
            "2026-10-01 催办：测试镇儿童督导员赵督导；2026-10-11 通报：测试镇及市未成年人保护中心"
        )
        assert (noted["村居/站点"], noted["整改状态"], noted["督办情况"]) == (
            "测试镇未保站",
            "未下达整改",
            None,
        )
        # Without a token: the public may not read the ledger.
        assert refused.status_code == 403
