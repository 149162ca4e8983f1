"""Feedback from the public (complaints, suggestions, concerns, praise) and its handling.

Each feedback is about a station, village, director, facility or town, and
goes through the handling stages 受理 → 转办 → 办理 → 答复 → 回访 with the
working-day deadlines of :class:`schema.oversight.feedback_rules.FeedbackRules`
(its defaults); older feedback has been through all of them, recent feedback
only through the first few, as the portal's tracking page would show. Some
cases stall and run past their deadline (overdue), one got an extension
approved, and a low rating at the follow-up reopened a few.

Each submission has an unguessable-looking reference (``FK-`` and 10
characters) and an access code stored only as its argon2id hash. The demo
code is derived from the seed (:func:`demo_access_code`), so the tracking page
can be tried on the demo data; its hash is cheap (the codes are derivable
anyway) and salted deterministically, so the data set stays identical per seed.

A concern whose text names a danger (被打骂) was a danger disclosure: it is
``urgent``, linked to the mandatory report it became, out of the normal queue.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date

from argon2.low_level import Type, hash_secret

from hub.demo.clock import (
    LAST_EVENT_DAY,
    NOW_MS,
    WINDOW_START,
    day_between,
    day_ms,
    period_props,
)
from hub.demo.context import County
from hub.demo.ids import Phones
from hub.demo.names import surname
from hub.demo.rows import Props
from schema.core.workdays import add_working_days
from schema.oversight import feedback_codes as codes
from schema.oversight import feedback_workflow as wf
from schema.oversight.feedback_danger import danger_words_in, situation_of
from schema.oversight.feedback_rules import FeedbackRules

_KINDS = ("complaint", "suggestion", "concern", "praise")
_KIND_WEIGHTS = (30, 25, 25, 20)
_CONTENT = {
    "complaint": (
        "{name}工作人员多次联系不上，希望改进值班制度。",
        "反映{name}儿童主任走访流于形式，未真正入户了解情况。",
        "{name}活动室长期锁门，孩子们没有地方活动。",
    ),
    "suggestion": (
        "建议{name}在暑假期间多组织防溺水安全教育活动。",
        "建议{name}增加周末开放时间，方便家长带孩子参加活动。",
        "希望{name}能邀请心理老师为留守儿童开展团体辅导。",
    ),
    "concern": (
        "{name}有个孩子父母常年在外，最近经常独自在外游荡，请关注。",
        "{name}一户人家孩子似乎没有上学，希望核实一下。",
        "发现{name}附近有儿童疑似被打骂，请尽快了解情况。",
    ),
    "praise": (
        "感谢{name}对我家孩子的长期关心和帮助！",
        "{name}组织的四点半课堂很好，孩子作业有人辅导了。",
        "为{name}的儿童主任点赞，走访细致，解决了实际困难。",
    ),
}
_REPLIES = {
    "complaint": "您反映的问题已核实，已督促相关人员整改，感谢您的监督。",
    "suggestion": "感谢您的建议，我们已研究并将在后续工作中采纳落实。",
    "concern": "工作人员已上门核实情况并落实帮扶措施，感谢您的关心。",
    "praise": "感谢您的肯定，我们已将表扬转达相关工作人员。",
}
_STAGES = (
    wf.STAGE_ACCEPTED,
    wf.STAGE_ASSIGNED,
    wf.STAGE_HANDLED,
    wf.STAGE_REPLIED,
    wf.STAGE_FOLLOW_UP,
)
_STAGE_DELAY_HOURS = ((1, 20), (4, 48), (24, 240), (12, 96), (48, 168))
_NOTES = (
    "已受理，进入办理流程",
    "已转相关镇街办理",
    "已核实情况并处理",
    "已向反映人答复处理结果",
    "已电话回访",
)
#: Share of cases that stall after acceptance (they run past their deadline).
_STALL = 0.08
_EXTENSION_DAYS = 5
_RULES = FeedbackRules()
#: Demo hashes: argon2id at a token cost (the demo codes are derivable from the seed).
_DEMO_TIME_COST, _DEMO_MEMORY_KIB = 1, 64


def demo_access_code(seed: int, feedback_id: str) -> str:
    """The demo access code of a feedback: stable for a seed, different per feedback."""
    digest = hashlib.sha256(f"weibao-demo-feedback:{seed}:{feedback_id}".encode()).digest()
    return "".join(
        codes.ALPHABET[b % len(codes.ALPHABET)] for b in digest[: codes.ACCESS_CODE_CHARS]
    )


def _hash(seed: int, feedback_id: str, code: str) -> str:
    salt = hashlib.sha256(f"weibao-demo-feedback-salt:{seed}:{feedback_id}".encode()).digest()
    return hash_secret(
        code.encode(),
        salt[:16],
        time_cost=_DEMO_TIME_COST,
        memory_cost=_DEMO_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    ).decode()


@dataclass
class _Case:
    """One feedback's handling as it is generated: its props and steps so far."""

    id: str
    kind: str
    region: str
    station: str
    submitted_at: int
    props: Props = field(default_factory=dict)
    steps: int = 0


def build_feedback(county: County) -> None:
    """Feedback rows ABOUT a place or person, and their FeedbackStep rows ON them."""
    rng = county.rng("feedback")
    contacts = county.rng("feedback-contacts")
    phones = Phones(county.rng("feedback-phones"))
    b = county.builder
    refs: set[str] = set()
    subjects = _subjects(county)
    extended = False
    for n in range(1, county.targets.feedback + 1):
        kind = rng.choices(_KINDS, weights=_KIND_WEIGHTS)[0]
        subject_kind = rng.choices(
            ("Station", "Village", "Director", "Facility", "Town"), weights=(25, 30, 20, 10, 15)
        )[0]
        label, subject_id, name, region_code, station = rng.choice(subjects[subject_kind])
        day = day_between(rng, WINDOW_START, LAST_EVENT_DAY)
        submitted_at = day_ms(day, rng.randint(7, 22), rng.randint(0, 59))
        feedback_id = f"feedback-{county.code}-{n:04d}"
        content = rng.choice(_CONTENT[kind]).format(name=name)
        anonymous = rng.random() < 0.4
        props: Props = {
            "kind": kind,
            "content": content,
            "submittedAt": submitted_at,
            "trackingRef": _tracking_ref(rng, refs),
            "anonymous": anonymous,
            "regionCode": region_code,
            "subjectKind": label.lower(),
            "accessHash": _hash(
                county.seed, feedback_id, demo_access_code(county.seed, feedback_id)
            ),
            "round": 1,
            **period_props(submitted_at),
        }
        if not anonymous:
            props["contactName"] = surname(contacts) + contacts.choice(("先生", "女士"))
            props["contactPhone"] = phones.mobile()
        case = _Case(feedback_id, kind, region_code, station, submitted_at, props)
        _step(county, case, wf.STAGE_SUBMITTED, submitted_at, "public", None)
        found = danger_words_in(content, _RULES.danger_words)
        if found:
            _urgent(county, case, situation_of(found).value)
        else:
            props["urgent"] = False
            props["status"] = wf.SUBMITTED
            props["acceptDueDate"] = wf.accept_due(_RULES, kind, submitted_at).isoformat()
        stall = rng.random() < _STALL
        extended = (
            _handle(county, rng, case, stall=stall, extend=stall and not extended) or extended
        )
        b.node("Feedback", feedback_id, props, recorded_at=submitted_at)
        b.rel(("Feedback", "ABOUT", label), feedback_id, subject_id)
        if found:
            b.rel(("Feedback", "REPORTED_AS", "MandatoryReport"), feedback_id, _report_id(case))


def _report_id(case: _Case) -> str:
    return f"report-{case.id}"


def _urgent(county: County, case: _Case, situation: str) -> None:
    """A danger disclosure: its mandatory report (routed, acknowledged), out of the queue."""
    at = case.submitted_at
    props = case.props
    props.update(
        urgent=True,
        status=wf.REPORTED,
        acceptedAt=at,
        acceptedOnTime=True,
        replyDueDate=wf.reply_due(_RULES, case.kind, at).isoformat(),
    )
    _step(county, case, wf.STAGE_REPORTED, at + 1, "system", None)
    acknowledged = min(at + 40 * 60_000, NOW_MS)
    closed = at + 20 * 86_400_000
    report: Props = {
        "reportedAt": at,
        "situation": situation,
        "description": props["content"],
        "reporterRole": "public",
        "status": "closed" if closed <= NOW_MS else "acknowledged",
        "routedAt": at,
        "routedTo": ["police-liaison", "civil-affairs"],
        "dueAt": at + 3_600_000,
        "acknowledgedAt": acknowledged,
        "escalationLevel": 0,
        "villageCode": case.region,
        **period_props(at),
    }
    if closed <= NOW_MS:
        report["closedAt"] = closed
    county.builder.node("MandatoryReport", _report_id(case), report, recorded_at=at)


def _handle(county: County, rng: random.Random, case: _Case, *, stall: bool, extend: bool) -> bool:
    """The handling stages that have happened by now; whether an extension was granted."""
    center = f"{county.division.name}未成年人保护中心"
    actors = (center, center, case.station, center, center)
    props = case.props
    at = case.submitted_at
    extended = False
    for k, stage in enumerate(_STAGES):
        low, high = _STAGE_DELAY_HOURS[k]
        at += rng.randint(low, high) * 3_600_000
        if props["status"] == wf.REPORTED and stage in (wf.STAGE_ACCEPTED, wf.STAGE_ASSIGNED):
            continue  # accepted by the system on arrival, handled by those on duty
        if at > NOW_MS:
            return extended
        if stall and stage == wf.STAGE_HANDLED:
            if extend:
                extended = _extension(county, case, at)
            return extended
        rating = None
        if stage == wf.STAGE_FOLLOW_UP:
            good = case.kind in ("praise", "suggestion")
            rating = rng.choices(
                (1, 2, 3, 4, 5), weights=(2, 3, 10, 35, 50) if good else (8, 12, 25, 30, 25)
            )[0]
        _step(county, case, stage, at, actors[k], _NOTES[k], rating=rating)
        _apply(county, case, stage, at, actors[k], rating)
    return extended


def _apply(
    county: County, case: _Case, stage: str, at: int, actor: str, rating: int | None
) -> None:
    """What a stage changes on the feedback, as the handling mutations would."""
    props = case.props
    if stage == wf.STAGE_ACCEPTED:
        props.update(
            status=wf.ACCEPTED,
            acceptedAt=at,
            acceptedOnTime=wf.on_time(str(props["acceptDueDate"]), at),
            replyDueDate=wf.reply_due(_RULES, case.kind, at).isoformat(),
        )
    elif stage == wf.STAGE_ASSIGNED:
        props.update(status=wf.ASSIGNED, assignedTo=actor)
    elif stage == wf.STAGE_HANDLED:
        props.update(status=wf.HANDLED, handledAt=at)
    elif stage == wf.STAGE_REPLIED:
        props.update(
            status=wf.REPLIED,
            repliedAt=at,
            publicReply=_REPLIES[case.kind],
            repliedOnTime=wf.on_time(str(props["replyDueDate"]), at),
        )
    elif stage == wf.STAGE_FOLLOW_UP and rating is not None:
        props.update(rating=rating, ratedAt=at)
        if wf.rated_status(rating) == wf.REOPENED:
            props.update(
                status=wf.REOPENED,
                round=2,
                reopenedAt=at,
                replyDueDate=wf.reply_due(_RULES, case.kind, at).isoformat(),
            )
            props.pop("repliedAt")
            props.pop("repliedOnTime")
            if at + 1 <= NOW_MS:
                _step(county, case, wf.STAGE_REOPENED, at + 1, "system", None)
        else:
            props.update(status=wf.CLOSED, closedAt=at)


def _extension(county: County, case: _Case, at: int) -> bool:
    """A stalled case whose station asked for more time and the center approved it."""
    props = case.props
    if props.get("replyDueDate") is None or at + 3_600_000 > NOW_MS:
        return False
    station, center = case.station, f"{county.division.name}未成年人保护中心"
    _step(
        county,
        case,
        wf.STAGE_EXTENSION_ASKED,
        at,
        station,
        "涉及多个部门，需协调核实",
        days=_EXTENSION_DAYS,
    )
    _step(
        county,
        case,
        wf.STAGE_EXTENSION_APPROVED,
        at + 3_600_000,
        center,
        "同意延期",
        days=_EXTENSION_DAYS,
    )
    due = date.fromisoformat(str(props["replyDueDate"]))
    props.update(
        extensionStatus="approved",
        extensionDays=_EXTENSION_DAYS,
        extensionReason="涉及多个部门，需协调核实",
        extensionRequestedAt=at,
        extensionRequestedBy=station,
        extendedAt=at + 3_600_000,
        replyDueDate=add_working_days(due, _EXTENSION_DAYS).isoformat(),
    )
    return True


def _step(
    county: County,
    case: _Case,
    stage: str,
    at: int,
    actor: str,
    note: str | None,
    *,
    rating: int | None = None,
    days: int | None = None,
) -> None:
    case.steps += 1
    step_id = f"{case.id}-step-{case.steps}"
    # The demo's actors are offices: the center's staff or the town station's.
    role = actor if actor in ("public", "system") else "station_staff"
    if actor.endswith("未成年人保护中心"):
        role = "center_admin"
    props: Props = {"stage": stage, "at": at, "actorRole": role}
    if role not in ("public", "system"):
        props["actor"] = actor
    if note is not None:
        props["note"] = note
    if rating is not None:
        props["rating"] = rating
    if days is not None:
        props["days"] = days
    props["regionCode"] = case.region
    county.builder.node("FeedbackStep", step_id, props, recorded_at=at)
    county.builder.rel(("FeedbackStep", "ON", "Feedback"), step_id, case.id)


_Subject = tuple[str, str, str, str, str]


def _subjects(county: County) -> dict[str, list[_Subject]]:
    """Possible subjects per label: (label, id, display name, region code, handling station)."""
    station = {t.division.code: f"{t.division.name}未成年人保护工作站" for t in county.towns}
    return {
        "Station": [
            (
                "Station",
                t.station_id,
                f"{t.division.name}未保站",
                t.division.code,
                station[t.division.code],
            )
            for t in county.towns
        ],
        "Village": [
            ("Village", v.id, v.short_name, v.division.code, station[v.town.code])
            for v in county.villages
        ],
        "Director": [
            (
                "Director",
                d.id,
                d.village.short_name,
                d.village.division.code,
                station[d.village.town.code],
            )
            for d in county.directors
        ],
        "Facility": [
            ("Facility", f, f"{v.short_name}儿童之家", v.division.code, station[v.town.code])
            for v in county.villages
            for f in v.facility_ids[:1]
        ],
        "Town": [
            ("Town", t.id, t.division.name, t.division.code, station[t.division.code])
            for t in county.towns
        ],
    }


def _tracking_ref(rng: random.Random, taken: set[str]) -> str:
    """A reference like the hub's (``FK-`` and 10 characters), unique in the data set."""
    while True:
        ref = codes.PREFIX + "".join(
            rng.choice(codes.ALPHABET) for _ in range(codes.REFERENCE_CHARS)
        )
        if ref not in taken:
            taken.add(ref)
            return ref
