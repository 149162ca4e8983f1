from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.audit.types"


@strawberry.type
class AuditQueries:
    access_events = list_field(
        "AccessEvent",
        "AccessEvent",
        M,
        "The audit trail (auditors): filter by child (`filter: {child: <Child id>}`), "
        "principal (`user:<name>`), time (`at`), purpose; ordered by `seq`.",
    )
