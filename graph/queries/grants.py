"""Break-the-glass grants: a center admin's time-limited access to one child's record."""

from __future__ import annotations

from graph.statements import Mode, statement

ACTIVE = statement(
    "grants.active",
    """
    MATCH (g:AccessGrant {userId: $userId})
    WHERE g.expiresAt > $now
    RETURN g.childId AS childId, g.expiresAt AS expiresAt
    """,
    params=("userId", "now"),
    sample={"userId": "none", "now": 0},
)

ADD = statement(
    "grants.add",
    """
    MERGE (g:AccessGrant {id: $id})
    SET g.userId = $userId, g.username = $username, g.childId = $childId,
        g.reason = $reason, g.grantedAt = $grantedAt, g.expiresAt = $expiresAt
    RETURN g.expiresAt AS expiresAt
    """,
    Mode.WRITE,
    params=("id", "userId", "username", "childId", "reason", "grantedAt", "expiresAt"),
    sample={
        "id": "grant-sample",
        "userId": "none",
        "username": "none",
        "childId": "none",
        "reason": "sample",
        "grantedAt": 0,
        "expiresAt": 0,
    },
)
