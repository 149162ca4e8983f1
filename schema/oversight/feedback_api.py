"""Feedback from the public over GraphQL: the root fields of queries and mutations.

The public portal reads and writes only through these (executed in-process
as the anonymous principal): ``submitFeedback``, ``feedbackStatus``,
``rateFeedback`` and ``feedbackRates``. Staff handle feedback with the other
mutations; they list it with ``feedback`` (see :mod:`schema.oversight.queries`),
which the access policy scopes and seals.
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.oversight import feedback_handling as handling
from schema.oversight.feedback_handling import FeedbackAssigneeInput
from schema.oversight.feedback_rates import FeedbackRates, feedback_rates
from schema.oversight.feedback_status import FeedbackStatus, feedback_status, rate
from schema.oversight.feedback_submit import FeedbackReceipt, SubmitFeedbackInput, submit
from schema.oversight.types import Feedback


@strawberry.type
class FeedbackQueries:
    @strawberry.field(
        description="A submission's progress for the holder of its tracking code: null for an "
        "unknown reference or a wrong access code alike."
    )
    async def feedback_status(
        self, info: Info, reference: str, access_code: str
    ) -> FeedbackStatus | None:
        return await feedback_status(info, reference, access_code)

    @strawberry.field(
        description="Response, resolution and satisfaction rates per town and department, "
        "over the reader's regions; `period`: 2026, 2026-03 or 2026Q1. Small counts are "
        "withheld from statistics-only readers."
    )
    async def feedback_rates(
        self, info: Info, in_region: str | None = None, period: str | None = None
    ) -> FeedbackRates:
        return await feedback_rates(info, in_region, period)


@strawberry.type
class FeedbackMutations:
    @strawberry.mutation(
        description="Submit feedback (no account needed). The receipt's access code is shown "
        "once. A child in danger: filed at once as a mandatory report, and the receipt says "
        "whom to call."
    )
    async def submit_feedback(self, info: Info, input: SubmitFeedbackInput) -> FeedbackReceipt:
        return await submit(info, input)

    @strawberry.mutation(
        description="The submitter rates the reply (1-5) with their tracking code; 2 or less "
        "reopens the case. Null when the code opens nothing."
    )
    async def rate_feedback(
        self,
        info: Info,
        reference: str,
        access_code: str,
        rating: int,
        comment: str | None = None,
    ) -> FeedbackStatus | None:
        return await rate(info, reference, access_code, rating, comment)

    @strawberry.mutation(description="受理: accept a submission (starts the reply deadline).")
    async def accept_feedback(
        self, info: Info, id: strawberry.ID, note: str | None = None
    ) -> Feedback:
        return await handling.accept(info, id, note)

    @strawberry.mutation(description="转办: pass it to the town's station or a department.")
    async def assign_feedback(
        self, info: Info, id: strawberry.ID, to: FeedbackAssigneeInput, note: str | None = None
    ) -> Feedback:
        return await handling.assign(info, id, to, note)

    @strawberry.mutation(description="办理: record what was done (`note`, required).")
    async def handle_feedback(self, info: Info, id: strawberry.ID, note: str) -> Feedback:
        return await handling.handle(info, id, note)

    @strawberry.mutation(description="答复: the reply the submitter reads with their code.")
    async def reply_to_feedback(
        self, info: Info, id: strawberry.ID, reply: str, note: str | None = None
    ) -> Feedback:
        return await handling.reply(info, id, reply, note)

    @strawberry.mutation(
        description="回访: the follow-up call's satisfaction rating (1-5); 2 or less reopens "
        "the case with a new reply deadline."
    )
    async def follow_up_feedback(
        self, info: Info, id: strawberry.ID, rating: int, note: str | None = None
    ) -> Feedback:
        return await handling.follow_up(info, id, rating, note)

    @strawberry.mutation(
        description="Ask for more time to reply (working days, with the reason); a center "
        "admin decides."
    )
    async def request_feedback_extension(
        self, info: Info, id: strawberry.ID, working_days: int, reason: str
    ) -> Feedback:
        return await handling.request_extension(info, id, working_days, reason)

    @strawberry.mutation(
        description="Approve or refuse a request for more time (center admins, not the one who "
        "asked); an approval moves the reply deadline by the working days asked."
    )
    async def decide_feedback_extension(
        self, info: Info, id: strawberry.ID, approve: bool, note: str | None = None
    ) -> Feedback:
        return await handling.decide_extension(info, id, approve, note)
