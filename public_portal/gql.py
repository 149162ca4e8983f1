"""Running the portal's GraphQL operations in-process, with the request's principal.

The portal has no other way to the data: every page is one or two operations
of the hub's one schema, so its access rules (anonymous readers get public
rows and suppressed statistics) apply to the portal as to any client.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request

from schema import Context

log = logging.getLogger(__name__)

#: Codes of errors a visitor may read (the schema's public errors); others are masked.
PUBLIC_CODES = frozenset({"BAD_ARGUMENT", "FORBIDDEN"})
_ARGUMENT = re.compile(r"`(\w+)`")
#: Public answers kept at most (a page and its few parameters: a handful in practice).
MAX_PUBLIC = 100


@dataclass(frozen=True)
class Problem:
    """An error the schema reported: its code, message and the argument it names."""

    code: str | None
    message: str
    argument: str | None = None


@dataclass
class Outcome:
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.problems

    @property
    def refused(self) -> bool:
        """The schema refused the input (a visitor's mistake), not a failure of ours."""
        return bool(self.problems) and all(p.code in PUBLIC_CODES for p in self.problems)


class Operations:
    """Executes documents against the schema with a request's context."""

    def __init__(
        self,
        schema: strawberry.Schema,
        context: Callable[[Request], Context],
        *,
        public_ttl_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.schema = schema
        self.context = context
        self.public_ttl_s = public_ttl_s
        self.clock = clock
        self._public: dict[tuple[str, str], tuple[float, Outcome]] = {}

    async def run(self, request: Request, document: str, **variables: Any) -> Outcome:
        return await self.run_in(self.context(request), document, **variables)

    async def run_public(self, request: Request, document: str, **variables: Any) -> Outcome:
        """:meth:`run` for an anonymous visitor's aggregates, kept ``public_ttl_s`` seconds.

        Every anonymous visitor reads the same public figures, so a crowd on the
        home page costs one read every few seconds, not one per visit. A signed-in
        visitor (whose role may read more) gets a fresh answer.
        """
        user = request.scope.get("user")
        if user is not None and user.is_authenticated:
            return await self.run(request, document, **variables)
        key = (document, json.dumps(variables, sort_keys=True))
        now = self.clock()
        kept = self._public.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        outcome = await self.run(request, document, **variables)
        if outcome.ok:
            if len(self._public) >= MAX_PUBLIC:
                self._public.clear()
            self._public[key] = (now + self.public_ttl_s, outcome)
        return outcome

    async def run_in(self, context: Context, document: str, **variables: Any) -> Outcome:
        result = await self.schema.execute(
            document, variable_values=variables or None, context_value=context
        )
        problems = []
        for error in result.errors or []:
            code = (error.extensions or {}).get("code")
            if code not in PUBLIC_CODES:
                log.error("portal operation failed: %s", error.message, exc_info=error)
            named = _ARGUMENT.search(error.message)
            problems.append(Problem(code, error.message, named.group(1) if named else None))
        return Outcome(result.data, problems)
