"""The photo blob store and the signer of photo links, built once from the settings."""

from __future__ import annotations

import os
from dataclasses import dataclass

from hub.settings import Settings
from schema.media import BlobStore, PhotoSigner, open_blobs, signing_secret


class MediaConfigError(Exception):
    """The blob settings name a secret that is not there."""


@dataclass(frozen=True)
class Media:
    blobs: BlobStore
    signer: PhotoSigner


def _secret_from_env(name: str | None) -> str | None:
    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise MediaConfigError(f"blobs: the environment variable {name} is not set")
    return value


def build_media(settings: Settings) -> Media:
    blob = settings.blobs
    store = open_blobs(
        blob.kind,
        root=settings.blobs_dir,
        endpoint_url=blob.s3_endpoint,
        bucket=blob.s3_bucket,
        region=blob.s3_region,
        access_key=_secret_from_env(blob.s3_access_key_env),
        secret_key=_secret_from_env(blob.s3_secret_key_env),
        prefix=blob.s3_prefix,
    )
    configured = blob.url_secret.get_secret_value() if blob.url_secret else None
    signer = PhotoSigner(
        signing_secret(configured, settings.photo_url_key_file), ttl_s=blob.url_ttl_s
    )
    return Media(store, signer)
