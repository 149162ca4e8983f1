"""Partner agencies' OAuth clients (Client nodes) and revoked access tokens (RevokedToken).

A client's node id is ``client-<clientId>`` (as the demo's ``client-edu-bureau``);
statements match on that unique id. Every statement that changes a client returns
the ``clientId`` it touched, so a caller can tell "no such client" from "done".
"""

from __future__ import annotations

from graph.statements import Mode, statement

CLIENT_BY_ID = statement(
    "clients.by_id",
    "MATCH (c:Client {id: $id}) RETURN c {.*} AS client",
    params=("id",),
    sample={"id": "none"},
)

CLIENTS_ALL = statement(
    "clients.all",
    "MATCH (c:Client) WITH c ORDER BY c.clientId RETURN c {.*} AS client",
)

# MERGE on the unique id: of two concurrent creations of one client, one creates
# it (nodes_created == 1) and the other sees it exists and changes nothing.
CREATE_CLIENT = statement(
    "clients.create",
    "MERGE (c:Client {id: $id}) ON CREATE SET c += $props RETURN c.clientId AS clientId",
    Mode.WRITE,
    params=("id", "props"),
    sample={
        "id": "client-sample",
        "props": {"source": "test", "clientId": "sample", "regionCodes": ["3704"]},
    },
)

SET_CLIENT_DISABLED = statement(
    "clients.set_disabled",
    "MATCH (c:Client {id: $id}) SET c.disabled = $disabled RETURN c.clientId AS clientId",
    Mode.WRITE,
    params=("id", "disabled"),
    sample={"id": "none", "disabled": True},
)

SET_CLIENT_SECRET = statement(
    "clients.set_secret",
    """
    MATCH (c:Client {id: $id})
    SET c.secretHash = $hash, c.secretRotatedAt = $rotatedAt
    RETURN c.clientId AS clientId
    """,
    Mode.WRITE,
    params=("id", "hash", "rotatedAt"),
    sample={"id": "none", "hash": "x", "rotatedAt": 0},
)

# A revocation is written once; revoking a token twice keeps the first record.
REVOKE_TOKEN = statement(
    "clients.revoke_token",
    """
    MERGE (t:RevokedToken {id: $id})
    ON CREATE SET t.jti = $jti, t.expiresAt = $expiresAt, t.revokedAt = $revokedAt,
        t.source = $source
    """,
    Mode.WRITE,
    params=("id", "jti", "expiresAt", "revokedAt", "source"),
    sample={
        "id": "revoked-sample",
        "jti": "sample",
        "expiresAt": 0,
        "revokedAt": 0,
        "source": "test",
    },
)

# Only tokens not yet expired matter: an expired token fails validation anyway.
REVOKED_TOKENS = statement(
    "clients.revoked_tokens",
    "MATCH (t:RevokedToken) WHERE t.expiresAt > $now RETURN t.jti AS jti, t.expiresAt AS expiresAt",
    params=("now",),
    sample={"now": 0},
)

PRUNE_REVOKED_TOKENS = statement(
    "clients.prune_revoked_tokens",
    "MATCH (t:RevokedToken) WHERE t.expiresAt <= $now DELETE t",
    Mode.WRITE,
    params=("now",),
    sample={"now": 0},
)
