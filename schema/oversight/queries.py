from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.oversight.types"


@strawberry.type
class OversightQueries:
    supervision_tasks = list_field("SupervisionTask", "SupervisionTask", M, "Supervision tasks")
    ledger_entries = list_field("LedgerEntry", "LedgerEntry", M, "Supervision ledger (台账)")
    rectifications = list_field("Rectification", "Rectification", M, "Rectifications")
    feedback = list_field("Feedback", "Feedback", M, "Feedback from the public")
