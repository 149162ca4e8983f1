"""Who may change the care records of a place: the write side of the access rules.

Reading is limited by :mod:`schema.access.policy`; writing is narrower. Center
admins act anywhere in their regions, station staff and supervisors in their
town, directors only for the children paired with them (checked by callers,
which know the child). Partners never change care records.
"""

from __future__ import annotations

from schema.access.policy import Access
from schema.access.principal import Role
from schema.errors import Forbidden

#: Roles that manage a town's grid, pairings and casework.
MANAGERS = frozenset({Role.CENTER_ADMIN, Role.STATION_STAFF, Role.SUPERVISOR})


def require_manager(access: Access, code: str | None, what: str) -> None:
    """Refuse ``what`` unless the reader is a person managing the place ``code``."""
    principal = access.principal
    if principal.kind != "user" or principal.role not in MANAGERS:
        raise Forbidden(f"{what}: only center admins, station staff and supervisors may do this")
    if not principal.covers(code):
        raise Forbidden(f"{what}: {code or 'that place'} is outside your regions")
