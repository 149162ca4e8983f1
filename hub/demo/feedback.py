"""Feedback from the public (complaints, suggestions, concerns, praise) and its handling.

Each feedback is about a station, village, director, facility or town, and
goes through the handling stages 受理 → 转办 → 办理 → 答复 → 回访; older
feedback has been through all of them (with a satisfaction rating at the
follow-up call), recent feedback only through the first few, as the portal's
tracking page would show.
"""

from __future__ import annotations

import random

from hub.demo.clock import (
    LAST_EVENT_DAY,
    NOW_MS,
    WINDOW_START,
    day_between,
    day_ms,
    period_props,
)
from hub.demo.context import County
from hub.demo.rows import Props

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
_STAGES = ("受理", "转办", "办理", "答复", "回访")
_STAGE_DELAY_HOURS = ((1, 20), (4, 48), (24, 240), (12, 96), (48, 168))
_TRACKING_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def build_feedback(county: County) -> None:
    """Feedback rows ABOUT a place or person, and their FeedbackStep rows ON them."""
    rng = county.rng("feedback")
    b = county.builder
    refs: set[str] = set()
    subjects = _subjects(county)
    for n in range(1, county.targets.feedback + 1):
        kind = rng.choices(_KINDS, weights=_KIND_WEIGHTS)[0]
        label, subject_id, name, region_code, station = rng.choice(
            subjects[
                rng.choices(
                    ("Station", "Village", "Director", "Facility", "Town"),
                    weights=(25, 30, 20, 10, 15),
                )[0]
            ]
        )
        day = day_between(rng, WINDOW_START, LAST_EVENT_DAY)
        submitted_at = day_ms(day, rng.randint(7, 22), rng.randint(0, 59))
        ref = _tracking_ref(rng, f"{day:%Y%m%d}{county.code[2:]}", refs)
        feedback_id = f"feedback-{county.code}-{n:04d}"
        b.node(
            "Feedback",
            feedback_id,
            {
                "kind": kind,
                "content": rng.choice(_CONTENT[kind]).format(name=name),
                "submittedAt": submitted_at,
                "trackingRef": ref,
                "anonymous": rng.random() < 0.4,
                "regionCode": region_code,
                **period_props(submitted_at),
            },
            recorded_at=submitted_at,
        )
        b.rel(("Feedback", "ABOUT", label), feedback_id, subject_id)
        _steps(county, rng, feedback_id, kind, submitted_at, station)


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


def _tracking_ref(rng: random.Random, stem: str, taken: set[str]) -> str:
    """A code the public can type: FK, date, county (unique across Shandong), 4 characters."""
    while True:
        ref = f"FK{stem}{''.join(rng.choice(_TRACKING_CHARS) for _ in range(4))}"
        if ref not in taken:
            taken.add(ref)
            return ref


def _steps(
    county: County,
    rng: random.Random,
    feedback_id: str,
    kind: str,
    submitted_at: int,
    station: str,
) -> None:
    b = county.builder
    center = f"{county.division.name}未成年人保护中心"
    actors = (center, center, station, center, center)
    notes = (
        "已受理，进入办理流程",
        "已转相关镇街办理",
        "已核实情况并处理",
        "已向反映人答复处理结果",
        "已电话回访",
    )
    at = submitted_at
    for k, stage in enumerate(_STAGES):
        low, high = _STAGE_DELAY_HOURS[k]
        at += rng.randint(low, high) * 3_600_000
        if at > NOW_MS:
            return
        props: Props = {"stage": stage, "at": at, "actor": actors[k], "note": notes[k]}
        if stage == "回访":
            good = kind in ("praise", "suggestion")
            props["rating"] = rng.choices(
                (1, 2, 3, 4, 5), weights=(2, 3, 10, 35, 50) if good else (8, 12, 25, 30, 25)
            )[0]
        step_id = f"{feedback_id}-step-{k + 1}"
        b.node("FeedbackStep", step_id, props, recorded_at=at)
        b.rel(("FeedbackStep", "ON", "Feedback"), step_id, feedback_id)
