"""户籍信息 household-registration extracts (CSV from the police stations): parents' whereabouts.

Only children the program has are enriched: their father and mother, with
where they are (在家, 外出务工, 服刑, 死亡, 失踪 …) — the signals that find
children in distress. Rows about anyone else are skipped and never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert
from connectors.systems.common import child_person, id_number, person_key
from connectors.systems.files import FileSettings, hashed, read_files
from connectors.systems.registry import SampleEnv, SystemSpec, register
from connectors.systems.table_specs import HOUSEHOLD_SPEC


class HouseholdRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str = ""
    name: str
    id_number: str
    gender: str | None = None
    birth_date: dt.date | None = None
    father_name: str | None = None
    father_id_number: str | None = None
    father_whereabouts: str | None = None
    father_away_place: str | None = None
    mother_name: str | None = None
    mother_id_number: str | None = None
    mother_whereabouts: str | None = None
    mother_away_place: str | None = None

    @model_validator(mode="after")
    def _key(self) -> HouseholdRow:
        self.key = hashed(self.id_number)
        return self


@dataclass(frozen=True)
class Household:
    name: str
    settings: FileSettings

    def streams(self) -> list[Stream[Any]]:
        files = self.settings.files

        def parents(r: HouseholdRow) -> list[Upsert]:
            number = id_number(r.id_number, required=True)
            key = person_key("child", number, "")
            upserts: list[Upsert] = [NodeUpsert("Child", key, {})]
            for relation, name, raw_id, where, place in (
                (
                    "父亲",
                    r.father_name,
                    r.father_id_number,
                    r.father_whereabouts,
                    r.father_away_place,
                ),
                (
                    "母亲",
                    r.mother_name,
                    r.mother_id_number,
                    r.mother_whereabouts,
                    r.mother_away_place,
                ),
            ):
                if not name:
                    continue
                parent_id = id_number(raw_id) if raw_id else None
                g_key = person_key("guardian", parent_id, hashed(f"{number}|{relation}"))
                whereabouts = where if not place else f"{where}（{place}）"
                upserts += [
                    NodeUpsert(
                        "Guardian",
                        g_key,
                        {
                            "name": "".join(name.split()),
                            "relation": relation,
                            "idNumber": parent_id,
                            "whereabouts": whereabouts,
                        },
                        primary=False,
                    ),
                    RelUpsert(
                        "Guardian", g_key, "GUARDIAN_OF", "Child", key, {"relation": relation}
                    ),
                ]
            return upserts

        return [
            Stream(
                "children",
                HouseholdRow,
                "key",
                lambda since: read_files(files, HOUSEHOLD_SPEC),
                parents,
                person=child_person,
                enrich_only=True,
            )
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    folder = env.samples / "household"
    return {
        "files": [
            {"path": str(folder / "户籍信息_荆河派出所.csv"), "town_code": "370481001"},
            {"path": str(folder / "户籍信息_官桥派出所.csv"), "town_code": "370481110"},
        ]
    }


SPEC = register(
    SystemSpec(
        name="household",
        title="户籍信息 household-registration extracts (CSV, GBK or UTF-8): parents' whereabouts",
        settings=FileSettings,
        build=lambda name, settings: Household(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=7,
    )
)
