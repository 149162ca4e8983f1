"""The division picker: town → village → what the feedback is about.

No map and no script needed: each step is a short list read from the schema's
public lists (towns, villages of a town, the town's station, a village's
facilities and whether it has a children's director). A subject is written
``kind:value`` in the form, e.g. ``village:370481001001`` or
``facility:<global id>``, and becomes the schema's ``subject`` input.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request

from public_portal.errors import PortalUnavailable
from public_portal.gql import Operations
from public_portal.i18n import N_

TOWNS = """
query PortalTowns($after: String) {
  towns(first: 100, after: $after, orderBy: {field: CODE}) {
    nodes { code name }
    pageInfo { hasNextPage endCursor }
  }
}
"""
VILLAGES = """
query PortalVillages($town: String!, $after: String) {
  villages(first: 100, after: $after, filter: {townCode: {eq: $town}}, orderBy: {field: CODE}) {
    nodes { code name }
    pageInfo { hasNextPage endCursor }
  }
}
"""
SUBJECTS = """
query PortalSubjects($town: String!, $village: String!, $inVillage: Boolean!) {
  stations(first: 10, filter: {townCode: {eq: $town}}) { nodes { id name } }
  facilities(first: 50, filter: {villageCode: {eq: $village}}) @include(if: $inVillage) {
    nodes { id name }
  }
  directors(first: 1, filter: {villageCode: {eq: $village}}) @include(if: $inVillage) {
    totalCount
  }
}
"""

#: Subject kinds → the field of the schema's subject input that takes the value.
SUBJECT_FIELDS = {
    "town": "townCode",
    "village": "villageCode",
    "station": "stationId",
    "facility": "facilityId",
    "director": "directorOfVillage",
}
#: Lists kept at most (a town's villages, a village's subjects…): about 1,300 here.
MAX_KEPT = 5000
_CODE = re.compile(r"^\d{6,12}$")
_SUBJECT = re.compile(r"^(town|village|station|facility|director):([A-Za-z0-9_=:+/-]{1,200})$")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    #: A label to translate (fixed words) rather than a name to show as is.
    translate: bool = False


def code_or_none(value: str | None) -> str | None:
    """A division code from the query string, if it looks like one."""
    return value if value and _CODE.match(value) else None


def subject_input(value: str | None) -> dict[str, str] | None:
    """The schema's ``subject`` input of a picked ``kind:value``, or None."""
    match = _SUBJECT.match(value or "")
    if match is None:
        return None
    return {SUBJECT_FIELDS[match.group(1)]: match.group(2)}


class Picker:
    """Reads the picker's lists through GraphQL.

    An anonymous visitor's lists are the same for everyone and change rarely (a
    division or a facility added), so they are kept for ``ttl_s`` seconds: a flood
    of forms shown again costs no graph reads. A signed-in visitor's are read
    afresh (their role may see other rows).
    """

    def __init__(
        self, ops: Operations, *, ttl_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ops = ops
        self.ttl_s = ttl_s
        self.clock = clock
        self._kept: dict[tuple[str, ...], tuple[float, list[Choice]]] = {}

    async def _cached(
        self,
        request: Request,
        key: tuple[str, ...],
        read: Callable[[], Awaitable[list[Choice]]],
    ) -> list[Choice]:
        user = request.scope.get("user")
        if user is not None and user.is_authenticated:
            return await read()
        now = self.clock()
        kept = self._kept.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        choices = await read()
        if len(self._kept) >= MAX_KEPT:
            self._kept.clear()
        self._kept[key] = (now + self.ttl_s, choices)
        return choices

    async def _paged(
        self, request: Request, document: str, field: str, **args: str
    ) -> list[Choice]:
        choices: list[Choice] = []
        after: str | None = None
        for _ in range(20):  # 2,000 rows: no town has nearly as many villages
            outcome = await self.ops.run(request, document, after=after, **args)
            if not outcome.ok or outcome.data is None:
                raise PortalUnavailable(field)
            page = outcome.data[field]
            choices += [Choice(n["code"], n["name"]) for n in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        return choices

    async def towns(self, request: Request) -> list[Choice]:
        return await self._cached(request, ("towns",), lambda: self._paged(request, TOWNS, "towns"))

    async def villages(self, request: Request, town: str) -> list[Choice]:
        return await self._cached(
            request,
            ("villages", town),
            lambda: self._paged(request, VILLAGES, "villages", town=town),
        )

    async def subjects(self, request: Request, town: str, village: str | None) -> list[Choice]:
        """What the feedback may be about in a town (and a village of it)."""
        return await self._cached(
            request,
            ("subjects", town, village or ""),
            lambda: self._subjects(request, town, village),
        )

    async def _subjects(self, request: Request, town: str, village: str | None) -> list[Choice]:
        outcome = await self.ops.run(
            request, SUBJECTS, town=town, village=village or "", inVillage=village is not None
        )
        if not outcome.ok or outcome.data is None:
            raise PortalUnavailable("subjects")
        data = outcome.data
        choices: list[Choice] = []
        if village is not None:
            choices.append(Choice(f"village:{village}", N_("本村（社区）"), translate=True))
            choices += [
                Choice(f"facility:{n['id']}", n["name"]) for n in data["facilities"]["nodes"]
            ]
            if data["directors"]["totalCount"]:
                choices.append(
                    Choice(f"director:{village}", N_("本村（社区）的儿童主任"), translate=True)
                )
        choices += [Choice(f"station:{n['id']}", n["name"]) for n in data["stations"]["nodes"]]
        choices.append(Choice(f"town:{town}", N_("本镇（街道）"), translate=True))
        return choices
