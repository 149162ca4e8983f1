"""Demo accounts (User nodes) for Tengzhou, one per kind of user the hub serves.

Usernames are fixed so docs and tests can name them: ``admin``, ``auditor``,
``commissioner``, ``supervisor-370481001``, ``station-370481001`` and
``director-<village code>`` for the first village of 荆河街道. Accounts of
people carry that person's name as ``displayName`` (the model has no link
from a User to a Director or Supervisor node). A demo partner client,
``edu-bureau`` (the education bureau), comes with them.

Their secrets are derived from the seed, so ``weibao demo`` can print them at
every start in development, and stored as argon2id hashes; the salt is
derived too, which keeps the data set deterministic. That is acceptable for
demo accounts only: real accounts get random salts (the access issue).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret

from hub.demo.context import County
from hub.demo.divisions import TENGZHOU_CODE

DEMO_CLIENT_ID = "edu-bureau"


@dataclass(frozen=True)
class Credential:
    """A demo login or client secret, as printed in development."""

    kind: str  # "user" or "client"
    name: str
    role: str
    secret: str


def demo_secret(seed: int, name: str) -> str:
    """The demo secret of an account: stable for a seed, different per account."""
    digest = hashlib.sha256(f"weibao-demo:{seed}:{name}".encode()).hexdigest()
    return f"{name.split('-')[0]}-{digest[:10]}"


def _hash(seed: int, name: str, secret: str) -> str:
    params = PasswordHasher()
    salt = hashlib.sha256(f"weibao-demo-salt:{seed}:{name}".encode()).digest()[:16]
    return hash_secret(
        secret.encode(),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=params.hash_len,
        type=Type.ID,
    ).decode()


#: 荆河街道, the sub-district whose staff get demo accounts.
DEMO_TOWN_CODE = "370481001"


def build_accounts(county: County) -> None:
    """User rows; only Tengzhou has demo accounts."""
    if county.code != TENGZHOU_CODE:
        return
    town = next(t for t in county.towns if t.division.code == DEMO_TOWN_CODE)
    village = town.villages[0]
    director = next(d for d in county.directors if d.id == village.director_ids[0])
    # The commissioner's account is linked to their record: their notes become tasks.
    commissioner_id, (commissioner_name, commissioner_codes) = next(
        iter(county.commissioner_names.items())
    )
    accounts: list[tuple[str, str, str, list[str], str | None]] = [
        (
            "admin",
            "center_admin",
            f"{county.division.name}未成年人保护中心管理员",
            [county.code],
            None,
        ),
        ("auditor", "auditor", f"{county.division.name}民政局审计员", [county.code], None),
        ("commissioner", "commissioner", commissioner_name, commissioner_codes, commissioner_id),
        (
            f"supervisor-{DEMO_TOWN_CODE}",
            "supervisor",
            town.supervisor_name,
            [DEMO_TOWN_CODE],
            None,
        ),
        (
            f"station-{DEMO_TOWN_CODE}",
            "station_staff",
            f"{town.division.name}未成年人保护工作站",
            [DEMO_TOWN_CODE],
            None,
        ),
        (
            f"director-{village.division.code}",
            "director",
            director.person.name,
            [village.division.code],
            director.id,
        ),
    ]
    for username, role, display_name, codes, person_id in accounts:
        county.builder.node(
            "User",
            f"user-{username}",
            {
                "username": username,
                "role": role,
                "displayName": display_name,
                "regionCodes": list(codes),
                "purposes": [],
                **({"personId": person_id} if person_id else {}),
                "disabled": False,
                "failedLogins": 0,
                "passwordHash": _hash(county.seed, username, demo_secret(county.seed, username)),
            },
        )
    county.builder.node(
        "Client",
        f"client-{DEMO_CLIENT_ID}",
        {
            "clientId": DEMO_CLIENT_ID,
            "name": "滕州市教育和体育局",
            "agency": "education",
            "secretHash": _hash(
                county.seed, DEMO_CLIENT_ID, demo_secret(county.seed, DEMO_CLIENT_ID)
            ),
            "regionCodes": [county.code],
            "purposes": ["school_attendance", "dropout_follow_up"],
            "scopes": ["graphql"],
            # The agreement: children of the county (and their places), with the
            # personal fields needed to match them against school records.
            "types": ["County", "Town", "Village", "Child"],
            "fields": ["Child.name", "Child.idNumber", "Child.birthDate"],
            "trustedOnly": False,
            "disabled": False,
        },
    )


#: The demo accounts, by user name and role, in the order they are printed.
DEMO_USERS: tuple[tuple[str, str], ...] = (
    ("admin", "center_admin"),
    ("auditor", "auditor"),
    ("commissioner", "commissioner"),
    (f"supervisor-{DEMO_TOWN_CODE}", "supervisor"),
    (f"station-{DEMO_TOWN_CODE}", "station_staff"),
)


def demo_credentials(seed: int, director_username: str) -> list[Credential]:
    """What ``weibao demo`` prints in development: every demo login and the client."""
    users = [*DEMO_USERS, (director_username, "director")]
    out = [Credential("user", name, role, demo_secret(seed, name)) for name, role in users]
    out.append(Credential("client", DEMO_CLIENT_ID, "partner", demo_secret(seed, DEMO_CLIENT_ID)))
    return out
