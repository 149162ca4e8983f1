"""Accounts and partner clients (for the demo's credential listing; the access issue adds more)."""

from __future__ import annotations

from graph.statements import statement

USERS = statement(
    "accounts.users",
    "MATCH (u:User) RETURN u.username AS username, u.role AS role ORDER BY username",
)

CLIENTS = statement(
    "accounts.clients",
    "MATCH (c:Client) RETURN c.clientId AS clientId, c.name AS name ORDER BY clientId",
)
