"""The 24-hour on-call roster for crisis intervention (危机干预): who is on duty when.

A shift covers ``[startsAt, endsAt)``; ``regionCode`` is a town's code (the
station's roster) or the county's (the city center's). A person is known by
their account (``userId``) when they have one, else by their phone.
"""

from __future__ import annotations

from graph.statements import Mode, statement

_SHIFT = """
    s.id AS id, s.startsAt AS startsAt, s.endsAt AS endsAt, s.name AS name, s.phone AS phone,
    s.role AS role, s.userId AS userId, s.regionCode AS regionCode
"""

#: Shifts covering the instant ``$at``, of the regions ``$codes`` (null: all).
ON_DUTY = statement(
    "oncall.on_duty",
    f"""
    MATCH (s:OnCallShift)
    WHERE s.startsAt <= $at AND s.endsAt > $at AND ($codes IS NULL OR s.regionCode IN $codes)
    RETURN {_SHIFT}
    ORDER BY regionCode, startsAt, id
    """,
    params=("at", "codes"),
    sample={"at": 0, "codes": ["none"]},
)

#: The same person's shifts that overlap ``[$startsAt, $endsAt)``.
OVERLAPPING = statement(
    "oncall.overlapping",
    f"""
    MATCH (s:OnCallShift)
    WHERE s.startsAt < $endsAt AND s.endsAt > $startsAt
      AND (s.phone = $phone OR ($userId IS NOT NULL AND s.userId = $userId))
    RETURN {_SHIFT}
    ORDER BY startsAt
    """,
    params=("startsAt", "endsAt", "phone", "userId"),
    sample={"startsAt": 0, "endsAt": 0, "phone": "none", "userId": None},
)

#: Whether ``$code`` is a county or town of the graph (a roster's region).
REGION_KNOWN = statement(
    "oncall.region_known",
    """
    OPTIONAL MATCH (t:Town {code: $code})
    OPTIONAL MATCH (c:County {code: $code})
    RETURN t.code IS NOT NULL OR c.code IS NOT NULL AS known
    """,
    params=("code",),
    sample={"code": "none"},
)

#: A new shift, unless the same person has one overlapping it (checked in the
#: same statement, so two requests cannot both slip past a separate check).
SCHEDULE = statement(
    "oncall.schedule",
    f"""
    OPTIONAL MATCH (o:OnCallShift)
    WHERE o.startsAt < $endsAt AND o.endsAt > $startsAt
      AND (o.phone = $phone OR ($userId IS NOT NULL AND o.userId = $userId))
    WITH count(o) AS clashes
    WHERE clashes = 0
    MERGE (s:OnCallShift {{id: $id}})
    ON CREATE SET s.startsAt = $startsAt, s.endsAt = $endsAt, s.name = $name, s.phone = $phone,
        s.role = $role, s.userId = $userId, s.regionCode = $regionCode,
        s.source = $source, s.sourceKey = $id, s.seenAt = $now
    RETURN {_SHIFT}
    """,
    Mode.WRITE,
    params=(
        "id",
        "startsAt",
        "endsAt",
        "name",
        "phone",
        "role",
        "userId",
        "regionCode",
        "source",
        "now",
    ),
    sample={
        "id": "oncall-sample",
        "startsAt": 0,
        "endsAt": 1,
        "name": "x",
        "phone": "none",
        "role": "x",
        "userId": None,
        "regionCode": "x",
        "source": "test",
        "now": 0,
    },
)
