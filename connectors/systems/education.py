"""教育学籍 education student status (SQL): school enrolment and dropout of children in care.

Only children the program already has are enriched (``schoolStatus``); the
bureau's records of every other pupil are skipped and never stored. A pupil
is recognised by a valid resident ID number, else by name, birth date and
village (confident matches only; uncertain ones go to the review queue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from connectors.core.stream import NodeUpsert, Stream, Upsert
from connectors.kinds.sql import SqlSpec, make_engine, read_sql
from connectors.systems.common import child_person, cst_text, id_number, person_key
from connectors.systems.registry import SampleEnv, SystemSpec, register

#: 学籍状态 → the Child's schoolStatus.
STATUS = {"在读": "在校", "休学": "休学", "辍学": "辍学", "转学": "转学"}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str  # postgresql+psycopg://reader@host/xueji or sqlite:///…
    password: SecretStr | None = None
    table: str = "students"
    batch_size: int = 1000


class StudentRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int
    student_no: str
    name: str
    id_number: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    status: str
    status_changed_at: dt.date | None = None
    village_code: str | None = None
    updated_at: dt.datetime


@dataclass(frozen=True)
class Education:
    name: str
    settings: Settings

    def streams(self) -> list[Stream[Any]]:
        s = self.settings
        spec = SqlSpec(
            url=s.url,
            password=s.password,
            table=s.table,
            cursor_column="updated_at",
            key_columns=["id"],
            batch_size=s.batch_size,
        )
        engine = make_engine(spec)

        def extract(since: str | None) -> Any:
            return read_sql(spec, since, engine=engine)

        def student(r: StudentRecord) -> list[Upsert]:
            if r.status.strip() not in STATUS:
                raise ValueError(f"学籍状态 {r.status!r} is not one of {', '.join(STATUS)}")
            number = id_number(r.id_number)
            key = person_key("child", number, f"{self.name}-{r.id}")
            return [NodeUpsert("Child", key, {"schoolStatus": STATUS[r.status.strip()]})]

        return [
            Stream(
                "students",
                StudentRecord,
                "id",
                extract,
                student,
                cursor_field="updated_at",
                cursor_format=cst_text,
                person=child_person,
                enrich_only=True,
            )
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    return {"url": f"sqlite:///{env.samples / 'education' / 'education.sqlite'}"}


SPEC = register(
    SystemSpec(
        name="education",
        title="教育学籍 student status (SQL): enrolment and dropout of children in care",
        settings=Settings,
        build=lambda name, settings: Education(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=8,
        # The bureau is the authority on school status, over every other source.
        field_precedence={"schoolStatus": 100},
    )
)
