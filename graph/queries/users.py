"""People's accounts (User nodes)."""

from __future__ import annotations

from graph.statements import statement

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
