"""Children's personal data, closed by default.

Until the access rules (row, field and purpose policies) arrive, every field
holding a child's personal data is null unless the request context opens it,
which only a development setting does. Fields marked here are exactly those
the model marks ``sensitive``.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission, PermissionExtension


class PersonalData(BasePermission):
    message = "personal data is not available to this reader"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.personal_data)


def personal(description: str | None = None) -> Any:
    """A field that is null unless the reader may see personal data."""
    return strawberry.field(
        description=description,
        extensions=[PermissionExtension(permissions=[PersonalData()], fail_silently=True)],
    )
