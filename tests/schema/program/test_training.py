"""Training and exams through the schema: the rotation's due list, sessions and
attendance, the question bank, exams scored against it, records and who may read them."""

from __future__ import annotations

import json
from typing import Any

from graph import GraphStore
from schema.access import Role
from tests.support.care_world import (
    COUNTY,
    DIRECTOR,
    DIRECTOR_2,
    OTHER_STAFF,
    STAFF,
    TOWN,
    World,
    gid,
)
from tests.support.principals import user
from tests.support.training_world import BANK, training_world

COMMISSIONER = user(Role.COMMISSIONER, (COUNTY,))

DUE = """
query($topic: String, $region: String, $after: String) {
  trainingDue(topic: $topic, inRegion: $region, first: 50, after: $after) {
    totalCount hasNextPage endCursor
    items { directorId directorName topic lastTrained dueOn director { name } }
  }
}"""
DUE_STATS = "{ trainingDueStats { topic overdue directors suppressed } }"
RECORD = """
query($d: ID!) { node(id: $d) { ... on Director {
  certification { status certified expiresOn missing topics { topic passedOn valid } }
  trainingRecord {
    sessions { title topic date }
    exams { examTitle topic score passed correctCount questionCount }
    certification { status }
    due { topic lastTrained dueOn overdue dueSoon }
  }
} } }"""
ATTEND = """
mutation($t: ID!, $ds: [ID!]!) {
  recordAttendance(trainingId: $t, directorIds: $ds) { title attendees(first: 10) { totalCount } }
}"""
CREATE_EXAM = """
mutation($t: ID!) {
  createExam(trainingId: $t, topic: "强制报告", count: 5) {
    id topic questionCount maxScore passScore training { title }
  }
}"""
PAPER = """
query($e: ID!) { node(id: $e) { ... on Exam { paper { number text options difficulty } } } }"""
KEY = """
query($e: ID!) { node(id: $e) { ... on Exam { questions(first: 10) { nodes { id answer } } } } }"""
SUBMIT = """
mutation($e: ID!, $d: ID!, $answers: [String!]!) {
  recordExamResult(examId: $e, directorId: $d, answers: $answers) {
    score passed correctCount questionCount topic director { name }
  }
}"""


def _due(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(i["directorName"], i["topic"]) for i in data["trainingDue"]["items"]}


async def test_the_rotation_lists_a_director_overdue_on_the_right_topic(store: GraphStore) -> None:
    async with training_world(store) as w:
        due = await w.run(DUE, region="990001")
        overdue = _due(due)
        # 张主任: 走访核查 in March 2026 (fine), 强制报告 in March 2025 (a cycle ago), never
        # 链接政策资源; 李主任 is up to date; 王主任 was never trained.
        assert ("张主任", "强制报告") in overdue
        assert ("张主任", "链接政策资源") in overdue
        assert ("张主任", "走访核查") not in overdue
        assert not any(name == "李主任" for name, _ in overdue)
        assert {t for n, t in overdue if n == "王主任"} == {"走访核查", "强制报告", "链接政策资源"}
        item = next(
            i
            for i in due["trainingDue"]["items"]
            if (i["directorName"], i["topic"]) == ("张主任", "强制报告")
        )
        assert (item["lastTrained"], item["dueOn"]) == ("2025-03-20", "2026-03-20")
        assert item["directorId"] == gid("Director", "t-dir-1")
        assert item["director"]["name"] == "张主任"
        # Never trained first.
        assert due["trainingDue"]["items"][0]["lastTrained"] is None
        only = await w.run(DUE, topic="强制报告", region="990001")
        assert _due(only) == {("张主任", "强制报告"), ("王主任", "强制报告")}
        # Paged: the cursor resumes after the page.
        first = await w.run(DUE.replace("first: 50", "first: 2"), region="990001")
        rest = await w.run(
            DUE.replace("first: 50", "first: 50"),
            region="990001",
            after=first["trainingDue"]["endCursor"],
        )
        assert first["trainingDue"]["hasNextPage"]
        assert len(first["trainingDue"]["items"]) + len(rest["trainingDue"]["items"]) == len(
            due["trainingDue"]["items"]
        )


async def test_attendance_brings_a_director_up_to_date(store: GraphStore) -> None:
    async with training_world(store) as w:
        data = await w.run(ATTEND, STAFF, t=gid("Training", "t-train-policy"),
                           ds=[gid("Director", "t-dir-1")])  # fmt: skip
        assert data["recordAttendance"]["attendees"]["totalCount"] == 2
        assert ("张主任", "链接政策资源") not in _due(await w.run(DUE, region=TOWN))
        # Staff of another town do not record for this town's directors; sessions that
        # have not taken place have no attendance yet.
        refused = await w.errors(ATTEND, OTHER_STAFF, t=gid("Training", "t-train-policy"),
                                 ds=[gid("Director", "t-dir-1")])  # fmt: skip
        assert "FORBIDDEN" in refused
        assert "not taken place" in await w.errors(
            ATTEND, STAFF, t=gid("Training", "t-train-future"), ds=[gid("Director", "t-dir-1")]
        )


async def test_scheduling_a_session_in_the_managers_region(store: GraphStore) -> None:
    async with training_world(store) as w:
        text = """
        mutation($r: String!) { scheduleTraining(input: {title: "链接政策资源轮训（第3轮）",
          topic: "链接政策资源", date: "2026-05-20", regionCode: $r, hours: 3, round: 3}) {
          title topic date regionCode round } }"""
        made = await w.run(text, STAFF, r=TOWN)
        assert made["scheduleTraining"] == {
            "title": "链接政策资源轮训（第3轮）",
            "topic": "链接政策资源",
            "date": "2026-05-20",
            "regionCode": TOWN,
            "round": 3,
        }
        assert "FORBIDDEN" in await w.errors(text, STAFF, r=COUNTY)  # a city-wide session
        assert "FORBIDDEN" in await w.errors(text, DIRECTOR, r=TOWN)


async def test_a_director_sees_only_their_own_due_rows(store: GraphStore) -> None:
    async with training_world(store) as w:
        mine = _due(await w.run(DUE, DIRECTOR))
        assert mine == {("张主任", "强制报告"), ("张主任", "链接政策资源")}
        assert _due(await w.run(DUE, DIRECTOR_2)) == set()
        assert "FORBIDDEN" in await w.errors(DUE, COMMISSIONER)
        # Statistics-only readers have the counts, small ones withheld.
        stats = (await w.run(DUE_STATS, COMMISSIONER))["trainingDueStats"]
        assert [s["topic"] for s in stats] == ["走访核查", "强制报告", "链接政策资源"]
        assert all(s["suppressed"] and s["overdue"] is None for s in stats)
        counted = {s["topic"]: s for s in (await w.run(DUE_STATS))["trainingDueStats"]}
        assert counted["强制报告"]["overdue"] >= 2
        assert not counted["强制报告"]["suppressed"]


async def test_the_question_bank_is_the_center_admins_and_hidden_from_directors(
    store: GraphStore,
) -> None:
    async with training_world(store) as w:
        text = """
        mutation { addQuestion(input: {topic: "链接政策资源", text: "低保申请应向哪里提出？",
          options: ["乡镇人民政府（街道办事处）", "派出所", "学校"], answer: "a",
          difficulty: 2}) { topic options answer difficulty } }"""
        added = (await w.run(text))["addQuestion"]
        assert added["answer"] == "A"
        assert len(added["options"]) == 3
        assert "FORBIDDEN" in await w.errors(text, STAFF)
        assert "`answer` is one of" in await w.errors(text.replace('answer: "a"', 'answer: "D"'))
        listing = "{ questions(first: 50) { totalCount nodes { answer } } }"
        assert (await w.run(listing, STAFF))["questions"]["totalCount"] >= len(BANK) + 1
        assert "FORBIDDEN" in await w.errors(listing, DIRECTOR)
        assert "FORBIDDEN" in await w.errors(listing, COMMISSIONER)


async def _exam(w: World) -> tuple[str, list[str]]:
    """An exam on 强制报告 closing t-train-report, and its key in the paper's order."""
    exam = (await w.run(CREATE_EXAM, t=gid("Training", "t-train-report")))["createExam"]
    assert (exam["topic"], exam["questionCount"], exam["passScore"]) == ("强制报告", 5, 60.0)
    answers = {gid("Question", q): a for q, a in BANK}
    drawn = (await w.run(KEY, e=exam["id"]))["node"]["questions"]["nodes"]
    assert len(drawn) == 5
    assert all(q["answer"] == answers[q["id"]] for q in drawn)
    # The paper is in the exam's order; the bank's texts say which question is which.
    paper = (await w.run(PAPER, DIRECTOR_2, e=exam["id"]))["node"]["paper"]
    by_text = {f"强制报告题{q[-1]}：发现疑似侵害应当如何处理？": a for q, a in BANK}
    return exam["id"], [by_text[p["text"]] for p in paper]


async def test_an_exam_result_is_scored_from_the_bank_without_showing_the_key(
    store: GraphStore,
) -> None:
    async with training_world(store) as w:
        exam, key = await _exam(w)
        paper = await w.execute(PAPER, DIRECTOR_2, e=exam)
        assert paper.errors is None
        assert [p["number"] for p in paper.data["node"]["paper"]] == [1, 2, 3, 4, 5]
        # The paper has no answers; the bank is not the director's to read.
        blob = json.dumps(paper.data, ensure_ascii=False)
        assert "answer" not in blob
        assert "FORBIDDEN" in await w.errors(KEY, DIRECTOR_2, e=exam)
        assert "one answer per question" in await w.errors(
            SUBMIT, STAFF, e=exam, d=gid("Director", "t-dir-2"), answers=key[:3]
        )
        assert "not one of the question's options" in await w.errors(
            SUBMIT, STAFF, e=exam, d=gid("Director", "t-dir-2"), answers=["E", *key[1:]]
        )
        wrong = "B" if key[2] != "B" else "C"
        answers = [*key[:2], wrong.lower(), *key[3:]]
        result = (await w.run(SUBMIT, DIRECTOR_2, e=exam, d=gid("Director", "t-dir-2"),
                              answers=answers))["recordExamResult"]  # fmt: skip
        assert result == {
            "score": 80.0,
            "passed": True,
            "correctCount": 4,
            "questionCount": 5,
            "topic": "强制报告",
            "director": {"name": "李主任"},
        }
        again = await w.errors(SUBMIT, STAFF, e=exam, d=gid("Director", "t-dir-2"), answers=key)
        assert "already has a result" in again
        # Only the director themself or a manager of their village records a result, and
        # only for a director who attended the exam's training.
        assert "FORBIDDEN" in await w.errors(
            SUBMIT, DIRECTOR, e=exam, d=gid("Director", "t-dir-2"), answers=key
        )
        assert "did not attend" in await w.errors(
            SUBMIT, DIRECTOR, e=exam, d=gid("Director", "t-dir-1"), answers=key
        )


async def test_certification_follows_the_passes_and_a_record_is_its_directors_own(
    store: GraphStore,
) -> None:
    async with training_world(store) as w:
        exam, key = await _exam(w)
        director = gid("Director", "t-dir-2")
        before = (await w.run(RECORD, DIRECTOR_2, d=director))["node"]
        assert before["certification"]["status"] == "NOT_CERTIFIED"
        assert before["certification"]["missing"] == ["走访核查", "强制报告", "链接政策资源"]
        await w.run(SUBMIT, DIRECTOR_2, e=exam, d=director, answers=key)
        await _paper_passes(w)
        after = (await w.run(RECORD, DIRECTOR_2, d=director))["node"]
        cert = after["certification"]
        assert (cert["status"], cert["certified"], cert["missing"]) == ("CERTIFIED", True, [])
        # It lapses a cycle after the oldest pass (走访核查 on 2025-07-01).
        assert cert["expiresOn"] == "2026-07-01"
        record = after["trainingRecord"]
        assert [s["title"] for s in record["sessions"]] == [
            "链接政策资源实务",
            "走访核查轮训",
            "强制报告轮训",
        ]
        assert {e["topic"]: e["score"] for e in record["exams"]}["强制报告"] == 100.0
        assert [(d["topic"], d["overdue"]) for d in record["due"]] == [
            ("走访核查", False),
            ("强制报告", False),
            ("链接政策资源", False),
        ]
        # Another director's record reads as null; staff read their town's; statistics-only
        # readers none at all.
        other = (await w.run(RECORD, DIRECTOR, d=director))["node"]
        assert other["certification"] is None
        assert other["trainingRecord"] is None
        assert (await w.run(RECORD, STAFF, d=director))["node"]["trainingRecord"] is not None
        assert (await w.run(RECORD, OTHER_STAFF, d=director))["node"] is None  # not theirs
        assert "FORBIDDEN" in await w.errors(RECORD, COMMISSIONER, d=director)


async def _paper_passes(w: World) -> None:
    """Paper exams 李主任 passed earlier on the other two topics (recorded by import)."""
    from graph.queries import bulk

    store = w.store
    await store.write_rows(
        bulk.node_upsert("Exam"),
        [
            {"id": "t-exam-visit", "props": {"source": "test", "title": "走访核查考试",
                                             "topic": "走访核查", "maxScore": 100}},
            {"id": "t-exam-policy", "props": {"source": "test", "title": "链接政策资源考试",
                                              "topic": "链接政策资源", "maxScore": 100}},
        ],
    )  # fmt: skip
    rows = [
        ("t-res-visit", "t-exam-visit", "走访核查", 1_751_328_000_000),  # 2025-07-01 08:00 CST
        ("t-res-policy", "t-exam-policy", "链接政策资源", 1_771_200_000_000),  # 2026-02-16
    ]
    await store.write_rows(
        bulk.node_upsert("ExamResult"),
        [
            {"id": rid, "props": {"source": "test", "score": 75.0, "passed": True,
                                  "takenAt": at, "topic": topic, "villageCode": "990001001002"}}
            for rid, _, topic, at in rows
        ],
    )  # fmt: skip
    await store.write_rows(
        bulk.rel_upsert("ExamResult", "FOR", "Exam"),
        [{"start": rid, "end": exam, "props": {"source": "test"}} for rid, exam, _, _ in rows],
    )
    await store.write_rows(
        bulk.rel_upsert("ExamResult", "OF", "Director"),
        [{"start": rid, "end": "t-dir-2", "props": {"source": "test"}} for rid, _, _, _ in rows],
    )


async def test_commissioners_count_exam_results_but_never_read_one(store: GraphStore) -> None:
    async with training_world(store) as w:
        exam, key = await _exam(w)
        await w.run(SUBMIT, DIRECTOR_2, e=exam, d=gid("Director", "t-dir-2"), answers=key)
        listing = "{ examResults(first: 10) { nodes { score } } }"
        assert "FORBIDDEN" in await w.errors(listing, COMMISSIONER)
        stats = "{ examResultStats(groupBy: [TOPIC]) { topic count suppressed } }"
        (bucket,) = [b for b in (await w.run(stats, COMMISSIONER))["examResultStats"] if b["topic"]]
        assert (bucket["topic"], bucket["count"], bucket["suppressed"]) == ("强制报告", None, True)
        admin = (await w.run(stats))["examResultStats"]
        assert {b["topic"]: b["count"] for b in admin}["强制报告"] == 1
        # Staff read their regions' results only.
        mine = "{ examResults(first: 10) { totalCount } }"
        assert (await w.run(mine, STAFF))["examResults"]["totalCount"] == 1
        assert (await w.run(mine, OTHER_STAFF))["examResults"]["totalCount"] == 0
        assert (await w.run(mine, DIRECTOR))["examResults"]["totalCount"] == 0
