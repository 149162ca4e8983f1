"""Corrections of immutable events: a new version that supersedes the current one.

The correction is one statement, so it is atomic on both engines: it creates
the new version (same ``recordId``, next ``version``), links it to the version
it replaces with ``SUPERSEDES``, and stamps that version's ``supersededAt``
(the only property ever written on a recorded event). Run again, it finds no
current version with that id and changes nothing: retries are safe.
"""

from __future__ import annotations

from graph.model import EVENT_LABELS
from graph.statements import Mode, Statement, statement

CORRECT: dict[str, Statement] = {}

for _label in sorted(EVENT_LABELS):
    CORRECT[_label] = statement(
        f"events.correct.{_label}",
        f"""
        MATCH (old:{_label} {{id: $oldId}})
        WHERE old.supersededAt IS NULL
        MERGE (new:{_label} {{id: $newId}})
        ON CREATE SET new += $props, new.recordId = coalesce(old.recordId, old.id),
                      new.version = coalesce(old.version, 1) + 1, new.recordedAt = $at
        MERGE (new)-[:SUPERSEDES]->(old)
        SET old.supersededAt = $at
        RETURN new.id AS id, new.version AS version
        """,
        Mode.WRITE,
        params=("oldId", "newId", "props", "at"),
        sample={"oldId": "none", "newId": "none-2", "props": {"source": "test"}, "at": 0},
    )


def correction(label: str) -> Statement:
    """The correction statement of an event label (KeyError for a non-event label)."""
    return CORRECT[label]
