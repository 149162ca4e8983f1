"""What the system connectors share: people's keys, instants, places, REST streams."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from connectors.core.records import Extracted
from connectors.core.stream import NodeUpsert, Person, RelUpsert, Upsert
from connectors.identity import idnumber
from connectors.kinds.rest import RestSpec, read_rest
from graph.model import CST, period_of


def id_number(raw: str | None, *, required: bool = False) -> str | None:
    """A resident ID number validated and normalised (15 digits upgraded), or None if absent.

    An ID number that is there but wrong rejects the record (``ValueError``):
    a record must not be filed under a mistyped person.
    """
    if raw is None or not str(raw).strip():
        if required:
            raise ValueError("no resident ID number")
        return None
    parsed = idnumber.parse(raw)
    if isinstance(parsed, idnumber.IdError):
        raise ValueError(
            f"resident ID number {idnumber.mask(idnumber.normalise(raw))}: {parsed.reason}"
        )
    return parsed.value


def check_birth(id18: str | None, birth: dt.date | None) -> None:
    """The birth date in the ID number and the record's must agree."""
    if id18 is None or birth is None:
        return
    if id18[6:14] != birth.strftime("%Y%m%d"):
        raise ValueError(
            f"birth date {birth.isoformat()} disagrees with the ID number's ({id18[6:10]}-"
            f"{id18[10:12]}-{id18[12:14]})"
        )


def person_key(prefix: str, id18: str | None, fallback: str) -> str:
    """A node key that does not carry the ID number itself (keys show in ids and logs)."""
    if id18 is None:
        return f"{prefix}-{fallback}"
    return f"{prefix}-{hashlib.sha256(id18.encode()).hexdigest()[:20]}"


def child_person(record: Any) -> Person:
    """Who a record about a child is, for identity resolution.

    Records of every system name them alike: ``id_number``, ``name``,
    ``birth_date`` and ``gender``, and ``village_code`` where the system has one.
    (The stream's mapping has rejected a record with a wrong ID number already.)
    """
    birth = record.birth_date
    return Person(
        "Child",
        id_number(record.id_number),
        "".join(str(record.name).split()),
        birth.isoformat() if birth else None,
        getattr(record, "village_code", None),
        gender(record.gender),
    )


def gender(value: str | None) -> str | None:
    return {"男": "male", "女": "female", "1": "male", "2": "female"}.get(
        (value or "").strip(), value or None
    )


def instant(value: dt.datetime | None) -> int | None:
    """Epoch milliseconds of an aware instant (naive ones are China time)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=CST)
    return int(value.timestamp() * 1000)


def periods(ms: int | None) -> dict[str, str]:
    if ms is None:
        return {}
    month, quarter = period_of(ms)
    return {"month": month, "quarter": quarter}


def cst_text(value: Any) -> str:
    """``2026-03-05 09:30:00`` in China time: how some platforms take their cursor back."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=CST)
        return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def iso_cst(value: Any) -> str:
    """``2026-03-05T09:30:00+08:00``: an ISO instant in China time, as the platform writes it."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=CST)
        return moment.astimezone(CST).isoformat()
    return str(value)


def place(village_code: str | None, village_name: str | None = None) -> list[Upsert]:
    """The village a record names (and its town), as secondary nodes."""
    if not village_code:
        return []
    code = village_code.strip()
    if not (code.isdigit() and len(code) == 12):
        raise ValueError(f"village code {village_code!r} is not a 12-digit division code")
    town = code[:9]
    village_props: dict[str, Any] = {"code": code, "townCode": town}
    if village_name:
        village_props["name"] = village_name
    return [
        NodeUpsert("Village", f"village-{code}", village_props, primary=False),
        NodeUpsert("Town", f"town-{town}", {"code": town}, primary=False),
        RelUpsert("Village", f"village-{code}", "PART_OF", "Town", f"town-{town}"),
    ]


def town_place(town_code: str | None) -> list[Upsert]:
    if not town_code:
        return []
    code = town_code.strip()
    if not (code.isdigit() and len(code) == 9):
        raise ValueError(f"town code {town_code!r} is not a 9-digit division code")
    return [NodeUpsert("Town", f"town-{code}", {"code": code}, primary=False)]


def rest_extractor(spec: RestSpec) -> Callable[[str | None], AsyncIterator[Extracted]]:
    def extract(since: str | None) -> AsyncIterator[Extracted]:
        return read_rest(spec, since)

    return extract
