"""Marking the fields that hold a child's personal data.

Access to them is decided per reader by :mod:`schema.access.policy` when a
row becomes an object (null, masked or in full), so these are plain
attribute reads: a permission extension per field would cost ~20 µs each.
"""

from __future__ import annotations

from typing import Any

import strawberry


def personal(description: str) -> Any:
    """A personal-data field: null or masked unless the reader's role or agreement grants it."""
    return strawberry.field(
        default=None,
        description=f"{description}. Null or masked unless the reader's role or "
        "agreement grants it; every read is recorded in the audit trail.",
    )
