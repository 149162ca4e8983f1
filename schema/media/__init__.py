"""Visit photos: inspection (hashes, EXIF time and place), the blob store, signed links.

The public API of the package; other packages import from here only.
:func:`open_blobs` takes plain values, so the hub builds a store from its
settings without this package importing ``hub``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from schema.media.blobs import Blob, BlobStore, FileBlobStore, S3BlobStore, blob_key, check_key
from schema.media.errors import BlobError, MediaError, PhotoError
from schema.media.photos import (
    CONTENT_TYPES,
    PhotoInfo,
    bands,
    from_int64,
    hamming,
    inspect,
    sniff_type,
    strip_location,
    to_int64,
)
from schema.media.routes import media_routes
from schema.media.signing import PHOTO_PATH, PhotoSigner, signing_secret

__all__ = [
    "CONTENT_TYPES",
    "PHOTO_PATH",
    "Blob",
    "BlobError",
    "BlobStore",
    "FileBlobStore",
    "MediaError",
    "PhotoError",
    "PhotoInfo",
    "PhotoSigner",
    "S3BlobStore",
    "bands",
    "blob_key",
    "check_key",
    "from_int64",
    "hamming",
    "inspect",
    "media_routes",
    "open_blobs",
    "signing_secret",
    "sniff_type",
    "strip_location",
    "to_int64",
]


def open_blobs(
    kind: Literal["file", "s3"],
    *,
    root: Path | None = None,
    endpoint_url: str | None = None,
    bucket: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    prefix: str = "",
) -> BlobStore:
    """The blob store of ``kind``: ``root`` for files; ``bucket`` (and the rest) for S3."""
    if kind == "file":
        if root is None:
            raise BlobError("a file blob store needs its root directory")
        return FileBlobStore(root)
    if kind == "s3":
        if not bucket:
            raise BlobError("an S3 blob store needs a bucket")
        return S3BlobStore(
            bucket=bucket,
            endpoint_url=endpoint_url,
            region=region,
            access_key=access_key,
            secret_key=secret_key,
            prefix=prefix,
        )
    raise BlobError(f"unknown blob store kind {kind!r}: 'file' or 's3'")
