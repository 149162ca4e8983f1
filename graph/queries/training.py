"""Training and exams: sessions and attendance, the question bank, exams drawn from it,
results scored against it, and what a director's record and the rotation (轮训) read.

The answer key (``Question.answer``) is read by one statement only, :data:`EXAM_KEY`,
which the scoring code uses and never returns; the exam paper (:data:`PAPER`) does not
project it.
"""

from __future__ import annotations

from graph.queries.stations import in_regions
from graph.statements import Mode, statement

_HUB = "source: 'hub', sourceKey: $id, seenAt: $at"
#: Creating statements that match nothing first take ``$source`` ("hub" from the API),
#: so that their samples write test nodes the statement tests remove.
_NEW = "source: $source, sourceKey: $id, seenAt: $at"

SCHEDULE = statement(
    "training.schedule",
    f"""
    CREATE (t:Training {{id: $id, {_NEW}, title: $title, topic: $topic, date: $date,
                         trainer: $trainer, hours: $hours, location: $location,
                         round: $round, regionCode: $regionCode}})
    RETURN t.id AS id
    """,
    Mode.WRITE,
    params=(
        "id",
        "source",
        "at",
        "title",
        "topic",
        "date",
        "trainer",
        "hours",
        "location",
        "round",
        "regionCode",
    ),
    sample={
        "id": "none",
        "source": "test",
        "at": 0,
        "title": "sample",
        "topic": "sample",
        "date": "2026-01-01",
        "trainer": None,
        "hours": None,
        "location": None,
        "round": None,
        "regionCode": "990001",
    },
)

#: What the checks of attendance and of a new exam need to know about a training.
TRAINING = statement(
    "training.training",
    """
    MATCH (t:Training {id: $id})
    RETURN t.id AS id, t.title AS title, t.topic AS topic, t.date AS date,
           t.regionCode AS regionCode
    """,
    params=("id",),
    sample={"id": "none"},
)

#: Directors attend a training; recording them again changes nothing.
ATTEND = statement(
    "training.attend",
    """
    MATCH (t:Training {id: $trainingId})
    UNWIND $directorIds AS directorId
    MATCH (d:Director {id: directorId})
    MERGE (d)-[r:ATTENDED]->(t)
    ON CREATE SET r.source = 'hub', r.seenAt = $at
    RETURN count(r) AS attended
    """,
    Mode.WRITE,
    params=("trainingId", "directorIds", "at"),
    sample={"trainingId": "none", "directorIds": ["none"], "at": 0},
)

ADD_QUESTION = statement(
    "training.add_question",
    f"""
    CREATE (q:Question {{id: $id, {_NEW}, topic: $topic, text: $text, options: $options,
                         answer: $answer, difficulty: $difficulty, createdAt: $at,
                         createdBy: $createdBy}})
    RETURN q.id AS id
    """,
    Mode.WRITE,
    params=(
        "id",
        "source",
        "at",
        "topic",
        "text",
        "options",
        "answer",
        "difficulty",
        "createdBy",
    ),
    sample={
        "id": "none",
        "at": 0,
        "topic": "sample",
        "text": "sample",
        "options": ["a", "b"],
        "answer": "A",
        "difficulty": 1,
        "createdBy": "test",
        "source": "test",
    },
)

#: The bank of one topic, to draw an exam from (ids and difficulty only).
BANK = statement(
    "training.bank",
    """
    MATCH (q:Question) WHERE q.topic = $topic
    RETURN q.id AS id, q.difficulty AS difficulty
    ORDER BY q.id
    """,
    params=("topic",),
    sample={"topic": "none"},
)

#: An exam closing a training, with the questions drawn for it in order.
CREATE_EXAM = statement(
    "training.create_exam",
    f"""
    MATCH (t:Training {{id: $trainingId}})
    CREATE (e:Exam {{id: $id, {_HUB}, title: $title, date: $date, maxScore: $maxScore,
                     passScore: $passScore, topic: $topic, questionCount: size($questions),
                     regionCode: t.regionCode}})
    CREATE (e)-[:FOR {{source: 'hub', seenAt: $at}}]->(t)
    WITH e
    UNWIND $questions AS item
    MATCH (q:Question {{id: item.id}})
    CREATE (e)-[:INCLUDES {{position: item.position, source: 'hub', seenAt: $at}}]->(q)
    RETURN e.id AS id, count(q) AS questions
    """,
    Mode.WRITE,
    params=(
        "id",
        "at",
        "trainingId",
        "title",
        "date",
        "maxScore",
        "passScore",
        "topic",
        "questions",
    ),
    sample={
        "id": "none",
        "at": 0,
        "trainingId": "none",
        "title": "sample",
        "date": "2026-01-01",
        "maxScore": 100,
        "passScore": 60,
        "topic": "sample",
        "questions": [{"id": "none", "position": 1}],
    },
)

#: What recording a result needs: the exam, whether the director attended its
#: training, and whether they already have a result for it.
EXAM_FACTS = statement(
    "training.exam_facts",
    """
    MATCH (e:Exam {id: $examId})
    OPTIONAL MATCH (e)-[:FOR]->(t:Training)
    OPTIONAL MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (d)-[a:ATTENDED]->(t)
    OPTIONAL MATCH (d)<-[:OF]-(r:ExamResult)-[:FOR]->(e)
    RETURN e.id AS id, e.topic AS topic, e.maxScore AS maxScore, e.passScore AS passScore,
           t.id AS trainingId, t.date AS trainingDate, d.id AS directorId,
           d.villageCode AS villageCode, count(a) > 0 AS attended, count(r) AS results
    """,
    params=("examId", "directorId"),
    sample={"examId": "none", "directorId": "none"},
)

#: The answer key of an exam, in the exam's order. Read for scoring only: never
#: return these rows to a client.
EXAM_KEY = statement(
    "training.exam_key",
    """
    MATCH (e:Exam {id: $examId}) WITH e
    MATCH (e)-[i:INCLUDES]->(q:Question)
    RETURN i.position AS position, q.id AS id, q.answer AS answer, size(q.options) AS options
    ORDER BY position
    """,
    params=("examId",),
    sample={"examId": "none"},
)

#: The exam paper of several exams: questions and options, never the answer.
PAPER = statement(
    "training.paper",
    """
    UNWIND $keys AS key
    MATCH (e:Exam {id: key}) WITH key, e
    MATCH (e)-[i:INCLUDES]->(q:Question)
    RETURN key, i.position AS position, q.id AS id, q.topic AS topic, q.text AS text,
           q.options AS options, q.difficulty AS difficulty
    ORDER BY key, position
    """,
    params=("keys",),
    sample={"keys": ["none"]},
)

#: One result per director and exam: the id is derived from both, so a second
#: submission (or a retried write) finds the first instead of adding one.
RECORD_RESULT = statement(
    "training.record_result",
    """
    MATCH (e:Exam {id: $examId}), (d:Director {id: $directorId})
    MERGE (r:ExamResult {id: $id})
    ON CREATE SET r.recordId = $id, r.version = 1, r.recordedAt = $at, r.source = 'hub',
                  r.sourceKey = $id, r.seenAt = $at, r.score = $score, r.passed = $passed,
                  r.takenAt = $takenAt, r.topic = e.topic, r.correctCount = $correctCount,
                  r.questionCount = $questionCount, r.answers = $answers,
                  r.villageCode = d.villageCode
    MERGE (r)-[:FOR]->(e)
    MERGE (r)-[:OF]->(d)
    RETURN r.id AS id, r.recordedAt = $at AS created
    """,
    Mode.WRITE,
    params=(
        "id",
        "at",
        "examId",
        "directorId",
        "score",
        "passed",
        "takenAt",
        "correctCount",
        "questionCount",
        "answers",
    ),
    sample={
        "id": "none",
        "at": 0,
        "examId": "none",
        "directorId": "none",
        "score": 0.0,
        "passed": False,
        "takenAt": 0,
        "correctCount": 0,
        "questionCount": 0,
        "answers": ["A"],
    },
)

#: Directors of some regions (or one director) with the dates they were trained on
#: the given topics: the rotation's input. Departed directors are not due.
TRAINED = statement(
    "training.trained",
    f"""
    MATCH (d:Director)
    WHERE ($regions IS NULL OR {in_regions("d.villageCode", "regions")})
      AND ($directorId IS NULL OR d.id = $directorId)
      AND coalesce(d.status, 'active') <> 'departed'
    WITH d
    OPTIONAL MATCH (d)-[:ATTENDED]->(t:Training)
    WHERE t.topic IN $topics AND t.date IS NOT NULL
    RETURN d.id AS id, d.name AS name, d.villageCode AS villageCode,
           collect(t.topic) AS topics, collect(t.date) AS dates
    ORDER BY villageCode, id
    """,
    params=("regions", "directorId", "topics"),
    sample={"regions": ["99"], "directorId": None, "topics": ["none"]},
)

#: Directors by key with their village (whose record it is, for the access check).
DIRECTORS = statement(
    "training.directors",
    """
    UNWIND $keys AS key
    MATCH (d:Director {id: key})
    RETURN key, d.villageCode AS villageCode, d.status AS status
    """,
    params=("keys",),
    sample={"keys": ["none"]},
)

#: The sessions directors attended, oldest first.
ATTENDED = statement(
    "training.attended",
    """
    UNWIND $keys AS key
    MATCH (d:Director {id: key}) WITH key, d
    MATCH (d)-[:ATTENDED]->(t:Training)
    RETURN key, t.id AS id, t.title AS title, t.topic AS topic, t.date AS date,
           t.trainer AS trainer, t.hours AS hours, t.location AS location, t.round AS round,
           t.regionCode AS regionCode
    ORDER BY key, date, id
    """,
    params=("keys",),
    sample={"keys": ["none"]},
)

#: Directors' exam results (current versions) with their exams, oldest first.
RESULTS = statement(
    "training.results",
    """
    UNWIND $keys AS key
    MATCH (d:Director {id: key}) WITH key, d
    MATCH (d)<-[:OF]-(r:ExamResult)-[:FOR]->(e:Exam)
    WHERE r.supersededAt IS NULL
    RETURN key, r.id AS id, r.score AS score, r.passed AS passed, r.takenAt AS takenAt,
           coalesce(r.topic, e.topic) AS topic, r.correctCount AS correctCount,
           r.questionCount AS questionCount, e.id AS examId, e.title AS examTitle,
           e.maxScore AS maxScore
    ORDER BY key, takenAt, id
    """,
    params=("keys",),
    sample={"keys": ["none"]},
)
