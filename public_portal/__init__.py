"""The public portal: feedback from the public and the oversight commissioners' view.

It reads and writes only by executing GraphQL operations of :mod:`schema`
in-process, so the access rules live in one place. Public API:
:func:`portal_routes`.
"""

from __future__ import annotations

from public_portal.routes import portal_routes

__all__ = ["portal_routes"]
