"""Queries of training and exams: the question bank, the rotation's due list and its
statistics, exam results' statistics.

``trainingDue`` lists, per required topic, the directors not re-trained on it within
the cycle (轮训): never trained on it, or last trained a cycle ago or more. Its rows
are training records, so it follows their rules: a director sees only themself, staff
and supervisors their regions, center admins theirs; statistics-only readers read
``trainingDueStats`` (counts, small ones withheld) instead.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from graph.queries import training as q
from schema.access.policy import Access
from schema.context import Info
from schema.core.fields import check_region, list_field
from schema.errors import BadArgument
from schema.program.training_record import may_read_record, rules, today
from schema.program.training_rules import TopicDue, TrainingRules, rotation
from schema.program.training_types import TopicDueCount, TrainingDue, TrainingDuePage
from schema.stats.queries import stats_field

TYPES = "schema.program.training_types"
MAX_PAGE = 100


def _regions(access: Access, in_region: str | None) -> list[str] | None:
    """The division codes whose directors the reader may list, narrowed to ``in_region``
    (None: everywhere; a director's own row is checked per row)."""
    if access.rules.scope != "regions":
        return None if in_region is None else [in_region]
    mine = list(access.principal.regions)
    if in_region is None:
        return mine
    if access.principal.covers(in_region):
        return [in_region]
    return [r for r in mine if r.startswith(in_region)]


async def _overdue(
    info: Info, in_region: str | None, topic: str | None
) -> tuple[list[tuple[dict[str, object], TopicDue]], int, TrainingRules]:
    """(director row, topic state) of every overdue pair in scope; and the directors seen."""
    access = info.context.access
    ruleset = rules(info)
    if topic is not None and topic not in ruleset.keys:
        raise BadArgument(f"`topic` is one of the required topics: {', '.join(ruleset.keys)}")
    regions = _regions(access, check_region(in_region))
    if regions == []:
        return [], 0, ruleset
    # A director's list holds their own rows only.
    own = (access.principal.person_id or "-") if access.rules.scope == "care" else None
    rows = await info.context.store.read(
        q.TRAINED, {"regions": regions, "directorId": own, "topics": list(ruleset.names)}
    )
    day = today(info)
    out = []
    seen = 0
    for row in rows:
        if not may_read_record(access, str(row["id"]), row["villageCode"]):
            continue
        seen += 1
        pairs = zip(row["topics"], row["dates"], strict=True)
        for state in rotation(((str(t), str(d)) for t, d in pairs), day, ruleset):
            if state.overdue and (topic is None or state.topic == topic):
                out.append((row, state))
    return out, seen, ruleset


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"due:{offset}".encode()).decode()


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after.encode()).decode()
        kind, _, number = text.partition(":")
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset = -1
        kind = ""
    if kind != "due" or offset < 0:
        raise BadArgument("`after` is not a cursor of this list")
    return offset


@strawberry.type
class TrainingQueries:
    questions = list_field("Question", "Question", TYPES, "The question bank (题库): staff only")
    exam_result_stats = stats_field(
        "ExamResult", "ExamResult", "Exam results by topic or town (counts only)"
    )

    @strawberry.field(
        description="Directors overdue on a required topic of the rotation (轮训): never "
        "trained on it, or not within the cycle. Never-trained first, then by village."
    )
    async def training_due(
        self,
        info: Info,
        in_region: str | None = None,
        topic: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> TrainingDuePage:
        if not 0 <= first <= MAX_PAGE:
            raise BadArgument(f"`first` is 0 to {MAX_PAGE}")
        start = _offset(after)
        pairs, _, _ = await _overdue(info, in_region, topic)
        # Never trained on the topic first; then the longest overdue.
        pairs.sort(
            key=lambda p: (
                p[1].last_trained is not None,
                p[1].last_trained.toordinal() if p[1].last_trained else 0,
                str(p[0]["villageCode"]),
                str(p[0]["id"]),
                p[1].topic,
            )
        )
        page = pairs[start : start + first]
        items = [
            TrainingDue(
                director_key=str(row["id"]),
                director_name=None if row["name"] is None else str(row["name"]),
                village_code=None if row["villageCode"] is None else str(row["villageCode"]),
                topic=state.topic,
                last_trained=state.last_trained,
                due_on=state.due_on,
            )
            for row, state in page
        ]
        end = start + len(page)
        return TrainingDuePage(
            total_count=len(pairs),
            items=items,
            has_next_page=end < len(pairs),
            end_cursor=_cursor(end) if page else None,
        )

    @strawberry.field(
        description="How many directors are overdue on each required topic of the rotation "
        "(statistics: counts under 5 withheld from statistics-only readers)."
    )
    async def training_due_stats(
        self, info: Info, in_region: str | None = None
    ) -> list[TopicDueCount]:
        access = info.context.access
        access.require_aggregates("ExamResult", "`trainingDueStats`")
        pairs, seen, ruleset = await _statistics(info, in_region)
        counts = {key: 0 for key in ruleset.keys}
        for _, state in pairs:
            counts[state.topic] += 1
        out = []
        for key in ruleset.keys:
            hidden = access.suppress(counts[key]) or access.suppress(seen)
            out.append(
                TopicDueCount(
                    topic=key,
                    overdue=None if hidden else counts[key],
                    directors=None if access.suppress(seen) else seen,
                    suppressed=hidden,
                )
            )
        return out


async def _statistics(
    info: Info, in_region: str | None
) -> tuple[list[tuple[dict[str, object], TopicDue]], int, TrainingRules]:
    """The due list as statistics read it: the reader's regions, not record rights."""
    access = info.context.access
    if access.rules.scope == "care" or access.can_read("ExamResult"):
        return await _overdue(info, in_region, None)
    # Statistics-only readers (commissioners, the public): counts over their regions.
    ruleset = rules(info)
    regions = _regions(access, check_region(in_region))
    if regions == []:
        return [], 0, ruleset
    rows = await info.context.store.read(
        q.TRAINED, {"regions": regions, "directorId": None, "topics": list(ruleset.names)}
    )
    day = today(info)
    out = []
    for row in rows:
        pairs = zip(row["topics"], row["dates"], strict=True)
        for state in rotation(((str(t), str(d)) for t, d in pairs), day, ruleset):
            if state.overdue:
                out.append((row, state))
    return out, len(rows), ruleset
