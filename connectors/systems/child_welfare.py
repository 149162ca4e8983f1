"""儿童福利台账 child-welfare ledgers (Excel, one workbook per town office).

Each category's sheet (困境儿童, 事实无人抚养儿童, 孤儿) lists the children in
that category with their guardians; the sheet's name is the category. The
ledgers are re-read in full each time; unchanged rows are recognised by hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert
from connectors.systems.common import (
    check_birth,
    child_person,
    gender,
    id_number,
    person_key,
    place,
)
from connectors.systems.divisions import village_code
from connectors.systems.files import FileSet, FileSettings, hashed, read_files
from connectors.systems.registry import SampleEnv, SystemSpec, register
from connectors.systems.table_specs import CHILD_WELFARE_SPEC

CATEGORIES = ("事实无人抚养儿童", "困境儿童", "孤儿", "留守儿童")


class LedgerRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str = ""
    town: str = ""
    sheet: str | None = None
    village: str | None = None
    name: str
    gender: str | None = None
    id_number: str
    birth_date: dt.date | None = None
    address: str | None = None
    guardian_name: str | None = None
    guardian_relation: str | None = None
    guardian_phone: str | None = None
    enrolled_date: dt.date | None = None
    school_status: str | None = None
    health: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _town(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, "town": data.get("_town", "")}
        return data

    @model_validator(mode="after")
    def _key(self) -> LedgerRow:
        self.key = hashed(self.id_number)
        return self


@dataclass(frozen=True)
class ChildWelfare:
    name: str
    settings: FileSettings

    def streams(self) -> list[Stream[Any]]:
        files = self.settings.files

        def child(r: LedgerRow) -> list[Upsert]:
            number = id_number(r.id_number, required=True)
            assert number is not None  # required: a missing number raised
            check_birth(number, r.birth_date)
            if not r.village:
                raise ValueError("no village (村（居）) given")
            village = village_code(r.town, r.village)
            category = next((c for c in CATEGORIES if r.sheet and c in r.sheet), None)
            key = person_key("child", number, "")
            props = {
                "name": "".join(r.name.split()),
                "gender": gender(r.gender),
                "birthDate": r.birth_date.isoformat() if r.birth_date else None,
                "idNumber": number,
                "categories": [category] if category else [],
                "primaryCategory": category,
                "address": r.address,
                "enrolledDate": r.enrolled_date.isoformat() if r.enrolled_date else None,
                "schoolStatus": r.school_status,
                "healthNotes": r.health,
                "villageCode": village,
            }
            upserts: list[Upsert] = [
                NodeUpsert("Child", key, props),
                *place(village),
                RelUpsert("Child", key, "LIVES_IN", "Village", f"village-{village}"),
            ]
            if r.guardian_name:
                g_key = f"guardian-{hashed(number + '|' + r.guardian_name)}"
                upserts += [
                    NodeUpsert(
                        "Guardian",
                        g_key,
                        {
                            "name": "".join(r.guardian_name.split()),
                            "relation": r.guardian_relation,
                            "phone": r.guardian_phone,
                            "villageCode": village,
                        },
                        primary=False,
                    ),
                    RelUpsert(
                        "Guardian",
                        g_key,
                        "GUARDIAN_OF",
                        "Child",
                        key,
                        {"relation": r.guardian_relation},
                    ),
                ]
            return upserts

        return [
            Stream(
                "children",
                LedgerRow,
                "key",
                lambda since: read_files(files, CHILD_WELFARE_SPEC),
                child,
                person=child_person,
            )
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    folder = env.samples / "child_welfare"
    return {
        "files": [
            {"path": str(folder / "荆河街道儿童福利台账.xlsx"), "town_code": "370481001"},
            {"path": str(folder / "滨湖镇儿童福利台账（2025年度）.xls"), "town_code": "370481104"},
        ]
    }


SPEC = register(
    SystemSpec(
        name="child_welfare",
        title="儿童福利台账 child-welfare ledgers (Excel .xlsx/.xls, per town office)",
        settings=FileSettings,
        build=lambda name, settings: ChildWelfare(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=6,
    )
)

__all__ = ["SPEC", "FileSet"]
