"""Demo accounts (User nodes) for Tengzhou, one per kind of user the hub serves.

Usernames are fixed so docs and tests can name them: ``admin``, ``auditor``,
``commissioner``, ``supervisor-370481001``, ``station-370481001`` and
``director-<village code>`` for the first village of 荆河街道. Accounts of
people carry that person's name as ``displayName`` (the model has no link
from a User to a Director or Supervisor node). No passwords: authentication
adds them.
"""

from __future__ import annotations

from hub.demo.context import County
from hub.demo.divisions import TENGZHOU_CODE

#: 荆河街道, the sub-district whose staff get demo accounts.
DEMO_TOWN_CODE = "370481001"


def build_accounts(county: County) -> None:
    """User rows; only Tengzhou has demo accounts."""
    if county.code != TENGZHOU_CODE:
        return
    town = next(t for t in county.towns if t.division.code == DEMO_TOWN_CODE)
    village = town.villages[0]
    director = next(d for d in county.directors if d.id == village.director_ids[0])
    commissioner_name, commissioner_codes = next(iter(county.commissioner_names.values()))
    accounts: list[tuple[str, str, str, list[str]]] = [
        ("admin", "center_admin", f"{county.division.name}未成年人保护中心管理员", [county.code]),
        ("auditor", "auditor", f"{county.division.name}民政局审计员", [county.code]),
        ("commissioner", "commissioner", commissioner_name, commissioner_codes),
        (f"supervisor-{DEMO_TOWN_CODE}", "supervisor", town.supervisor_name, [DEMO_TOWN_CODE]),
        (
            f"station-{DEMO_TOWN_CODE}",
            "station_staff",
            f"{town.division.name}未成年人保护工作站",
            [DEMO_TOWN_CODE],
        ),
        (
            f"director-{village.division.code}",
            "director",
            director.person.name,
            [village.division.code],
        ),
    ]
    for username, role, display_name, codes in accounts:
        county.builder.node(
            "User",
            f"user-{username}",
            {
                "username": username,
                "role": role,
                "displayName": display_name,
                "regionCodes": list(codes),
                "disabled": False,
            },
        )
