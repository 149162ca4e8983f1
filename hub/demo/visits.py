"""A year of visits (走访), with phone location and photos, and a few dubious ones.

Children in the closest care (de facto unsupported, orphans, suspected, high
risk) are due a visit every month, the others every quarter; each director
makes a share of the due visits given by their diligence, so visit coverage,
and with it the assessment, varies between directors. A director's visits of
one day are laid out one after another, so honest data never shows a director
in two places at once.

For the later plausibility check, the data holds a small number of dubious
visits: about 1 % recorded 3 km or more from the child's home, about 0.5 %
reusing a photo of another visit, and a few recorded too soon after the
previous visit, far away (impossible travel). They are not marked as such.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from hub.demo.clock import (
    LAST_EVENT_DAY,
    NOW_MS,
    QUARTERS,
    day_between,
    day_ms,
    months,
    period_props,
)
from hub.demo.context import ChildRec, County, VisitRec
from hub.demo.geo import away, near, rounded
from hub.demo.rows import Props
from schema.care.evidence import Fix, OtherVisit, PhotoFacts, Validity, assess, reason_texts

_MINUTE = 60_000
_FINDINGS = {
    "留守儿童": (
        "祖辈照料尚可，学习生活正常",
        "与外出父母每周视频联系，情绪稳定",
        "提醒监护人注意防溺水安全",
        "孩子学习成绩有所下降，已联系班主任",
    ),
    "困境儿童": (
        "家庭经济困难，已协助申请临时救助",
        "孩子按时复诊，身体状况稳定",
        "生活照料基本到位",
        "建议链接助学政策",
    ),
    "事实无人抚养儿童": (
        "基本生活补贴按月发放到位",
        "受委托照料人照料尽责",
        "孩子情绪低落，已转介心理疏导",
        "居住环境较差，建议改善",
    ),
    "孤儿": (
        "孤儿基本生活费发放到位",
        "亲属照料良好，孩子性格开朗",
        "已协助办理医疗救助手续",
        "学习用品短缺，已链接爱心资源",
    ),
    "疑似困境儿童": (
        "核实家庭情况，监护人外出务工",
        "家庭经济状况待进一步核实",
        "监护人失联情况属实，建议纳入保障",
        "未发现明显困境，继续观察",
    ),
}
_RISK_OBSERVATIONS = (
    "监护人照料不到位",
    "情绪异常",
    "疑似营养不良",
    "居住环境存在安全隐患",
    "长期缺课",
)


def due_periods(child: ChildRec) -> list[tuple[date, date]]:
    """The periods in which ``child`` is due one visit: months or quarters, from enrolment.

    The assessment counts expected visits with the same periods, so coverage
    is measured against exactly what the generator aimed at.
    """
    if child.monthly:
        spans = []
        for year, month in months():
            start = date(year, month, 1)
            end = date(year + (month == 12), month % 12 + 1, 1)
            spans.append((start, date.fromordinal(end.toordinal() - 1)))
    else:
        spans = [(q.start, q.end) for q in QUARTERS]
    out = []
    for start, end in spans:
        end = min(end, LAST_EVENT_DAY)
        start = max(start, child.enrolled)
        if start <= end:
            out.append((start, end))
    return out


def build_visits(county: County) -> None:
    """Draw, schedule, spoil a few, and emit Visit rows with OF and BY relationships."""
    rng = county.rng("visits")
    planned: dict[str, list[tuple[date, ChildRec]]] = defaultdict(list)
    for child in county.children:
        director = child.director
        for start, end in due_periods(child):
            if rng.random() < director.diligence:
                planned[director.id].append((day_between(rng, start, end), child))
                if child.risk == "high" and rng.random() < 0.05:
                    planned[director.id].append((day_between(rng, start, end), child))
    visits: list[VisitRec] = []
    for director in county.directors:
        visits.extend(_schedule(county, rng, planned.get(director.id, [])))
    for n, visit in enumerate(visits, start=1):
        visit.id = f"visit-{county.code}-{n:06d}"
    _spoil(county, county.rng("dubious-visits"), visits)
    county.visits = visits
    _emit(county, rng, visits)


def _schedule(
    county: County, rng: random.Random, plan: list[tuple[date, ChildRec]]
) -> list[VisitRec]:
    """One director's visits, laid out back to back within each day."""
    by_day: dict[date, list[ChildRec]] = defaultdict(list)
    for day, child in plan:
        by_day[day].append(child)
    out = []
    for day in sorted(by_day):
        clock = day_ms(day, 8) + rng.randint(30, 90) * _MINUTE
        children = sorted(by_day[day], key=lambda c: c.id)
        rng.shuffle(children)
        for child in children:
            phone = rng.random() < 0.07
            minutes = rng.randint(5, 15) if phone else rng.randint(20, 75)
            started = clock
            ended = started + minutes * _MINUTE
            clock = ended + rng.randint(10, 40) * _MINUTE
            photos = [] if phone else [_photo(rng) for _ in range(rng.randint(1, 3))]
            point = None if phone else rounded(near(rng, child.home, 15, county.frame))
            out.append(
                VisitRec(
                    id="",
                    child=child,
                    director=child.director,
                    day=day,
                    started_at=started,
                    ended_at=ended,
                    point=point,
                    accuracy=rng.randint(5, 35),
                    photos=photos,
                    mode="phone" if phone else "home",
                )
            )
    return out


def _photo(rng: random.Random) -> str:
    return f"sha256:{rng.getrandbits(256):064x}"


def _spoil(county: County, rng: random.Random, visits: list[VisitRec]) -> None:
    """Make a few visits dubious: impossible travel, far from home, reused photos."""
    by_director: dict[str, list[VisitRec]] = defaultdict(list)
    for visit in visits:
        by_director[visit.director.id].append(visit)
    # Impossible travel: the last visit of a busy day, recorded minutes after the previous
    # one but 25 km or more away from it.
    pairs = []
    for mine in by_director.values():
        for i in range(1, len(mine)):
            first, second = mine[i - 1], mine[i]
            last_of_day = i == len(mine) - 1 or mine[i + 1].day != second.day
            if first.day == second.day and last_of_day and first.point and second.point:
                pairs.append((first, second))
    spoiled: set[str] = set()
    for first, second in rng.sample(pairs, k=min(county.targets.impossible_travel, len(pairs))):
        assert first.point is not None
        duration = second.ended_at - second.started_at
        second.started_at = first.ended_at + rng.randint(5, 12) * _MINUTE
        second.ended_at = second.started_at + duration
        second.point = rounded(away(rng, first.point, 25_000, 35_000, county.frame))
        spoiled.add(second.id)
    at_home = [v for v in visits if v.point is not None and v.id not in spoiled]
    for visit in rng.sample(at_home, k=round(0.01 * len(at_home))):
        visit.point = rounded(away(rng, visit.child.home, 3_200, 8_000, county.frame))
        spoiled.add(visit.id)
    candidates = [v for v in at_home if v.id not in spoiled]
    for visit in rng.sample(candidates, k=round(0.005 * len(candidates))):
        same = by_director[visit.director.id]
        donors = [v for v in same if v.photos and v is not visit] or [
            v for v in at_home if v is not visit
        ]
        visit.photos[0] = rng.choice(rng.choice(donors).photos)


def _validities(visits: list[VisitRec]) -> dict[str, Validity]:
    """The evidence checks as ``recordVisit`` runs them, over the whole year at once.

    The demo's photos are references, not pictures: a photo's hash stands for
    its perceptual hash, and its EXIF time and place are the visit's own. A
    photo seen in an earlier visit counts as reused for the later one only, as
    it would have been found when the later one was recorded. Visits come from
    the platform, not live, so the clock check does not apply.
    """
    ordered = sorted(visits, key=lambda v: (v.started_at, v.id))
    first_use: dict[str, str] = {}
    reused: dict[str, dict[str, str]] = defaultdict(dict)
    for visit in ordered:
        for ref in visit.photos:
            earlier = first_use.setdefault(ref, visit.id)
            if earlier != visit.id:
                reused[visit.id][ref.removeprefix("sha256:")] = earlier
    by_director: dict[str, list[VisitRec]] = defaultdict(list)
    for visit in ordered:
        if visit.point is not None:
            by_director[visit.director.id].append(visit)
    neighbours: dict[str, tuple[OtherVisit | None, OtherVisit | None]] = {}
    for mine in by_director.values():
        others = [
            OtherVisit(v.id, v.started_at, v.ended_at, v.point.lat, v.point.lng)
            for v in mine
            if v.point
        ]
        for i, visit in enumerate(mine):
            before = others[i - 1] if i > 0 else None
            after = others[i + 1] if i + 1 < len(others) else None
            neighbours[visit.id] = (before, after)
    out: dict[str, Validity] = {}
    for visit in visits:
        point = visit.point
        fix = None if point is None else Fix(point.lat, point.lng, visit.accuracy, None)
        photos = [
            PhotoFacts(
                ref.removeprefix("sha256:"),
                int(ref.removeprefix("sha256:")[:16], 16),
                visit.started_at + 5 * _MINUTE,
                point.lat if point else None,
                point.lng if point else None,
            )
            for ref in visit.photos
        ]
        before, after = neighbours.get(visit.id, (None, None))
        out[visit.id] = assess(
            started_at_ms=visit.started_at,
            ended_at_ms=visit.ended_at,
            fix=fix,
            home=(visit.child.home.lat, visit.child.home.lng),
            server_time_ms=None,
            photos=photos,
            reused=reused.get(visit.id, {}),
            previous=before,
            following=after,
            remote=visit.mode == "phone",
        )
    return out


def _emit(county: County, rng: random.Random, visits: list[VisitRec]) -> None:
    b = county.builder
    validities = _validities(visits)
    for visit in visits:
        validity = validities[visit.id]
        child = visit.child
        findings = rng.choice(_FINDINGS[child.primary])
        observations = (
            [rng.choice(_RISK_OBSERVATIONS)] if child.risk == "high" and rng.random() < 0.3 else []
        )
        props: Props = {
            "startedAt": visit.started_at,
            "endedAt": visit.ended_at,
            "deviceTime": visit.started_at + rng.randint(-90, 90) * 1000,
            "photos": visit.photos,
            "mode": visit.mode,
            "findings": findings,
            "riskObservations": observations,
            "villageCode": child.village.division.code,
            **period_props(visit.started_at),
            "validityScore": validity.score,
            "flagged": validity.flagged,
            "validityReasons": reason_texts(validity),
            "checkedAt": NOW_MS,
        }
        if visit.point is not None:
            props["lat"] = visit.point.lat
            props["lng"] = visit.point.lng
            props["accuracy"] = visit.accuracy
        recorded = min(visit.ended_at + rng.randint(1, 30) * _MINUTE, NOW_MS)
        b.node("Visit", visit.id, props, recorded_at=recorded)
        b.rel(("Visit", "OF", "Child"), visit.id, child.id)
        b.rel(("Visit", "BY", "Director"), visit.id, visit.director.id)
