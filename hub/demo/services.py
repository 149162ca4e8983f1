"""Services delivered to children (救助帮扶, 危机干预, 心理疏导…), counted in person-times.

The program reports 22,000 person-times of services; the demo's services add
up to exactly that (scaled elsewhere): values are drawn and the last one is
cut to the remainder. Children in the closest care get more services, crisis
intervention goes to children at risk, and a service is delivered by the
child's director or a member of the director's 1+X+N team, under a purchased
project for some (a few under two projects of the town, which reconciliation
must count once) and at the town's station for some. Each service records the
hours it took: the volunteers' and teams' service hours are summed from them.
Hours and second projects are drawn from a stream of their own, so the draws of
the first version of this generator stay as they were.
"""

from __future__ import annotations

from itertools import accumulate

from hub.demo.clock import LAST_EVENT_DAY, WINDOW_START, day_between, day_ms, period_props
from hub.demo.context import County

_KINDS = ("救助帮扶", "心理疏导", "政策链接", "转介", "学业辅导", "监护指导", "危机干预")
_KIND_WEIGHTS = (30, 20, 15, 8, 12, 8)
_CATEGORY_WEIGHT = {
    "事实无人抚养儿童": 3.0,
    "孤儿": 3.0,
    "困境儿童": 2.5,
    "疑似困境儿童": 1.5,
    "留守儿童": 1.0,
}
#: Hours a service of each kind takes (lowest, highest), in half hours.
_HOURS = {
    "救助帮扶": (1.0, 3.0),
    "心理疏导": (1.0, 2.0),
    "政策链接": (0.5, 2.0),
    "转介": (0.5, 1.5),
    "学业辅导": (1.5, 3.0),
    "监护指导": (1.0, 2.0),
    "危机干预": (2.0, 8.0),
}
#: Share of project services also linked to a second project of the town.
_TWO_PROJECTS = 0.04
_PERSON_TIMES = (1, 2, 3, 4, 5, 6, 8, 10)
_PERSON_TIMES_WEIGHTS = (30, 20, 15, 10, 8, 6, 6, 5)
_DESCRIPTIONS = {
    "救助帮扶": "发放生活物资并协助申请临时救助",
    "心理疏导": "开展一对一心理疏导，缓解焦虑情绪",
    "政策链接": "协助申请困境儿童基本生活保障",
    "转介": "转介至专业社会工作服务机构跟进",
    "学业辅导": "组织志愿者开展课后学业辅导",
    "监护指导": "对监护人开展家庭监护能力指导",
    "危机干预": "发现紧急情况后24小时内介入，联合派出所和学校开展危机干预",
}


def build_services(county: County) -> None:
    """Service rows summing to the county's person-times, with FOR, DELIVERED_BY, UNDER, AT."""
    rng = county.rng("services")
    extra = county.rng("service-hours")
    b = county.builder
    children = county.children
    cum = list(accumulate(_CATEGORY_WEIGHT[c.primary] for c in children))
    towns = {t.division.code: t for t in county.towns}
    remaining = county.targets.service_person_times
    n = 0
    while remaining > 0:
        child = rng.choices(children, cum_weights=cum)[0]
        if child.risk != "low" and rng.random() < 0.08:
            kind = "危机干预"
        else:
            kind = rng.choices(_KINDS[:-1], weights=_KIND_WEIGHTS)[0]
        person_times = min(remaining, rng.choices(_PERSON_TIMES, weights=_PERSON_TIMES_WEIGHTS)[0])
        remaining -= person_times
        n += 1
        service_id = f"service-{county.code}-{n:05d}"
        day = day_between(rng, max(WINDOW_START, child.enrolled), LAST_EVENT_DAY)
        delivered_at = day_ms(day, rng.randint(8, 17), rng.randint(0, 59))
        low, high = _HOURS[kind]
        b.node(
            "Service",
            service_id,
            {
                "kind": kind,
                "deliveredAt": delivered_at,
                "personTimes": person_times,
                "hours": extra.randint(int(low * 2), int(high * 2)) / 2,
                "description": _DESCRIPTIONS[kind],
                "villageCode": child.village.division.code,
                **period_props(delivered_at),
            },
            recorded_at=delivered_at + rng.randint(1, 8) * 3_600_000,
        )
        b.rel(("Service", "FOR", "Child"), service_id, child.id)
        director = child.director
        u = rng.random()
        if u < 0.3 and director.social_worker_ids:
            b.rel(
                ("Service", "DELIVERED_BY", "SocialWorker"),
                service_id,
                rng.choice(director.social_worker_ids),
            )
        elif u < 0.5 and director.volunteer_ids:
            b.rel(
                ("Service", "DELIVERED_BY", "Volunteer"),
                service_id,
                rng.choice(director.volunteer_ids),
            )
        else:
            b.rel(("Service", "DELIVERED_BY", "Director"), service_id, director.id)
        town = towns[child.village.town.code]
        if town.project_ids and rng.random() < 0.55:
            project = rng.choice(town.project_ids)
            b.rel(("Service", "UNDER", "Project"), service_id, project)
            others = [p for p in town.project_ids if p != project]
            if others and extra.random() < _TWO_PROJECTS:
                b.rel(("Service", "UNDER", "Project"), service_id, extra.choice(others))
        if rng.random() < 0.3:
            b.rel(("Service", "AT", "Station"), service_id, town.station_id)
