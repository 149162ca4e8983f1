"""The feedback form's fields: reading them from a post, checking them, and the schema input.

The portal checks what it can say better than the schema (a missing choice,
an empty description, a phone number of letters) so the visitor sees the
mistake by their field, in their language; the schema checks everything again
(known divisions, sizes, plain text) and its refusals are shown the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from public_portal.i18n import N_
from public_portal.picker import code_or_none, subject_input

#: The kinds of feedback, as the schema's enum names them, with their labels.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("COMPLAINT", N_("投诉"), N_("对工作人员或服务不满意")),
    ("SUGGESTION", N_("建议"), N_("对工作提出改进意见")),
    ("CONCERN", N_("反映儿童情况"), N_("身边有孩子需要关心或帮助")),
    ("PRAISE", N_("表扬"), N_("表扬好人好事")),
)
KIND_VALUES = frozenset(k for k, _, _ in KINDS)
#: As the schema takes them (``schema.oversight.feedback_submit``).
MIN_DESCRIPTION = 5
MAX_DESCRIPTION = 2000
MAX_NAME = 50
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
#: A village choice meaning "no particular village": about the town or its station.
WHOLE_TOWN = "-"


@dataclass
class Draft:
    """What the visitor has chosen and typed so far."""

    kind: str | None = None
    town: str | None = None
    #: A village code, :data:`WHOLE_TOWN`, or None (not chosen yet).
    village: str | None = None
    subject: str | None = None
    description: str = ""
    danger: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    anonymous: bool = False
    #: Field id → message (untranslated), in the order the fields appear.
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def village_code(self) -> str | None:
        return None if self.village in (None, WHOLE_TOWN) else self.village

    @property
    def step(self) -> int:
        """1: kind and town; 2: village; 3: subject and the rest."""
        if self.kind not in KIND_VALUES or self.town is None:
            return 1
        return 2 if self.village is None else 3

    @property
    def phone(self) -> str | None:
        """The contact phone the limits count (none when anonymous)."""
        return None if self.anonymous else self.contact_phone.strip() or None


def _text(values: Mapping[str, Any], name: str, limit: int) -> str:
    value = values.get(name)
    return value[: limit * 2] if isinstance(value, str) else ""


def read_draft(values: Mapping[str, Any]) -> Draft:
    """A draft from query parameters or a posted form (anything unusable is left out)."""
    kind = _text(values, "kind", 20).upper()
    village = _text(values, "village", 20)
    return Draft(
        kind=kind if kind in KIND_VALUES else None,
        town=code_or_none(_text(values, "town", 20)),
        village=WHOLE_TOWN if village == WHOLE_TOWN else code_or_none(village),
        subject=_text(values, "subject", 220) or None,
        description=_text(values, "description", MAX_DESCRIPTION).strip(),
        danger=values.get("danger") == "yes",
        contact_name=_text(values, "contact_name", MAX_NAME).strip(),
        contact_phone=_text(values, "contact_phone", 40).strip(),
        anonymous=values.get("anonymous") == "yes",
    )


def check_picker(draft: Draft, step: str | None) -> None:
    """Errors of the picker's step the visitor has just sent (``step`` "1" or "2")."""
    if step == "1":
        if draft.kind is None:
            draft.errors["f-kind"] = N_("请选择反馈类型")
        if draft.town is None:
            draft.errors["f-town"] = N_("请选择镇（街道）")
    elif step == "2" and draft.step == 2:
        draft.errors["f-village"] = N_("请选择村（社区）")


def check_details(draft: Draft) -> None:
    """Errors of the last step, in the order the fields appear."""
    if subject_input(draft.subject) is None:
        draft.errors["f-subject"] = N_("请选择反馈对象")
    if not draft.description:
        draft.errors["f-description"] = N_("请填写反馈内容")
    elif len(draft.description) < MIN_DESCRIPTION:
        draft.errors["f-description"] = N_("反馈内容请至少写5个字")
    elif len(draft.description) > MAX_DESCRIPTION:
        draft.errors["f-description"] = N_("反馈内容不能超过2000字")
    if draft.anonymous:
        return
    if len(draft.contact_name) > MAX_NAME:
        draft.errors["f-contact-name"] = N_("姓名不能超过50字")
    if draft.contact_phone and not _PHONE.match(draft.contact_phone):
        draft.errors["f-contact-phone"] = N_("请填写正确的电话号码，例如 13800000000")


def submission_input(draft: Draft, photo_key: str | None) -> dict[str, Any]:
    """The schema's ``submitFeedback`` input of a checked draft."""
    subject = subject_input(draft.subject)
    assert subject is not None
    assert draft.kind is not None
    values: dict[str, Any] = {
        "kind": draft.kind,
        "subject": subject,
        "description": draft.description,
        "anonymous": draft.anonymous,
        "childInDanger": draft.danger,
    }
    if not draft.anonymous:
        if draft.contact_name:
            values["contactName"] = draft.contact_name
        if draft.contact_phone:
            values["contactPhone"] = draft.contact_phone
    if photo_key is not None:
        values["photoKey"] = photo_key
    return values


#: The schema's argument names → the form's field ids, to show its refusals by their field.
SCHEMA_FIELDS = {
    "kind": "f-kind",
    "subject": "f-subject",
    "townCode": "f-subject",
    "villageCode": "f-subject",
    "stationId": "f-subject",
    "facilityId": "f-subject",
    "directorOfVillage": "f-subject",
    "description": "f-description",
    "contactName": "f-contact-name",
    "contactPhone": "f-contact-phone",
    "photoKey": "f-photo",
}
