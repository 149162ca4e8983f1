"""``submitFeedback``: the public's submission, with its tracking code shown once.

Anyone may submit, without an account (the portal executes this mutation as
the anonymous principal). Everything is checked here, not in the portal:
kinds, a subject that exists, sizes, plain text (markup is refused, see
:func:`schema.care.common.plain_text`), a photo key that names a stored blob.
Rate limits and proof-of-work belong to the portal's HTTP layer; oversized
input is refused here before any work.

The answer carries the public reference and the access code: the code is
never stored (only its hash) and cannot be shown again. A danger disclosure
(:mod:`schema.oversight.feedback_danger`) also files a mandatory report,
routed at once, and the answer says whom to call now.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from dataclasses import dataclass
from typing import Any

import strawberry

from graph.model import period_of
from graph.queries import feedback as q
from graph.queries import reports as reports_q
from schema.care import report_workflow as report_wf
from schema.care.common import key_of, now_ms, optional_text, plain_text
from schema.context import Info
from schema.errors import BadArgument
from schema.oversight import feedback_codes as codes
from schema.oversight import feedback_workflow as wf
from schema.oversight.feedback_danger import danger_words_in, situation_of
from schema.oversight.feedback_rules import FeedbackRules

MIN_DESCRIPTION = 5
MAX_DESCRIPTION = 2000
MAX_NAME = 50
#: Raw input past this many characters is refused before it is even normalised.
_RAW_FACTOR = 4
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
_BLOB_KEY = re.compile(r"^[0-9a-f]{64}$")
#: The report's reporter role: a member of the public, through the portal.
PUBLIC_REPORTER = "public"
_RECEIVED_NOTE = (
    "公众通过门户反馈提交，已即时转为强制报告 (a danger disclosure from the public portal)"
)
_REPORTED_NOTE = "反映儿童可能处于危险之中，已转为强制报告并即时转送值班人员"


@strawberry.enum(description="What kind of feedback: 投诉, 建议, 关注儿童, 表扬.")
class FeedbackKind(enum.Enum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    CONCERN = "concern"
    PRAISE = "praise"


@strawberry.input(
    one_of=True,
    description="What the feedback is about: exactly one of a town, a village, a station, a "
    "facility, or the children's director(s) of a village.",
)
class FeedbackSubjectInput:
    town_code: str | None = strawberry.field(default=strawberry.UNSET, description="9 digits")
    village_code: str | None = strawberry.field(default=strawberry.UNSET, description="12 digits")
    station_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET)
    facility_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET)
    director_of_village: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A village's 12-digit code: about its children's director(s)",
    )


@strawberry.input(description="Feedback as the public submits it.")
class SubmitFeedbackInput:
    kind: FeedbackKind
    subject: FeedbackSubjectInput
    description: str = strawberry.field(
        description=f"Plain text, {MIN_DESCRIPTION}–{MAX_DESCRIPTION} characters; no markup"
    )
    anonymous: bool = strawberry.field(
        default=False, description="Stay anonymous: then give no contact details"
    )
    contact_name: str | None = strawberry.field(default=None, description="Sealed")
    contact_phone: str | None = strawberry.field(default=None, description="Sealed")
    photo_key: str | None = strawberry.field(
        default=None, description="The blob key (sha256) of a photo the portal stored, EXIF gone"
    )
    child_in_danger: bool = strawberry.field(
        default=False, description="The submitter says a child is in danger now"
    )


@strawberry.type(description="Whom to call at once about a child in danger.")
class EmergencyContacts:
    police: str = strawberry.field(description="110")
    hotline: str = strawberry.field(description="The 24-hour line")
    hotline_name: str
    message: str


@strawberry.type(
    description="A submission's receipt. The access code is shown this once and never again."
)
class FeedbackReceipt:
    reference: str = strawberry.field(description="The public tracking reference (FK-…)")
    access_code: str = strawberry.field(description="Needed with the reference to see progress")
    urgent: bool = strawberry.field(
        description="Read as a child in danger: filed at once as a mandatory report"
    )
    emergency: EmergencyContacts | None = strawberry.field(
        description="Set when urgent: call 110 or the 24-hour line now"
    )
    accept_by: dt.date | None = strawberry.field(description="It will be accepted by this day")


@dataclass(frozen=True)
class Subject:
    """A checked subject: what the submission's edges and region are."""

    kind: str
    region: str
    ids: dict[str, str | None]


def _code(value: str, digits: int, arg: str) -> str:
    code = value.strip()
    if not (code.isdigit() and len(code) == digits):
        raise BadArgument(f"`{arg}` takes a {digits}-digit division code")
    return code


def _raw(value: str | None, arg: str, maximum: int) -> None:
    if value is not None and len(value) > maximum * _RAW_FACTOR:
        raise BadArgument(f"`{arg}` is limited to {maximum} characters")


async def check_subject(info: Info, subject: FeedbackSubjectInput) -> Subject:
    """The subject, checked to exist; its region; the ids its edges go to."""
    given = {k: v for k, v in vars(subject).items() if v is not None and v is not strawberry.UNSET}
    if len(given) != 1:
        raise BadArgument("name exactly one subject")
    town = _code(subject.town_code, 9, "townCode") if subject.town_code else None
    village = _code(subject.village_code, 12, "villageCode") if subject.village_code else None
    of_village = (
        _code(subject.director_of_village, 12, "directorOfVillage")
        if subject.director_of_village
        else None
    )
    station = key_of(subject.station_id, "Station", "stationId") if subject.station_id else None
    facility = (
        key_of(subject.facility_id, "Facility", "facilityId") if subject.facility_id else None
    )
    rows = await info.context.store.read(
        q.SUBJECT,
        {
            "townCode": town,
            "villageCode": village or of_village,
            "stationId": station,
            "facilityId": facility,
        },
    )
    found = rows[0]
    ids: dict[str, str | None] = dict.fromkeys(
        ("townId", "villageId", "stationId", "facilityId", "directorVillageId")
    )
    if town is not None:
        if found["town"] is None:
            raise BadArgument(f"no town has the code {town}")
        ids["townId"] = str(found["town"])
        return Subject("town", town, ids)
    if station is not None:
        if found["station"] is None:
            raise BadArgument("no station with that id")
        ids["stationId"] = station
        return Subject("station", str(found["stationTown"]), ids)
    if facility is not None:
        if found["facility"] is None:
            raise BadArgument("no facility with that id")
        ids["facilityId"] = facility
        return Subject("facility", str(found["facilityVillage"]), ids)
    code = village or of_village
    if found["village"] is None:
        raise BadArgument(f"no village has the code {code}")
    if of_village is not None:
        if not found["directors"]:
            raise BadArgument(f"village {code} has no children's director on record")
        ids["directorVillageId"] = str(found["village"])
        return Subject("director", str(code), ids)
    ids["villageId"] = str(found["village"])
    return Subject("village", str(code), ids)


def _contact(data: SubmitFeedbackInput) -> tuple[str | None, str | None]:
    _raw(data.contact_name, "contactName", MAX_NAME)
    _raw(data.contact_phone, "contactPhone", 20)
    name = optional_text(data.contact_name, "contactName", maximum=MAX_NAME, lines=False)
    phone = optional_text(data.contact_phone, "contactPhone", maximum=20, lines=False)
    if phone is not None and not _PHONE.match(phone):
        raise BadArgument("`contactPhone` takes a telephone number (digits, spaces, - and +)")
    if data.anonymous and (name or phone):
        raise BadArgument(
            "an anonymous submission takes no contact details: leave them out, or do not "
            "choose anonymous"
        )
    return name, phone


async def _photo(info: Info, key: str | None) -> str | None:
    if key is None or not key.strip():
        return None
    photo = key.strip()
    if not _BLOB_KEY.match(photo):
        raise BadArgument("`photoKey` takes the stored photo's key (64 hex characters)")
    blobs = info.context.blobs
    if blobs is not None and not await blobs.exists(photo):
        raise BadArgument("no stored photo has that key: upload it again")
    return photo


def _emergency(rules: FeedbackRules) -> EmergencyContacts:
    return EmergencyContacts(
        police=rules.police_number,
        hotline=rules.hotline_number,
        hotline_name=rules.hotline_name,
        message=(
            f"如儿童正面临危险，请立即拨打{rules.police_number}报警，或拨打"
            f"{rules.hotline_name}{rules.hotline_number}。您的反映已即时转交值班人员。"
        ),
    )


async def _file_report(
    info: Info, situation: str, content: str, subject: Subject, contact: tuple[str | None, ...]
) -> str:
    """File the mandatory report of a danger disclosure (routed at once, timer running)."""
    now = now_ms(info)
    month, quarter = period_of(now)
    report_id = f"report-{uuid.uuid4().hex}"
    name, phone = contact
    await info.context.store.write(
        reports_q.FILE,
        {
            "id": report_id,
            "childId": None,
            "directorId": None,
            "now": now,
            "situation": situation,
            "description": content,
            "reporterRole": PUBLIC_REPORTER,
            "reporterName": name,
            "reporterContact": phone,
            "status": report_wf.ROUTED,
            "routedTo": list(report_wf.ROUTED_TO),
            "dueAt": now + info.context.report_ack_s * 1000,
            # The place named: a village, or a town (its prefix scopes it the same way).
            "villageCode": subject.region,
            "month": month,
            "quarter": quarter,
            "source": "hub",
            "receivedAction": report_wf.RECEIVED,
            "receivedNote": _RECEIVED_NOTE,
            "receivedRole": PUBLIC_REPORTER,
            "receivedName": None,
            "routedAction": report_wf.ROUTED,
            "routedNote": report_wf.ROUTED_NOTE,
            "routedRole": report_wf.SYSTEM,
            "routedName": None,
        },
    )
    return report_id


async def submit(info: Info, data: SubmitFeedbackInput) -> FeedbackReceipt:
    """Check, detect danger, write (and file a report if urgent), hand out the code once."""
    rules = info.context.feedback_rules
    _raw(data.description, "description", MAX_DESCRIPTION)
    _raw(data.photo_key, "photoKey", 64)
    content = plain_text(
        data.description, "description", minimum=MIN_DESCRIPTION, maximum=MAX_DESCRIPTION
    )
    contact = _contact(data)
    subject = await check_subject(info, data.subject)
    photo = await _photo(info, data.photo_key)
    kind = data.kind.value
    found = danger_words_in(content, rules.danger_words)
    urgent = data.child_in_danger or bool(found)
    reference, code = codes.new_reference(), codes.new_access_code()
    hashed = await codes.hash_code(
        code, time_cost=rules.hash_time_cost, memory_kib=rules.hash_memory_kib
    )
    report_id = (
        await _file_report(info, situation_of(found).value, content, subject, contact)
        if urgent
        else None
    )
    now = now_ms(info)
    month, quarter = period_of(now)
    accept_by = None if urgent else wf.accept_due(rules, kind, now)
    params: dict[str, Any] = {
        "id": f"feedback-{uuid.uuid4().hex}",
        "now": now,
        "kind": kind,
        "content": content,
        "trackingRef": reference,
        "anonymous": data.anonymous,
        "regionCode": subject.region,
        "month": month,
        "quarter": quarter,
        "subjectKind": subject.kind,
        "contactName": contact[0],
        "contactPhone": contact[1],
        "photoKey": photo,
        "accessHash": hashed,
        "urgent": urgent,
        # A danger disclosure skips the queue: accepted by the system as it arrives.
        "status": wf.REPORTED if urgent else wf.SUBMITTED,
        "acceptDueDate": accept_by.isoformat() if accept_by else None,
        "acceptedAt": now if urgent else None,
        "acceptedOnTime": True if urgent else None,
        "replyDueDate": wf.reply_due(rules, kind, now).isoformat() if urgent else None,
        "source": "hub",
        **subject.ids,
        "reportId": report_id,
        "submittedStage": wf.STAGE_SUBMITTED,
        "reportedStage": wf.STAGE_REPORTED,
        "reportedNote": _REPORTED_NOTE,
    }
    await info.context.store.write(q.SUBMIT, params)
    return FeedbackReceipt(
        reference=reference,
        access_code=code,
        urgent=urgent,
        emergency=_emergency(rules) if urgent else None,
        accept_by=accept_by,
    )
