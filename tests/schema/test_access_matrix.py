"""The authorization matrix: every role × every personal field × every path to it.

The expectations are written out here, by hand, not derived from the policy
module: a change of the policy must change this table too. Each cell is
checked against the graph's own values: a field shown in full equals the
stored value, a masked one is the stored value masked, a hidden one is null,
and where a role has no rows the path yields no object at all. On top, the
whole response must not contain a stored personal value the role may not see,
whatever the path (no leak through a path the table forgot).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from graph import GraphStore
from graph.queries import accounts, users
from graph.queries.catalog import CATALOG
from schema import Context, build_schema
from schema.access import Principal, Role
from schema.core.ids import to_global_id
from schema.media import PhotoSigner
from tests.support.principals import ADMIN, JINGHE, PUBLIC, TENGZHOU, partner, user

SCHEMA = build_schema()
SIGNER = PhotoSigner(b"matrix" * 6)
NOW = 1_780_000_000.0

FULL, MASKED, HIDDEN, NO_ROWS = "full", "masked", "hidden", "no rows"
ID_MASK = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")

CHILD = ("name", "birthDate", "idNumber", "address", "homeLat", "homeLng", "healthNotes",
         "disability")  # fmt: skip
GUARDIAN = ("name", "phone", "idNumber", "whereabouts")
VISIT = ("lat", "lng", "photos", "findings", "riskObservations")
REPORT = ("description",)


def _row(child: dict[str, str], guardian: dict[str, str], visit: str, report: str) -> Any:
    return {
        "Child": child,
        "Guardian": guardian,
        "Visit": dict.fromkeys(VISIT, visit),
        "MandatoryReport": dict.fromkeys(REPORT, report),
    }


_CASEWORK_CHILD = {**dict.fromkeys(CHILD, FULL), "idNumber": MASKED, "homeLat": HIDDEN,
                   "homeLng": HIDDEN}  # fmt: skip
_CASEWORK_GUARDIAN = {**dict.fromkeys(GUARDIAN, FULL), "idNumber": MASKED}
_NOTHING = _row(dict.fromkeys(CHILD, NO_ROWS), dict.fromkeys(GUARDIAN, NO_ROWS), NO_ROWS, NO_ROWS)

#: role → label → field → what the role gets.
EXPECTED: dict[str, Any] = {
    "center_admin": _row(dict.fromkeys(CHILD, FULL), dict.fromkeys(GUARDIAN, FULL), FULL, FULL),
    "station_staff": _row(_CASEWORK_CHILD, _CASEWORK_GUARDIAN, FULL, FULL),
    "supervisor": _row(_CASEWORK_CHILD, _CASEWORK_GUARDIAN, FULL, FULL),
    "director": _row(
        {**dict.fromkeys(CHILD, FULL), "idNumber": MASKED}, _CASEWORK_GUARDIAN, FULL, FULL
    ),
    "commissioner": _NOTHING,
    "auditor": _NOTHING,
    "public": _NOTHING,
    "partner": _row(
        {**dict.fromkeys(CHILD, HIDDEN), "name": FULL, "idNumber": FULL, "birthDate": FULL},
        dict.fromkeys(GUARDIAN, NO_ROWS),
        NO_ROWS,
        NO_ROWS,
    ),
    "partner-no-purpose": _row(
        dict.fromkeys(CHILD, HIDDEN), dict.fromkeys(GUARDIAN, NO_ROWS), NO_ROWS, NO_ROWS
    ),
}


@dataclass(frozen=True)
class Facts:
    """Ids in 荆河街道 the paths start from: the demo director, a child paired with them."""

    director: str
    child: str
    village: str
    guardian: str
    visit: str


def readers(facts: Facts) -> dict[str, Principal]:
    edu_types = frozenset({"County", "Town", "Village", "Child"})
    edu_fields = frozenset({"Child.name", "Child.idNumber", "Child.birthDate"})
    return {
        "center_admin": ADMIN,
        "station_staff": user(Role.STATION_STAFF, (JINGHE,)),
        "supervisor": user(Role.SUPERVISOR, (JINGHE,)),
        "director": user(Role.DIRECTOR, (facts.village,), person_id=facts.director),
        "commissioner": user(Role.COMMISSIONER, (TENGZHOU,)),
        "auditor": user(Role.AUDITOR, (TENGZHOU,)),
        "public": PUBLIC,
        "partner": partner(edu_types, edu_fields),
        "partner-no-purpose": partner(edu_types, edu_fields, purpose=None),
    }


#: label → paths (a query with ``F`` for the field, and the variables it takes).
PATHS: dict[str, list[tuple[str, str]]] = {
    "Child": [
        ("list", "{ children(first: 30) { nodes { id F } } }"),
        ("node", "query ($child: ID!) { node(id: $child) { ... on Child { id F } } }"),
        (
            "village.children",
            "query ($village: ID!) { node(id: $village) { ... on Village "
            "{ children(first: 50) { nodes { id F } } } } }",
        ),
        (
            "director.children",
            "query ($director: ID!) { node(id: $director) { ... on Director "
            "{ children(first: 50) { nodes { id F } } } } }",
        ),
        (
            "visit.child",
            "query ($child: ID!) { visits(first: 5, filter: {child: $child}) "
            "{ nodes { child { id F } } } }",
        ),
        ("guardian.children", "{ guardians(first: 10) { nodes { children { nodes { id F } } } } }"),
        ("childStats", "{ childStats(groupBy: [VILLAGE]) { village count } }"),
    ],
    "Guardian": [
        ("list", "{ guardians(first: 30) { nodes { id F } } }"),
        ("node", "query ($guardian: ID!) { node(id: $guardian) { ... on Guardian { id F } } }"),
        (
            "child.guardians",
            "query ($child: ID!) { node(id: $child) { ... on Child "
            "{ guardians { nodes { id F } } } } }",
        ),
    ],
    "Visit": [
        ("list", "{ visits(first: 30) { nodes { id F } } }"),
        ("node", "query ($visit: ID!) { node(id: $visit) { ... on Visit { id F } } }"),
        (
            "child.visits",
            "query ($child: ID!) { node(id: $child) { ... on Child "
            "{ visits(first: 20) { nodes { id F } } } } }",
        ),
        (
            "director.visits",
            "query ($director: ID!) { node(id: $director) { ... on Director "
            "{ visits(first: 20) { nodes { id F } } } } }",
        ),
    ],
    "MandatoryReport": [
        ("list", "{ mandatoryReports(first: 30) { nodes { id F } } }"),
        (
            "child.mandatoryReports",
            "query ($child: ID!) { node(id: $child) { ... on Child "
            "{ mandatoryReports { nodes { id F } } } } }",
        ),
    ],
}

FIELDS = {"Child": CHILD, "Guardian": GUARDIAN, "Visit": VISIT, "MandatoryReport": REPORT}


@pytest_asyncio.fixture(scope="session")
async def facts(demo_store: GraphStore) -> Facts:
    names = [r["username"] for r in await demo_store.read(accounts.USERS)]
    director_user = next(n for n in names if str(n).startswith("director-"))
    found = await demo_store.read(users.USER_BY_USERNAME, {"username": director_user})
    director = str(found[0]["user"]["personId"])
    children = await demo_store.read(
        CATALOG.page("Child", "name", "asc", frozenset({"f_pairedWith_value"})),
        {"f_pairedWith_value": director, "limit": 10},
    )
    child = children[0]["node"]
    guardians = await demo_store.read(
        CATALOG.rel_page("Child.guardians", "id", "asc", frozenset()),
        {"keys": [child["id"]], "limit": 1},
    )
    visits = await demo_store.read(
        CATALOG.rel_page("Child.visits", "startedAt", "desc", frozenset()),
        {"keys": [child["id"]], "limit": 1},
    )
    return Facts(
        director=director,
        child=str(child["id"]),
        village=str(child["villageCode"]),
        guardian=str(guardians[0]["page"][0]["id"]),
        visit=str(visits[0]["page"][0]["id"]),
    )


def variables(facts: Facts, text: str) -> dict[str, Any]:
    ids = {
        "child": to_global_id("Child", facts.child),
        "village": to_global_id("Village", f"village-{facts.village}"),
        "director": to_global_id("Director", facts.director),
        "guardian": to_global_id("Guardian", facts.guardian),
        "visit": to_global_id("Visit", facts.visit),
    }
    return {k: v for k, v in ids.items() if f"${k}" in text}


def objects(data: Any) -> list[dict[str, Any]]:
    """Every object with an ``id`` in a response."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if "id" in data:
            found.append(data)
        for value in data.values():
            found.extend(objects(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(objects(value))
    return found


async def stored(store: GraphStore, label: str, keys: list[str]) -> dict[str, dict[str, Any]]:
    rows = await store.read(CATALOG.by_id(label), {"ids": keys})
    return {str(r["key"]): r["node"] for r in rows}


def _secrets(values: dict[str, dict[str, Any]], field: str) -> list[str]:
    out = []
    for row in values.values():
        value = row.get(field)
        for item in value if isinstance(value, list) else [value]:
            if item is not None and len(str(item)) >= 4:
                out.append(json.dumps(item, ensure_ascii=False).strip('"'))
    return out


CASES = [
    (role, label, field)
    for role in EXPECTED
    for label, fields in FIELDS.items()
    for field in fields
]


@pytest.mark.parametrize(("role", "label", "field"), CASES)
async def test_matrix(
    demo_store: GraphStore, facts: Facts, role: str, label: str, field: str
) -> None:
    from schema.core.ids import from_global_id

    expected = EXPECTED[role][label][field]
    reader = readers(facts)[role]
    # The stored values of the records of 荆河街道 these paths reach.
    reference = await stored(
        demo_store, label, [facts.child, facts.guardian, facts.visit, facts.director]
    )
    seen_any = False
    for path, template in PATHS[label]:
        text = template.replace(" F ", f" {field} ")
        result = await SCHEMA.execute(
            text,
            variable_values=variables(facts, text),
            context_value=Context(
                demo_store, principal=reader, photo_signer=SIGNER, clock=lambda: NOW
            ),
        )
        body = json.dumps(result.data, ensure_ascii=False)
        found = [o for o in objects(result.data) if from_global_id(o["id"])[0] == label]
        keys = [from_global_id(o["id"])[1] for o in found]
        truth = await stored(demo_store, label, keys) if keys else {}
        if expected != FULL:
            # No stored value of a record in the response, nor of the reference records,
            # appears anywhere in it.
            for secret in _secrets({**truth, **reference}, field):
                if expected == MASKED and field == "idNumber":
                    assert secret not in body, (role, path)
                else:
                    assert secret not in body, (role, path, secret)
        if expected == NO_ROWS:
            assert not found, (role, path)
            continue
        for obj in found:
            seen_any = True
            value = obj.get(field)
            raw = truth[from_global_id(obj["id"])[1]].get(field)
            if expected == HIDDEN or raw is None:
                assert value is None, (role, path, field)
            elif expected == MASKED:
                assert ID_MASK.match(value), (role, path, value)
                assert value[:6] == raw[:6]
                assert value[-4:] == raw[-4:]
            elif field == "photos":  # served as signed links to the same blobs
                assert value == [SIGNER.url(k.removeprefix("sha256:"), NOW) for k in raw]
            else:
                assert value == raw or str(value) == str(raw), (role, path, value, raw)
    # (The demo director's children have no mandatory report: nothing to reach.)
    if expected != NO_ROWS and (role, label) != ("director", "MandatoryReport"):
        assert seen_any, f"{role} should reach some {label} records"


HIDDEN_CONDITIONS = [
    '{ children(first: 1, filter: {name: {startsWith: "王"}}) { totalCount } }',
    "{ children(first: 1, orderBy: {field: NAME}) { nodes { id } } }",
    '{ children(first: 1, filter: {birthDate: {gte: "2015-01-01"}}) { totalCount } }',
    "{ children(first: 1, orderBy: {field: BIRTH_DATE}) { nodes { id } } }",
    '{ childStats(filter: {name: {contains: "王"}}) { count } }',
    '{ guardians(first: 1, filter: {whereabouts: {eq: "imprisoned"}}) { totalCount } }',
]


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("text", HIDDEN_CONDITIONS)
async def test_no_filter_or_sort_on_what_one_cannot_see(
    demo_store: GraphStore, facts: Facts, role: str, text: str
) -> None:
    """A filter or an order on a field the reader cannot see in full is refused, so
    neither counts nor orderings can reveal it."""
    label = "Guardian" if "guardians" in text else "Child"
    prop = next(p for p in ("name", "birthDate", "whereabouts") if p in text or
                re.sub("_", "", p.upper()) in text.replace("_", ""))  # fmt: skip
    expected = EXPECTED[role][label][prop]
    result = await SCHEMA.execute(
        text, context_value=Context(demo_store, principal=readers(facts)[role])
    )
    if expected == FULL:
        assert result.errors is None, (role, result.errors)
        return
    assert result.errors, (role, text)
    message = result.errors[0].message
    assert "personal data" in message or "not available" in message, message
    assert result.data is None or not objects(result.data)


async def test_director_rows_are_their_paired_children(
    demo_store: GraphStore, facts: Facts
) -> None:
    reader = readers(facts)["director"]
    result = await SCHEMA.execute(
        "{ children(first: 100) { totalCount nodes { id } } visits(first: 100) { totalCount } }",
        context_value=Context(demo_store, principal=reader),
    )
    assert result.errors is None
    assert result.data is not None
    paired = await demo_store.read(
        CATALOG.page("Child", "name", "asc", frozenset({"f_pairedWith_value"})),
        {"f_pairedWith_value": facts.director, "limit": 100},
    )
    assert result.data["children"]["totalCount"] == len(paired) > 0
    assert {o["id"] for o in result.data["children"]["nodes"]} == {
        to_global_id("Child", r["node"]["id"]) for r in paired
    }


async def test_town_roles_see_their_town_only(demo_store: GraphStore, facts: Facts) -> None:
    for role in ("supervisor", "station_staff"):
        result = await SCHEMA.execute(
            "{ children(first: 100) { totalCount nodes { villageCode } } "
            "childStats(groupBy: [TOWN]) { town count } }",
            context_value=Context(demo_store, principal=readers(facts)[role]),
        )
        assert result.errors is None
        assert result.data is not None
        codes = {c["villageCode"][:9] for c in result.data["children"]["nodes"]}
        assert codes == {JINGHE}
        assert [b["town"] for b in result.data["childStats"]] == [JINGHE]
        other = await SCHEMA.execute(
            '{ children(first: 1, inRegion: "370481002") { totalCount } }',
            context_value=Context(demo_store, principal=readers(facts)[role]),
        )
        assert other.data == {"children": {"totalCount": 0}}


@pytest.mark.parametrize("role", ["commissioner", "public", "auditor"])
async def test_statistics_only_roles_get_small_counts_suppressed(
    demo_store: GraphStore, facts: Facts, role: str
) -> None:
    result = await SCHEMA.execute(
        "{ childStats(groupBy: [VILLAGE, CATEGORY]) "
        "{ village category count display suppressed } }",
        context_value=Context(demo_store, principal=readers(facts)[role]),
    )
    assert result.errors is None
    assert result.data is not None
    buckets = result.data["childStats"]
    assert buckets
    assert any(b["suppressed"] for b in buckets)
    for b in buckets:
        if b["suppressed"]:
            assert b["count"] is None
            assert b["display"] == "<5"
        else:
            assert b["count"] >= 5
            assert b["display"] == str(b["count"])
    # The same statistic for a center admin is exact: nothing suppressed.
    exact = await SCHEMA.execute(
        "{ childStats(groupBy: [VILLAGE, CATEGORY]) { count suppressed } }",
        context_value=Context(demo_store, principal=ADMIN),
    )
    assert exact.data is not None
    assert not any(b["suppressed"] for b in exact.data["childStats"])


async def test_a_lone_small_count_takes_another_with_it(
    demo_store: GraphStore, facts: Facts
) -> None:
    from schema.stats.queries import suppress_small
    from schema.stats.types import Bucket

    buckets = [Bucket(town="a", count=3), Bucket(town="b", count=40), Bucket(town="c", count=9)]
    suppress_small(buckets)
    assert [b.suppressed for b in buckets] == [True, False, True]
