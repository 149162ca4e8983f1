"""Content-addressed blob stores: the bytes of visit photos, keyed by their sha256.

A key is the sha256 of the bytes in lowercase hex, so ``put`` is idempotent
(the same bytes twice are one blob) and a blob can be checked against its key
when read: :meth:`BlobStore.get` raises :class:`BlobError` for a blob whose
bytes no longer match (disk corruption, a tampered bucket) rather than serve it.

Two stores, one contract (``tests/schema/media/test_blobs.py`` runs both):

* :class:`FileBlobStore`: files under a root directory, ``ab/cd/<sha256>`` plus
  a ``<sha256>.type`` sidecar with the content type; written atomically.
* :class:`S3BlobStore`: any S3-compatible store (MinIO, Ceph, AWS); the
  content type is the object's ``ContentType``.

Both run their blocking I/O in a worker thread (``asyncio.to_thread``) so the
event loop keeps serving while a photo is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from schema.media.errors import BlobError

_KEY = re.compile(r"^[0-9a-f]{64}$")
# type/subtype with optional parameters, nothing that could split a header.
_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[\w.+-]+(?:\s*;\s*[\w.+-]+=[\w.+-]+)*$")
_SIDECAR = ".type"


@dataclass(frozen=True)
class Blob:
    """A blob's bytes and the content type it was stored with."""

    data: bytes
    content_type: str


class BlobStore(Protocol):
    """Where photo bytes live, by content hash."""

    async def put(self, data: bytes, content_type: str) -> str:
        """Store ``data``; returns its key (sha256 hex). Storing it again changes nothing."""
        ...

    async def get(self, key: str) -> Blob | None:
        """The blob of ``key``, or None if there is none."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether a blob of ``key`` is stored."""
        ...


def blob_key(data: bytes) -> str:
    """The key of ``data``: its sha256 in lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def check_key(key: str) -> str:
    """``key`` if it is 64 lowercase hex characters, else ``BlobError`` (no path tricks)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise BlobError(f"not a blob key (64 lowercase hex characters): {key!r:.80}")
    return key


def _check_content_type(content_type: str) -> str:
    if not isinstance(content_type, str) or not _CONTENT_TYPE.match(content_type):
        raise BlobError(f"not a content type: {content_type!r:.80}")
    return content_type


def _verified(key: str, data: bytes) -> bytes:
    if blob_key(data) != key:
        raise BlobError(f"blob {key} is corrupt: its bytes no longer match its key")
    return data


class FileBlobStore:
    """Blobs as files under ``root``: ``ab/cd/<sha256>`` and ``ab/cd/<sha256>.type``.

    Directories are 0700 and files 0600: the photos are children's personal data.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    async def put(self, data: bytes, content_type: str) -> str:
        _check_content_type(content_type)
        key = blob_key(data)
        await asyncio.to_thread(self._put, key, data, content_type)
        return key

    async def get(self, key: str) -> Blob | None:
        return await asyncio.to_thread(self._get, key)

    async def exists(self, key: str) -> bool:
        path = self._path(key)
        return await asyncio.to_thread(path.is_file)

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        if path.is_file():
            return
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # The sidecar first: a blob file that exists always has its type.
            _write_atomically(path.with_name(key + _SIDECAR), content_type.encode())
            _write_atomically(path, data)
        except OSError as exc:
            raise BlobError(f"cannot store blob {key}: {exc}") from exc

    def _get(self, key: str) -> Blob | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise BlobError(f"cannot read blob {key}: {exc}") from exc
        try:
            content_type = path.with_name(key + _SIDECAR).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise BlobError(f"blob {key} has no readable content type: {exc}") from exc
        return Blob(_verified(key, data), content_type)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


class _S3Client(Protocol):
    """The part of boto3's S3 client this store uses (boto3 ships no type hints)."""

    def put_object(self, **kwargs: Any) -> dict[str, Any]: ...
    def get_object(self, **kwargs: Any) -> dict[str, Any]: ...
    def head_object(self, **kwargs: Any) -> dict[str, Any]: ...


class S3BlobStore:
    """Blobs as objects of an S3-compatible bucket, named ``<prefix><sha256>``.

    Path-style addressing and checksums only where required: MinIO, Ceph and
    older S3-compatible stores reject some of the newer AWS defaults. Credentials
    come as parameters (the hub reads them from the environment variables its
    settings name); ``None`` lets boto3 find them (its usual chain, e.g. an
    instance role).
    """

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "",
        timeout_s: float = 30,
    ) -> None:
        if not bucket:
            raise BlobError("an S3 blob store needs a bucket")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        config = Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=timeout_s,
            read_timeout=timeout_s,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        try:
            session = boto3.session.Session()
            self._client = cast(
                "_S3Client",
                session.client(
                    "s3",
                    endpoint_url=endpoint_url or None,
                    region_name=region or None,
                    aws_access_key_id=access_key or None,
                    aws_secret_access_key=secret_key or None,
                    config=config,
                ),
            )
        except (BotoCoreError, ValueError) as exc:
            raise BlobError(f"cannot set up the S3 client: {exc}") from exc

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    async def put(self, data: bytes, content_type: str) -> str:
        _check_content_type(content_type)
        key = blob_key(data)
        if not await self.exists(key):
            await asyncio.to_thread(self._put, key, data, content_type)
        return key

    async def get(self, key: str) -> Blob | None:
        name = self._name(key)
        return await asyncio.to_thread(self._get, key, name)

    async def exists(self, key: str) -> bool:
        name = self._name(key)
        return await asyncio.to_thread(self._exists, key, name)

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self._client.put_object(
                Bucket=self.bucket, Key=self._name(key), Body=data, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as exc:
            raise BlobError(f"cannot store blob {key} in S3: {exc}") from exc

    def _get(self, key: str, name: str) -> Blob | None:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=name)
            with contextlib.closing(answer["Body"]) as body:
                data = body.read()
        except ClientError as exc:
            if _not_found(exc):
                return None
            raise BlobError(f"cannot read blob {key} from S3: {exc}") from exc
        except BotoCoreError as exc:
            raise BlobError(f"cannot read blob {key} from S3: {exc}") from exc
        content_type = str(answer.get("ContentType") or "application/octet-stream")
        return Blob(_verified(key, data), content_type)

    def _exists(self, key: str, name: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if _not_found(exc):
                return False
            raise BlobError(f"cannot check blob {key} in S3: {exc}") from exc
        except BotoCoreError as exc:
            raise BlobError(f"cannot check blob {key} in S3: {exc}") from exc
        return True


def _not_found(exc: Any) -> bool:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")
