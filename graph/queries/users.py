"""People's accounts (User nodes): look-ups, creation, and the login state.

Every statement that changes an account matches it by ``username`` (the
account's name in commands and at login) or ``id`` and returns the ``id`` it
touched, so a caller can tell "no such account" from "done" and drop its
cached copy.
"""

from __future__ import annotations

from graph.statements import Mode, statement

USER_BY_USERNAME = statement(
    "users.by_username",
    "MATCH (u:User {username: $username}) RETURN u {.*} AS user",
    params=("username",),
    sample={"username": "none"},
)

USER_BY_ID = statement(
    "users.by_id",
    "MATCH (u:User {id: $id}) RETURN u {.*} AS user",
    params=("id",),
    sample={"id": "none"},
)

USERS_ALL = statement(
    "users.all",
    "MATCH (u:User) RETURN u.username AS username, u {.*} AS user ORDER BY username",
)

# MERGE on the unique id: of two concurrent creations of one account, one
# creates it (nodes_created == 1) and the other sees it exists.
CREATE_USER = statement(
    "users.create",
    "MERGE (u:User {id: $id}) ON CREATE SET u += $props",
    Mode.WRITE,
    params=("id", "props"),
    sample={
        "id": "user-sample",
        "props": {"source": "test", "username": "sample", "regionCodes": ["3704"]},
    },
)

SET_DISABLED = statement(
    "users.set_disabled",
    "MATCH (u:User {username: $username}) SET u.disabled = $disabled RETURN u.id AS id",
    Mode.WRITE,
    params=("username", "disabled"),
    sample={"username": "none", "disabled": True},
)

# A new password also lifts a lockout; passwordChangedAt ends older sessions.
SET_PASSWORD = statement(
    "users.set_password",
    """
    MATCH (u:User {username: $username})
    SET u.passwordHash = $hash, u.passwordChangedAt = $changedAt,
        u.failedLogins = 0, u.lockedUntil = null
    RETURN u.id AS id
    """,
    Mode.WRITE,
    params=("username", "hash", "changedAt"),
    sample={"username": "none", "hash": "x", "changedAt": 0},
)

# The same password under stronger hashing parameters: sessions stay valid,
# and a password changed meanwhile (another hash) is left alone.
REHASH_PASSWORD = statement(
    "users.rehash_password",
    """
    MATCH (u:User {id: $id})
    WHERE u.passwordHash = $old
    SET u.passwordHash = $hash
    RETURN u.id AS id
    """,
    Mode.WRITE,
    params=("id", "old", "hash"),
    sample={"id": "none", "old": "x", "hash": "y"},
)

SET_TOTP_SECRET = statement(
    "users.set_totp_secret",
    "MATCH (u:User {username: $username}) SET u.totpSecret = $secret RETURN u.id AS id",
    Mode.WRITE,
    params=("username", "secret"),
    sample={"username": "none", "secret": "x"},
)

# One failed login, counted atomically (the increment reads the property
# inside SET, so concurrent failures are not lost on Neo4j). ``$waitsMs[n]``
# is how long the account then refuses attempts after n failures in a row
# (the last entry holds for any larger n); the login policy computes it.
# ``lockedUntil`` only ever moves forward here.
RECORD_FAILURE = statement(
    "users.record_failure",
    """
    MATCH (u:User {username: $username})
    SET u.failedLogins = coalesce(u.failedLogins, 0) + 1
    WITH u, $waitsMs[
        CASE WHEN u.failedLogins < size($waitsMs) THEN u.failedLogins ELSE size($waitsMs) - 1 END
    ] AS waitMs
    SET u.lockedUntil = CASE
        WHEN waitMs > 0 AND $now + waitMs > coalesce(u.lockedUntil, 0) THEN $now + waitMs
        ELSE u.lockedUntil
    END
    RETURN u.id AS id, u.failedLogins AS failedLogins, u.lockedUntil AS lockedUntil
    """,
    Mode.WRITE,
    params=("username", "waitsMs", "now"),
    sample={"username": "none", "waitsMs": [0, 0, 1000, 900000], "now": 0},
)

RECORD_SUCCESS = statement(
    "users.record_success",
    """
    MATCH (u:User {username: $username})
    SET u.failedLogins = 0, u.lockedUntil = null
    RETURN u.id AS id
    """,
    Mode.WRITE,
    params=("username",),
    sample={"username": "none"},
)
