"""submitFeedback and feedbackStatus: a tracking code shown once, a status only its holder sees."""

from __future__ import annotations

import re

import pytest

from graph import GraphStore
from graph.model import NODES
from graph.queries.catalog import CATALOG
from schema.core.ids import from_global_id
from schema.oversight import feedback_codes as codes
from tests.support.care_world import CITY_ADMIN, STAFF, SUPERVISOR, TOWN, VILLAGE, gid
from tests.support.feedback_world import (
    FACILITY,
    ONE,
    STATION,
    STATUS,
    SUBMIT,
    feedback_input,
    feedback_world,
    key_of_ref,
    one,
    submit,
)
from tests.support.principals import PUBLIC

#: Every stored property of a feedback (the graph's view, not a reader's).
STORED = CATALOG.by_id("Feedback", frozenset(NODES["Feedback"].all_properties))
COUNT = CATALOG.count("Feedback", frozenset())
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]+")


async def _count(store: GraphStore) -> int:
    return int((await store.read(COUNT, {}))[0]["total"])


async def test_submit_gives_a_reference_and_code_that_open_the_status(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(w)
        assert receipt["reference"].startswith("FK-")
        assert CODE.fullmatch(receipt["reference"][3:])
        assert len(receipt["reference"]) == 13
        assert CODE.fullmatch(receipt["accessCode"])
        assert len(receipt["accessCode"]) == 8
        assert receipt["urgent"] is False
        assert receipt["emergency"] is None
        # Wednesday 27 May: one working day to accept a complaint.
        assert receipt["acceptBy"] == "2026-05-28"
        status = (
            await w.run(STATUS, PUBLIC, ref=receipt["reference"], code=receipt["accessCode"])
        )["feedbackStatus"]
        assert status["status"] == "submitted"
        assert status["statusLabel"] == "待受理"
        assert status["kind"] == "complaint"
        assert status["acceptBy"] == "2026-05-28"
        assert status["urgent"] is False
        assert [s["stage"] for s in status["stages"]] == ["提交"]
        assert status["publicReply"] is None
        # Typed loosely (lower case, spaces, O for 0, I for 1) it still opens.
        loose = receipt["accessCode"].lower().replace("0", "o").replace("1", "i")
        again = await w.run(STATUS, PUBLIC, ref=" " + receipt["reference"].lower(), code=loose)
        assert again["feedbackStatus"]["reference"] == receipt["reference"]


async def test_a_wrong_code_looks_exactly_like_an_unknown_reference(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(w)
        wrong = "Z" if receipt["accessCode"][0] != "Z" else "Y"
        other = await submit(w)
        answers = [
            await w.execute(STATUS, PUBLIC, ref=receipt["reference"], code=wrong * 8),
            # Another submission's valid code does not open this one.
            await w.execute(STATUS, PUBLIC, ref=receipt["reference"], code=other["accessCode"]),
            await w.execute(STATUS, PUBLIC, ref="FK-0000000000", code=receipt["accessCode"]),
            await w.execute(STATUS, PUBLIC, ref="not a reference", code="x"),
        ]
        for result in answers:
            assert result.errors is None
            assert result.data == {"feedbackStatus": None}


async def test_the_code_is_stored_hashed_and_the_identity_sealed(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(w)
        id_ = await key_of_ref(w, receipt["reference"])
        rows = await store.read(STORED, {"ids": [from_global_id(id_)[1]]})
        stored = rows[0]["node"]["accessHash"]
        assert receipt["accessCode"] not in str(rows[0]["node"])
        assert stored.startswith("$argon2id$")
        assert await codes.code_matches(
            stored, receipt["accessCode"], time_cost=2, memory_kib=19 * 1024
        )
        admin = await one(w, id_)
        assert admin is not None
        assert (admin["contactName"], admin["contactPhone"]) == ("王先生", "13800001234")
        assert admin["subjectKind"] == "director"
        assert admin["directors"]["nodes"] == [{"id": gid("Director", "t-dir-1")}]
        staff = await one(w, id_, STAFF)
        assert staff is not None
        assert staff["contactName"] == "王先生"
        supervisor = await one(w, id_, SUPERVISOR)
        assert supervisor is not None
        assert supervisor["content"] == admin["content"]
        assert (supervisor["contactName"], supervisor["contactPhone"]) == (None, None)
        # Nobody reads the public's view through a list either: anonymous has no rows.
        assert (await w.run(ONE, PUBLIC, id=id_))["node"] is None
        assert (await w.run(ONE, CITY_ADMIN, id=id_))["node"]["id"] == id_


@pytest.mark.parametrize(
    ("subject", "kind", "region"),
    [
        ({"townCode": TOWN}, "town", TOWN),
        ({"villageCode": VILLAGE}, "village", VILLAGE),
        ({"stationId": gid("Station", STATION)}, "station", TOWN),
        ({"facilityId": gid("Facility", FACILITY)}, "facility", VILLAGE),
    ],
)
async def test_each_kind_of_subject(
    store: GraphStore, subject: dict[str, str], kind: str, region: str
) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(
            w,
            subject=subject,
            kind="SUGGESTION",
            anonymous=True,
            contactName=None,
            contactPhone=None,
        )
        node = await one(w, await key_of_ref(w, receipt["reference"]))
        assert node is not None
        assert (node["subjectKind"], node["regionCode"]) == (kind, region)
        assert node["anonymous"] is True
        assert node["contactName"] is None
        # Two working days to accept a suggestion: Wednesday → Friday.
        assert node["acceptDueDate"] == "2026-05-29"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "<b>孩子</b>没人管"}, "plain text"),
        ({"description": "短"}, "at least 5"),
        ({"description": "很" * 2001}, "limited to 2000"),
        ({"description": "很" * 100_000}, "limited to 2000"),
        ({"subject": {"townCode": "990001009"}}, "no town has the code"),
        ({"subject": {"villageCode": "123"}}, "12-digit"),
        ({"subject": {"directorOfVillage": "990001002099"}}, "no village"),
        ({"subject": {"stationId": gid("Facility", FACILITY)}}, "Station's id"),
        ({"anonymous": True}, "anonymous submission takes no contact"),
        ({"contactPhone": "call me maybe"}, "telephone number"),
        ({"contactName": "<script>x</script>"}, "plain text"),
        ({"photoKey": "not-a-key"}, "64 hex"),
    ],
)
async def test_bad_submissions_are_refused_and_write_nothing(
    store: GraphStore, fields: dict[str, object], message: str
) -> None:
    async with feedback_world(store) as w:
        before = await _count(store)
        errors = await w.errors(SUBMIT, PUBLIC, input=feedback_input(**fields))
        assert message in errors
        assert await _count(store) == before


async def test_two_subjects_are_refused_by_the_schema(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        errors = await w.errors(
            SUBMIT, PUBLIC, input=feedback_input(subject={"townCode": TOWN, "villageCode": VILLAGE})
        )
        assert "exactly one" in errors.lower()
