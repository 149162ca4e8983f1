"""12345 政务服务便民热线 work orders about children (REST, rate-limited).

Each order becomes a ``Feedback`` from the public about its town, with the
order number as the tracking reference; the caller's name and phone are not
brought over (the hotline keeps them; the hub has no purpose for them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert
from connectors.kinds.rest import BearerAuth, LinkPagination, RestSpec
from connectors.systems.common import instant, iso_cst, periods, rest_extractor, town_place
from connectors.systems.registry import SampleEnv, SystemSpec, register


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base_url: str
    token: SecretStr
    page_size: int = 100


class Caller(BaseModel):
    model_config = ConfigDict(extra="ignore")
    anonymous: bool | None = None


class Location(BaseModel):
    model_config = ConfigDict(extra="ignore")
    town_code: str | None = None


class OrderRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")
    order_no: str
    category: str | None = None
    sub_category: str | None = None
    title: str | None = None
    content: str
    caller: Caller | None = None
    location: Location | None = None
    urgency: str | None = None
    status: str | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class Hotline:
    name: str
    settings: Settings

    def streams(self) -> list[Stream[Any]]:
        source = self.name
        spec = RestSpec(
            base_url=self.settings.base_url,
            path="/orders",
            auth=BearerAuth(token=self.settings.token),
            pagination=LinkPagination(page_size=min(self.settings.page_size, 100)),
            since_param="updated_since",
            cursor_field="updated_at",
        )

        def order(r: OrderRecord) -> list[Upsert]:
            key = f"feedback-{source}-{r.order_no}"
            town = r.location.town_code if r.location else None
            submitted = instant(r.created_at)
            props = {
                "kind": f"12345:{r.sub_category or r.category or '其他'}",
                "content": "\n".join(p for p in (r.title, r.content) if p),
                "submittedAt": submitted,
                "trackingRef": r.order_no,
                "anonymous": bool(r.caller.anonymous) if r.caller else True,
                "regionCode": town,
                **periods(submitted),
            }
            upserts: list[Upsert] = [NodeUpsert("Feedback", key, props)]
            if town:
                upserts += [
                    *town_place(town),
                    RelUpsert("Feedback", key, "ABOUT", "Town", f"town-{town}"),
                ]
            return upserts

        return [
            Stream(
                "orders",
                OrderRecord,
                "order_no",
                rest_extractor(spec),
                order,
                cursor_field="updated_at",
                cursor_format=iso_cst,
            )
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    return {
        "base_url": env.rest_base_url + "/hotline/api",
        "token": env.rest_tokens["hotline.token"],
    }


SPEC = register(
    SystemSpec(
        name="hotline",
        title="12345 hotline work orders about children (REST, rate-limited)",
        settings=Settings,
        build=lambda name, settings: Hotline(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=3,
    )
)
