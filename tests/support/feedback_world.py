"""The synthetic corner of :mod:`tests.support.care_world`, with a station and a facility,
and helpers to submit and handle feedback through the real schema.

Times are set on the world's clock in China Standard Time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from graph import GraphStore
from graph.model import CST
from graph.queries import bulk
from schema.access import Principal, Role
from tests.support import care_world as cw
from tests.support.care_world import CITY_ADMIN, COUNTY, TOWN, VILLAGE, World, gid
from tests.support.principals import PUBLIC, user

STATION = "t-station-1"
FACILITY = "t-fac-1"
COMMISSIONER = user(Role.COMMISSIONER, (COUNTY,))
OTHER_ADMIN = replace(CITY_ADMIN, subject="user-admin-2", name="admin-2")
#: A station worker whose account is linked to the village's director: the
#: row scope seals feedback about that director from them, whatever their role.
STAFF_WHO_IS_THE_DIRECTOR = user(Role.STATION_STAFF, (TOWN,), person_id="t-dir-1")

SUBMIT = """
mutation($input: SubmitFeedbackInput!) {
  submitFeedback(input: $input) {
    reference accessCode urgent acceptBy
    emergency { police hotline hotlineName message }
  }
}"""
STATUS = """
query($ref: String!, $code: String!) {
  feedbackStatus(reference: $ref, accessCode: $code) {
    reference kind status statusLabel submittedAt urgent acceptBy replyBy repliedAt
    publicReply rating canRate stages { stage label at }
  }
}"""
FIND = """
query($ref: String!) { feedback(first: 5, filter: {trackingRef: {eq: $ref}}) {
  totalCount nodes { id } } }"""
ONE = """
query($id: ID!) { node(id: $id) { ... on Feedback {
  id kind status urgent content contactName contactPhone photoKey anonymous subjectKind
  acceptDueDate acceptedAt acceptedOnTime replyDueDate repliedAt repliedOnTime publicReply
  rating round assignedTo extensionStatus extensionDays deadline overdue regionCode
  mandatoryReport { id status reporterRole situation villageCode }
  directors(first: 5) { nodes { id } }
  steps(first: 30) { nodes { stage actor actorRole note rating days at } } } } }"""


def at(year: int, month: int, day: int, hour: int = 10) -> float:
    """Epoch seconds of a time in China Standard Time (the world's clock)."""
    return dt.datetime(year, month, day, hour, tzinfo=CST).timestamp()


def feedback_input(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "COMPLAINT",
        "subject": {"directorOfVillage": VILLAGE},
        "description": "儿童主任很久没有入户走访，希望加强管理。",
        "contactName": "王先生",
        "contactPhone": "13800001234",
        **fields,
    }


async def submit(w: World, reader: Principal = PUBLIC, **fields: Any) -> dict[str, Any]:
    data = await w.run(SUBMIT, reader, input=feedback_input(**fields))
    receipt: dict[str, Any] = data["submitFeedback"]
    return receipt


async def key_of_ref(w: World, reference: str) -> str:
    """The global id of the feedback with ``reference`` (as the city admin finds it)."""
    found = (await w.run(FIND, CITY_ADMIN, ref=reference))["feedback"]
    assert found["totalCount"] == 1
    key: str = found["nodes"][0]["id"]
    return key


async def one(w: World, id_: str, reader: Principal = CITY_ADMIN) -> dict[str, Any] | None:
    node: dict[str, Any] | None = (await w.run(ONE, reader, id=id_))["node"]
    return node


async def populate(store: GraphStore) -> None:
    await cw.populate(store)
    await store.write_rows(
        bulk.node_upsert("Station"),
        [{"id": STATION, "props": {"source": "test", "name": "测试镇未保站", "townCode": TOWN}}],
    )
    await store.write_rows(
        bulk.node_upsert("Facility"),
        [
            {
                "id": FACILITY,
                "props": {"source": "test", "name": "东村儿童之家", "villageCode": VILLAGE},
            }
        ],
    )


@asynccontextmanager
async def feedback_world(store: GraphStore) -> AsyncIterator[World]:
    """The corner with its station and facility, written for the block and removed after it."""
    await cw.clear(store)
    await populate(store)
    try:
        # Wednesday 27 May 2026, 10:00 CST: an ordinary working week.
        yield World(store, clock_s=at(2026, 5, 27))
    finally:
        await cw.clear(store)


__all__ = ["gid"]
