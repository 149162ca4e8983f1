"""Access control: the principal of a request and the policy every path obeys."""

from __future__ import annotations

from schema.access.principal import (
    ANONYMOUS,
    DEFAULT_PURPOSE,
    PERSON_ROLES,
    Agreement,
    Principal,
    Role,
)

__all__ = ["ANONYMOUS", "DEFAULT_PURPOSE", "PERSON_ROLES", "Agreement", "Principal", "Role"]
