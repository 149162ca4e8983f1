"""Signed photo links and their secret."""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from schema.media import PHOTO_PATH, PhotoSigner, signing_secret
from schema.media.errors import MediaError

SECRET = b"s" * 32
KEY = "ab" * 32
NOW = 1_740_794_400


def parts(url: str) -> tuple[str, int, str]:
    split = urlsplit(url)
    query = parse_qs(split.query, strict_parsing=True)
    return split.path.removeprefix(PHOTO_PATH), int(query["exp"][0]), query["sig"][0]


def test_url_shape() -> None:
    url = PhotoSigner(SECRET, ttl_s=600).url(KEY, NOW)
    assert url.startswith(f"/media/photos/{KEY}?exp={NOW + 600}&sig=")
    key, exp, sig = parts(url)
    assert (key, exp) == (KEY, NOW + 600)
    assert len(sig) == 43
    assert "=" not in sig


def test_verify_accepts_its_own_links_until_they_expire() -> None:
    signer = PhotoSigner(SECRET, ttl_s=600)
    key, exp, sig = parts(signer.url(KEY, NOW + 0.9))
    assert signer.verify(key, exp, sig, NOW)
    assert signer.verify(key, exp, sig, NOW + 600)  # the last second still counts
    assert not signer.verify(key, exp, sig, NOW + 601)


@pytest.mark.parametrize(
    "tamper",
    ["other photo", "later expiry", "flipped signature", "empty signature", "other secret"],
)
def test_verify_refuses_tampering(tamper: str) -> None:
    signer = PhotoSigner(SECRET)
    key, exp, sig = parts(signer.url(KEY, NOW))
    if tamper == "other photo":
        key = "cd" * 32
    elif tamper == "later expiry":
        exp += 3600
    elif tamper == "flipped signature":
        sig = ("B" if sig[0] == "A" else "A") + sig[1:]
    elif tamper == "empty signature":
        sig = ""
    else:
        signer = PhotoSigner(b"t" * 32)
    assert not signer.verify(key, exp, sig, NOW)


def test_verify_refuses_a_bad_key_without_raising() -> None:
    assert not PhotoSigner(SECRET).verify("../../etc/passwd", NOW + 60, "x", NOW)


def test_signer_refuses_weak_setups() -> None:
    with pytest.raises(MediaError, match="at least 32 bytes"):
        PhotoSigner(b"short")
    with pytest.raises(MediaError, match="positive"):
        PhotoSigner(SECRET, ttl_s=0)
    with pytest.raises(MediaError, match="not a photo key"):
        PhotoSigner(SECRET).url("../x", NOW)


def test_configured_secret_wins(tmp_path: Path) -> None:
    assert signing_secret("c" * 40, tmp_path / "keys" / "photo-url.key") == b"c" * 40
    assert not (tmp_path / "keys").exists()
    with pytest.raises(MediaError, match="at least 32"):
        signing_secret("changeme", tmp_path / "photo-url.key")


def test_generated_secret_is_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "photo-url.key"
    first = signing_secret(None, path)
    assert len(first) == 128
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert signing_secret(None, path) == first  # links survive a restart
    assert signing_secret("", path) == first
    assert [p.name for p in path.parent.iterdir()] == ["photo-url.key"]


def test_an_unusable_secret_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "photo-url.key"
    path.write_text("tiny\n")
    with pytest.raises(MediaError, match="delete it"):
        signing_secret(None, path)
