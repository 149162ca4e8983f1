"""Trainings (培训), rotation rounds (轮训), exams and directors' exam results.

Tengzhou trained directors in 58 sessions: city-wide sessions (16 here) on
duties, family-guardianship intervention and psychological support, then
rotation rounds on visits and verification, mandatory reporting and linking
policy resources; plus two sessions in each town. Two city-wide sessions per
quarter close with an exam, so every quarterly assessment has exam results
to weigh (paper exams: their scores are recorded, not their answers).

The question bank (40 questions on the rotation's required topics) came later:
the rotation sessions that had no exam close with one drawn from it, and their
results are the directors' answers scored against the bank by the hub's own
scoring, so that certification (every required topic passed within the cycle)
has a realistic mix of certified and not yet certified directors. These draw
from their own random streams: the sessions and paper exams above are unchanged.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hub.demo.clock import LAST_EVENT_DAY, QUARTERS, WINDOW_START, add_days, day_ms, iso
from hub.demo.context import County, ExamResultRec
from hub.demo.names import person_name
from hub.demo.questions import BANK
from schema.program.training_rules import LETTERS, default_rules, score_answers

# (topic, rotation round): round 1 is the initial training, 2 and 3 the rotation rounds.
_COUNTY_TOPICS = (
    ("职责任务", 1),
    ("家庭监护干预", 1),
    ("心理疏导", 1),
    ("儿童权益保护法律法规", 1),
    ("智慧民政平台操作", 1),
    ("档案管理", 1),
    ("走访核查", 2),
    ("强制报告", 2),
    ("链接政策资源", 2),
    ("个案管理", 2),
    ("安全防护", 2),
    ("走访核查", 3),
    ("强制报告", 3),
    ("链接政策资源", 3),
    ("心理危机识别", 3),
    ("家庭教育指导", 3),
)
_TOWN_TOPICS = ("走访核查实务", "困境儿童排查", "家庭监护干预", "一人一档建档规范")
_TRAINER_BODIES = (
    "市民政局",
    "市未成年人保护中心",
    "山东省儿童福利指导中心",
    "市人民检察院",
    "市公安局",
    "市妇联",
)
_FIRST_DAY = date(2025, 12, 10)
_LAST_DAY = date(2026, 11, 20)
#: Questions drawn for each exam closing a rotation session.
_EXAM_QUESTIONS = 10
#: When the city center entered the bank (before the first exam drawn from it).
_BANK_DAY = date(2026, 4, 1)


def build_training(county: County) -> None:
    """Training, Exam and ExamResult rows; ATTENDED, FOR and OF relationships."""
    rng = county.rng("training")
    b = county.builder
    name = county.division.name
    county_sessions = county.targets.county_trainings
    span = (_LAST_DAY - _FIRST_DAY).days
    n = 0
    sessions: list[tuple[str, date, str]] = []  # (training id, day, title)
    topics: dict[str, tuple[str, int]] = {}  # training id -> (topic, round)
    attended: dict[str, list[str]] = {}
    for i in range(county_sessions):
        topic, round_ = _COUNTY_TOPICS[i % len(_COUNTY_TOPICS)]
        day = _FIRST_DAY + timedelta(days=round(i * span / max(county_sessions - 1, 1)))
        n += 1
        training_id = f"training-{county.code}-{n:03d}"
        kind = "专题培训" if round_ == 1 else "轮训"
        title = f"{name}儿童主任{topic}{kind}（第{round_}轮）"
        b.node(
            "Training",
            training_id,
            {
                "title": title,
                "topic": topic,
                "date": iso(day),
                "trainer": _trainer(rng),
                "hours": rng.choice((2.0, 3.0, 3.5, 4.0, 6.0)),
                "location": f"{name}未成年人保护中心培训室",
                "round": round_,
                "regionCode": county.code,
            },
        )
        sessions.append((training_id, day, title))
        topics[training_id] = (topic, round_)
        attendees = attended.setdefault(training_id, [])
        for director in county.directors:
            if rng.random() < 0.8 + 0.15 * director.diligence:
                b.rel(("Director", "ATTENDED", "Training"), director.id, training_id)
                attendees.append(director.id)
    for town in county.towns:
        for half, (start, end) in enumerate(
            ((WINDOW_START, date(2026, 5, 31)), (date(2026, 6, 1), LAST_EVENT_DAY))
        ):
            n += 1
            training_id = f"training-{county.code}-{n:03d}"
            topic = _TOWN_TOPICS[(half * 2 + rng.randrange(2)) % len(_TOWN_TOPICS)]
            day = add_days(start, rng.randint(0, (end - start).days))
            b.node(
                "Training",
                training_id,
                {
                    "title": f"{town.division.name}儿童主任{topic}培训",
                    "topic": topic,
                    "date": iso(day),
                    "trainer": town.supervisor_name or _trainer(rng),
                    "hours": rng.choice((2.0, 2.5, 3.0)),
                    "location": f"{town.division.name}未成年人保护工作站",
                    "round": half + 1,
                    "regionCode": town.division.code,
                },
            )
            for director_id in town.director_ids:
                if rng.random() < 0.95:
                    b.rel(("Director", "ATTENDED", "Training"), director_id, training_id)
    examined = _exams(county, rng, sessions, topics, attended)
    _bank_exams(county, sessions, topics, attended, examined)


def _trainer(rng: random.Random) -> str:
    gender = rng.choice(("male", "female"))
    return f"{person_name(rng, gender, 1980)}（{rng.choice(_TRAINER_BODIES)}）"


def _exams(
    county: County,
    rng: random.Random,
    sessions: list[tuple[str, date, str]],
    topics: dict[str, tuple[str, int]],
    attended: dict[str, list[str]],
) -> set[str]:
    """The first and last city-wide session of each quarter close with an exam.

    Returns the sessions that have one.
    """
    b = county.builder
    skills = {d.id: d.skill for d in county.directors}
    villages = {d.id: d.village.division.code for d in county.directors}
    examined: set[str] = set()
    n = 0
    for quarter in QUARTERS:
        inside = [s for s in sessions if quarter.contains(s[1])]
        for training_id, day, title in sorted({inside[0], inside[-1]} if inside else set()):
            n += 1
            exam_id = f"exam-{county.code}-{n:02d}"
            b.node(
                "Exam",
                exam_id,
                {
                    "title": f"{title}结业考试",
                    "date": iso(day),
                    "maxScore": 100,
                    "passScore": 60,
                    "topic": topics[training_id][0],
                    "regionCode": county.code,
                },
            )
            examined.add(training_id)
            b.rel(("Exam", "FOR", "Training"), exam_id, training_id)
            for director_id in attended[training_id]:
                score = round(min(100.0, max(30.0, rng.gauss(skills[director_id], 6.0))) * 2) / 2
                taken_at = day_ms(day, 15, rng.randint(0, 59))
                result_id = f"examresult-{county.code}-{n:02d}-{director_id.rsplit('-', 1)[1]}"
                b.node(
                    "ExamResult",
                    result_id,
                    {
                        "score": score,
                        "passed": score >= 60,
                        "takenAt": taken_at,
                        "topic": topics[training_id][0],
                        "villageCode": villages[director_id],
                    },
                    recorded_at=taken_at + 90 * 60_000,
                )
                b.rel(("ExamResult", "FOR", "Exam"), result_id, exam_id)
                b.rel(("ExamResult", "OF", "Director"), result_id, director_id)
                county.exam_results.append(ExamResultRec(director_id, day, score))
    return examined


def _question_bank(county: County) -> dict[str, list[tuple[str, str]]]:
    """The bank's Question rows; per topic, (question id, right letter) in bank order."""
    rng = county.rng("question-bank")
    b = county.builder
    created = day_ms(_BANK_DAY, 9)
    bank: dict[str, list[tuple[str, str]]] = {}
    n = 0
    for topic, entries in BANK.items():
        for text, right, others, difficulty in entries:
            n += 1
            options = [right, *others]
            rng.shuffle(options)
            letter = LETTERS[options.index(right)]
            question_id = f"question-{county.code}-{n:02d}"
            b.node(
                "Question",
                question_id,
                {
                    "topic": topic,
                    "text": text,
                    "options": options,
                    "answer": letter,
                    "difficulty": difficulty,
                    "createdAt": created + n * 60_000,
                    "createdBy": "center_admin:admin",
                },
            )
            bank.setdefault(topic, []).append((question_id, letter))
    return bank


def _bank_exams(
    county: County,
    sessions: list[tuple[str, date, str]],
    topics: dict[str, tuple[str, int]],
    attended: dict[str, list[str]],
    examined: set[str],
) -> None:
    """Exams drawn from the bank for the rotation sessions that had none; each attendee's
    answers are drawn from their skill and scored as the hub scores them."""
    rng = county.rng("bank-exams")
    b = county.builder
    bank = _question_bank(county)
    rules = default_rules()
    skills = {d.id: d.skill for d in county.directors}
    villages = {d.id: d.village.division.code for d in county.directors}
    n = len(examined)
    for training_id, day, title in sessions:
        topic, round_ = topics[training_id]
        if training_id in examined or round_ < 2 or topic not in bank or day < _BANK_DAY:
            continue
        n += 1
        exam_id = f"exam-{county.code}-{n:02d}"
        drawn = rng.sample(bank[topic], _EXAM_QUESTIONS)
        b.node(
            "Exam",
            exam_id,
            {
                "title": f"{title}结业考试",
                "date": iso(day),
                "maxScore": rules.max_score,
                "passScore": rules.pass_score,
                "topic": topic,
                "questionCount": len(drawn),
                "regionCode": county.code,
            },
        )
        b.rel(("Exam", "FOR", "Training"), exam_id, training_id)
        for position, (question_id, _) in enumerate(drawn, 1):
            b.rel(("Exam", "INCLUDES", "Question"), exam_id, question_id, {"position": position})
        key = [letter for _, letter in drawn]
        for director_id in attended[training_id]:
            # A director's chance of a right answer follows their mean exam score.
            right = min(0.97, max(0.3, skills[director_id] / 100))
            answers = [
                letter if rng.random() < right else rng.choice(LETTERS[:4].replace(letter, ""))
                for letter in key
            ]
            scored = score_answers(
                answers, key, max_score=rules.max_score, pass_score=rules.pass_score
            )
            taken_at = day_ms(day, 15, rng.randint(0, 59))
            result_id = f"examresult-{county.code}-{n:02d}-{director_id.rsplit('-', 1)[1]}"
            b.node(
                "ExamResult",
                result_id,
                {
                    "score": scored.score,
                    "passed": scored.passed,
                    "takenAt": taken_at,
                    "topic": topic,
                    "correctCount": scored.correct,
                    "questionCount": scored.total,
                    "answers": answers,
                    "villageCode": villages[director_id],
                },
                recorded_at=taken_at + 30 * 60_000,
            )
            b.rel(("ExamResult", "FOR", "Exam"), result_id, exam_id)
            b.rel(("ExamResult", "OF", "Director"), result_id, director_id)
            county.exam_results.append(ExamResultRec(director_id, day, scored.score))
