"""Recording a visit with its evidence (``recordVisit``), correcting it, reviewing it.

A director records a visit from their phone: times, the GPS fix, photos,
findings. The evidence checks (:mod:`schema.care.evidence`) score it at once,
with reasons; a flagged visit lands on the town supervisor's review list
(``visits(filter: {flagged: true, reviewed: false})``). Photos go to the blob
store by content hash; their perceptual hashes find a photo reused from
another visit even after re-compression. The visit is immutable: a correction
is a new version, and a review is a record of its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import hashlib
import uuid
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from graph.model import period_of
from graph.queries import visits as q
from schema.access.principal import Role
from schema.care.common import instant, key_of, now_ms, optional_text
from schema.care.evidence import Fix, OtherVisit, PhotoFacts, Validity, assess, reason_texts
from schema.care.rights import MANAGERS, require_manager
from schema.care.types import Visit, VisitReview
from schema.context import Info
from schema.core.rows import from_row
from schema.errors import BadArgument, Forbidden
from schema.media import PhotoError, PhotoInfo, hamming, inspect, to_int64

MAX_TEXT = 2000
MAX_RISKS = 20
MODES = ("home", "school", "phone", "video", "other")
#: A call, not a visit in person: no place or photo to check.
REMOTE_MODES = ("phone", "video")


@strawberry.input(description="The phone's GPS fix during the visit.")
class GpsInput:
    lat: float
    lng: float
    accuracy: float | None = strawberry.field(default=None, description="Metres")
    device_time: dt.datetime | None = strawberry.field(
        default=None, description="The phone's clock when the fix was taken"
    )


@strawberry.input(description="A visit as the director's phone records it.")
class RecordVisitInput:
    child_id: strawberry.ID
    started_at: dt.datetime
    ended_at: dt.datetime
    location: GpsInput | None = None
    director_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The visiting director; a director records their own visits and may omit it",
    )
    mode: str = strawberry.field(default="home", description="home, school, phone, video, other")
    findings: str | None = None
    risk_observations: list[str] | None = None
    client_ref: str | None = strawberry.field(
        default=None,
        description="The phone's own id for this visit: sending it again (a retry) records "
        "nothing new and returns the visit recorded the first time",
    )


@strawberry.enum(description="A supervisor's decision on a flagged visit.")
class ReviewDecision(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


async def _photos(uploads: list[Upload] | None, max_files: int) -> list[tuple[bytes, PhotoInfo]]:
    out: list[tuple[bytes, PhotoInfo]] = []
    for i, upload in enumerate(uploads or ()):
        read = getattr(upload, "read", None)
        if read is None:
            raise BadArgument(f"photo {i + 1} is not a file upload")
        data = await read()
        try:
            info = await asyncio.to_thread(inspect, data)
        except PhotoError as exc:
            raise BadArgument(f"photo {i + 1}: {exc}") from None
        out.append((data, info))
    if len(out) > max_files:
        raise BadArgument(f"at most {max_files} photos per visit")
    return out


def _other(rows: list[dict[str, Any]]) -> OtherVisit | None:
    if not rows:
        return None
    r = rows[0]
    return OtherVisit(
        id=str(r["id"]),
        started_at_ms=int(r["startedAt"]),
        ended_at_ms=int(r["endedAt"] or r["startedAt"]),
        lat=float(r["lat"]),
        lng=float(r["lng"]),
    )


@strawberry.type
class VisitMutations:
    @strawberry.mutation(
        description="Record a visit (走访) with the phone's location and photos (GraphQL "
        "multipart upload). The evidence is checked at once: the visit comes back with its "
        "validity score and reasons, and a suspicious one goes to the supervisor's review "
        "list. A director records visits to the children paired with them only."
    )
    async def record_visit(
        self, info: Info, input: RecordVisitInput, photos: list[Upload] | None = None
    ) -> Visit:
        context = info.context
        access = context.access
        principal = access.principal
        child = key_of(input.child_id, "Child", "childId")
        if principal.kind != "user" or principal.role not in (Role.DIRECTOR, *MANAGERS):
            raise Forbidden("recording visits: only directors (and staff for them) may do this")
        if principal.role is Role.DIRECTOR:
            director = principal.person_id or ""
            if (
                input.director_id
                and key_of(input.director_id, "Director", "directorId") != director
            ):
                raise Forbidden("a director records their own visits only")
        elif input.director_id is None:
            raise BadArgument("`directorId` is required when staff record a visit")
        else:
            director = key_of(input.director_id, "Director", "directorId")
        started = instant(input.started_at, "startedAt")
        ended = instant(input.ended_at, "endedAt")
        now = now_ms(info)
        if ended < started:
            raise BadArgument("`endedAt` is earlier than `startedAt`")
        if started > now + 10 * 60_000:
            raise BadArgument("`startedAt` is in the future")
        if input.mode not in MODES:
            raise BadArgument(f"`mode` must be one of {', '.join(MODES)}")
        risks = [r.strip() for r in input.risk_observations or () if r.strip()]
        if len(risks) > MAX_RISKS or any(len(r) > 200 for r in risks):
            raise BadArgument(f"at most {MAX_RISKS} risk observations of 200 characters each")
        facts = await context.store.read(q.FACTS, {"directorId": director, "childId": child})
        if not facts:
            # The same answer for a child out of reach and a missing one.
            raise Forbidden("recording visits: no such child paired with that director")
        fact = facts[0]
        if principal.role is Role.DIRECTOR:
            if not fact["paired"]:
                raise Forbidden("recording visits: no such child paired with that director")
        else:
            require_manager(access, fact["villageCode"], "recording visits")
        if context.blobs is None and photos:
            raise BadArgument("photos cannot be taken: no blob store is configured")
        uploaded = await _photos(photos, 6)
        fix = None
        if input.location is not None:
            loc = input.location
            device = instant(loc.device_time, "deviceTime") if loc.device_time else None
            fix = Fix(loc.lat, loc.lng, loc.accuracy, device)
        key = (
            "visit-" + hashlib.sha256(f"{director}\x00{input.client_ref}".encode()).hexdigest()[:32]
            if input.client_ref
            else f"visit-{uuid.uuid4().hex}"
        )
        validity = await _check(
            info,
            key,
            director,
            (started, ended, now),
            fix,
            fact,
            [p for _, p in uploaded],
            remote=input.mode in REMOTE_MODES,
        )
        for data, photo in uploaded:
            await context.blobs.put(data, photo.content_type)
        month, quarter = period_of(started)
        props: dict[str, Any] = {
            "source": "hub",
            "sourceKey": key,
            "seenAt": now,
            "recordId": key,
            "version": 1,
            "startedAt": started,
            "endedAt": ended,
            "mode": input.mode,
            "findings": optional_text(input.findings, "findings", maximum=MAX_TEXT),
            "riskObservations": risks,
            "photos": [p.sha256 for _, p in uploaded],
            "villageCode": fact["villageCode"],
            "month": month,
            "quarter": quarter,
            "validityScore": validity.score,
            "flagged": validity.flagged,
            "validityReasons": reason_texts(validity),
            "checkedAt": now,
        }
        if fix is not None:
            props.update(lat=fix.lat, lng=fix.lng, accuracy=fix.accuracy_m)
            props["deviceTime"] = fix.device_time_ms
        photo_rows = [
            {
                "id": f"photo-{p.sha256}",
                "props": {
                    "source": "hub",
                    "sourceKey": p.sha256,
                    "seenAt": now,
                    "sha256": p.sha256,
                    "phash": to_int64(p.phash),
                    **{f"band{i}": band for i, band in enumerate(p.bands)},
                    "contentType": p.content_type,
                    "size": p.size,
                    "width": p.width,
                    "height": p.height,
                    "takenAt": p.taken_at_ms,
                    "lat": p.lat,
                    "lng": p.lng,
                    "uploadedAt": now,
                    "villageCode": fact["villageCode"],
                },
            }
            for _, p in uploaded
        ]
        await context.store.write(
            q.RECORD,
            {
                "childId": child,
                "directorId": director,
                "id": key,
                "props": {k: v for k, v in props.items() if v is not None},
                "photos": photo_rows,
                "at": now,
            },
        )
        return await _load(info, key)

    @strawberry.mutation(
        description="Correct a visit's findings or risk observations: a new version that "
        "supersedes the old one, which is kept (the child's file shows either, by date)."
    )
    async def correct_visit(
        self,
        info: Info,
        id: strawberry.ID,
        reason: str,
        findings: str | None = None,
        risk_observations: list[str] | None = None,
    ) -> Visit:
        context = info.context
        access = context.access
        principal = access.principal
        key = key_of(id, "Visit", "id")
        loader = context.loaders.by_id("Visit", None, access.row_params("Visit"))
        row = await loader.load(key)
        if row is None or row.get("supersededAt") is not None:
            raise BadArgument("no current version of that visit")
        if principal.role is Role.DIRECTOR:
            author = await context.store.read(q.AUTHOR, {"id": key})
            if not author or author[0]["directorId"] != principal.person_id:
                raise Forbidden("correcting visits: a director corrects their own visits only")
        elif principal.kind != "user" or principal.role not in MANAGERS:
            raise Forbidden("correcting visits: not available to this reader")
        elif not access.principal.covers(row.get("villageCode")):
            raise Forbidden("correcting visits: outside your regions")
        if len(reason.strip()) < 4:
            raise BadArgument("state the reason for the correction")

        now = now_ms(info)
        new_key = f"{row.get('recordId') or key}-v{int(row.get('version') or 1) + 1}"
        props = {
            k: v
            for k, v in row.items()
            if k not in ("id", "recordId", "version", "recordedAt", "supersededAt")
        }
        props.update(
            source="hub", sourceKey=new_key, seenAt=now, correctionReason=reason.strip()[:500]
        )
        if findings is not None:
            props["findings"] = optional_text(findings, "findings", maximum=MAX_TEXT)
        if risk_observations is not None:
            props["riskObservations"] = [r.strip() for r in risk_observations if r.strip()]
        rows, _ = await context.store.write(
            q.CORRECT, {"oldId": key, "newId": new_key, "props": props, "at": now}
        )
        if not rows:
            raise BadArgument("the visit was corrected meanwhile; reload it")
        return await _load(info, new_key)

    @strawberry.mutation(
        description="A supervisor's (or station staff's) decision on a flagged visit: "
        "accepted as genuine, or rejected (it then does not count for the assessment)."
    )
    async def review_visit(
        self, info: Info, id: strawberry.ID, decision: ReviewDecision, note: str
    ) -> VisitReview:
        context = info.context
        access = context.access
        principal = access.principal
        key = key_of(id, "Visit", "id")
        if principal.kind != "user" or principal.role not in MANAGERS:
            raise Forbidden("reviewing visits: only supervisors and staff may do this")
        row = await context.loaders.by_id("Visit", None, access.row_params("Visit")).load(key)
        if row is None:
            raise BadArgument("no such visit")
        require_manager(access, row.get("villageCode"), "reviewing visits")
        if len(note.strip()) < 4:
            raise BadArgument("say why (a note of at least 4 characters)")
        review = f"review-{uuid.uuid4().hex}"
        now = now_ms(info)
        await context.store.write(
            q.REVIEW,
            {
                "visitId": key,
                "id": review,
                "at": now,
                "decision": decision.value,
                "note": note.strip()[:MAX_TEXT],
                "supervisorId": principal.person_id or "-",
            },
        )
        loaded = await context.loaders.by_id(
            "VisitReview", None, access.row_params("VisitReview")
        ).load(review)
        assert loaded is not None
        return from_row(VisitReview, access.redact("VisitReview", loaded))


async def _check(
    info: Info,
    key: str,
    director: str,
    times: tuple[int, int, int],
    fix: Fix | None,
    fact: dict[str, Any],
    photos: list[PhotoInfo],
    *,
    remote: bool,
) -> Validity:
    """The evidence checks: the graph gives the neighbours and reuse candidates."""
    started, ended, now = times
    store = info.context.store
    around = {"directorId": director, "startedAt": started, "id": key}
    previous = _other(await store.read(q.PREVIOUS, around))
    following = _other(await store.read(q.FOLLOWING, around))
    reused: dict[str, str] = {}
    limit = info.context.evidence_rules.phash_distance
    for photo in photos:
        bands = {f"band{i}": band for i, band in enumerate(photo.bands)}
        for cand in await store.read(q.PHOTO_CANDIDATES, bands):
            if cand["visitId"] == key:
                continue
            if hamming(int(cand["phash"]), photo.phash) <= limit:
                reused[photo.sha256] = str(cand["visitId"])
                break
    home = (
        (float(fact["homeLat"]), float(fact["homeLng"]))
        if fact.get("homeLat") is not None and fact.get("homeLng") is not None
        else None
    )
    facts = [PhotoFacts(p.sha256, p.phash, p.taken_at_ms, p.lat, p.lng) for p in photos]
    try:
        return assess(
            started_at_ms=started,
            ended_at_ms=ended,
            fix=fix,
            home=home,
            server_time_ms=now,
            photos=facts,
            reused=reused,
            previous=previous,
            following=following,
            rules=info.context.evidence_rules,
            remote=remote,
        )
    except ValueError as exc:
        raise BadArgument(str(exc)) from None


async def _load(info: Info, key: str) -> Visit:
    access = info.context.access
    row = await info.context.loaders.by_id("Visit", None, access.row_params("Visit")).load(key)
    if row is None:  # pragma: no cover - just written
        raise BadArgument("the visit was not recorded")
    return from_row(Visit, access.redact("Visit", row))
