"""`weibao token`: (being built)."""

from __future__ import annotations


def token() -> None:
    """Print a valid access token (development only)."""
    raise NotImplementedError
