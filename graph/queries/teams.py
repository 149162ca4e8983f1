"""1+X+N teams: forming a team around a director, its members, volunteers' background
checks, matching volunteers to a child, and service hours.

A volunteer may join a team or be proposed for a child only with a background
check (从业禁止/性侵害违法犯罪信息查询) that passed and has not expired: the
membership statement tests it again itself, so a check flagged between the
caller's test and the write still keeps the volunteer out. A flagged check ends
every team membership in the statement that records it.
"""

from __future__ import annotations

from graph.statements import Mode, statement

#: What forming a team needs to check: the director, and any team they already lead.
DIRECTOR = statement(
    "teams.director",
    """
    MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (d)<-[:LED_BY]-(t:VolunteerTeam)
    RETURN d.id AS id, d.name AS name, d.villageCode AS villageCode, d.status AS status,
           collect(t.id) AS teams
    """,
    params=("directorId",),
    sample={"directorId": "none"},
)

#: One team per director: nothing is created when the director already leads one.
FORM = statement(
    "teams.form",
    """
    MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (d)<-[:LED_BY]-(old:VolunteerTeam)
    WITH d, count(old) AS led
    WHERE led = 0
    CREATE (t:VolunteerTeam {id: $teamId, name: $name, formedDate: $formedDate,
                             villageCode: d.villageCode, source: 'hub', sourceKey: $teamId,
                             seenAt: $at})
    CREATE (t)-[:LED_BY {source: 'hub', seenAt: $at}]->(d)
    RETURN t.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "teamId", "name", "formedDate", "at"),
    sample={
        "directorId": "none",
        "teamId": "none",
        "name": "sample",
        "formedDate": "2026-01-01",
        "at": 0,
    },
)

#: A team and the person named to join or leave it (either may be missing).
MEMBER_FACTS = statement(
    "teams.member_facts",
    """
    MATCH (t:VolunteerTeam {id: $teamId})
    OPTIONAL MATCH (t)-[:LED_BY]->(d:Director)
    OPTIONAL MATCH (v:Volunteer {id: $volunteerId})
    OPTIONAL MATCH (w:SocialWorker {id: $socialWorkerId})
    OPTIONAL MATCH (v)-[mv:MEMBER_OF]->(t)
    OPTIONAL MATCH (w)-[mw:MEMBER_OF]->(t)
    RETURN t.villageCode AS villageCode, d.id AS leader, v.id AS volunteer,
           v.backgroundCheck AS check,
           v.backgroundCheckDate AS checkDate, w.id AS socialWorker,
           w.profession AS profession, (mv IS NOT NULL OR mw IS NOT NULL) AS member
    """,
    params=("teamId", "volunteerId", "socialWorkerId"),
    sample={"teamId": "none", "volunteerId": None, "socialWorkerId": None},
)

_MEMBERSHIP = """
    MERGE (x)-[m:MEMBER_OF]->(t)
    ON CREATE SET m.role = $role, m.sinceDate = $sinceDate, m.source = 'hub', m.seenAt = $at
    RETURN t.id AS id
"""

#: A volunteer joins, only with a current passed check (tested here again).
ADD_VOLUNTEER = statement(
    "teams.add_volunteer",
    f"""
    MATCH (t:VolunteerTeam {{id: $teamId}})
    MATCH (x:Volunteer {{id: $volunteerId}})
    WHERE x.backgroundCheck = 'passed' AND x.backgroundCheckDate >= $validSince
    {_MEMBERSHIP}
    """,
    Mode.WRITE,
    params=("teamId", "volunteerId", "validSince", "role", "sinceDate", "at"),
    sample={
        "teamId": "none",
        "volunteerId": "none",
        "validSince": "2025-01-01",
        "role": "volunteer",
        "sinceDate": "2026-01-01",
        "at": 0,
    },
)

#: A professional (social worker, psychologist, lawyer) joins.
ADD_SOCIAL_WORKER = statement(
    "teams.add_social_worker",
    f"""
    MATCH (t:VolunteerTeam {{id: $teamId}})
    MATCH (x:SocialWorker {{id: $socialWorkerId}})
    {_MEMBERSHIP}
    """,
    Mode.WRITE,
    params=("teamId", "socialWorkerId", "role", "sinceDate", "at"),
    sample={
        "teamId": "none",
        "socialWorkerId": "none",
        "role": "social_worker",
        "sinceDate": "2026-01-01",
        "at": 0,
    },
)

REMOVE_MEMBER = statement(
    "teams.remove_member",
    """
    MATCH (t:VolunteerTeam {id: $teamId})<-[m:MEMBER_OF]-(x)
    WHERE x.id = $memberId AND (x:Volunteer OR x:SocialWorker)
    DELETE m
    RETURN x.id AS id
    """,
    Mode.WRITE,
    params=("teamId", "memberId"),
    sample={"teamId": "none", "memberId": "none"},
)

#: The members of teams with their roles (a loader's batch: one row per member).
MEMBERS = statement(
    "teams.members",
    """
    UNWIND $keys AS key
    MATCH (t:VolunteerTeam {id: key})
    WITH key, t
    MATCH (t)<-[m:MEMBER_OF]-(x)
    WHERE x:Volunteer OR x:SocialWorker
    RETURN key, x.id AS id, x.name AS name, x:Volunteer AS volunteer, m.role AS role,
           m.sinceDate AS sinceDate
    ORDER BY key, volunteer, name, id
    """,
    params=("keys",),
    sample={"keys": ["none"]},
)

# -- volunteers ---------------------------------------------------------------------

#: A volunteer with the villages of their teams (who may manage them).
VOLUNTEER = statement(
    "teams.volunteer",
    """
    MATCH (v:Volunteer {id: $volunteerId})
    OPTIONAL MATCH (v)-[:MEMBER_OF]->(t:VolunteerTeam)
    RETURN v.id AS id, v.backgroundCheckDate AS checkDate, collect(t.villageCode) AS villages
    """,
    params=("volunteerId",),
    sample={"volunteerId": "none"},
)

#: Skills and availability as the volunteer declares them (null: left as they are).
UPDATE_VOLUNTEER = statement(
    "teams.update_volunteer",
    """
    MATCH (v:Volunteer {id: $volunteerId})
    SET v.skills = coalesce($skills, v.skills),
        v.availability = coalesce($availability, v.availability)
    RETURN v.id AS id
    """,
    Mode.WRITE,
    params=("volunteerId", "skills", "availability"),
    sample={"volunteerId": "none", "skills": None, "availability": None},
)

#: A background check recorded: the event, the volunteer's current status (the
#: check with the latest ``checkedDate`` decides), and, when flagged, the end of
#: every team membership.
RECORD_CHECK = statement(
    "teams.record_check",
    """
    MATCH (v:Volunteer {id: $volunteerId})
    CREATE (c:BackgroundCheck {id: $id, recordId: $id, version: 1, recordedAt: $at,
                               source: 'hub', sourceKey: $id, seenAt: $at, status: $status,
                               checkedDate: $checkedDate, note: $note, checkedBy: $checkedBy})
    CREATE (c)-[:OF]->(v)
    WITH v, c, (v.backgroundCheckDate IS NULL OR v.backgroundCheckDate <= $checkedDate) AS latest
    SET v.backgroundCheck = CASE WHEN latest THEN $status ELSE v.backgroundCheck END,
        v.backgroundCheckDate = CASE WHEN latest THEN $checkedDate ELSE v.backgroundCheckDate END
    WITH v, c
    OPTIONAL MATCH (v)-[m:MEMBER_OF]->(:VolunteerTeam)
    WITH v, c, collect(m) AS memberships
    FOREACH (x IN CASE WHEN $status = 'flagged' THEN memberships ELSE [] END | DELETE x)
    RETURN c.id AS id, v.backgroundCheck AS current, v.backgroundCheckDate AS currentDate,
           CASE WHEN $status = 'flagged' THEN size(memberships) ELSE 0 END AS removed
    """,
    Mode.WRITE,
    params=("volunteerId", "id", "status", "checkedDate", "note", "checkedBy", "at"),
    sample={
        "volunteerId": "none",
        "id": "none",
        "status": "passed",
        "checkedDate": "2026-01-01",
        "note": None,
        "checkedBy": "test",
        "at": 0,
    },
)

# -- matching -----------------------------------------------------------------------

#: The child to match for: where they live (used, never returned by the API) and
#: who looks after them (their directors and those directors' teams).
CHILD = statement(
    "teams.child",
    """
    MATCH (c:Child {id: $childId})
    OPTIONAL MATCH (c)<-[:PAIRED_WITH]-(d:Director)
    OPTIONAL MATCH (d)<-[:LED_BY]-(t:VolunteerTeam)
    RETURN c.villageCode AS villageCode, c.homeLat AS lat, c.homeLng AS lng,
           collect(DISTINCT d.id) AS directors, collect(DISTINCT t.id) AS teams
    """,
    params=("childId",),
    sample={"childId": "none"},
)

#: Volunteers who may be proposed: a current passed check, a needed skill, and a
#: home inside the box around the child's (the exact distance is computed after).
CANDIDATES = statement(
    "teams.candidates",
    """
    MATCH (v:Volunteer)
    WHERE v.backgroundCheck = 'passed' AND v.backgroundCheckDate >= $validSince
      AND v.lat >= $minLat AND v.lat <= $maxLat AND v.lng >= $minLng AND v.lng <= $maxLng
      AND any(s IN coalesce(v.skills, []) WHERE s IN $needs)
    OPTIONAL MATCH (v)-[:MEMBER_OF]->(t:VolunteerTeam)
    RETURN v.id AS id, v.skills AS skills, v.availability AS availability, v.lat AS lat,
           v.lng AS lng, v.backgroundCheck AS check, v.backgroundCheckDate AS checkDate,
           collect(t.id) AS teams
    """,
    params=("validSince", "minLat", "maxLat", "minLng", "maxLng", "needs"),
    sample={
        "validSince": "2025-01-01",
        "minLat": 0.0,
        "maxLat": 0.0,
        "minLng": 0.0,
        "maxLng": 0.0,
        "needs": ["none"],
    },
)

# -- service hours ------------------------------------------------------------------

_PERIOD = "s.supersededAt IS NULL AND ($quarter IS NULL OR s.quarter = $quarter)"

#: Hours of the current versions of the services each volunteer delivered.
VOLUNTEER_HOURS = statement(
    "teams.volunteer_hours",
    f"""
    UNWIND $keys AS key
    MATCH (v:Volunteer {{id: key}})
    OPTIONAL MATCH (v)<-[:DELIVERED_BY]-(s:Service)
    WHERE {_PERIOD}
    RETURN key, sum(coalesce(s.hours, 0)) AS hours, count(DISTINCT s.id) AS services,
           count(DISTINCT CASE WHEN s.hours IS NULL THEN s.id END) AS unmeasured
    """,
    params=("keys", "quarter"),
    sample={"keys": ["none"], "quarter": None},
)

#: Person-hours of each team's members (the N and the X), from their services.
TEAM_HOURS = statement(
    "teams.team_hours",
    f"""
    UNWIND $keys AS key
    MATCH (t:VolunteerTeam {{id: key}})
    OPTIONAL MATCH (t)<-[:MEMBER_OF]-(m)<-[:DELIVERED_BY]-(s:Service)
    WHERE (m:Volunteer OR m:SocialWorker) AND {_PERIOD}
    RETURN key,
           sum(CASE WHEN m:Volunteer THEN coalesce(s.hours, 0) ELSE 0 END) AS volunteers,
           sum(CASE WHEN m:SocialWorker THEN coalesce(s.hours, 0) ELSE 0 END) AS professionals,
           count(DISTINCT s.id) AS services,
           count(DISTINCT CASE WHEN s.hours IS NULL THEN s.id END) AS unmeasured
    """,
    params=("keys", "quarter"),
    sample={"keys": ["none"], "quarter": None},
)
