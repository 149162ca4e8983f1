"""Sealing: feedback about a director never reaches that director; identities only to handlers."""

from __future__ import annotations

from graph import GraphStore
from schema.access.policy import Access
from tests.support.care_world import (
    CITY_ADMIN,
    DIRECTOR,
    DIRECTOR_2,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    VILLAGE,
)
from tests.support.feedback_world import (
    COMMISSIONER,
    STAFF_WHO_IS_THE_DIRECTOR,
    feedback_world,
    key_of_ref,
    submit,
)

LIST = """{ feedback(first: 20) { totalCount nodes { id subjectKind contactName } } }"""
NODE = """query($id: ID!) { node(id: $id) { id ... on Feedback { contactName content } } }"""
STEP = """query($id: ID!) { node(id: $id) { ... on Feedback {
  steps(first: 5) { nodes { id } } } } }"""
STATS = """{ feedbackStats { count } }"""
RATES = """{ feedbackRates { overall { total } } }"""


async def test_a_complaint_about_a_director_never_reaches_that_director(
    store: GraphStore,
) -> None:
    async with feedback_world(store) as w:
        about = await key_of_ref(w, (await submit(w))["reference"])
        village = await key_of_ref(
            w, (await submit(w, kind="SUGGESTION", subject={"villageCode": VILLAGE}))["reference"]
        )
        steps = (await w.run(STEP, CITY_ADMIN, id=about))["node"]["steps"]["nodes"]
        step = steps[0]["id"]
        for director in (DIRECTOR, DIRECTOR_2):
            assert "not available to this reader" in await w.errors(LIST, director)
            assert "not available to this reader" in await w.errors(STATS, director)
            assert "not available to this reader" in await w.errors(RATES, director)
            for id_ in (about, village, step):
                assert (await w.run(NODE, director, id=id_))["node"] is None
        # Even with a role that reads feedback, the director's own account is sealed
        # off what is about them: lists, counts, node(id:) and the steps alike.
        me = STAFF_WHO_IS_THE_DIRECTOR
        listed = (await w.run(LIST, me))["feedback"]
        assert [n["id"] for n in listed["nodes"]] == [village]
        assert listed["totalCount"] == 1
        assert (await w.run(STATS, me))["feedbackStats"] == [{"count": 1}]
        assert (await w.run(RATES, me))["feedbackRates"]["overall"]["total"] == 1
        assert (await w.run(NODE, me, id=about))["node"] is None
        assert (await w.run(NODE, me, id=step))["node"] is None
        assert (await w.run(NODE, me, id=village))["node"] is not None
        # The rest of the town's staff handle it.
        assert (await w.run(LIST, STAFF))["feedback"]["totalCount"] == 2
        assert (await w.run(NODE, STAFF, id=step))["node"] == {"id": step}


async def test_identities_are_for_handlers_and_commissioners_get_no_rows(
    store: GraphStore,
) -> None:
    async with feedback_world(store) as w:
        id_ = await key_of_ref(w, (await submit(w))["reference"])
        names = {
            reader.role.value: [
                n["contactName"] for n in (await w.run(LIST, reader))["feedback"]["nodes"]
            ]
            for reader in (CITY_ADMIN, STAFF, SUPERVISOR)
        }
        assert names == {
            "center_admin": ["王先生"],
            "station_staff": ["王先生"],
            "supervisor": [None],
        }
        assert (await w.run(LIST, OTHER_STAFF))["feedback"]["totalCount"] == 0
        assert (await w.run(NODE, OTHER_STAFF, id=id_))["node"] is None
        assert "not available to this reader" in await w.errors(LIST, COMMISSIONER)
        assert (await w.run(NODE, COMMISSIONER, id=id_))["node"] is None
        assert (await w.run(RATES, COMMISSIONER))["feedbackRates"]["overall"]["total"] is None


def test_the_policy_binds_the_seal_for_people_of_the_program_only() -> None:
    assert Access(STAFF_WHO_IS_THE_DIRECTOR).row_params("Feedback")["f_notAbout_value"] == "t-dir-1"
    assert "f_notAbout_value" not in Access(STAFF).row_params("Feedback")
    assert Access(SUPERVISOR).row_params("FeedbackStep")["f_notAbout_value"] == "t-sup-1"
