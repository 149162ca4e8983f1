"""Who is asking: the principal every request carries, built by the hub's authentication.

``schema`` and ``public_portal`` only read principals; ``hub`` makes them
(from a bearer token or a session cookie, else :data:`ANONYMOUS`) and puts
them in ``request.user`` through Starlette's authentication middleware.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from starlette.authentication import BaseUser


class Role(StrEnum):
    CENTER_ADMIN = "center_admin"
    STATION_STAFF = "station_staff"
    SUPERVISOR = "supervisor"
    DIRECTOR = "director"
    COMMISSIONER = "commissioner"
    AUDITOR = "auditor"
    PARTNER = "partner"
    PUBLIC = "public"


#: Roles of people's accounts (``weibao users add --role``).
PERSON_ROLES: tuple[Role, ...] = (
    Role.CENTER_ADMIN,
    Role.STATION_STAFF,
    Role.SUPERVISOR,
    Role.DIRECTOR,
    Role.COMMISSIONER,
    Role.AUDITOR,
)

#: The purpose a person's reads serve unless the request states another of theirs.
DEFAULT_PURPOSE: Mapping[Role, str] = {
    Role.CENTER_ADMIN: "case_management",
    Role.STATION_STAFF: "case_management",
    Role.SUPERVISOR: "supervision",
    Role.DIRECTOR: "care",
    Role.COMMISSIONER: "oversight",
    Role.AUDITOR: "audit",
    Role.PUBLIC: "public_information",
}


@dataclass(frozen=True)
class Agreement:
    """A partner agency's data-sharing agreement, as its OAuth client records it.

    ``types`` are the labels it may read (rows within ``regions``); ``fields``
    the personal fields it may see, as ``"Child.idNumber"`` (``"Child.*"``: all
    of a label's); ``purposes`` what its requests may state.
    """

    client_id: str
    name: str
    types: frozenset[str]
    fields: frozenset[str]
    regions: tuple[str, ...]
    purposes: tuple[str, ...]
    scopes: tuple[str, ...] = ()
    trusted_only: bool = False

    def grants_field(self, label: str, prop: str) -> bool:
        return f"{label}.{prop}" in self.fields or f"{label}.*" in self.fields


@dataclass(frozen=True)
class Principal(BaseUser):
    """The reader of one request."""

    kind: Literal["user", "client", "anonymous"]
    subject: str  # the User node's id, the client id, or "anonymous"
    name: str  # user name or client id
    role: Role
    regions: tuple[str, ...] = ()  # division codes; a right covers the code's subtree
    purposes: tuple[str, ...] = ()  # what this reader's requests may serve
    purpose: str | None = None  # what this request serves (stated, or the only one)
    person_id: str | None = None  # a director's or supervisor's node id
    agreement: Agreement | None = None
    token_id: str | None = None  # jti of the bearer token, if any
    #: Break-the-glass grants in force: child id → expiry (epoch ms); None: not
    #: loaded (the schema loads a center admin's grants when it first needs them).
    grants: Mapping[str, int] | None = None

    # -- starlette.authentication.BaseUser -------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def identity(self) -> str:
        return self.subject

    def covers(self, code: str | None) -> bool:
        """Whether a division code lies in this reader's regions (a right covers a subtree)."""
        return bool(code) and any(str(code).startswith(r) for r in self.regions)


ANONYMOUS = Principal(
    kind="anonymous",
    subject="anonymous",
    name="anonymous",
    role=Role.PUBLIC,
    purposes=("public_information",),
    purpose="public_information",
)
