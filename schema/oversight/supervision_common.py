"""What the supervision mutations share: who oversees, the request's day, loading results.

Reading supervision records is governed by :mod:`schema.access.policy`;
changing them is narrower. Supervisors and center admins oversee (plan tasks,
record the ledger, order rectifications) within their regions; the doer named
on a rectification submits its evidence; someone of another role signs it off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from graph.listing import CODE_LENGTHS
from schema.access.policy import Access
from schema.care.common import now_ms
from schema.context import Info
from schema.core.fields import make_object
from schema.core.registry import NODE_KINDS
from schema.core.selection import props_for
from schema.errors import BadArgument, Forbidden
from schema.oversight import supervision_workflow as wf


def require_overseer(access: Access, code: str | None, what: str) -> None:
    """Refuse ``what`` unless the reader is a supervisor or center admin covering ``code``."""
    principal = access.principal
    if principal.kind != "user" or principal.role not in wf.OVERSEERS:
        raise Forbidden(f"{what}: only supervisors and center admins may do this")
    if not principal.covers(code):
        raise Forbidden(f"{what}: {code or 'that place'} is outside your regions")


def today(info: Info) -> dt.date:
    """The request's calendar day in China Standard Time."""
    return wf.today(now_ms(info))


def quarter_of(day: dt.date) -> str:
    """``2026Q3``: the calendar quarter of a day."""
    return f"{day.year:04d}Q{(day.month + 2) // 3}"


def common_region(codes: list[str]) -> str:
    """The smallest division containing every code (a town's, else the county's…)."""
    prefix = codes[0]
    for code in codes[1:]:
        n = 0
        while n < min(len(prefix), len(code)) and prefix[n] == code[n]:
            n += 1
        prefix = prefix[:n]
    fitting = [n for n in CODE_LENGTHS if n <= len(prefix)]
    if not fitting:
        raise BadArgument("the towns share no division: give towns of one city")
    return prefix[: fitting[-1]]


def town_code(code: str | None) -> str | None:
    """The town (9-digit code) a village's or town's code lies in; None above the towns."""
    return code[:9] if code is not None and len(code) >= 9 else None


async def load_node(info: Info, type_name: str, key: str) -> Any:
    """The node just written, read back as the mutation's result (the selection decides).

    Read afresh: a mutation earlier in the same document may have cached it.
    """
    kind = NODE_KINDS[type_name]
    access = info.context.access
    props = props_for(info, kind.label, kind.cls, connection=False)
    loader = info.context.loaders.by_id(kind.label, props, access.row_params(kind.label))
    with contextlib.suppress(KeyError):  # not cached: nothing to forget
        loader.clear(key)
    row: dict[str, Any] | None = await loader.load(key)
    if row is None:
        raise Forbidden(f"the {type_name} was written, but it is outside what you may read")
    return make_object(info, type_name)(row)
