"""recordVisit: evidence checks with real photos, the review list, access, retries."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

from PIL import Image
from strawberry.file_uploads import Upload  # noqa: F401  (the scalar the mutation takes)

from graph import GraphStore
from graph.model import CST
from schema.media import FileBlobStore, PhotoSigner
from tests.schema.media.images import encode, exif_of, scene
from tests.support.care_world import (
    DIRECTOR,
    DIRECTOR_2,
    HOME,
    STAFF,
    SUPERVISOR,
    World,
    care_world,
    gid,
)
from tests.support.principals import partner

RECORD = """
mutation($input: RecordVisitInput!, $photos: [Upload!]) {
  recordVisit(input: $input, photos: $photos) {
    id findings photos validity { score flagged reasons codes }
  }
}"""


class FakeUpload:
    """What the multipart parser hands the resolver: an object with ``async read()``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self) -> bytes:
        return self._data


def _north(metres: float) -> float:
    return metres / 111_195


def _photo(seed: int, at: dt.datetime, lat: float, lng: float) -> bytes:
    taken = at.astimezone(CST).strftime("%Y:%m:%d %H:%M:%S")
    return encode(scene(seed), "JPEG", exif=exif_of(taken=taken, lat=lat, lng=lng))


def _recompressed(data: bytes) -> bytes:
    """The same picture saved again smaller: a different file, the same photo."""
    with Image.open(io.BytesIO(data)) as im:
        return encode(im.convert("RGB").resize((640, 480)), "JPEG", quality=70)


def _input(w: World, child: str = "t-child-1", *, metres_north: float = 20, **extra: Any) -> Any:
    start = dt.datetime.fromtimestamp(w.clock_s - 3600, CST)
    return {
        "childId": gid("Child", child),
        "startedAt": start.isoformat(),
        "endedAt": (start + dt.timedelta(minutes=40)).isoformat(),
        "location": {
            "lat": HOME[0] + _north(metres_north),
            "lng": HOME[1],
            "accuracy": 12.0,
            "deviceTime": dt.datetime.fromtimestamp(w.clock_s - 30, CST).isoformat(),
        },
        "findings": "孩子情绪稳定，祖父母照料良好",
        **extra,
    }


def _start(w: World) -> dt.datetime:
    return dt.datetime.fromtimestamp(w.clock_s - 3600 + 600, CST)


async def _record(w: World, reader: Any = DIRECTOR, photos: Any = None, **kw: Any) -> Any:
    data = await w.run(RECORD, reader, input=_input(w, **kw), photos=photos)
    return data["recordVisit"]


async def _world(store: GraphStore, tmp_path: Path) -> Any:
    return care_world(store)


def _equip(w: World, tmp_path: Path) -> None:
    w.blobs = FileBlobStore(tmp_path / "blobs")
    w.signer = PhotoSigner(b"k" * 32)


async def test_a_genuine_visit_is_not_flagged(store: GraphStore, tmp_path: Path) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        photo = _photo(1, _start(w), HOME[0], HOME[1])
        visit = await _record(w, photos=[FakeUpload(photo)])
        assert visit["validity"]["flagged"] is False, visit["validity"]
        assert visit["validity"]["score"] >= 90
        assert visit["findings"] == "孩子情绪稳定，祖父母照料良好"
        [link] = visit["photos"]
        assert link.startswith("/media/photos/")
        assert "sig=" in link
        # The photo is in the blob store under its content hash.
        key = link.split("/media/photos/")[1].split("?")[0]
        assert (await w.blobs.get(key)).data == photo


async def test_a_visit_3_km_from_home_is_flagged_for_the_supervisor(
    store: GraphStore, tmp_path: Path
) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        far = await _record(w, metres_north=3000)
        assert far["validity"]["flagged"] is True
        assert "far-from-home" in far["validity"]["codes"]
        [reason] = [r for r in far["validity"]["reasons"] if r.startswith("far-from-home")]
        assert "3.0 km" in reason or "3 km" in reason, reason
        # On the supervisor's review list, until reviewed.
        review_list = """{ visits(filter: {flagged: true, reviewed: false}, first: 10) {
          nodes { id } } }"""
        listed = await w.run(review_list, SUPERVISOR)
        assert [n["id"] for n in listed["visits"]["nodes"]] == [far["id"]]
        review = await w.run(
            """mutation($id: ID!) { reviewVisit(id: $id, decision: REJECTED,
                 note: "定位远离住所，电话核实未走访") { decision visit { id } } }""",
            SUPERVISOR,
            id=far["id"],
        )
        assert review["reviewVisit"]["decision"] == "rejected"
        assert (await w.run(review_list, SUPERVISOR))["visits"]["nodes"] == []
        assert "FORBIDDEN" in await w.errors(
            """mutation($id: ID!) { reviewVisit(id: $id, decision: ACCEPTED, note: "自己看的")
                 { decision } }""",
            DIRECTOR,
            id=far["id"],
        )


async def test_a_photo_used_in_an_earlier_visit_is_flagged(
    store: GraphStore, tmp_path: Path
) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        photo = _photo(7, _start(w), HOME[0], HOME[1])
        first = await _record(w, photos=[FakeUpload(photo)])
        assert "photo-reused" not in first["validity"]["codes"]
        # A day later, another paired child, the same photo saved again smaller.
        w.clock_s += 86_400
        second = await _record(
            w, child="t-child-2", metres_north=240, photos=[FakeUpload(_recompressed(photo))]
        )
        assert second["validity"]["flagged"] is True
        assert "photo-reused" in second["validity"]["codes"]
        # A different photo is not taken for a reused one.
        w.clock_s += 86_400
        third = await _record(
            w,
            child="t-child-2",
            metres_north=240,
            photos=[FakeUpload(_photo(8, _start(w), HOME[0], HOME[1]))],
        )
        assert "photo-reused" not in third["validity"]["codes"]


async def test_impossible_travel_between_two_visits_is_flagged(
    store: GraphStore, tmp_path: Path
) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        await _record(w, child="t-child-1")
        # Ten minutes after the first ends, 40 km away at the second child's "home".
        w.clock_s += 50 * 60
        moved = _input(w, child="t-child-2", metres_north=40_000)
        visit = (await w.run(RECORD, DIRECTOR, input=moved))["recordVisit"]
        assert "impossible-travel" in visit["validity"]["codes"]
        assert visit["validity"]["flagged"] is True


async def test_access_rules_of_recording(store: GraphStore, tmp_path: Path) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        # Not paired with the child: refused, nothing written.
        message = await w.errors(RECORD, DIRECTOR_2, input=_input(w, child="t-child-1"))
        assert "FORBIDDEN" in message
        # Staff record for a director of their town; a partner never.
        staff = _input(w, directorId=gid("Director", "t-dir-1"))
        assert (await w.run(RECORD, STAFF, input=staff))["recordVisit"]["id"]
        school = partner(frozenset({"Child", "Visit"}), frozenset(), regions=("990001",))
        assert "FORBIDDEN" in await w.errors(RECORD, school, input=_input(w))
        # A partner not granted visits sees none of them.
        no_visits = partner(frozenset({"Child"}), frozenset(), regions=("990001",))
        assert "FORBIDDEN" in await w.errors("{ visits(first: 5) { nodes { id } } }", no_visits)
        # The other director does not see the visit in their lists.
        theirs = await w.run("{ visits(first: 5) { nodes { id } } }", DIRECTOR_2)
        assert theirs["visits"]["nodes"] == []


async def test_a_retry_with_the_same_client_ref_records_one_visit(
    store: GraphStore, tmp_path: Path
) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        first = await _record(w, clientRef="phone-42-visit-7")
        w.clock_s += 30
        again = await _record(w, clientRef="phone-42-visit-7")
        assert again["id"] == first["id"]
        listed = await w.run("{ visits(first: 10) { totalCount } }", DIRECTOR)
        assert listed["visits"]["totalCount"] == 1


async def test_bad_input_is_refused_with_a_clear_error(store: GraphStore, tmp_path: Path) -> None:
    async with care_world(store) as w:
        _equip(w, tmp_path)
        backwards = _input(w)
        backwards["endedAt"], backwards["startedAt"] = backwards["startedAt"], backwards["endedAt"]
        assert "earlier than" in await w.errors(RECORD, DIRECTOR, input=backwards)
        not_a_photo = [FakeUpload(b"GIF89a not really")]
        message = await w.errors(RECORD, DIRECTOR, input=_input(w), photos=not_a_photo)
        assert "photo 1" in message
        off_globe = _input(w)
        off_globe["location"]["lat"] = 123.0
        assert "BAD_ARGUMENT" in await w.errors(RECORD, DIRECTOR, input=off_globe)
        listed = await w.run("{ visits(first: 10) { totalCount } }", DIRECTOR)
        assert listed["visits"]["totalCount"] == 0
        assert math.isfinite(HOME[0])
