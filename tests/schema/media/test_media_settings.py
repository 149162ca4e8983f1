"""The hub's ``blobs`` settings section, and a store and signer built from it.

This is what the hub will do at start-up: settings (plain values) into
``open_blobs`` and ``signing_secret``; ``schema.media`` never reads settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.settings import Settings
from schema.media import FileBlobStore, PhotoSigner, S3BlobStore, open_blobs, signing_secret


def test_defaults_keep_blobs_under_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    s = Settings(data_dir=tmp_path)
    assert s.blobs.kind == "file"
    assert s.blobs_dir == tmp_path / "blobs"
    assert s.photo_url_key_file == tmp_path / "keys" / "photo-url.key"
    store = open_blobs(s.blobs.kind, root=s.blobs_dir)
    assert isinstance(store, FileBlobStore)
    assert store.root == tmp_path / "blobs"
    secret = signing_secret(None, s.photo_url_key_file)
    assert PhotoSigner(secret, ttl_s=s.blobs.url_ttl_s).ttl_s == 600


def test_s3_from_the_environment_with_secrets_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_BLOBS__KIND", "s3")
    monkeypatch.setenv("WEIBAO_BLOBS__S3_ENDPOINT", "http://minio.internal:9000")
    monkeypatch.setenv("WEIBAO_BLOBS__S3_BUCKET", "photos")
    monkeypatch.setenv("WEIBAO_BLOBS__S3_REGION", "cn-east-1")
    monkeypatch.setenv("WEIBAO_BLOBS__S3_PREFIX", "weibao/")
    monkeypatch.setenv("WEIBAO_BLOBS__S3_ACCESS_KEY_ENV", "MINIO_ACCESS")
    monkeypatch.setenv("WEIBAO_BLOBS__S3_SECRET_KEY_ENV", "MINIO_SECRET")
    monkeypatch.setenv("WEIBAO_BLOBS__URL_SECRET", "u" * 40)
    monkeypatch.setenv("MINIO_ACCESS", "access")
    monkeypatch.setenv("MINIO_SECRET", "secret")
    b = Settings().blobs
    assert "u" * 40 not in repr(b)  # SecretStr
    assert b.s3_access_key_env
    assert b.s3_secret_key_env
    store = open_blobs(
        b.kind,
        endpoint_url=b.s3_endpoint,
        bucket=b.s3_bucket,
        region=b.s3_region,
        access_key=os.environ[b.s3_access_key_env],
        secret_key=os.environ[b.s3_secret_key_env],
        prefix=b.s3_prefix,
    )
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("photos", "weibao/")
    assert b.url_secret is not None
    assert signing_secret(b.url_secret.get_secret_value(), Path("unused")) == b"u" * 40


def test_s3_without_a_bucket_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_BLOBS__KIND", "s3")
    with pytest.raises(ValidationError, match="needs a bucket"):
        Settings()


def test_unknown_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_BLOBS__KIND", "ftp")
    with pytest.raises(ValidationError, match=r"blobs\.kind"):
        Settings()
