from __future__ import annotations

import datetime as dt
import time

import strawberry

from graph.model import CST
from graph.queries import grants
from schema.access.principal import Role
from schema.audit.types import AccessGrant
from schema.context import Info
from schema.core.ids import from_global_id
from schema.errors import BadArgument, Forbidden

MIN_REASON = 10


@strawberry.type
class AuditMutations:
    @strawberry.mutation(
        description="Break the glass: a center admin opens one child's record outside their "
        "regions, stating why. The grant lasts a limited time (3 h by default) and every read "
        "under it is flagged in the audit trail."
    )
    async def break_glass(self, info: Info, child_id: strawberry.ID, reason: str) -> AccessGrant:
        access = info.context.access
        principal = access.principal
        if principal.role is not Role.CENTER_ADMIN or principal.kind != "user":
            raise Forbidden("only a center admin may break the glass")
        type_name, key = from_global_id(str(child_id))
        if type_name != "Child":
            raise BadArgument("`childId` must be a Child's id")
        reason = reason.strip()
        if len(reason) < MIN_REASON:
            raise BadArgument(f"state the reason (at least {MIN_REASON} characters)")
        now = int(time.time() * 1000)
        expires = now + info.context.break_glass_s * 1000
        await info.context.store.write(
            grants.ADD,
            {
                "id": f"grant-{principal.subject}-{key}-{now}",
                "userId": principal.subject,
                "username": principal.name,
                "childId": key,
                "reason": reason,
                "grantedAt": now,
                "expiresAt": expires,
            },
        )
        if access.grants is not None:
            access.grants[key] = expires
        return AccessGrant(
            child_id=child_id,
            reason=reason,
            expires_at=dt.datetime.fromtimestamp(expires / 1000, CST),
        )
