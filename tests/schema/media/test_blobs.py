"""The blob stores: one contract both pass, then what is particular to each.

S3 is spoken for real, over HTTP, to moto's S3 server on a free local port.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import stat
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from schema.media import (
    Blob,
    BlobError,
    BlobStore,
    FileBlobStore,
    S3BlobStore,
    open_blobs,
)

BUCKET = "weibao-test-photos"
ACCESS, SECRET = "test-access-key", "test-secret-key"
PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg, but bytes are bytes" * 100


@dataclass
class S3Server:
    endpoint: str

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS,
            aws_secret_access_key=SECRET,
        )

    def store(self, **options: Any) -> S3BlobStore:
        return S3BlobStore(
            endpoint_url=self.endpoint,
            bucket=options.pop("bucket", BUCKET),
            region="us-east-1",
            access_key=ACCESS,
            secret_key=SECRET,
            **options,
        )


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    running = S3Server(f"http://{host}:{port}")
    running.client().create_bucket(Bucket=BUCKET)
    yield running
    server.stop()


@dataclass
class Subject:
    """A store under test, and how to damage a stored blob behind its back."""

    store: BlobStore
    corrupt: Callable[[str], Awaitable[None]]


@pytest.fixture(params=["file", "s3"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> Subject:
    if request.param == "file":
        store = FileBlobStore(tmp_path / "blobs")

        async def corrupt_file(key: str) -> None:
            (tmp_path / "blobs" / key[:2] / key[2:4] / key).write_bytes(b"bit rot")

        return Subject(store, corrupt_file)
    server: S3Server = request.getfixturevalue("s3")
    prefix = f"contract/{request.node.name}/"
    s3_store = server.store(prefix=prefix)

    async def corrupt_object(key: str) -> None:
        server.client().put_object(Bucket=BUCKET, Key=prefix + key, Body=b"tampered")

    return Subject(s3_store, corrupt_object)


# -- the contract ----------------------------------------------------------------------


async def test_put_then_get(subject: Subject) -> None:
    store = subject.store
    key = await store.put(PHOTO, "image/jpeg")
    assert key == hashlib.sha256(PHOTO).hexdigest()
    assert await store.exists(key)
    assert await store.get(key) == Blob(PHOTO, "image/jpeg")


async def test_put_is_idempotent(subject: Subject) -> None:
    store = subject.store
    keys = await asyncio.gather(*(store.put(PHOTO, "image/jpeg") for _ in range(5)))
    assert len(set(keys)) == 1
    assert await store.put(PHOTO, "image/jpeg") == keys[0]
    assert await store.get(keys[0]) == Blob(PHOTO, "image/jpeg")


async def test_distinct_bytes_distinct_blobs(subject: Subject) -> None:
    store = subject.store
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(256 * 1024)
    first = await store.put(PHOTO, "image/jpeg")
    second = await store.put(png, "image/png")
    assert first != second
    assert await store.get(second) == Blob(png, "image/png")
    assert await store.get(first) == Blob(PHOTO, "image/jpeg")


async def test_unknown_key(subject: Subject) -> None:
    key = hashlib.sha256(b"never stored").hexdigest()
    assert await subject.store.get(key) is None
    assert not await subject.store.exists(key)


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "ab/cd/" + "0" * 58,
        "A" * 64,  # upper case: one blob, one spelling
        "0" * 63,
        "0" * 65,
        "",
        "0" * 63 + "\x00",
    ],
)
async def test_keys_are_validated(subject: Subject, key: str) -> None:
    with pytest.raises(BlobError, match="not a blob key"):
        await subject.store.get(key)
    with pytest.raises(BlobError, match="not a blob key"):
        await subject.store.exists(key)


@pytest.mark.parametrize("content_type", ["", "jpeg", "image/jpeg\r\nX-Evil: 1", "image/ jpeg"])
async def test_content_types_are_validated(subject: Subject, content_type: str) -> None:
    with pytest.raises(BlobError, match="not a content type"):
        await subject.store.put(PHOTO, content_type)


async def test_a_corrupt_blob_is_refused(subject: Subject) -> None:
    key = await subject.store.put(PHOTO, "image/jpeg")
    await subject.corrupt(key)
    with pytest.raises(BlobError, match="corrupt"):
        await subject.store.get(key)


# -- the file store --------------------------------------------------------------------


async def test_file_layout_permissions_and_no_leftovers(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    key = await store.put(PHOTO, "image/jpeg")
    path = tmp_path / "blobs" / key[:2] / key[2:4] / key
    assert path.read_bytes() == PHOTO
    assert path.with_name(key + ".type").read_text() == "image/jpeg"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    everything = sorted(p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file())
    assert everything == sorted([key, key + ".type"])


async def test_file_blob_without_its_type_is_an_error(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    key = await store.put(PHOTO, "image/jpeg")
    (tmp_path / "blobs" / key[:2] / key[2:4] / (key + ".type")).unlink()
    with pytest.raises(BlobError, match="content type"):
        await store.get(key)


async def test_file_store_that_cannot_write(tmp_path: Path) -> None:
    (tmp_path / "blobs").write_text("a file where the directory should be")
    with pytest.raises(BlobError, match="cannot store"):
        await FileBlobStore(tmp_path / "blobs").put(PHOTO, "image/jpeg")


# -- the S3 store ----------------------------------------------------------------------


async def test_s3_object_name_and_content_type(s3: S3Server) -> None:
    store = s3.store(prefix="/photos/")
    key = await store.put(PHOTO, "image/webp")
    head = s3.client().head_object(Bucket=BUCKET, Key=f"photos/{key}")
    assert head["ContentType"] == "image/webp"
    assert head["ContentLength"] == len(PHOTO)
    assert await s3.store(prefix="photos").exists(key)
    assert not await s3.store(prefix="other").exists(key)


async def test_s3_missing_bucket_is_an_error(s3: S3Server) -> None:
    store = s3.store(bucket="no-such-bucket")
    with pytest.raises(BlobError, match="S3"):
        await store.put(PHOTO, "image/jpeg")
    with pytest.raises(BlobError, match="S3"):
        await store.get(hashlib.sha256(PHOTO).hexdigest())


async def test_s3_unreachable_is_an_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = S3BlobStore(
        endpoint_url=f"http://127.0.0.1:{port}",
        bucket=BUCKET,
        region="us-east-1",
        access_key=ACCESS,
        secret_key=SECRET,
        timeout_s=2,
    )
    with pytest.raises(BlobError, match="S3"):
        await store.exists(hashlib.sha256(PHOTO).hexdigest())


# -- the factory -----------------------------------------------------------------------


async def test_open_blobs(tmp_path: Path, s3: S3Server) -> None:
    files = open_blobs("file", root=tmp_path / "b")
    assert isinstance(files, FileBlobStore)
    bucket = open_blobs(
        "s3",
        endpoint_url=s3.endpoint,
        bucket=BUCKET,
        region="us-east-1",
        access_key=ACCESS,
        secret_key=SECRET,
        prefix="factory",
    )
    assert isinstance(bucket, S3BlobStore)
    key = await bucket.put(PHOTO, "image/jpeg")
    assert s3.client().head_object(Bucket=BUCKET, Key=f"factory/{key}")


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("file", {}, "root directory"),
        ("s3", {"endpoint_url": "http://127.0.0.1:9"}, "bucket"),
        ("ftp", {}, "unknown blob store kind"),
    ],
)
def test_open_blobs_refuses_incomplete_settings(
    kind: Any, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(BlobError, match=message):
        open_blobs(kind, **options)
