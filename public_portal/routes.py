"""The portal's routes, put together: pages, preferences and the static files."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from pathlib import Path

import strawberry
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from public_portal.dashboard import dashboard_routes
from public_portal.feedback import feedback_routes
from public_portal.forms import FormGuard
from public_portal.gql import Operations
from public_portal.limits import LookupLimits, SubmissionLimits
from public_portal.parts import HubToken, Parts
from public_portal.pow import ProofOfWork
from public_portal.prefs import prefs_routes
from public_portal.public_pages import public_routes
from public_portal.render import STATIC_PATH, Pages
from public_portal.settings import PortalSettings
from public_portal.status import status_routes
from schema import Context

STATIC = Path(__file__).parent / "static"


def _no_hub_token(request: Request) -> str | None:
    return None


def portal_routes(
    schema: strawberry.Schema,
    context: Callable[[Request], Context],
    *,
    settings: PortalSettings | None = None,
    secret: str | None = None,
    secure_cookies: bool = False,
    hub_token: HubToken = _no_hub_token,
) -> list[BaseRoute]:
    """The portal's routes; ``context`` builds the GraphQL context of a request.

    ``secret`` signs the forms' tokens and proof-of-work challenges (default: a
    random one, good until the process ends); ``hub_token`` gives a signed-in
    visitor's session CSRF token, which the hub requires on their form posts.
    """
    settings = settings or PortalSettings()
    # A key of the portal's own, derived: the hub's secret signs sessions as it is.
    key = hashlib.sha256(
        b"weibao-portal\0" + (secret or secrets.token_hex(32)).encode()
    ).hexdigest()
    parts = Parts(
        ops=Operations(schema, context),
        pages=Pages(),
        guard=FormGuard(key, ttl_s=settings.form_ttl_s, secure_cookies=secure_cookies),
        submissions=SubmissionLimits(
            window_s=settings.submit_window_s,
            free_per_ip=settings.submit_free_per_ip,
            max_per_ip=settings.submit_max_per_ip,
            free_total=settings.submit_free_total,
            contact_window_s=settings.contact_window_s,
            max_per_contact=settings.submit_max_per_contact,
            pow_bits=settings.pow_bits,
            pow_max_bits=settings.pow_max_bits,
            secret=key.encode(),
        ),
        lookups=LookupLimits(
            window_s=settings.status_window_s, max_per_ip=settings.status_max_per_ip
        ),
        pow=ProofOfWork(key, ttl_s=settings.pow_ttl_s),
        settings=settings,
        hub_token=hub_token,
    )
    return [
        *public_routes(parts),
        *feedback_routes(parts),
        *status_routes(parts),
        *dashboard_routes(parts),
        *prefs_routes(secure_cookies=secure_cookies),
        Mount(STATIC_PATH, StaticFiles(directory=STATIC), name="portal:static"),
    ]
