"""Global object ids: ``base64("Type:key")``, opaque to clients, stable across backends."""

from __future__ import annotations

import base64
import binascii

from schema.errors import BadArgument


def to_global_id(type_name: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, str]:
    """``(type name, key)`` of a global id; :class:`BadArgument` if it is not one."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, sep, key = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadArgument(f"not a valid id: {global_id!r}") from None
    if not sep or not type_name or not key:
        raise BadArgument(f"not a valid id: {global_id!r}")
    return type_name, key
