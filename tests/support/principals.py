"""Principals for in-process schema tests, shaped as the hub's backend makes them."""

from __future__ import annotations

from dataclasses import replace

from schema.access import ANONYMOUS, DEFAULT_PURPOSE, Agreement, Principal, Role

TENGZHOU = "370481"
JINGHE = "370481001"  # 荆河街道

ADMIN = Principal(
    kind="user",
    subject="user-admin",
    name="admin",
    role=Role.CENTER_ADMIN,
    regions=(TENGZHOU,),
    purposes=("case_management",),
    purpose="case_management",
    grants={},
)

#: A center admin whose regions cover every division code (tests on synthetic codes).
ADMIN_EVERYWHERE = replace(ADMIN, regions=tuple(f"{d:02d}" for d in range(100)))

PUBLIC = ANONYMOUS


def user(role: Role, regions: tuple[str, ...], *, person_id: str | None = None) -> Principal:
    purpose = DEFAULT_PURPOSE[role]
    return Principal(
        kind="user",
        subject=f"user-{role.value}",
        name=role.value,
        role=role,
        regions=regions,
        purposes=(purpose,),
        purpose=purpose,
        person_id=person_id,
        grants={} if role is Role.CENTER_ADMIN else None,
    )


def partner(
    types: frozenset[str],
    fields: frozenset[str],
    *,
    regions: tuple[str, ...] = (TENGZHOU,),
    purpose: str | None = "school_attendance",
) -> Principal:
    agreement = Agreement(
        client_id="edu-bureau",
        name="滕州市教育和体育局",
        types=types,
        fields=fields,
        regions=regions,
        purposes=("school_attendance", "dropout_follow_up"),
    )
    return Principal(
        kind="client",
        subject="edu-bureau",
        name="edu-bureau",
        role=Role.PARTNER,
        regions=regions,
        purposes=agreement.purposes,
        purpose=purpose,
        agreement=agreement,
    )
