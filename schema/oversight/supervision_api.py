"""Supervision (监管网) mutations: task lists, the ledger, rectifications, commissioners' notes.

Reading is the lists of :mod:`schema.oversight.queries` (``supervisionTasks``,
``ledgerEntries``, ``rectifications``) under the access rules; these are the
writes. Each resolver is a thin front door to the module holding its rules.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.context import Info
from schema.oversight import supervision_ledger as ledger
from schema.oversight import supervision_rectifications as rect
from schema.oversight import supervision_tasks as tasks
from schema.oversight import supervision_workflow as wf
from schema.oversight.types import LedgerEntry, Rectification, SupervisionTask


@strawberry.type
class SupervisionMutations:
    @strawberry.mutation(
        description="Issue a key supervision task (重点监督任务): center admins; supervisors add "
        "sub-tasks (`parentId`) under tasks they carry."
    )
    async def create_supervision_task(
        self, info: Info, input: tasks.CreateSupervisionTaskInput
    ) -> SupervisionTask:
        return await tasks.create_task(info, input)

    @strawberry.mutation(
        description="Complete a task: refused while a sub-task or a rectification under it is "
        "not done."
    )
    async def complete_supervision_task(self, info: Info, id: strawberry.ID) -> SupervisionTask:
        return await tasks.complete_task(info, id)

    @strawberry.mutation(
        description="An oversight commissioner's note about what they oversee becomes a tracked "
        "task (origin commissioner-note) of the town's supervisor, which they can follow."
    )
    async def note_to_task(
        self, info: Info, subject_id: strawberry.ID, note: str
    ) -> SupervisionTask:
        return await tasks.note_to_task(info, subject_id, note)

    @strawberry.mutation(
        description="Record a problem found in supervision in the ledger (监督情况台账): "
        "supervisors and center admins, under an open task."
    )
    async def record_ledger_entry(
        self, info: Info, input: ledger.RecordLedgerEntryInput
    ) -> LedgerEntry:
        return await ledger.record_entry(info, input)

    @strawberry.mutation(
        description="Correct a ledger entry: a new version supersedes it (the old one is kept)."
    )
    async def correct_ledger_entry(
        self,
        info: Info,
        id: strawberry.ID,
        reason: str,
        problem: str | None = None,
        category: ledger.LedgerCategory | None = None,
        severity: ledger.LedgerSeverity | None = None,
    ) -> LedgerEntry:
        return await ledger.correct_entry(info, id, reason, problem, category, severity)

    @strawberry.mutation(
        description="Order the rectification (督促整改) of a ledger entry: who must do it and by "
        "when, in working days (China's calendar: holidays skipped, make-up working days "
        f"counted; default {wf.DEFAULT_WORKING_DAYS}) or as a date (on a rest day it runs to "
        "the next working day). Overdue from 00:00 the day after the deadline; then 催办, "
        "then 通报."
    )
    async def open_rectification(
        self,
        info: Info,
        ledger_entry_id: strawberry.ID,
        assignee: rect.RectificationAssignee,
        deadline_working_days: int | None = None,
        deadline: dt.date | None = None,
    ) -> Rectification:
        return await rect.open_rectification(
            info, ledger_entry_id, assignee, deadline_working_days, deadline
        )

    @strawberry.mutation(
        description="The doer submits what was done (text, optionally a photo's blob key); "
        "again if need be, until it is signed off."
    )
    async def submit_rectification_evidence(
        self, info: Info, id: strawberry.ID, evidence: str, photo: str | None = None
    ) -> Rectification:
        return await rect.submit_evidence(info, id, evidence, photo)

    @strawberry.mutation(
        description="Sign off (销号) the doer's work: someone in another role than the doer "
        "(never the doer). The re-check falls due `recheckAfterWorkingDays` working days later."
    )
    async def sign_off_rectification(
        self,
        info: Info,
        id: strawberry.ID,
        note: str,
        recheck_after_working_days: int = wf.DEFAULT_RECHECK_AFTER,
    ) -> Rectification:
        return await rect.sign_off(info, id, note, recheck_after_working_days)

    @strawberry.mutation(
        description="Re-check a signed-off rectification once due: HELD closes it (复查通过); "
        "RELAPSED starts a new round with a new deadline (`deadlineWorkingDays`, default the "
        "previous length)."
    )
    async def recheck_rectification(
        self,
        info: Info,
        id: strawberry.ID,
        outcome: rect.RecheckOutcome,
        note: str,
        deadline_working_days: int | None = None,
    ) -> Rectification:
        return await rect.recheck(info, id, outcome, note, deadline_working_days)
