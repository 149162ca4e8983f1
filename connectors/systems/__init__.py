"""The connectors of the program's seven systems, by name (``system = "…"`` in the sources file).

Each module declares its settings (pydantic), builds its source from a
:class:`connectors.config.SourceConfig`, and knows the settings that point
it at the shipped samples (``weibao sync --samples``).
"""

from __future__ import annotations

from connectors.systems import (  # noqa: F401 - importing registers them
    child_welfare,
    civil_affairs,
    education,
    hotline,
    household,
    projects,
    volunteers,
)
from connectors.systems.registry import SYSTEMS, SampleEnv, SystemSpec

__all__ = ["SYSTEMS", "SampleEnv", "SystemSpec"]
