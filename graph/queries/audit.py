"""Statements of the access issue: audit (being built)."""

from __future__ import annotations

from graph.statements import statement  # noqa: F401
