"""Serving photos by signed link: the route, over HTTP, on a real file blob store."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import ExifTags, Image
from starlette.applications import Starlette

from schema.media import FileBlobStore, PhotoSigner, inspect, media_routes
from tests.schema.media.images import encode, exif_of, jpeg, scene

NOW = 1_740_794_400
TTL = 600


@dataclass
class Served:
    client: httpx.AsyncClient
    blobs: FileBlobStore
    signer: PhotoSigner
    clock: list[float]  # the route's clock: tests move time by setting clock[0]


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    blobs = FileBlobStore(tmp_path / "blobs")
    signer = PhotoSigner(b"k" * 32, ttl_s=TTL)
    clock = [float(NOW)]
    app = Starlette(routes=media_routes(blobs, signer, clock=lambda: clock[0]))
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield Served(client, blobs, signer, clock)


async def test_a_signed_link_serves_the_photo_without_its_location(served: Served) -> None:
    original = encode(scene(1), "JPEG", exif=exif_of(orientation=6))
    key = await served.blobs.put(original, "image/jpeg")
    url = served.signer.url(key, NOW)
    served.clock[0] = NOW + 100
    response = await served.client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == f"private, max-age={TTL - 100}"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content != original
    shown = Image.open(io.BytesIO(response.content))
    assert not shown.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert shown.getexif()[ExifTags.Base.Orientation] == 6
    assert inspect(response.content).lat is None
    assert inspect(original).lat is not None  # the store keeps the evidence
    assert (await served.blobs.get(key)) is not None


async def test_png_is_served_as_png(served: Served) -> None:
    key = await served.blobs.put(encode(scene(2), "PNG", exif=exif_of()), "image/png")
    response = await served.client.get(served.signer.url(key, NOW))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert inspect(response.content).lat is None


@pytest.mark.parametrize(
    "damage",
    [
        "expired",
        "bad signature",
        "no signature",
        "no expiry",
        "expiry not a number",
        "expiry moved",
        "signed for another photo",
        "bad key",
    ],
)
async def test_refused_links(served: Served, damage: str) -> None:
    key = await served.blobs.put(jpeg(1), "image/jpeg")
    url = served.signer.url(key, NOW)
    path, query = url.split("?")
    exp = NOW + TTL
    sig = query.split("sig=")[1]
    if damage == "expired":
        served.clock[0] = exp + 1
    elif damage == "bad signature":
        url = f"{path}?exp={exp}&sig={'A' * 43}"
    elif damage == "no signature":
        url = f"{path}?exp={exp}"
    elif damage == "no expiry":
        url = f"{path}?sig={sig}"
    elif damage == "expiry not a number":
        url = f"{path}?exp=soon&sig={sig}"
    elif damage == "expiry moved":
        url = f"{path}?exp={exp + 3600}&sig={sig}"
    elif damage == "signed for another photo":
        other = await served.blobs.put(jpeg(2), "image/jpeg")
        url = f"/media/photos/{other}?{query}"
    else:
        url = f"/media/photos/{key.upper()}?{query}"
    response = await served.client.get(url)
    assert response.status_code == 403
    assert response.headers["cache-control"] == "no-store"
    assert not response.content.startswith(b"\xff\xd8")


async def test_the_last_second_of_a_link_still_serves(served: Served) -> None:
    key = await served.blobs.put(jpeg(1), "image/jpeg")
    url = served.signer.url(key, NOW)
    served.clock[0] = NOW + TTL
    response = await served.client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, max-age=0"


async def test_unknown_photo_is_404(served: Served) -> None:
    response = await served.client.get(served.signer.url("0" * 64, NOW))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.7 a document, not a photo", "application/pdf"),
        (b"<svg onload=alert(1)>", "image/svg+xml"),
        (b"stored as a jpeg but it is not one", "image/jpeg"),
    ],
)
async def test_blobs_that_are_not_photos_are_not_served(
    served: Served, data: bytes, content_type: str
) -> None:
    key = await served.blobs.put(data, content_type)
    response = await served.client.get(served.signer.url(key, NOW))
    assert response.status_code == 404
    assert data not in response.content


async def test_a_broken_store_is_503(served: Served, tmp_path: Path) -> None:
    key = await served.blobs.put(jpeg(1), "image/jpeg")
    (tmp_path / "blobs" / key[:2] / key[2:4] / key).write_bytes(b"bit rot")
    response = await served.client.get(served.signer.url(key, NOW))
    assert response.status_code == 503


async def test_only_get(served: Served) -> None:
    key = await served.blobs.put(jpeg(1), "image/jpeg")
    response = await served.client.post(served.signer.url(key, NOW))
    assert response.status_code == 405
