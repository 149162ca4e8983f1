"""What an XLSX export is: a GraphQL document, where its rows are, and their Chinese headers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Rows = Callable[[dict[str, Any]], list[dict[str, Any]]]
NextPage = Callable[[dict[str, Any]], str | None]


@dataclass(frozen=True)
class Export:
    """One spreadsheet served at ``/exports/<name>.xlsx``.

    ``query`` runs through the one schema with the request's principal, so the
    access rules decide what the sheet holds. URL parameters named in
    ``params`` become string variables of the same name. For lists longer than
    a page, ``next_page`` returns the cursor to pass as ``$after`` (or None).
    """

    name: str
    title: str
    query: str
    rows: Rows
    columns: tuple[tuple[str, str], ...]
    params: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    next_page: NextPage | None = None


def connection_rows(path: str) -> tuple[Rows, NextPage]:
    """``rows``/``next_page`` for a Relay connection at ``path`` (``"directors"``)."""

    def at(data: dict[str, Any]) -> dict[str, Any]:
        node: Any = data
        for step in path.split("."):
            node = (node or {}).get(step)
        return dict(node or {})

    def rows(data: dict[str, Any]) -> list[dict[str, Any]]:
        return list(at(data).get("nodes") or [])

    def next_page(data: dict[str, Any]) -> str | None:
        info = at(data).get("pageInfo") or {}
        return info.get("endCursor") if info.get("hasNextPage") else None

    return rows, next_page
