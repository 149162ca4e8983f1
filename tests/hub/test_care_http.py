"""A director's phone records a visit over real HTTP: GraphQL multipart upload with a real
photo, the checks' verdict, the photo served by signed link with its location stripped."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from PIL import ExifTags, Image

from graph.model import CST
from tests.hub.test_access_http import client_token, user_token
from tests.schema.media.images import encode, exif_of, scene
from tests.support.hub_process import Hub

MINE = """{ me: directors(first: 1, filter: {status: {eq: "active"}}) { nodes { id } }
  children(first: 1) { nodes { id homeLat homeLng } } }"""
NODE_PHOTOS = "query($id: ID!) { node(id: $id) { ... on Visit { photos } } }"
RECORD = """mutation($input: RecordVisitInput!, $photos: [Upload!]) {
  recordVisit(input: $input, photos: $photos) { id photos validity { flagged codes } } }"""


@pytest.fixture(scope="module")
def hub(demo_copy: Callable[[], Path]) -> Iterator[Hub]:
    running = Hub(demo_copy(), "serve")
    running.wait_ready()
    yield running
    running.stop()


def _gql(hub: Hub, token: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def _multipart(hub: Hub, token: str, variables: dict[str, Any], photo: bytes) -> httpx.Response:
    operations = {"query": RECORD, "variables": {**variables, "photos": [None]}}
    return httpx.post(
        f"{hub.url}/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.photos.0"]}),
        },
        files={"0": ("visit.jpg", photo, "image/jpeg")},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_a_visit_with_a_photo_over_multipart_and_the_photo_by_signed_link(hub: Hub) -> None:
    token = user_token(hub, _director_username(hub))
    mine = _gql(hub, token, MINE)
    child = mine["children"]["nodes"][0]
    now = dt.datetime.now(CST)
    start = now - dt.timedelta(minutes=50)
    photo = encode(
        scene(11),
        "JPEG",
        exif=exif_of(
            taken=(start + dt.timedelta(minutes=5)).strftime("%Y:%m:%d %H:%M:%S"),
            lat=child["homeLat"],
            lng=child["homeLng"],
        ),
    )
    variables = {
        "input": {
            "childId": child["id"],
            "startedAt": start.isoformat(),
            "endedAt": (start + dt.timedelta(minutes=35)).isoformat(),
            "location": {
                "lat": child["homeLat"],
                "lng": child["homeLng"],
                "accuracy": 8,
                "deviceTime": now.isoformat(),
            },
            "findings": "孩子在家，情况良好",
        }
    }
    response = _multipart(hub, token, variables, photo)
    assert response.status_code == 200, response.text
    visit = response.json()["data"]["recordVisit"]
    assert visit["validity"]["flagged"] is False, visit["validity"]
    [link] = visit["photos"]
    served = httpx.get(f"{hub.url}{link}", timeout=30)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    with Image.open(io.BytesIO(served.content)) as im:
        assert not im.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the location is stripped
    # Tampered or unsigned links are refused.
    assert httpx.get(f"{hub.url}{link.split('?')[0]}", timeout=30).status_code == 403
    assert httpx.get(f"{hub.url}{link}0", timeout=30).status_code == 403
    # A partner granted visits but not photos gets no links.
    partner = client_token(hub)
    seen = httpx.post(
        f"{hub.url}/graphql",
        json={"query": NODE_PHOTOS, "variables": {"id": visit["id"]}},
        headers={"authorization": f"Bearer {partner}"},
        timeout=30,
    ).json()
    assert (seen.get("data") or {}).get("node") in (None, {"photos": None})


def test_a_multipart_request_naming_a_missing_file_is_refused(hub: Hub) -> None:
    token = user_token(hub, _director_username(hub))
    operations = {"query": RECORD, "variables": {"input": {}, "photos": [None]}}
    response = httpx.post(
        f"{hub.url}/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.photos.0"]}),
        },
        files={"1": ("other.jpg", b"\xff\xd8", "image/jpeg")},  # not the file mapped
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 400
    assert "not sent" in response.text


def _director_username(hub: Hub) -> str:
    """The demo director: of the first village (by code) of 荆河街道."""
    first = _gql(
        hub,
        user_token(hub, "admin"),
        '{ villages(first: 1, filter: {townCode: {eq: "370481001"}}, '
        "orderBy: {field: CODE}) { nodes { code } } }",
    )
    return f"director-{first['villages']['nodes'][0]['code']}"


def test_the_supervisor_exports_the_flagged_visits_as_a_spreadsheet(hub: Hub) -> None:
    token = user_token(hub, "supervisor-370481001")
    response = httpx.get(
        f"{hub.url}/exports/flagged-visits.xlsx",
        params={"inRegion": "370481001"},
        headers={"authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book["待核查走访清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("走访时间", "村居代码", "儿童主任", "走访方式", "有效性评分", "存疑原因")
    assert len(rows) > 1
    assert all(str(r[1]).startswith("370481001") for r in rows[1:])
    assert all(r[5] for r in rows[1:])  # every flagged visit says why
    # Anonymous readers get no sheet.
    anonymous = httpx.get(f"{hub.url}/exports/flagged-visits.xlsx", timeout=60)
    assert anonymous.status_code == 403
    assert httpx.get(f"{hub.url}/exports/nothing.xlsx", timeout=60).status_code == 404
