"""feedbackRates: response, resolution and satisfaction per town and department, suppressed
for readers of statistics only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import GraphStore
from graph.queries import bulk
from hub.auth.keys import KeyRing
from hub.auth.tokens import TokenService
from hub.settings import Settings
from schema.access import Principal
from tests.schema.conftest import ClientFactory
from tests.support.care_world import (
    CITY_ADMIN,
    COUNTY,
    FAR_VILLAGE,
    OTHER_TOWN,
    STAFF,
    TOWN,
    World,
)
from tests.support.feedback_world import (
    COMMISSIONER,
    at,
    feedback_world,
    key_of_ref,
    submit,
)
from tests.support.principals import PUBLIC

RATE = """townCode townName department total acceptedOnTime resolved overdue rated
  responseRate resolutionRate satisfaction satisfiedShare suppressed"""
RATES = f"""query($region: String, $period: String) {{
  feedbackRates(inRegion: $region, period: $period) {{
    period overall {{ {RATE} }} towns {{ {RATE} }} departments {{ {RATE} }} }} }}"""
STEPS = {
    "accept": "mutation($id: ID!) { acceptFeedback(id: $id) { id } }",
    "assign": """mutation($id: ID!) {
      assignFeedback(id: $id, to: {department: "滕州市教育和体育局"}) { id } }""",
    "handle": 'mutation($id: ID!) { handleFeedback(id: $id, note: "已核实处理") { id } }',
    "reply": 'mutation($id: ID!) { replyToFeedback(id: $id, reply: "已处理，感谢。") { id } }',
}
RATING = "mutation($id: ID!, $r: Int!) { followUpFeedback(id: $id, rating: $r) { id } }"


async def _handled(w: World, *steps: str, rating: int | None = None) -> str:
    id_ = await key_of_ref(w, (await submit(w))["reference"])
    for name in steps:
        await w.run(STEPS[name], STAFF, id=id_)
    if rating is not None:
        await w.run(RATING, STAFF, id=id_, r=rating)
    return id_


async def _world(w: World) -> None:
    """Six complaints in the town submitted Wednesday 27 May, one in the other town."""
    w.clock_s = at(2026, 5, 27)
    await _handled(w, "accept", "handle", "reply", rating=5)
    await _handled(w, "accept", "handle", "reply", rating=4)
    await _handled(w, "accept", "handle", "reply", rating=2)  # reopened
    late = await _handled(w)
    await _handled(w)
    await _handled(w)
    await submit(w, subject={"villageCode": FAR_VILLAGE})
    w.clock_s = at(2026, 5, 29)  # the acceptance was due on the 28th
    for name in ("accept", "assign"):
        await w.run(STEPS[name], STAFF, id=late)
    w.clock_s = at(2026, 6, 1)


async def _rates(w: World, reader: Principal, **vars_: Any) -> dict[str, Any]:
    rates: dict[str, Any] = (await w.run(RATES, reader, **vars_))["feedbackRates"]
    return rates


async def test_staff_read_exact_rates_per_town_and_department(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        await _world(w)
        rates = await _rates(w, CITY_ADMIN)
        town = next(t for t in rates["towns"] if t["townCode"] == TOWN)
        assert town["townName"] == "测试镇"
        assert (town["total"], town["acceptedOnTime"], town["resolved"]) == (6, 3, 2)
        assert town["responseRate"] == 0.5  # 3 on time of 6 due (4 accepted, 2 past due)
        assert town["resolutionRate"] == pytest.approx(2 / 6, abs=1e-4)
        assert town["overdue"] == 2  # the two never accepted
        assert town["rated"] == 3
        assert town["satisfaction"] == pytest.approx(11 / 3, abs=1e-4)
        assert town["satisfiedShare"] == pytest.approx(2 / 3, abs=1e-4)
        assert town["suppressed"] is False
        assert rates["overall"]["total"] == 7
        [department] = rates["departments"]
        assert (department["department"], department["total"]) == ("滕州市教育和体育局", 1)
        assert department["responseRate"] == 0.0
        # The town's staff read their town only.
        mine = await _rates(w, STAFF)
        assert [t["townCode"] for t in mine["towns"]] == [TOWN]


async def test_readers_of_statistics_get_small_counts_withheld(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        await _world(w)
        for reader in (COMMISSIONER, PUBLIC):
            rates = await _rates(w, reader)
            towns = {t["townCode"]: t for t in rates["towns"]}
            # One town has a single submission: withheld, and the only other town with
            # it, or the overall total would give it back.
            assert towns[OTHER_TOWN]["suppressed"] is True
            assert towns[OTHER_TOWN]["total"] is None
            assert towns[TOWN]["suppressed"] is True
            assert towns[TOWN]["responseRate"] is None
            assert rates["overall"]["total"] == 7
            assert rates["overall"]["responseRate"] is not None
            # Three ratings are too few to show a mean.
            assert rates["overall"]["satisfaction"] is None
            assert rates["departments"][0]["suppressed"] is True
            # Inside the town alone there are enough to show.
            town = (await _rates(w, reader, region=TOWN))["towns"]
            assert [(t["townCode"], t["total"], t["suppressed"]) for t in town] == [
                (TOWN, 6, False)
            ]


async def test_periods(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        await _world(w)
        for period, total in (("2026", 7), ("2026-05", 7), ("2026Q2", 7), ("2026-04", 0)):
            rates = await _rates(w, CITY_ADMIN, period=period)
            assert rates["period"] == period
            assert (rates["overall"]["total"] or 0) == total
        assert "`period` is a year" in await w.errors(RATES, CITY_ADMIN, period="May")


HEADERS = ["乡镇（街道）", "反馈件数", "按时受理件数", "按时响应率", "已答复件数", "办结率",
           "逾期件数", "回访评价件数", "平均满意度（1-5）", "满意率（4-5分）"]  # fmt: skip


async def _commissioner_token(tmp_path: Path, store: GraphStore) -> str:
    """A bearer token of a commissioner of the test county, as the hub issues it."""
    await store.write_rows(
        bulk.node_upsert("User"),
        [
            {
                "id": "t-user-com",
                "props": {
                    "source": "test",
                    "username": "t-commissioner",
                    "role": "commissioner",
                    "displayName": "钱代表",
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
    return tokens.issue_user("t-user-com", "t-commissioner", "commissioner").token


async def test_the_rates_sheet_for_a_commissioner(
    store: GraphStore, hub_client: ClientFactory, tmp_path: Path
) -> None:
    async with feedback_world(store) as w:
        await _world(w)
        token = await _commissioner_token(tmp_path, store)
        async with hub_client() as client:
            response = await client.get(
                "/exports/feedback_rates.xlsx",
                params={"period": "2026Q2"},
                headers={"authorization": f"Bearer {token}"},
            )
        assert response.status_code == 200, response.text
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        try:
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
        assert rows[0] == HEADERS
        body = {r[0]: dict(zip(HEADERS, r, strict=False)) for r in rows[1:]}
        assert set(body) == {"测试镇", "远方镇", "合计"}
        # Both towns withheld (one is small, the other would give it back); the total shown.
        assert body["远方镇"]["反馈件数"] == "<5"
        assert body["测试镇"]["反馈件数"] == "<5"
        assert body["合计"]["反馈件数"] == 7
        assert body["合计"]["回访评价件数"] == "<5"
        assert body["合计"].get("平均满意度（1-5）") is None
        assert "王先生" not in str(rows)
