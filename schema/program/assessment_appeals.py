"""Appeals of assessments: filed by the person assessed, decided by a center admin.

An appeal is an event (``AssessmentAppeal``, ``OF`` the assessment). Its
decision is the appeal's next version (outcome, note, who, when), written in
the same statement as, for an upheld appeal, the assessment's corrected
version: either both are recorded or neither.

An upheld appeal either sets a new total (``newTotal``) or, without one, has
the assessment recomputed from the data as it stands now (over the same days).
A new total is reached by moving the total's heaviest part (a director's visit
effectiveness), so the corrected version's total still equals its weights
applied to its parts; its tier and money follow from the formula. The corrected
version keeps the inputs hash (of the data it was counted from), so a rerun of
the period on unchanged data does not undo the decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from graph import GraphStore
from graph.queries import assessment as q
from schema.access.principal import Principal, Role
from schema.care.common import plain_text
from schema.errors import BadArgument, Forbidden
from schema.program.assessment_engine import correction_props, score_one
from schema.program.assessment_facts import Period, Subject
from schema.program.assessment_formula import FormulaError, load_formula, tier_of
from schema.program.assessment_score import Part, Score, fmt, weighted

PENDING, DECIDED = "pending", "decided"
UPHELD, REJECTED = "upheld", "rejected"
MIN_REASON = 10
MAX_TEXT = 1000


def _actor(principal: Principal) -> str:
    return f"{principal.role.value}:{principal.name}"


async def file_appeal(
    store: GraphStore, principal: Principal, assessment: str, reason: str, now: int
) -> str:
    """Record an appeal of ``assessment`` by the person it assesses; the appeal's id."""
    if principal.kind != "user" or principal.role not in (Role.DIRECTOR, Role.SUPERVISOR):
        raise Forbidden("appealing an assessment: only the director or supervisor assessed may")
    rows = await store.read(q.ONE, {"id": assessment})
    if not rows:
        raise BadArgument("no such assessment")
    row = rows[0]
    if principal.person_id is None or row["subjectId"] != principal.person_id:
        raise Forbidden("appealing an assessment: only the person assessed may")
    if row["supersededAt"] is not None:
        raise BadArgument("this version of the assessment was superseded; appeal the current one")
    if int(row["pending"]):
        raise BadArgument("an appeal of this assessment is waiting for its decision")
    text = plain_text(reason, "reason", minimum=MIN_REASON, maximum=MAX_TEXT)
    key = f"appeal-{uuid.uuid4().hex}"
    props = {
        "reason": text,
        "status": PENDING,
        "appealedAt": now,
        "appellantId": principal.person_id,
        "appellantUser": principal.subject,
        "assessmentId": assessment,
        "period": row["period"],
        "regionCode": row["regionCode"],
        "recordId": key,
        "version": 1,
        "recordedAt": now,
        "source": "hub",
        "sourceKey": key,
        "seenAt": now,
    }
    written, _ = await store.write(
        q.FILE_APPEAL, {"assessmentId": assessment, "id": key, "props": props}
    )
    if not written:
        raise BadArgument("the assessment changed or was appealed meanwhile; reload it")
    return key


async def decide_appeal(
    store: GraphStore,
    principal: Principal,
    appeal: str,
    outcome: str,
    note: str,
    new_total: float | None,
    now: int,
) -> str:
    """Record a center admin's decision; the decided appeal's id."""
    if principal.kind != "user" or principal.role is not Role.CENTER_ADMIN:
        raise Forbidden("deciding an appeal: only a center admin may")
    rows = await store.read(q.APPEAL, {"id": appeal})
    if not rows:
        raise BadArgument("no such appeal")
    row = rows[0]
    if not principal.covers(row["regionCode"]):
        raise Forbidden(f"deciding an appeal: {row['regionCode']} is outside your regions")
    if principal.subject == row["appellantUser"] or (
        principal.person_id is not None and principal.person_id == row["appellantId"]
    ):
        raise Forbidden("deciding an appeal: not the appeal of the person deciding it")
    if row["appealStatus"] != PENDING or row["appealSupersededAt"] is not None:
        raise BadArgument("this appeal was decided already")
    text = plain_text(note, "note", minimum=2, maximum=MAX_TEXT)
    if outcome == REJECTED and new_total is not None:
        raise BadArgument("`newTotal` goes with an upheld appeal only")
    corrections: list[dict[str, Any]] = []
    corrected = None
    if outcome == UPHELD:
        if row["supersededAt"] is not None:
            raise BadArgument(
                "the assessment was recomputed since the appeal; decide on the current version "
                "(reject this appeal, the director may appeal again)"
            )
        score = await _upheld(store, row, appeal, text, new_total)
        corrected = f"{row['recordId'] or row['id']}-v{int(row['version'] or 1) + 1}"
        corrections.append({"newId": corrected, "props": correction_props(score, corrected, now)})
    new_id = f"{appeal}-decided"
    props: dict[str, Any] = {
        "reason": row["reason"],
        "status": DECIDED,
        "outcome": outcome,
        "note": text,
        "appealedAt": row["appealedAt"],
        "decidedAt": now,
        "decidedBy": _actor(principal),
        "appellantId": row["appellantId"],
        "appellantUser": row["appellantUser"],
        "assessmentId": row["id"],
        "period": row["period"],
        "regionCode": row["regionCode"],
        "source": "hub",
        "sourceKey": new_id,
        "seenAt": now,
    }
    if new_total is not None:
        props["newTotal"] = new_total
    if corrected is not None:
        props["correctedId"] = corrected
    written, _ = await store.write(
        q.DECIDE,
        {
            "appealId": appeal,
            "newId": new_id,
            "props": props,
            "corrections": corrections,
            "at": now,
        },
    )
    if not written:
        raise BadArgument("the appeal or its assessment changed meanwhile; reload it")
    return new_id


def period_of_row(row: dict[str, Any]) -> Period:
    """The period an assessment counted (its ``through`` day included)."""
    through = dt.date.fromisoformat(str(row["throughDate"]))
    return Period.of(str(row["period"]), through + dt.timedelta(days=1))


async def _upheld(
    store: GraphStore, row: dict[str, Any], appeal: str, note: str, new_total: float | None
) -> Score:
    try:
        formula = load_formula(str(row["formulaVersion"]))
    except FormulaError as exc:
        raise BadArgument(str(exc)) from None
    period = period_of_row(row)
    if new_total is None:
        # The appeal pointed at data that was missing or wrong: count it again as it is now.
        region = str(row["regionCode"] or "")[:9]
        score = await score_one(store, str(row["subjectId"]), period, formula, region)
        if score is None:
            raise BadArgument("that person is no longer assessed; give `newTotal` instead")
        # Its hash is of the data it was counted from: a rerun on that data keeps it.
        return dataclasses.replace(
            score,
            appeal_id=appeal,
            summary=f"{score.summary}\n申诉维持（{appeal}），按现有数据重新计算：{note}",
        )
    return adjusted(row, new_total, appeal, note)


def adjusted(row: dict[str, Any], new_total: float, appeal: str, note: str) -> Score:
    """The assessment of ``row`` with its total moved to ``new_total`` by its heaviest part."""
    if not 0 <= new_total <= 100:
        raise BadArgument("`newTotal` is a score from 0 to 100")
    formula = load_formula(str(row["formulaVersion"]))
    kind = str(row["subject"] or "director")
    keys = list(row["partKeys"] or [])
    weights = [float(w) for w in row["partWeights"] or []]
    scores = [float(s) for s in row["partScores"] or []]
    lines = [str(x) for x in row["parts"] or []]
    top = [i for i, k in enumerate(keys) if "." not in k]
    if not top:
        raise BadArgument("this assessment has no parts to correct")
    heaviest = max(top, key=lambda i: (weights[i], i))
    others = sum(weights[i] * scores[i] for i in top if i != heaviest)
    wanted = (new_total - others) / weights[heaviest]
    if not -1e-9 <= wanted <= 100 + 1e-9:
        low = others
        high = others + weights[heaviest] * 100
        raise BadArgument(
            f"`newTotal` must lie between {fmt(low)} and {fmt(high)}: it is reached by "
            f"correcting {keys[heaviest]} (the other parts stand)"
        )
    top_scores = [scores[i] for i in top]
    at = top.index(heaviest)
    top_scores[at] = round(min(100.0, max(0.0, wanted)), 2)
    moved, total = weighted([weights[i] for i in top], top_scores, prefer=at)
    for i, value in zip(top, moved, strict=True):
        if value != scores[i]:
            lines[i] += f"；申诉维持，由{fmt(scores[i])}分调整为{fmt(value)}分"
            scores[i] = value
    tiers = formula.director.tiers if kind == "director" else formula.supervisor.tiers
    tier = tier_of(tiers, total)
    vocational = int(row["vocationalAllowance"] or 0)
    period = period_of_row(row)
    money = f"季度津贴{tier.allowance}元"
    if vocational:
        money += f"，持证职业津贴{vocational}元"
    if kind == "director":
        money += f"，村（居）委会绩效奖励{tier.bonus}元"
    shown = period.code if period.complete else f"{period.code}（截至{period.through}）"
    summary = (
        f"{shown}（公式{formula.version}）：申诉维持（{appeal}），总分由{fmt(float(row['total']))}"
        f"分调整为{fmt(total)}分，评定{tier.name}档；{money}。理由：{note}"
    )
    return Score(
        subject=Subject(
            id=str(row["subjectId"]),
            kind=kind,
            name=str(row["subjectName"] or ""),
            region_code=str(row["regionCode"] or ""),
            village_name=str(row["villageName"] or ""),
            town_name=str(row["townName"] or ""),
        ),
        period=period,
        formula_version=formula.version,
        parts=tuple(
            Part(k, w, s, line) for k, w, s, line in zip(keys, weights, scores, lines, strict=True)
        ),
        total=total,
        tier=tier.name,
        allowance=tier.allowance,
        vocational=vocational,
        bonus=tier.bonus if kind == "director" else 0,
        inputs_hash=str(row["inputsHash"] or ""),
        summary=summary,
        appeal_id=appeal,
    )
