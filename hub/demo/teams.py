"""Social organisations, purchased service projects and the "1+X+N" volunteer teams.

Each director leads a team (the 1) with professionals from the town's pool
(the X: social workers, psychologists, lawyers, who serve several teams and
work for an organisation) and volunteers of their own (the N). Projects bought
from social organisations cover some towns and enrol directors as project
volunteers; every town is covered by at least one project.

Volunteers declare skills and weekly availability and have background checks
(从业禁止/性侵害违法犯罪信息查询): most passed, a few pending, a few flagged
(those left their team), and some passed checks older than a year that were
never renewed (expired: never matched with a child). What came later than the
first version of this generator (availability, checks, person-times targets)
is drawn from streams of its own, so the earlier draws, and everything built
from them, stay as they were.
"""

from __future__ import annotations

import random
from datetime import date

from hub.demo.clock import LAST_EVENT_DAY, TODAY, add_days, day_between, day_ms, iso
from hub.demo.context import County, TownRec
from hub.demo.geo import near, rounded
from hub.demo.ids import credit_code
from hub.demo.names import LAW_WORDS, ORG_WORDS
from hub.demo.people import make_person
from hub.demo.rows import Props

_PROJECT_THEMES = (
    "困境儿童关爱保护服务",
    "留守儿童关爱服务",
    "儿童主任能力提升",
    "未成年人心理健康服务",
    "事实无人抚养儿童精准帮扶",
    "未成年人保护工作站社会工作服务",
    "儿童之家运营服务",
    "家庭监护能力提升",
)
_PROFESSIONS = ("社会工作者", "心理咨询师", "律师")
_QUALIFICATIONS = {
    "社会工作者": ("助理社会工作师", "社会工作师", "高级社会工作师"),
    "心理咨询师": ("心理咨询师（三级）", "心理咨询师（二级）"),
    "律师": ("律师执业证",),
}
_SKILLS = (
    "学业辅导",
    "心理陪伴",
    "文体活动",
    "法律咨询",
    "医疗健康",
    "家政帮扶",
    "安全教育",
    "手工艺",
    "摄影记录",
)
_ROADS = ("善国路", "学院路", "荆河路", "龙泉路", "塔寺路", "杏坛路", "平行路", "北辛路")
#: Team roles of the professions (the X of 1+X+N).
_ROLES = {"社会工作者": "social_worker", "心理咨询师": "psychologist", "律师": "lawyer"}
#: Weekly slots volunteers offer (China Standard Time): evenings and weekends mostly.
_SLOTS = (
    "mon 19:00-21:00",
    "tue 19:00-21:00",
    "wed 19:00-21:00",
    "thu 19:00-21:00",
    "fri 19:00-21:00",
    "sat 09:00-12:00",
    "sat 14:00-17:00",
    "sun 09:00-12:00",
    "sun 14:00-17:00",
)
#: Who queries the records for the program (the center, with the public security organs).
_CHECKED_BY = "滕州市未成年人保护中心"


def build_teams(county: County) -> None:
    """Organizations, Projects, SocialWorkers, VolunteerTeams and Volunteers."""
    rng = county.rng("teams")
    _organizations(county, rng)
    _projects(county, rng, county.rng("project-targets"))
    _members(county, rng, county.rng("volunteer-vetting"))


def _org(
    county: County, rng: random.Random, org_id: str, name: str, kind: str, authority: str, body: str
) -> str:
    county.builder.node(
        "Organization",
        org_id,
        {
            "name": name,
            "kind": kind,
            "creditCode": credit_code(rng, authority, body, county.code),
            "phone": county.phones.landline(county.area_code),
            "address": f"{county.address_prefix}{rng.choice(_ROADS)}{rng.randint(1, 399)}号",
        },
    )
    return org_id


def _organizations(county: County, rng: random.Random) -> None:
    """Social-work bodies run the projects; a counselling centre and law firms employ the X."""
    name = county.division.name
    count = min(county.targets.organizations, len(ORG_WORDS) - 1)
    words = rng.sample(ORG_WORDS, k=count + 1)
    specs = [(f"{name}{w}社会工作服务中心", "社会工作服务机构", "5", "2") for w in words[:count]]
    specs.append((f"{name}{words[count]}心理咨询中心", "心理咨询机构", "5", "2"))
    specs.extend(
        (f"山东{w}律师事务所（{name}）", "律师事务所", "3", "1") for w in rng.sample(LAW_WORDS, k=2)
    )
    for n, (org_name, kind, authority, body) in enumerate(specs, start=1):
        org_id = _org(county, rng, f"org-{county.code}-{n:02d}", org_name, kind, authority, body)
        if kind == "律师事务所":
            county.law_firm_ids.append(org_id)
        elif kind == "心理咨询机构":
            county.counselling_org_ids.append(org_id)
        else:
            county.social_org_ids.append(org_id)


def _projects(county: County, rng: random.Random, targets: random.Random) -> None:
    b = county.builder
    towns = county.towns
    count = county.targets.projects
    covers: list[list[TownRec]] = [
        rng.sample(towns, k=min(len(towns), rng.randint(3, 8))) for _ in range(count)
    ]
    for town in towns:
        if not any(town in c for c in covers):
            rng.choice(covers).append(town)
    themes = rng.sample(_PROJECT_THEMES, k=min(count, len(_PROJECT_THEMES)))
    for n in range(count):
        project_id = f"project-{county.code}-{n + 1:02d}"
        theme = themes[n % len(themes)]
        suffix = "" if n < len(themes) else f"（{n // len(themes) + 1}期）"
        start = rng.choice((date(2025, 12, 1), date(2026, 1, 1), date(2026, 3, 1)))
        b.node(
            "Project",
            project_id,
            {
                "name": f"2026年{county.division.name}{theme}项目{suffix}",
                "budget": rng.randrange(200_000, 1_200_001, 10_000),
                "startDate": iso(start),
                "endDate": iso(add_days(date(start.year + 1, start.month, 1), -1)),
                "targetServices": rng.randrange(1500, 6001, 100),
                "targetChildren": rng.randrange(300, 1501, 50),
                "targetPersonTimes": targets.randrange(1000, 4001, 100),
                "status": "in_progress",
            },
        )
        org_id = county.social_org_ids[n % len(county.social_org_ids)]
        b.rel(("Project", "RUN_BY", "Organization"), project_id, org_id)
        for town in sorted(covers[n], key=lambda t: t.division.code):
            b.rel(("Project", "COVERS", "Town"), project_id, town.id)
            town.project_ids.append(project_id)
    by_code = {t.division.code: t for t in towns}
    for director in county.directors:
        town = by_code[director.village.town.code]
        if town.project_ids and rng.random() < 0.6:
            b.rel(("Project", "ENROLS", "Director"), rng.choice(town.project_ids), director.id)


def _members(county: County, rng: random.Random, vetting: random.Random) -> None:
    b = county.builder
    brand = "“心滕你”" if county.code == "370481" else ""
    sw_n = 0
    volunteer_n = 0
    professions: dict[str, str] = {}
    for town in county.towns:
        pool: list[str] = []
        for _ in range(max(2, round(len(town.director_ids) / 12))):
            sw_n += 1
            profession = rng.choices(_PROFESSIONS, weights=(70, 20, 10))[0]
            person = make_person(county, rng, ages=(24, 55), female_share=0.65)
            sw_id = f"socialworker-{county.code}-{sw_n:04d}"
            b.node(
                "SocialWorker",
                sw_id,
                {
                    "name": person.name,
                    "gender": person.gender,
                    "phone": person.phone,
                    "profession": profession,
                    "qualification": rng.choice(_QUALIFICATIONS[profession]),
                },
            )
            employers = {
                "社会工作者": county.social_org_ids,
                "心理咨询师": county.counselling_org_ids,
                "律师": county.law_firm_ids,
            }[profession]
            b.rel(("SocialWorker", "WORKS_FOR", "Organization"), sw_id, rng.choice(employers))
            pool.append(sw_id)
            professions[sw_id] = profession
        town_directors = [d for d in county.directors if d.village.town.code == town.division.code]
        for director in town_directors:
            village = director.village
            team_id = f"team-{director.id.removeprefix('director-')}"
            director.team_id = team_id
            ordinal = (
                ""
                if len(village.director_ids) == 1
                else ("一队" if village.director_ids[0] == director.id else "二队")
            )
            formed = day_between(rng, max(director.appointed, date(2021, 3, 1)), date(2025, 11, 30))
            b.node(
                "VolunteerTeam",
                team_id,
                {
                    "name": f"{village.short_name}{brand}1+X+N关爱服务队{ordinal}",
                    "formedDate": iso(formed),
                    "villageCode": village.division.code,
                },
            )
            b.rel(("VolunteerTeam", "LED_BY", "Director"), team_id, director.id)
            for sw_id in rng.sample(pool, k=min(len(pool), rng.randint(1, 2))):
                director.social_worker_ids.append(sw_id)
                b.rel(
                    ("SocialWorker", "MEMBER_OF", "VolunteerTeam"),
                    sw_id,
                    team_id,
                    {"role": _ROLES[professions[sw_id]], "sinceDate": iso(formed)},
                )
            for _ in range(rng.randint(2, 5)):
                volunteer_n += 1
                volunteer_id = f"volunteer-{county.code}-{volunteer_n:05d}"
                person = make_person(county, rng, ages=(18, 68), female_share=0.6)
                home = rounded(near(rng, village.point, 800, county.frame))
                props: Props = {
                    "name": person.name,
                    "gender": person.gender,
                    "phone": person.phone,
                    "skills": rng.sample(_SKILLS, k=rng.randint(1, 3)),
                    "backgroundCheck": rng.choices(
                        ("passed", "pending", "flagged"), weights=(92, 6, 2)
                    )[0],
                    "registeredDate": iso(day_between(rng, formed, date(2026, 10, 31))),
                    "lat": home.lat,
                    "lng": home.lng,
                }
                # Hours used to be a typed-in figure drawn here; they now come from the
                # services. The draw stays, so every later draw of this stream stays put.
                rng.uniform(0, 240)
                props["availability"] = sorted(
                    vetting.sample(_SLOTS, k=vetting.choice((0, 1, 1, 2, 2, 3)))
                )
                checked = _check(county, vetting, volunteer_id, props)
                props["backgroundCheckDate"] = iso(checked)
                b.node("Volunteer", volunteer_id, props)
                director.volunteer_ids.append(volunteer_id)
                if props["backgroundCheck"] != "flagged":  # barred: not (or no longer) a member
                    b.rel(
                        ("Volunteer", "MEMBER_OF", "VolunteerTeam"),
                        volunteer_id,
                        team_id,
                        {"role": "volunteer", "sinceDate": props["registeredDate"]},
                    )


def _check(county: County, rng: random.Random, volunteer_id: str, props: Props) -> date:
    """The volunteer's background checks (events); returns the latest check's date.

    The first check comes with the registration and passed; a passed check is
    renewed after about a year, except for some that were let lapse (expired).
    Flagged and pending outcomes are those of a recent renewal (the last two
    weeks, the last month), so a barred person did not serve for long after.
    """
    status = str(props["backgroundCheck"])
    registered = date.fromisoformat(str(props["registeredDate"]))
    first = min(add_days(registered, rng.randint(0, 30)), LAST_EVENT_DAY)
    checks = [("passed", first)]
    if status == "passed":
        if (TODAY - first).days > 330 and rng.random() < 0.85:
            checks.append(("passed", day_between(rng, add_days(TODAY, -330), LAST_EVENT_DAY)))
    else:
        since = add_days(TODAY, -14 if status == "flagged" else -30)
        latest = day_between(rng, max(since, first), LAST_EVENT_DAY)
        # Registered lately, with that first check still pending or flagged: just that one.
        checks = [(status, latest)] if latest == first else [*checks, (status, latest)]
    for n, (outcome, day) in enumerate(checks, start=1):
        _check_event(county, rng, f"bgcheck-{volunteer_id}-{n}", volunteer_id, outcome, day)
    return checks[-1][1]


def _check_event(
    county: County, rng: random.Random, check_id: str, volunteer_id: str, status: str, day: date
) -> None:
    props: Props = {"status": status, "checkedDate": iso(day), "checkedBy": _CHECKED_BY}
    if status == "flagged":
        props["note"] = (
            f"公安机关查询反馈：存在从业禁止情形（查询编号TZ{rng.randrange(10**7):07d}）"
        )
    county.builder.node(
        "BackgroundCheck", check_id, props, recorded_at=day_ms(day, rng.randint(9, 17))
    )
    county.builder.rel(("BackgroundCheck", "OF", "Volunteer"), check_id, volunteer_id)
