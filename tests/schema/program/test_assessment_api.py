"""Assessments over GraphQL and HTTP: who may run a quarter, the formulas, what a director
sees, and finance's XLSX sheet with Chinese headers."""

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
from tests.schema.conftest import ClientFactory
from tests.support.assessment_world import COUNTY, PERIOD, assessment_world
from tests.support.care_world import DIRECTOR, STAFF, SUPERVISOR

RUN = """mutation($period: String!, $version: String) {
  runAssessment(period: $period, formulaVersion: $version) {
    period formulaVersion through directors supervisors created corrected unchanged } }"""
FORMULAS = """{ assessmentFormulas { version isDefault directorParts { key weight }
  visitParts { key name weight } directorTiers { name min allowance bonus }
  vocationalAllowance vocationalByTitle supervisorParts { key weight } } }"""
LIST = "{ assessments(first: 20) { totalCount nodes { subject subjectName period } } }"
HEADERS = [
    "考核期",
    "乡镇（街道）",
    "村（居）委会",
    "村居代码",
    "姓名",
    "类别",
    "学习考试得分",
    "走访成效得分",
    "考核总分",
    "考核等次",
    "等次津贴（元）",
    "持证职业津贴（元）",
    "津贴合计（元）",
    "村（居）委会绩效奖励（元）",
    "考核公式版本",
]


async def test_only_a_center_admin_runs_a_quarter(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        for reader in (DIRECTOR, STAFF, SUPERVISOR):
            assert "FORBIDDEN" in await w.errors(RUN, reader, period=PERIOD)
        assert "quarter such as 2026Q3" in await w.errors(RUN, period="2026-06")
        assert "has no day to assess yet" in await w.errors(RUN, period="2026Q4")
        assert "no assessment formula 'v9' (known: v1, v2)" in await w.errors(
            RUN, period=PERIOD, version="v9"
        )
        done = (await w.run(RUN, period=PERIOD))["runAssessment"]
        assert done == {
            "period": PERIOD,
            "formulaVersion": "v1",
            "through": "2026-06-30",
            "directors": 3,
            "supervisors": 1,
            "created": 4,
            "corrected": 0,
            "unchanged": 0,
        }
        again = (await w.run(RUN, period=PERIOD, version="v1"))["runAssessment"]
        assert (again["created"], again["unchanged"]) == (0, 4)


async def test_the_formulas_are_listed(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        v1, v2 = (await w.run(FORMULAS))["assessmentFormulas"]
        assert (v1["version"], v1["isDefault"], v2["isDefault"]) == ("v1", True, False)
        assert v1["directorParts"] == [
            {"key": "exam", "weight": 0.4},
            {"key": "visit", "weight": 0.6},
        ]
        assert [p["key"] for p in v1["visitParts"]] == [
            "visit.coverage",
            "visit.timeliness",
            "visit.validity",
            "visit.followUp",
            "visit.reports",
        ]
        assert [(t["name"], t["min"]) for t in v1["directorTiers"]] == [
            ("A", 90),
            ("B", 80),
            ("C", 60),
            ("D", 0),
        ]
        assert v1["vocationalAllowance"] == 300
        assert v2["vocationalByTitle"] == ["助理社会工作师: 300", "社会工作师: 500"]


async def test_a_director_sees_their_own_assessments_and_appeals_only(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        await w.run(RUN, period=PERIOD)
        everyone = (await w.run(LIST))["assessments"]
        assert everyone["totalCount"] == 4
        mine = (await w.run(LIST, DIRECTOR))["assessments"]
        assert [(n["subject"], n["subjectName"]) for n in mine["nodes"]] == [("director", "张主任")]
        appeals = "{ assessments(first: 5) { nodes { appeals(first: 5) { totalCount } } } }"
        (node,) = (await w.run(appeals, DIRECTOR))["assessments"]["nodes"]
        assert node["appeals"] == {"totalCount": 0}


async def _admin_token(tmp_path: Path, store: GraphStore) -> str:
    """A bearer token of a center admin of the test county, as the hub issues it."""
    await store.write_rows(
        bulk.node_upsert("User"),
        [
            {
                "id": "t-user-admin",
                "props": {
                    "source": "test",
                    "username": "t-admin",
                    "role": "center_admin",
                    "displayName": "财务核对",
                    "regionCodes": [COUNTY],
                    "purposes": [],
                    "disabled": False,
                },
            }
        ],
    )
    settings = Settings(data_dir=tmp_path)
    tokens = TokenService(
        KeyRing.load(settings.keys_dir), settings.issuer, settings.auth.audience, 600, 600
    )
    return tokens.issue_user("t-user-admin", "t-admin", "center_admin").token


def _sheet(body: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


async def test_finance_sheet_opens_with_chinese_headers(
    store: GraphStore, hub_client: ClientFactory, tmp_path: Path
) -> None:
    async with assessment_world(store) as w:
        await w.run(RUN, period=PERIOD)
        await w.run(RUN, period=PERIOD, version="v2")
        token = await _admin_token(tmp_path, store)
        auth = {"authorization": f"Bearer {token}"}
        async with hub_client() as client:
            response = await client.get(
                "/exports/assessments.xlsx",
                params={"period": PERIOD, "formulaVersion": "v1"},
                headers=auth,
            )
            supervisors = await client.get(
                "/exports/assessments.xlsx",
                params={"period": PERIOD, "subject": "supervisor"},
                headers=auth,
            )
            missing = await client.get("/exports/assessments.xlsx", headers=auth)
            public = await client.get("/exports/assessments.xlsx", params={"period": PERIOD})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        )
        rows = _sheet(response.content)
        assert rows[0] == HEADERS
        body = [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]
        # One row per director, by village code (so by town, then village).
        assert [r["姓名"] for r in body] == ["张主任", "李主任", "王主任"]
        zhang = body[0]
        assert (zhang["考核期"], zhang["乡镇（街道）"], zhang["村（居）委会"]) == (
            PERIOD,
            "测试镇",
            "东村",
        )
        assert (zhang["类别"], zhang["考核等次"], zhang["考核公式版本"]) == ("儿童主任", "C", "v1")
        assert (zhang["学习考试得分"], abs(zhang["考核总分"] - 70.36) <= 0.05) == (85, True)
        assert (
            zhang["等次津贴（元）"],
            zhang["持证职业津贴（元）"],
            zhang["津贴合计（元）"],
            zhang["村（居）委会绩效奖励（元）"],
        ) == (1200, 300, 1500, 1000)
        assert body[1]["持证职业津贴（元）"] == 0
        sup = [dict(zip(HEADERS, r, strict=True)) for r in _sheet(supervisors.content)[1:]]
        assert sorted((r["姓名"], r["类别"], r["考核公式版本"]) for r in sup) == [
            ("赵督导", "儿童督导员", "v1"),
            ("赵督导", "儿童督导员", "v2"),
        ]
        assert missing.status_code == 400
        assert public.status_code == 403
