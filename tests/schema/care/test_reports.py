"""Mandatory reports: intake routed at once, the reporter protected, follow-up, escalation."""

from __future__ import annotations

import json
from typing import Any

from graph import GraphStore
from graph.queries import bulk
from schema.access import Agreement, Principal, Role
from schema.care.report_workflow import ESCALATION_NOTES, escalate_overdue
from schema.care.reports import ReportSituation
from tests.support.care_world import (
    CITY_ADMIN,
    COUNTY,
    DIRECTOR,
    DIRECTOR_2,
    FAR_VILLAGE,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    VILLAGE,
    World,
    care_world,
    gid,
)
from tests.support.principals import user

FILE = """
mutation($input: FileMandatoryReportInput!) {
  fileMandatoryReport(input: $input) {
    id status situation reporterRole routedTo dueAt reportedAt escalationLevel
    secondsLeft overdue villageCode reporterName child { id }
  }
}"""
#: What any filer may read back (partners may not read children).
FILE_BRIEF = """
mutation($input: FileMandatoryReportInput!) {
  fileMandatoryReport(input: $input) { id status reporterRole reporterName dueAt }
}"""
LIST = """
{ mandatoryReports(first: 10) { totalCount nodes {
    id status reporterName reporterContact description reporter { id }
    steps(first: 10) { nodes { action actorRole actorName note } } } } }"""
ONE = """
query($id: ID!) { node(id: $id) { ... on MandatoryReport {
  status escalationLevel escalatedAt acknowledgedAt closedAt secondsLeft overdue
  steps(first: 20) { nodes { action note actorRole actorName } } } } }"""
ACK = """mutation($id: ID!) { acknowledgeMandatoryReport(id: $id, note: "值班人员已签收") {
  status acknowledgedAt secondsLeft overdue } }"""
UPDATE = """mutation($id: ID!, $action: ReportAction!, $note: String) {
  updateMandatoryReport(id: $id, action: $action, note: $note) { status closedAt } }"""
REPORTER_NAME = "报告人甲"
REPORTER_PHONE = "13900001111"
COMMISSIONER = user(Role.COMMISSIONER, (COUNTY,))
WINDOW_MS = 3600 * 1000


def agency(
    types: frozenset[str] = frozenset(),
    fields: frozenset[str] = frozenset(),
    purposes: tuple[str, ...] = ("protection",),
    regions: tuple[str, ...] = (COUNTY,),
) -> Principal:
    """A partner agency's client under a data-sharing agreement."""
    agreement = Agreement(
        client_id="public-security",
        name="滕州市公安局",
        types=types,
        fields=fields,
        regions=regions,
        purposes=purposes,
    )
    return Principal(
        kind="client",
        subject="public-security",
        name="public-security",
        role=Role.PARTNER,
        regions=regions,
        purposes=purposes,
        purpose=purposes[0] if purposes else None,
        agreement=agreement,
    )


def report_input(**fields: Any) -> dict[str, Any]:
    return {
        "childId": gid("Child", "t-child-1"),
        "situation": ReportSituation.DOMESTIC_VIOLENCE.name,
        "description": "孩子身上多处淤青，自述被继父殴打。",
        "reporterName": REPORTER_NAME,
        "reporterContact": REPORTER_PHONE,
        **fields,
    }


async def file(w: World, reader: Principal = DIRECTOR, **fields: Any) -> dict[str, Any]:
    text = FILE_BRIEF if reader.kind == "client" else FILE
    data = await w.run(text, reader, input=report_input(**fields))
    report: dict[str, Any] = data["fileMandatoryReport"]
    return report


async def test_a_directors_report_is_routed_and_seen_at_once_by_the_town_on_duty(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        report = await file(w)
        assert report["status"] == "routed"
        assert report["routedTo"] == ["police-liaison", "civil-affairs"]
        assert report["reporterRole"] == "儿童主任"
        assert report["situation"] == "疑似遭受家庭暴力"
        assert report["escalationLevel"] == 0
        assert report["villageCode"] == VILLAGE
        assert report["child"] == {"id": gid("Child", "t-child-1")}
        assert report["secondsLeft"] == 3600
        assert report["overdue"] is False
        # Those on duty in the town read it straight away, with who reported it.
        listed = (await w.run(LIST, STAFF))["mandatoryReports"]
        assert listed["totalCount"] == 1
        (seen,) = listed["nodes"]
        assert seen["id"] == report["id"]
        assert (seen["reporterName"], seen["reporterContact"]) == (REPORTER_NAME, REPORTER_PHONE)
        assert seen["reporter"] == {"id": gid("Director", "t-dir-1")}
        steps = seen["steps"]["nodes"]
        assert [s["action"] for s in steps] == ["received", "routed"]
        # The trail names the reporter's role, never the person.
        assert steps[0]["actorRole"] == "儿童主任"
        assert steps[0]["actorName"] is None
        assert (await w.run(LIST, CITY_ADMIN))["mandatoryReports"]["nodes"][0]["reporterName"]


async def test_the_reporter_is_hidden_from_those_who_do_not_handle_reports(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        report = await file(w)
        director = gid("Director", "t-dir-1")
        by_director = """query($d: ID!) { node(id: $d) { ... on Director {
          mandatoryReports(first: 5) { totalCount nodes { id } } } } }"""
        granted = agency(
            types=frozenset({"MandatoryReport", "Director", "ReportStep"}),
            fields=frozenset({"MandatoryReport.*"}),
        )
        for reader in (SUPERVISOR, granted):
            result = await w.execute(LIST, reader)
            assert result.errors is None, result.errors
            (seen,) = result.data["mandatoryReports"]["nodes"]
            assert seen["id"] == report["id"]
            assert seen["description"]  # the case itself is theirs to know
            assert (seen["reporterName"], seen["reporterContact"], seen["reporter"]) == (
                None,
                None,
                None,
            )
            body = json.dumps(result.data, ensure_ascii=False)
            assert REPORTER_NAME not in body
            assert REPORTER_PHONE not in body
            # Nor the other way round, from the director to the reports they filed.
            mine = await w.run(by_director, reader, d=director)
            assert mine["node"]["mandatoryReports"] == {"totalCount": 0, "nodes": []}
        # Commissioners see no report at all (statistics only).
        assert "not available" in await w.errors(LIST, COMMISSIONER)
        assert (await w.run(ONE, COMMISSIONER, id=report["id"])) == {"node": None}
        # The filing director reads their own report as a director: the reporter's
        # name and contact stay hidden, but they may see that they filed it.
        own = (await w.run(LIST, DIRECTOR))["mandatoryReports"]["nodes"][0]
        assert (own["reporterName"], own["reporterContact"]) == (None, None)
        assert own["reporter"] == {"id": director}
        assert (await w.run(by_director, DIRECTOR, d=director))["node"]["mandatoryReports"][
            "totalCount"
        ] == 1
        # The handlers follow the same relationship.
        assert (await w.run(by_director, STAFF, d=director))["node"]["mandatoryReports"][
            "totalCount"
        ] == 1


async def test_who_may_file_about_which_child(store: GraphStore) -> None:
    async with care_world(store) as w:
        # A child of the director's village who is not paired with them.
        await store.write_rows(
            bulk.node_upsert("Child"),
            [{"id": "t-child-9", "props": {"source": "test", "villageCode": VILLAGE}}],
        )
        assert (await file(w, childId=gid("Child", "t-child-9")))["status"] == "routed"
        # Another village's child paired with someone else: refused.
        outside = gid("Child", "t-child-3")
        message = await w.errors(FILE, DIRECTOR, input=report_input(childId=outside))
        assert "FORBIDDEN" in message
        assert "their village or paired with them" in message
        assert "FORBIDDEN" in await w.errors(FILE, DIRECTOR_2, input=report_input())
        assert "outside your regions" in await w.errors(FILE, OTHER_STAFF, input=report_input())
        assert "FORBIDDEN" in await w.errors(FILE, COMMISSIONER, input=report_input())
        # Partners: only with the protection purpose, and in their agreement's regions.
        no_purpose = agency(purposes=("school_attendance",))
        message = await w.errors(FILE, no_purpose, input=report_input())
        assert "FORBIDDEN" in message
        assert "`protection` purpose" in message
        elsewhere = agency(regions=("990002",))
        assert "outside your regions" in await w.errors(FILE, elsewhere, input=report_input())
        filed = await file(w, agency())
        assert filed["reporterRole"] == "滕州市公安局"
        # Staff and supervisors of the town file too.
        assert (await file(w, SUPERVISOR))["reporterRole"] == "儿童督导员"
        assert (await file(w, STAFF))["status"] == "routed"
        assert (await w.run(LIST, CITY_ADMIN))["mandatoryReports"]["totalCount"] == 4


async def test_a_partner_reads_no_report_unless_its_agreement_grants_them(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        report = await file(w)
        plain = agency(types=frozenset({"Child", "Village"}), fields=frozenset({"Child.name"}))
        assert "not available" in await w.errors(LIST, plain)
        assert (await w.run(ONE, plain, id=report["id"])) == {"node": None}
        child_reports = """query($c: ID!) { node(id: $c) { ... on Child {
          mandatoryReports(first: 5) { nodes { id } } } } }"""
        assert "not available" in await w.errors(child_reports, plain, c=gid("Child", "t-child-1"))
        # Filing is not reading: a partner with the purpose files without seeing reports.
        filer = agency(purposes=("protection",))
        filed = await file(w, filer)
        assert filed["status"] == "routed"
        assert filed["reporterName"] is None
        assert "not available" in await w.errors(LIST, filer)


async def test_a_child_unknown_to_the_program_needs_a_known_village(store: GraphStore) -> None:
    async with care_world(store) as w:
        filed = await file(w, STAFF, childId=None, villageCode=VILLAGE)
        assert (filed["child"], filed["villageCode"]) == (None, VILLAGE)
        missing = report_input(childId=None)
        assert "`villageCode`" in await w.errors(FILE, STAFF, input=missing)
        unknown = report_input(childId=None, villageCode="990001001099")
        assert "no village has the code 990001001099" in await w.errors(FILE, STAFF, input=unknown)
        assert "12-digit" in await w.errors(
            FILE, STAFF, input=report_input(childId=None, villageCode="9900")
        )
        mismatch = report_input(villageCode=FAR_VILLAGE)
        assert "not the child's village" in await w.errors(FILE, STAFF, input=mismatch)
        # A known child whose village is not on record: the filer says where.
        await store.write_rows(
            bulk.node_upsert("Child"), [{"id": "t-child-8", "props": {"source": "test"}}]
        )
        homeless = report_input(childId=gid("Child", "t-child-8"))
        assert "give `villageCode`" in await w.errors(FILE, STAFF, input=homeless)
        placed = await file(w, STAFF, childId=gid("Child", "t-child-8"), villageCode=VILLAGE)
        assert (placed["status"], placed["villageCode"]) == ("routed", VILLAGE)


async def test_intake_refuses_unusable_text_and_cleans_the_rest(store: GraphStore) -> None:
    async with care_world(store) as w:
        for description, expected in (
            ("打人", "at least 5 characters"),
            ("x" * 2001, "limited to 2000 characters"),
            ("孩子被打了<script>alert(1)</script>", "plain text"),
        ):
            message = await w.errors(FILE, input=report_input(description=description))
            assert "BAD_ARGUMENT" in message
            assert expected in message
        bad_id = report_input(childId=gid("Director", "t-dir-1"))
        assert "a Child's id" in await w.errors(FILE, input=bad_id)
        filed = await file(
            w,
            CITY_ADMIN,
            description="  孩子\u202e夜间独自在家\r\n\r\n\r\n\r\n邻居反映\x07多日无人照看  ",
            reporterName="  王\u200b老师 ",
        )
        text = await w.run(
            "query($id: ID!) { node(id: $id) { ... on MandatoryReport { description } } }",
            CITY_ADMIN,
            id=filed["id"],
        )
        assert text["node"]["description"] == "孩子夜间独自在家\n\n邻居反映多日无人照看"
        assert filed["reporterName"] == "王老师"


async def test_follow_up_is_a_state_machine_with_a_trail(store: GraphStore) -> None:
    async with care_world(store) as w:
        report = await file(w)
        rid = report["id"]
        assert "acknowledge the report before" in await w.errors(
            UPDATE, STAFF, id=rid, action="INVESTIGATING"
        )
        for reader in (SUPERVISOR, DIRECTOR, agency()):
            assert "FORBIDDEN" in await w.errors(ACK, reader, id=rid)
        assert "in your regions" in await w.errors(ACK, OTHER_STAFF, id=rid)
        w.clock_s += 600
        acked = (await w.run(ACK, STAFF, id=rid))["acknowledgeMandatoryReport"]
        assert acked["status"] == "acknowledged"
        assert acked["acknowledgedAt"] is not None
        assert (acked["secondsLeft"], acked["overdue"]) == (None, False)
        assert "already acknowledged" in await w.errors(ACK, CITY_ADMIN, id=rid)
        w.clock_s += 1
        await w.run(UPDATE, STAFF, id=rid, action="INVESTIGATING", note="已入户核实")
        assert "already investigating" in await w.errors(
            UPDATE, STAFF, id=rid, action="INVESTIGATING"
        )
        assert "`note`" in await w.errors(UPDATE, STAFF, id=rid, action="REFERRED")
        w.clock_s += 1
        await w.run(UPDATE, STAFF, id=rid, action="REFERRED", note="转介至派出所")
        w.clock_s += 600
        closed = await w.run(UPDATE, CITY_ADMIN, id=rid, action="CLOSED", note="已妥善安置")
        assert closed["updateMandatoryReport"]["status"] == "closed"
        assert closed["updateMandatoryReport"]["closedAt"] is not None
        assert "already closed" in await w.errors(
            UPDATE, CITY_ADMIN, id=rid, action="CLOSED", note="再次关闭"
        )
        assert "already closed" in await w.errors(ACK, STAFF, id=rid)
        trail = (await w.run(ONE, STAFF, id=rid))["node"]["steps"]["nodes"]
        assert [s["action"] for s in trail] == [
            "received",
            "routed",
            "acknowledged",
            "investigating",
            "referred",
            "closed",
        ]
        assert trail[2]["actorName"] == "station_staff"
        assert trail[-1]["note"] == "已妥善安置"
        # Who acted is the handlers' business too.
        seen = (await w.run(ONE, SUPERVISOR, id=rid))["node"]["steps"]["nodes"]
        assert [s["action"] for s in seen] == [s["action"] for s in trail]
        assert {s["actorName"] for s in seen} == {None}


async def test_escalation_when_nobody_acknowledges_in_time(store: GraphStore) -> None:
    async with care_world(store) as w:
        report = await file(w)
        filed_ms = int(w.clock_s * 1000)
        due_ms = filed_ms + WINDOW_MS
        # Before the deadline nothing happens.
        assert await escalate_overdue(store, now_ms=due_ms - 1, window_ms=WINDOW_MS) == 0
        w.clock_s = (due_ms + 60_000) / 1000
        assert (await w.run(ONE, STAFF, id=report["id"]))["node"]["overdue"] is True
        # Past it: level 1, a step naming who is alerted, a new deadline.
        first = due_ms + 60_000
        assert await escalate_overdue(store, now_ms=first, window_ms=WINDOW_MS) == 1
        node = (await w.run(ONE, STAFF, id=report["id"]))["node"]
        assert (node["status"], node["escalationLevel"]) == ("escalated", 1)
        assert node["escalatedAt"] is not None
        assert (node["overdue"], node["secondsLeft"]) == (False, 3600)
        escalated = [s for s in node["steps"]["nodes"] if s["action"] == "escalated"]
        assert [s["note"] for s in escalated] == [ESCALATION_NOTES[0]]
        assert escalated[0]["actorRole"] == "system"
        # A second run before the new deadline does nothing.
        assert await escalate_overdue(store, now_ms=first + 1000, window_ms=WINDOW_MS) == 0
        # After it: level 2, the city center.
        second = first + WINDOW_MS + 1
        assert await escalate_overdue(store, now_ms=second, window_ms=WINDOW_MS) == 1
        node = (await w.run(ONE, STAFF, id=report["id"]))["node"]
        assert node["escalationLevel"] == 2
        notes = [s["note"] for s in node["steps"]["nodes"] if s["action"] == "escalated"]
        assert notes == list(ESCALATION_NOTES[:2])
        # Acknowledging stops the timer: no later run escalates it again.
        w.clock_s = second / 1000
        assert (await w.run(ACK, STAFF, id=report["id"]))["acknowledgeMandatoryReport"][
            "status"
        ] == "acknowledged"
        much_later = second + 10 * WINDOW_MS
        assert await escalate_overdue(store, now_ms=much_later, window_ms=WINDOW_MS) == 0
        node = (await w.run(ONE, STAFF, id=report["id"]))["node"]
        assert (node["status"], node["escalationLevel"]) == ("acknowledged", 2)


async def test_level_three_and_beyond_alert_the_bureau(store: GraphStore) -> None:
    async with care_world(store) as w:
        report = await file(w)
        now = int(w.clock_s * 1000)
        for _ in range(4):
            now += WINDOW_MS + 1
            assert await escalate_overdue(store, now_ms=now, window_ms=WINDOW_MS) == 1
        node = (await w.run(ONE, CITY_ADMIN, id=report["id"]))["node"]
        assert node["escalationLevel"] == 4
        notes = [s["note"] for s in node["steps"]["nodes"] if s["action"] == "escalated"]
        assert notes == [*ESCALATION_NOTES, ESCALATION_NOTES[2]]


async def test_the_situations_cover_those_of_the_recorded_reports(
    demo_store: GraphStore,
) -> None:
    """Reports filed through the API group with the loaded ones in the statistics."""
    from schema import Context, build_schema
    from tests.support.principals import ADMIN

    result = await build_schema().execute(
        "{ mandatoryReportStats(groupBy: [SITUATION]) { situation count } }",
        context_value=Context(demo_store, principal=ADMIN),
    )
    assert result.errors is None
    assert result.data is not None
    recorded = {b["situation"] for b in result.data["mandatoryReportStats"]}
    assert recorded
    assert recorded <= {s.value for s in ReportSituation}
