"""The composition root: settings, app factory and lifespan, CLI (and, later, authentication).

Public API: :class:`Settings`, :func:`create_app`.
"""

from __future__ import annotations

from hub.app import create_app
from hub.settings import Settings

__all__ = ["Settings", "create_app"]
