"""Statements of the audit trail: the append-only, hash-chained ``AccessEvent`` nodes.

The chain logic lives in :mod:`graph.audit`; these are only its round trips.
There is deliberately no statement that changes or deletes an event.
"""

from __future__ import annotations

from graph.statements import Mode, statement

_SAMPLE_ANCHOR = "audit-head-sample"

# One statement writes a whole batch and moves the head anchor, so the two can
# never disagree: both engines run a statement atomically (a unique-key
# collision on any event's id rolls the whole batch and the anchor back).
# ``WHERE written > 0`` keeps an empty batch from touching the anchor.
APPEND = statement(
    "audit.append",
    """
    UNWIND $events AS ev
    CREATE (e:AccessEvent {id: ev.id})
    SET e += ev
    WITH count(e) AS written
    WHERE written > 0
    MERGE (h:Meta {id: $anchorId})
    SET h.value = $head
    RETURN written
    """,
    Mode.WRITE,
    params=("events", "anchorId", "head"),
    # An empty batch writes nothing, so the sample leaves the shared test graph as it was.
    sample={"events": [], "anchorId": _SAMPLE_ANCHOR, "head": "0:" + "0" * 64},
)

# Declared as a write, though it only reads, so that on a Neo4j cluster it is
# answered by the leader: after a collision with another hub's append, a
# lagging replica would still show the old head and the retry would collide again.
HEAD = statement(
    "audit.head",
    "MATCH (h:Meta {id: $anchorId}) RETURN h.value AS value",
    Mode.WRITE,
    params=("anchorId",),
    sample={"anchorId": _SAMPLE_ANCHOR},
)

COUNT = statement("audit.count", "MATCH (e:AccessEvent) RETURN count(e) AS events")

# A window of seq values rather than ``seq > $after ORDER BY seq LIMIT n``: on
# the seq index each window is a range scan of its own size, so reading the
# whole trail is linear, where ORDER BY … LIMIT would rank every later event
# for every page. Ordering by id as well keeps a duplicated seq (a forged
# event) in a stable order; ``$limit`` caps a window tampering filled with copies.
WINDOW = statement(
    "audit.window",
    """
    MATCH (e:AccessEvent)
    WHERE e.seq > $after AND e.seq <= $until
    RETURN e.seq AS seq, e.id AS id, properties(e) AS props
    ORDER BY seq, id
    LIMIT $limit
    """,
    params=("after", "until", "limit"),
    sample={"after": 0, "until": 1000, "limit": 1000},
)

# Where the trail goes on after an empty window: only a removed run of events
# longer than a window makes one, so this scan runs on tampered trails only.
NEXT_SEQ = statement(
    "audit.next_seq",
    "MATCH (e:AccessEvent) WHERE e.seq > $after RETURN min(e.seq) AS next",
    params=("after",),
    sample={"after": 0},
)
