"""What the portal's pages share: the operations, the renderer, the form defences, the limits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from public_portal.forms import FormGuard
from public_portal.gql import Operations
from public_portal.limits import LookupLimits, SubmissionLimits
from public_portal.pow import ProofOfWork
from public_portal.render import Pages
from public_portal.settings import PortalSettings

#: The hub session's CSRF token for a signed-in visitor's form posts (None: not signed in).
HubToken = Callable[[Request], str | None]


@dataclass(frozen=True)
class Parts:
    ops: Operations
    pages: Pages
    guard: FormGuard
    submissions: SubmissionLimits
    lookups: LookupLimits
    pow: ProofOfWork
    settings: PortalSettings
    hub_token: HubToken

    def form_page(
        self,
        request: Request,
        template: str,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """A page with a form: its tokens in the context, its cookie set, never cached."""
        token, cookie = self.guard.token(request)
        response = self.pages.render(
            request,
            template,
            status=status,
            private=True,
            headers=headers,
            form_token=token,
            hub_token=self.hub_token(request),
            **context,
        )
        self.guard.set_cookie(response, cookie)
        return response

    def message(
        self,
        request: Request,
        status: int,
        title: str,
        text: str,
        *,
        headers: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
        emergency: bool = False,
    ) -> HTMLResponse:
        """A page that only says something (refusals, errors).

        ``title`` and ``text`` are untranslated messages (``N_``); ``text`` may hold
        ``%(name)s`` placeholders filled from ``values``. ``emergency`` adds how to
        call the police: a refused or failed submission may have been about a child
        in danger.
        """
        return self.pages.render(
            request,
            "message.html",
            status=status,
            private=True,
            headers=headers,
            title=title,
            text=text,
            values=values or {},
            emergency=emergency,
        )


def client_ip(request: Request) -> str:
    """The visitor's address as the server saw it (a trusted proxy's header is the
    server's business: uvicorn's ``--forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"
