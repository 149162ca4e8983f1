"""Connectors that bring the program's existing systems into the graph (issue: connectors)."""

from __future__ import annotations

__all__: list[str] = []
