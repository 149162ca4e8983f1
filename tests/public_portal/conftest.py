"""Fixtures of the portal's in-process tests: the real hub app over the test graph with a
small synthetic corner, and visitors (each an address with its own cookies)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from graph import GraphStore
from hub.app import create_app
from hub.settings import Settings
from public_portal import PortalSettings
from public_portal.pow import solve
from tests.public_portal.world import TOWN, VILLAGE, portal_world

_TOKEN = re.compile(r'name="portal_token" value="([^"]+)"')
_SESSION_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_CHALLENGE = re.compile(r'name="pow_challenge" value="([^"]+)"')
_REFERENCE = re.compile(r'data-testid="reference">([^<]+)<')
_ACCESS_CODE = re.compile(r'data-testid="access-code">([^<]+)<')


def token_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, html[:2000]
    return found.group(1)


def challenge_of(html: str) -> str | None:
    found = _CHALLENGE.search(html)
    return found.group(1) if found else None


def receipt_of(html: str) -> tuple[str, str]:
    """The reference and access code a confirmation page shows."""
    reference, code = _REFERENCE.search(html), _ACCESS_CODE.search(html)
    assert reference, html[:3000]
    assert code, html[:3000]
    return reference.group(1), code.group(1)


@dataclass
class Visitor:
    """A browser without JavaScript: one address, its own cookies."""

    client: httpx.AsyncClient
    token: str = ""
    #: The hub session's token a signed-in visitor's form carries (hidden field).
    session_token: str | None = None
    last: httpx.Response | None = field(default=None, repr=False)

    async def open_details(self, kind: str = "complaint", village: str = VILLAGE) -> str:
        """Steps 1 and 2 of the picker; the page of step 3 (its token kept)."""
        response = await self.client.get(
            "/feedback", params={"step": "2", "kind": kind, "town": TOWN, "village": village}
        )
        assert response.status_code == 200, response.text
        self.token = token_of(response.text)
        session = _SESSION_TOKEN.search(response.text)
        self.session_token = session.group(1) if session else None
        return response.text

    async def submit(
        self, files: dict[str, Any] | None = None, *, solve_pow: bool = True, **fields: str
    ) -> httpx.Response:
        """Post step 3 (as multipart); solve a proof of work when asked (a script would)."""
        response, _ = await self.attempt(files, solve_pow=solve_pow, **fields)
        return response

    async def attempt(
        self, files: dict[str, Any] | None = None, *, solve_pow: bool = True, **fields: str
    ) -> tuple[httpx.Response, int]:
        """:meth:`submit`, and how many proofs of work it took."""
        values = {
            "portal_token": self.token,
            "kind": "complaint",
            "town": TOWN,
            "village": VILLAGE,
            "subject": f"village:{VILLAGE}",
            "description": "村里的儿童之家周末总是关门，孩子们没有地方去。",
            "website": "",
            **fields,
        }
        if self.session_token is not None:
            values["csrf_token"] = self.session_token
        for proofs in range(30):
            response = await self.client.post(
                "/feedback", data=values, files=files or {"photo": ("", b"", "")}
            )
            self.last = response
            challenge = challenge_of(response.text)
            if response.status_code != 429 or challenge is None or not solve_pow:
                return response, proofs
            values["pow_challenge"] = challenge
            values["pow_nonce"] = solve(challenge, int(challenge.split(".")[1]))
        raise AssertionError("the proof of work never ended")

    async def status(self, reference: str, code: str) -> httpx.Response:
        page = await self.client.get("/feedback/status")
        return await self.client.post(
            "/feedback/status",
            data={
                "portal_token": token_of(page.text),
                "reference": reference,
                "access_code": code,
            },
        )


VisitorFactory = Callable[[str], AbstractAsyncContextManager[Visitor]]
PortalFactory = Callable[..., AbstractAsyncContextManager[VisitorFactory]]


@pytest_asyncio.fixture
async def world(store: GraphStore) -> AsyncIterator[GraphStore]:
    async with portal_world(store) as written:
        yield written


@pytest.fixture
def portal(world: GraphStore, tmp_path: Path) -> PortalFactory:
    """``async with portal(**portal_settings) as visitor: async with visitor(ip) as v``."""

    @asynccontextmanager
    async def open_portal(**portal_settings: Any) -> AsyncIterator[VisitorFactory]:
        settings = Settings(data_dir=tmp_path, portal=PortalSettings(**portal_settings))
        app = create_app(settings, store=world)

        @asynccontextmanager
        async def visitor(ip: str = "203.0.113.10") -> AsyncIterator[Visitor]:
            async with _client(app, ip) as client:
                yield Visitor(client)

        async with app.router.lifespan_context(app):
            yield visitor

    return open_portal


def _client(app: Starlette, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://portal.test", timeout=60)
