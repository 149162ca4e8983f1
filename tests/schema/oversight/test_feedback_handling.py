"""The handling loop (受理 转办 办理 答复 回访): working-day deadlines, extensions, reopening."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from schema.access import Principal
from tests.support.care_world import (
    CITY_ADMIN,
    DIRECTOR,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    World,
    gid,
)
from tests.support.feedback_world import (
    OTHER_ADMIN,
    STATION,
    STATUS,
    at,
    feedback_world,
    key_of_ref,
    one,
    submit,
)
from tests.support.principals import PUBLIC

FIELDS = """id status acceptDueDate acceptedOnTime replyDueDate repliedAt repliedOnTime
  publicReply rating round assignedTo extensionStatus extensionDays deadline overdue"""
ACCEPT = f'mutation($id: ID!) {{ acceptFeedback(id: $id, note: "已受理") {{ {FIELDS} }} }}'
ASSIGN = f"""mutation($id: ID!, $to: FeedbackAssigneeInput!) {{
  assignFeedback(id: $id, to: $to) {{ {FIELDS} }} }}"""
HANDLE = f"""mutation($id: ID!) {{
  handleFeedback(id: $id, note: "已约谈儿童主任并督促入户") {{ {FIELDS} }} }}"""
REPLY = f"""mutation($id: ID!, $reply: String!) {{
  replyToFeedback(id: $id, reply: $reply) {{ {FIELDS} }} }}"""
FOLLOW_UP = f"""mutation($id: ID!, $rating: Int!) {{
  followUpFeedback(id: $id, rating: $rating, note: "电话回访") {{ {FIELDS} }} }}"""
EXTEND = f"""mutation($id: ID!, $days: Int!) {{
  requestFeedbackExtension(id: $id, workingDays: $days, reason: "需要协调教育部门核实") {{
    {FIELDS} }} }}"""
DECIDE = f"""mutation($id: ID!, $approve: Boolean!) {{
  decideFeedbackExtension(id: $id, approve: $approve) {{ {FIELDS} }} }}"""
RATE = """mutation($ref: String!, $code: String!, $rating: Int!) {
  rateFeedback(reference: $ref, accessCode: $code, rating: $rating, comment: "还是没人来") {
    status statusLabel canRate rating replyBy stages { stage } } }"""
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Feedback {{ {FIELDS} }} }} }}"


async def _step(w: World, text: str, reader: Principal = STAFF, **vars_: Any) -> dict[str, Any]:
    w.clock_s += 600  # ten minutes between one step and the next
    data = await w.run(text, reader, **vars_)
    result: dict[str, Any] = next(iter(data.values()))
    return result


async def _new(w: World, **fields: Any) -> tuple[str, dict[str, Any]]:
    receipt = await submit(w, **fields)
    return await key_of_ref(w, receipt["reference"]), receipt


async def test_the_loop_across_the_national_day_holiday(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        w.clock_s = at(2026, 9, 30)  # the last working day before 国庆
        id_, receipt = await _new(w)
        # One working day to accept: the holiday (1–7 October) does not count.
        assert receipt["acceptBy"] == "2026-10-08"
        w.clock_s = at(2026, 10, 7)
        assert (await _step(w, READ, id=id_))["overdue"] is False
        w.clock_s = at(2026, 10, 8, 17)
        fb = await _step(w, ACCEPT, id=id_)
        assert fb["status"] == "accepted"
        assert fb["acceptedOnTime"] is True
        # Ten working days from 8 October, with the make-up Saturday (10 October) worked.
        assert fb["replyDueDate"] == "2026-10-21"
        assert fb["deadline"] == "2026-10-21"
        fb = await _step(w, ASSIGN, id=id_, to={"stationId": gid("Station", STATION)})
        assert (fb["status"], fb["assignedTo"]) == ("assigned", "测试镇未保站")
        fb = await _step(w, HANDLE, id=id_)
        assert fb["status"] == "handled"
        w.clock_s = at(2026, 10, 22)
        assert fb["overdue"] is False  # as read on the 8th
        assert (await _step(w, READ, id=id_))["overdue"] is True
        fb = await _step(w, REPLY, id=id_, reply="已督促儿童主任每月入户走访，感谢监督。")
        assert (fb["status"], fb["repliedOnTime"], fb["overdue"]) == ("replied", False, False)
        assert fb["deadline"] is None
        fb = await _step(w, FOLLOW_UP, id=id_, rating=4)
        assert (fb["status"], fb["rating"], fb["round"]) == ("closed", 4, 1)
        node = await one(w, id_)
        assert node is not None
        stages = [s["stage"] for s in node["steps"]["nodes"]]
        assert stages == ["提交", "受理", "转办", "办理", "答复", "回访"]
        follow = node["steps"]["nodes"][-1]
        assert (follow["rating"], follow["actorRole"], follow["note"]) == (
            4,
            "station_staff",
            "电话回访",
        )
        status = (
            await w.run(STATUS, PUBLIC, ref=receipt["reference"], code=receipt["accessCode"])
        )["feedbackStatus"]
        assert status["status"] == "closed"
        assert status["publicReply"] == "已督促儿童主任每月入户走访，感谢监督。"
        assert [s["stage"] for s in status["stages"]] == stages
        assert "note" not in str(status)
        assert "station_staff" not in str(status)


async def test_an_unaccepted_submission_becomes_overdue(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        w.clock_s = at(2026, 9, 30)
        id_, _ = await _new(w)
        w.clock_s = at(2026, 10, 9)
        fb = await _step(w, READ, id=id_)
        assert (fb["deadline"], fb["overdue"]) == ("2026-10-08", True)
        fb = await _step(w, ACCEPT, id=id_)
        assert fb["acceptedOnTime"] is False
        assert fb["overdue"] is False


async def test_a_low_rating_reopens_the_case(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        id_, receipt = await _new(w)
        for text, extra in ((ACCEPT, {}), (HANDLE, {}), (REPLY, {"reply": "已处理。"})):
            await _step(w, text, id=id_, **extra)
        w.clock_s = at(2026, 6, 1)
        fb = await _step(w, FOLLOW_UP, id=id_, rating=2)
        assert (fb["status"], fb["round"], fb["rating"]) == ("reopened", 2, 2)
        assert fb["repliedAt"] is None
        # A new reply deadline from the day it was reopened (a complaint: 10 working days).
        assert fb["replyDueDate"] == "2026-06-15"
        assert fb["deadline"] == "2026-06-15"
        # Handled and replied again, the submitter rates it themselves with the code.
        await _step(w, HANDLE, id=id_)
        await _step(w, REPLY, id=id_, reply="已再次核实并整改。")
        refs = {"ref": receipt["reference"], "code": receipt["accessCode"]}
        w.clock_s += 86_400
        rated = (await w.run(RATE, PUBLIC, rating=1, **refs))["rateFeedback"]
        assert (rated["status"], rated["statusLabel"], rated["canRate"]) == (
            "reopened",
            "重新办理中",
            False,
        )
        assert [s["stage"] for s in rated["stages"]][-2:] == ["回访", "重新办理"]
        assert (await _step(w, READ, id=id_))["round"] == 3
        wrong = {**refs, "code": "ZZZZZZZZ" if refs["code"] != "ZZZZZZZZ" else "YYYYYYYY"}
        assert (await w.run(RATE, PUBLIC, rating=5, **wrong))["rateFeedback"] is None


async def test_an_extension_is_asked_by_a_handler_and_approved_by_another_admin(
    store: GraphStore,
) -> None:
    async with feedback_world(store) as w:
        w.clock_s = at(2026, 10, 8)
        id_, _ = await _new(w)
        assert (await _step(w, ACCEPT, id=id_))["replyDueDate"] == "2026-10-21"
        fb = await _step(w, EXTEND, id=id_, days=5)
        assert (fb["extensionStatus"], fb["extensionDays"]) == ("requested", 5)
        assert "still waiting for a decision" in await w.errors(EXTEND, STAFF, id=id_, days=3)
        assert "center admins may" in await w.errors(DECIDE, STAFF, id=id_, approve=True)
        fb = await _step(w, DECIDE, CITY_ADMIN, id=id_, approve=True)
        assert (fb["extensionStatus"], fb["replyDueDate"]) == ("approved", "2026-10-28")
        # A center admin's own request needs another admin.
        await _step(w, EXTEND, CITY_ADMIN, id=id_, days=10)
        assert "another center admin" in await w.errors(DECIDE, CITY_ADMIN, id=id_, approve=True)
        fb = await _step(w, DECIDE, OTHER_ADMIN, id=id_, approve=False)
        assert (fb["extensionStatus"], fb["replyDueDate"]) == ("refused", "2026-10-28")
        node = await one(w, id_)
        assert node is not None
        steps = [(s["stage"], s["days"]) for s in node["steps"]["nodes"]]
        assert steps[-4:] == [
            ("延期申请", 5),
            ("延期批准", 5),
            ("延期申请", 10),
            ("延期驳回", None),
        ]


async def test_who_may_handle_and_in_what_order(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        id_, _ = await _new(w)
        assert "center admins and station staff" in await w.errors(ACCEPT, SUPERVISOR, id=id_)
        assert "center admins and station staff" in await w.errors(ACCEPT, DIRECTOR, id=id_)
        assert "center admins and station staff" in await w.errors(ACCEPT, PUBLIC, id=id_)
        assert "in your regions" in await w.errors(ACCEPT, OTHER_STAFF, id=id_)
        assert "accept the feedback" in await w.errors(REPLY, STAFF, id=id_, reply="已处理完毕。")
        await _step(w, ACCEPT, id=id_)
        assert "cannot be accepted" in await w.errors(ACCEPT, STAFF, id=id_)
        assert "before replying" in await w.errors(REPLY, STAFF, id=id_, reply="已处理完毕。")
        assert "own town" in await w.errors(
            ASSIGN, STAFF, id=id_, to={"stationId": gid("Station", "t-station-far")}
        )
        fb = await _step(w, ASSIGN, id=id_, to={"department": "滕州市教育和体育局"})
        assert fb["assignedTo"] == "滕州市教育和体育局"
        assert "after the reply" in await w.errors(FOLLOW_UP, STAFF, id=id_, rating=3)
        await _step(w, HANDLE, id=id_)
        await _step(w, REPLY, id=id_, reply="已处理完毕。")
        assert "1 (very dissatisfied) to 5" in await w.errors(FOLLOW_UP, STAFF, id=id_, rating=6)
        await _step(w, FOLLOW_UP, id=id_, rating=5)
        assert "closed" in await w.errors(HANDLE, STAFF, id=id_)
