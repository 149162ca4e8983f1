"""The public portal: feedback from the public, its tracking, and the transparency page.

It reads and writes only by executing GraphQL operations of :mod:`schema`
in-process, so the access rules live in one place. Public API:
:func:`portal_routes` and its settings section :class:`PortalSettings`.
"""

from __future__ import annotations

from public_portal.routes import portal_routes
from public_portal.settings import PortalSettings

__all__ = ["PortalSettings", "portal_routes"]
