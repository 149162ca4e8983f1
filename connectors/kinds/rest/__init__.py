"""REST/JSON platforms as sources: paginated, authenticated, incremental, patient.

::

    spec = RestSpec(
        base_url="https://mz.example.gov.cn",
        path="/scas/api/v1/visits",
        auth=BearerAuth(token=SecretStr(token)),
        pagination=PagePagination(total_path="data.total"),
        records_path="data.items",
        since_param="updated_since",
        cursor_field="updated_at",
    )
    async with aclosing(read_rest(spec, since=bookmark)) as records:
        async for extracted in records:
            ...

See :mod:`connectors.kinds.rest._reader` for what becomes a record, a reject
or a :class:`~connectors.errors.SourceError`.
"""

from __future__ import annotations

from connectors.kinds.rest._cursor import cursor_key
from connectors.kinds.rest._reader import read_rest
from connectors.kinds.rest._spec import (
    BearerAuth,
    ClientCredentialsAuth,
    CursorPagination,
    LinkPagination,
    PagePagination,
    RestSpec,
    RetryPolicy,
)
from connectors.kinds.rest._stats import RestReadStats

__all__ = [
    "BearerAuth",
    "ClientCredentialsAuth",
    "CursorPagination",
    "LinkPagination",
    "PagePagination",
    "RestReadStats",
    "RestSpec",
    "RetryPolicy",
    "cursor_key",
    "read_rest",
]
