"""Short-lived signed links to photos: ``/media/photos/<sha256>?exp=<epoch s>&sig=<hmac>``.

``Visit.photos`` hands these out only to readers whose access rules allow the
photos; the media route then serves a photo to whoever holds a valid link,
without a session, so an ``<img src>`` works in any client. The link is the
permission: it names one photo, expires after ``ttl_s`` seconds, and its
signature (HMAC-SHA256 under a secret only the hub knows) cannot be forged or
moved to another photo or expiry.

The secret comes from the settings, or :func:`signing_secret` makes one on
first use and keeps it in a 0600 file, so links survive a restart.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from schema.media.errors import MediaError

#: Where the served photos are; the route and the links agree on it.
PHOTO_PATH = "/media/photos/"
_KEY = re.compile(r"^[0-9a-f]{64}$")
#: Tells these signatures from any other use of the same secret.
_PURPOSE = b"weibao-photo-url\x00"
_MIN_SECRET = 32


class PhotoSigner:
    """Makes and checks signed photo links; ``now`` is epoch seconds."""

    def __init__(self, secret: bytes, ttl_s: int = 600) -> None:
        if len(secret) < _MIN_SECRET:
            raise MediaError(f"the photo link secret must have at least {_MIN_SECRET} bytes")
        if ttl_s <= 0:
            raise MediaError("the photo link lifetime must be positive")
        self._secret = secret
        self.ttl_s = ttl_s

    def url(self, sha256: str, now: float) -> str:
        """A link to photo ``sha256`` valid for ``ttl_s`` seconds from ``now``."""
        if not _KEY.match(sha256):
            raise MediaError(f"not a photo key: {sha256!r:.80}")
        exp = int(now) + self.ttl_s
        return f"{PHOTO_PATH}{sha256}?exp={exp}&sig={self._sign(sha256, exp)}"

    def verify(self, sha256: str, exp: int, sig: str, now: float) -> bool:
        """Whether ``sig`` signs (``sha256``, ``exp``) and ``exp`` has not passed."""
        if not _KEY.match(sha256) or exp < now:
            return False
        # Constant time: a byte-by-byte comparison would leak how much of a guess is right.
        return hmac.compare_digest(self._sign(sha256, exp).encode(), sig.encode())

    def _sign(self, sha256: str, exp: int) -> str:
        message = _PURPOSE + f"{sha256}\x00{exp}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signing_secret(configured: str | None, path: Path) -> bytes:
    """The photo link secret: ``configured`` if set, else the one kept at ``path``.

    The file (64 random bytes as hex, mode 0600, its directory 0700) is made on
    first use; two processes starting at once agree on one secret, because the
    file is written aside and linked into place, which fails if it exists.
    """
    if configured:
        if len(configured) < _MIN_SECRET:
            raise MediaError(f"the photo link secret must have at least {_MIN_SECRET} characters")
        return configured.encode()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(64))
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink()
    secret = path.read_text().strip()
    if len(secret) < _MIN_SECRET:
        raise MediaError(f"{path} holds no usable photo link secret: delete it to make a new one")
    return secret.encode()
