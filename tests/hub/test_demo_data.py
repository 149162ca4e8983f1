"""The demo data set: deterministic, the program's exact figures, valid against the model.

Built once per module (about 4 s for the city); no graph needed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from graph.model import EVENT_LABELS, NODES, PROVENANCE, RELS, period_of
from hub.demo import NOW_MS, DemoPart, build_demo
from hub.demo.dataset import PROVINCE_CARE_DENSITY
from hub.demo.geo import TENGZHOU_FRAME, Point, distance_m
from hub.demo.ids import is_valid_credit_code, is_valid_resident_id
from schema.program.assessment_formula import load_formula

TENGZHOU = "370481"
#: The smallest county of Shandong in the divisions file: quick to build.
SMALL_COUNTY = min(build_demo(scale="province").counties, key=lambda c: c.village_count).code


@pytest.fixture(scope="module")
def city() -> DemoPart:
    data = build_demo()
    (part,) = data.parts()
    return part


def _digest(part: DemoPart) -> str:
    blob = json.dumps(
        [
            sorted((label, rows) for label, rows in part.nodes.items()),
            sorted((list(key), rows) for key, rows in part.rels.items()),
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _props(part: DemoPart, label: str) -> list[dict[str, Any]]:
    return [row["props"] for row in part.nodes[label]]


def _by_id(part: DemoPart, label: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row["props"] for row in part.nodes[label]}


def _targets(part: DemoPart, key: tuple[str, str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in part.rels[key]:
        out[row["start"]].append(row["end"])
    return out


# Determinism


def test_same_seed_gives_identical_rows_and_the_province_holds_the_same_city(
    city: DemoPart,
) -> None:
    # Tengzhou in the province data set is built independently from the same seed.
    again = build_demo(2024, "province").part(TENGZHOU)
    assert again.nodes == city.nodes
    assert again.rels == city.rels
    assert list(again.nodes) == list(city.nodes)


def test_other_seed_gives_other_rows() -> None:
    one = build_demo(2024, "province").part(SMALL_COUNTY)
    other = build_demo(2025, "province").part(SMALL_COUNTY)
    assert _digest(one) != _digest(other)
    assert _digest(one) == _digest(build_demo(2024, "province").part(SMALL_COUNTY))


def test_rows_do_not_depend_on_the_interpreters_hash_seed() -> None:
    script = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        "from test_demo_data import _digest, SMALL_COUNTY; from hub.demo import build_demo; "
        "print(_digest(build_demo(7, 'province').part(SMALL_COUNTY)))"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {_digest(build_demo(7, "province").part(SMALL_COUNTY))}


# The program's figures (city scale, exact)


def test_regions_are_the_real_ones(city: DemoPart) -> None:
    (county,) = _props(city, "County")
    assert (county["code"], county["name"]) == (TENGZHOU, "滕州市")
    towns = _props(city, "Town")
    assert len(towns) == 21
    assert {t["code"] for t in towns} >= {"370481001", "370481116"}
    villages = _props(city, "Village")
    assert len(villages) == 1180
    for village in villages:
        name = str(village["name"])
        community = "居委会" in name or "社区" in name or "居民委员会" in name
        assert village["kind"] == ("社区" if community else "村")
    grids = Counter(p["villageCode"] for p in _props(city, "Grid"))
    assert set(grids) == {v["code"] for v in villages}
    assert set(grids.values()) <= {1, 2, 3}


def test_directors_cover_every_village(city: DemoPart) -> None:
    assert len(city.nodes["Director"]) == 1330
    per_village = Counter(
        end
        for ends in _targets(city, ("Director", "ASSIGNED_TO", "Village")).values()
        for end in ends
    )
    assert len(per_village) == 1180
    assert set(per_village.values()) == {1, 2}
    assert sum(per_village.values()) == 1330


def test_supervisors_stations_facilities_center(city: DemoPart) -> None:
    assert len(city.nodes["Supervisor"]) == 21
    supervised = _targets(city, ("Supervisor", "SUPERVISES", "Town"))
    assert len({t for ends in supervised.values() for t in ends}) == 21
    stations = _props(city, "Station")
    assert len(stations) == 21
    flags = ("hasVenue", "hasTeam", "hasRules", "hasServices")
    for station in stations:
        assert station["fourHaves"] == all(station[f] for f in flags)
    assert 1 <= sum(not s["fourHaves"] for s in stations) <= 5
    assert len(city.rels[("Station", "SERVES", "Town")]) == 21
    assert len(city.rels[("Station", "GUIDED_BY", "ProtectionCenter")]) == 21
    assert len(city.nodes["Facility"]) == 1195
    located = Counter(r["end"] for r in city.rels[("Facility", "LOCATED_IN", "Village")])
    assert len(located) == 1180
    assert sum(located.values()) == 1195
    (center,) = _props(city, "ProtectionCenter")
    assert "市未成年人保护中心" in str(center["name"])
    assert len(city.rels[("ProtectionCenter", "SERVES", "County")]) == 1


def test_trainings_and_exams(city: DemoPart) -> None:
    trainings = _props(city, "Training")
    assert len(trainings) == 58
    topics = {t["topic"] for t in trainings}
    assert {
        "职责任务",
        "家庭监护干预",
        "心理疏导",
        "走访核查",
        "强制报告",
        "链接政策资源",
    } <= topics
    assert {t["round"] for t in trainings} >= {1, 2, 3}
    assert city.rels[("Director", "ATTENDED", "Training")]
    assert len(city.nodes["Exam"]) == len(city.rels[("Exam", "FOR", "Training")]) > 0
    for result in _props(city, "ExamResult"):
        assert result["passed"] == (float(result["score"]) >= 60)


def test_services_add_up_to_22000_person_times(city: DemoPart) -> None:
    services = _props(city, "Service")
    assert sum(int(s["personTimes"]) for s in services) == 22000
    assert {"救助帮扶", "危机干预", "心理疏导", "转介", "政策链接"} <= {s["kind"] for s in services}
    ids = {row["id"] for row in city.nodes["Service"]}
    assert {r["start"] for r in city.rels[("Service", "FOR", "Child")]} == ids
    delivered = [
        r["start"]
        for key, rows in city.rels.items()
        if key[:2] == ("Service", "DELIVERED_BY")
        for r in rows
    ]
    assert Counter(delivered) == Counter(ids)
    assert city.rels[("Service", "UNDER", "Project")]
    assert city.rels[("Service", "AT", "Station")]


def test_children_live_in_a_village_and_are_paired_there(city: DemoPart) -> None:
    children = _by_id(city, "Child")
    assert len(children) == 8000
    categories = {"困境儿童", "事实无人抚养儿童", "孤儿", "留守儿童", "疑似困境儿童"}
    assert {c["primaryCategory"] for c in children.values()} == categories
    for child in children.values():
        assert child["primaryCategory"] in child["categories"]
        assert child["foundBy"] in ("screening", "application")
    lives = _targets(city, ("Child", "LIVES_IN", "Village"))
    assert set(lives) == set(children)
    assert all(len(v) == 1 for v in lives.values())
    directors = _by_id(city, "Director")
    paired = Counter(r["end"] for r in city.rels[("Director", "PAIRED_WITH", "Child")])
    assert set(paired) == set(children)
    assert set(paired.values()) == {1}
    for rel in city.rels[("Director", "PAIRED_WITH", "Child")]:
        assert directors[rel["start"]]["villageCode"] == children[rel["end"]]["villageCode"]


def test_guardians_fit_the_category(city: DemoPart) -> None:
    children = _by_id(city, "Child")
    guardians = _by_id(city, "Guardian")
    by_child: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in city.rels[("Guardian", "GUARDIAN_OF", "Child")]:
        assert rel["props"]["relation"] == guardians[rel["start"]]["relation"]
        by_child[rel["end"]].append(guardians[rel["start"]])
    assert set(by_child) == set(children)
    for child_id, family in by_child.items():
        assert 1 <= len(family) <= 2
        primary = children[child_id]["primaryCategory"]
        where = {str(g["relation"]): g["whereabouts"] for g in family}
        parents = [w for r, w in where.items() if r in ("父亲", "母亲")]
        if primary == "孤儿":
            assert not parents
        elif primary == "留守儿童":
            assert "away" in parents
        elif primary == "事实无人抚养儿童":
            assert any(w in ("imprisoned", "missing", "deceased") for w in parents)


def test_visit_volume_and_dubious_visits(city: DemoPart) -> None:
    visits = _by_id(city, "Visit")
    assert 40_000 <= len(visits) <= 60_000
    homes = {
        child_id: Point(child["homeLat"], child["homeLng"])
        for child_id, child in _by_id(city, "Child").items()
    }
    of = {r["start"]: r["end"] for r in city.rels[("Visit", "OF", "Child")]}
    located = [v for v in visits.values() if "lat" in v]
    far = sum(
        distance_m(Point(float(v["lat"]), float(v["lng"])), homes[of[i]]) >= 3000
        for i, v in visits.items()
        if "lat" in v
    )
    assert 0.007 * len(located) <= far <= 0.015 * len(located)
    photos = Counter(h for v in visits.values() for h in v["photos"])
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in photos)
    reused = sum(1 for count in photos.values() if count > 1)
    assert 0.003 * len(located) <= reused <= 0.008 * len(located)
    by_director: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in city.rels[("Visit", "BY", "Director")]:
        by_director[rel["end"]].append(visits[rel["start"]])
    impossible = 0
    for mine in by_director.values():
        mine.sort(key=lambda v: int(v["startedAt"]))
        for a, b in pairwise(mine):
            assert int(b["startedAt"]) >= int(a["endedAt"])
            if "lat" not in a or "lat" not in b:
                continue
            hours = (int(b["startedAt"]) - int(a["endedAt"])) / 3_600_000
            km = distance_m(Point(a["lat"], a["lng"]), Point(b["lat"], b["lng"])) / 1000
            if km > 10 and km / max(hours, 1e-9) > 120:
                impossible += 1
    assert 3 <= impossible <= 20


def test_assessments_are_the_engines_with_exact_totals(city: DemoPart) -> None:
    assessments = _props(city, "Assessment")
    directors = [a for a in assessments if a["subject"] == "director"]
    supervisors = [a for a in assessments if a["subject"] == "supervisor"]
    assert len(directors) + len(supervisors) == len(assessments)
    quarters = (1, 2, 3, 4)
    assert Counter(a["period"] for a in directors) == {f"2026Q{q}": 1330 for q in quarters}
    assert Counter(a["period"] for a in supervisors) == {f"2026Q{q}": 21 for q in quarters}
    formula = load_formula("v1").director
    money = {t.name: (t.allowance, t.bonus) for t in formula.tiers}
    qualified = {
        row["id"] for row in city.nodes["Director"] if row["props"].get("socialWorkQualification")
    }
    subject = {r["start"]: r["end"] for r in city.rels[("Assessment", "OF", "Director")]}
    for row in city.nodes["Assessment"]:
        a = row["props"]
        if a["subject"] != "director":
            continue
        assert (a["weightExam"], a["weightVisit"], a["formulaVersion"]) == (0.4, 0.6, "v1")
        # Exactly the weights applied to the parts, and as the graph will give it back.
        assert a["total"] == a["weightExam"] * a["examScore"] + a["weightVisit"] * a["visitScore"]
        assert float(f"{a['total']:.15g}") == a["total"]
        assert (a["allowance"], a["bonus"]) == money[str(a["tier"])]
        assert a["vocationalAllowance"] == (300 if subject[row["id"]] in qualified else 0)
        assert a["partKeys"][:2] == ["exam", "visit"]
        assert len(a["parts"]) == len(a["partKeys"]) == 7
        assert all(str(line) in str(a["explanation"]) for line in a["parts"])
        assert "应访" in str(a["explanation"])
    assert len({a["tier"] for a in directors}) >= 3
    # The quarter in progress is counted to the day before the demo's "now".
    assert {a["throughDate"] for a in directors if a["period"] == "2026Q4"} == {"2026-11-27"}


def test_oversight_feedback_and_accounts(city: DemoPart) -> None:
    assert len(city.nodes["SupervisionTask"]) == 84
    entries = {row["id"] for row in city.nodes["LedgerEntry"]}
    concerned = [
        r["start"]
        for key, rows in city.rels.items()
        if key[:2] == ("LedgerEntry", "CONCERNS")
        for r in rows
    ]
    assert Counter(concerned) == Counter(entries)
    statuses = {p["status"] for p in _props(city, "Rectification")}
    assert statuses == {"整改中", "待验收", "已整改", "复查通过"}
    bodies = {p["body"] for p in _props(city, "Commissioner")}
    assert bodies == {"人大代表", "政协委员"}
    overseen = {r["end"] for r in city.rels[("Commissioner", "OVERSEES", "Town")]}
    assert len(overseen) == 21
    feedback = _props(city, "Feedback")
    assert {f["kind"] for f in feedback} == {"complaint", "suggestion", "concern", "praise"}
    assert len({f["trackingRef"] for f in feedback}) == len(feedback)
    steps = _props(city, "FeedbackStep")
    for step in steps:
        assert ("rating" in step) == (step["stage"] == "回访")
    users = {p["username"]: p for p in _props(city, "User")}
    director_user = next(u for u in users if u.startswith("director-"))
    assert set(users) == {
        "admin",
        "auditor",
        "commissioner",
        "supervisor-370481001",
        "station-370481001",
        director_user,
    }
    assert users["admin"]["role"] == "center_admin"
    assert users["admin"]["regionCodes"] == [TENGZHOU]
    village_code = director_user.removeprefix("director-")
    assert village_code.startswith("370481001")
    assert users[director_user]["regionCodes"] == [village_code]
    names = {d["name"] for d in _props(city, "Director") if d["villageCode"] == village_code}
    assert users[director_user]["displayName"] in names


# Values


def test_resident_id_numbers_are_valid_and_unique(city: DemoPart) -> None:
    numbers = []
    for label, rows in city.nodes.items():
        for row in rows:
            number = row["props"].get("idNumber")
            if number is None:
                continue
            assert isinstance(number, str)
            assert is_valid_resident_id(number), (label, number)
            assert number.startswith(TENGZHOU)
            birth = row["props"].get("birthDate")
            if birth is not None:
                assert number[6:14] == str(birth).replace("-", "")
            gender = row["props"].get("gender")
            if gender is not None:
                assert int(number[16]) % 2 == (1 if gender == "male" else 0)
            numbers.append(number)
    assert len(numbers) > 20_000
    assert len(set(numbers)) == len(numbers)


def test_credit_codes_and_phones(city: DemoPart) -> None:
    for org in _props(city, "Organization"):
        assert is_valid_credit_code(str(org["creditCode"])), org
    mobile = re.compile(r"1[3-9]\d{9}")
    for label in ("Director", "Supervisor", "SocialWorker", "Volunteer", "Guardian"):
        for props in _props(city, label):
            if "phone" in props:
                assert mobile.fullmatch(str(props["phone"])), (label, props["phone"])


def test_coordinates_stay_in_tengzhou(city: DemoPart) -> None:
    frame = TENGZHOU_FRAME
    assert (frame.lat_min, frame.lat_max, frame.lng_min, frame.lng_max) == (
        34.9,
        35.4,
        116.9,
        117.6,
    )
    count = 0
    for label, lat_key, lng_key in (
        ("Child", "homeLat", "homeLng"),
        ("Visit", "lat", "lng"),
        ("Volunteer", "lat", "lng"),
    ):
        for props in _props(city, label):
            if lat_key in props:
                point = Point(float(props[lat_key]), float(props[lng_key]))
                assert frame.contains(point), (label, point)
                count += 1
    assert count > 50_000


def _check_endpoints(part: DemoPart) -> None:
    labels_by_id = {row["id"]: label for label, rows in part.nodes.items() for row in rows}
    assert len(labels_by_id) == sum(len(rows) for rows in part.nodes.values()), "duplicate ids"
    for key, rows in part.rels.items():
        assert key in RELS, key
        start, _type, end = key
        for row in rows:
            assert labels_by_id.get(row["start"]) == start, (key, row)
            assert labels_by_id.get(row["end"]) == end, (key, row)


def test_relationships_join_existing_nodes_of_the_right_labels(city: DemoPart) -> None:
    _check_endpoints(city)


def _check_value(where: object, value: object) -> None:
    assert value is not None, where
    if isinstance(value, list):
        for item in value:
            assert isinstance(item, (str, int, float, bool)), where
        assert len({type(item) for item in value}) <= 1, where
    else:
        assert isinstance(value, (str, int, float, bool)), where
    if isinstance(value, float):
        assert math.isfinite(value), where


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _all_props(part: DemoPart) -> Iterable[tuple[str, dict[str, Any]]]:
    for label, rows in part.nodes.items():
        for row in rows:
            yield label, row["props"]


def _check_properties(part: DemoPart) -> None:
    for label, props in _all_props(part):
        allowed = set(NODES[label].all_properties) - {"id"}
        assert set(props) <= allowed, (label, set(props) - allowed)
        for name, value in props.items():
            _check_value((label, name), value)
            if name.endswith("At") or name == "deviceTime":
                assert isinstance(value, int), (label, name)
                assert not isinstance(value, bool), (label, name)
                # (A roster is planned ahead: its shifts run past "now".)
                assert 0 < value <= NOW_MS or name == "seenAt" or label == "OnCallShift", (
                    label,
                    name,
                    value,
                )
            if name.endswith("Date") or name == "deadline":
                assert isinstance(value, str), (label, name, value)
                assert _DATE.fullmatch(value), (label, name, value)
    for key, rows in part.rels.items():
        allowed = set(RELS[key].properties) | set(PROVENANCE)
        for row in rows:
            assert set(row["props"]) <= allowed, (key, row["props"])
            for name, value in row["props"].items():
                _check_value((key, name), value)


def test_properties_are_in_the_model_and_primitive(city: DemoPart) -> None:
    _check_properties(city)


def test_provenance_and_event_versioning(city: DemoPart) -> None:
    for label, rows in city.nodes.items():
        for row in rows:
            props = row["props"]
            assert (props["source"], props["sourceKey"], props["seenAt"]) == (
                "demo",
                row["id"],
                NOW_MS,
            )
            if label in EVENT_LABELS:
                assert props["recordId"] == row["id"]
                assert props["version"] == 1
                assert isinstance(props["recordedAt"], int)
                assert props["recordedAt"] <= NOW_MS
            else:
                assert "recordId" not in props
    for rel_rows in city.rels.values():
        for rel in rel_rows:
            assert rel["props"]["source"] == "demo"
            assert rel["props"]["seenAt"] == NOW_MS


def test_events_carry_their_statistics_keys(city: DemoPart) -> None:
    instants = {
        "Visit": "startedAt",
        "Screening": "screenedAt",
        "MandatoryReport": "reportedAt",
        "Service": "deliveredAt",
        "Feedback": "submittedAt",
    }
    for label, instant in instants.items():
        for props in _props(city, label):
            assert (props["month"], props["quarter"]) == period_of(props[instant]), label
    children = _by_id(city, "Child")
    visits = _by_id(city, "Visit")
    for rel in city.rels[("Visit", "OF", "Child")]:
        assert visits[rel["start"]]["villageCode"] == children[rel["end"]]["villageCode"]
    directors = _by_id(city, "Director")
    assessments = _by_id(city, "Assessment")
    for rel in city.rels[("Assessment", "OF", "Director")]:
        assert assessments[rel["start"]]["regionCode"] == directors[rel["end"]]["villageCode"]
    for props in _props(city, "LedgerEntry") + _props(city, "Feedback"):
        assert str(props["regionCode"]).startswith(TENGZHOU)


@pytest.mark.parametrize("code", [SMALL_COUNTY, "370102"])
def test_province_counties_are_valid_and_lighter(code: str) -> None:
    data = build_demo(scale="province")
    assert len(data.counties) == 151
    assert not data.eager
    part = data.part(code)
    _check_endpoints(part)
    _check_properties(part)
    villages = next(c for c in data.counties if c.code == code).village_count
    assert len(part.nodes["Village"]) == villages
    expected = max(villages, round(8000 * villages / 1180 * PROVINCE_CARE_DENSITY))
    assert len(part.nodes["Child"]) == expected
    assert all(str(r["props"]["code"]).startswith(code) for r in part.nodes["Town"])


def test_demo_accounts_and_client_carry_verifiable_hashes() -> None:
    from argon2 import PasswordHasher

    from hub.demo import build_demo
    from hub.demo.accounts import DEMO_CLIENT_ID, demo_secret

    data = build_demo(seed=2024)
    users = {row["props"]["username"]: row["props"] for row in data.nodes("User")}
    assert {"admin", "auditor", "commissioner", "supervisor-370481001"} <= set(users)
    hasher = PasswordHasher()
    for name, props in users.items():
        assert props["passwordHash"].startswith("$argon2id$")
        assert hasher.verify(props["passwordHash"], demo_secret(2024, name))
    (client,) = [row["props"] for row in data.nodes("Client")]
    assert client["clientId"] == DEMO_CLIENT_ID
    assert hasher.verify(client["secretHash"], demo_secret(2024, DEMO_CLIENT_ID))
    assert demo_secret(2024, "admin") != demo_secret(7, "admin")


def test_the_evidence_checks_find_the_dubious_visits_and_pass_the_genuine(
    city: DemoPart,
) -> None:
    visits = _props(city, "Visit")
    assert all(isinstance(v["validityScore"], int) for v in visits)
    flagged = [v for v in visits if v["flagged"]]
    codes = Counter(r.split(":", 1)[0] for v in flagged for r in v["validityReasons"])
    # Each kind of dubious visit the generator made is found…
    for code in ("far-from-home", "photo-reused", "impossible-travel"):
        assert codes[code] > 0, codes
    # …and the genuine ones, nearly all visits, are not flagged.
    assert len(flagged) <= 0.03 * len(visits)
    calls = [v for v in visits if v["mode"] == "phone"]
    assert calls
    assert not any(v["flagged"] for v in calls)
