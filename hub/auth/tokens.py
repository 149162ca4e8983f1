"""Access tokens: JWTs of the RFC 9068 profile, signed by the key ring, and their validation.

A token's header is ``{"alg": "ES256", "typ": "at+jwt", "kid": …}``; its claims
``iss aud exp iat nbf jti sub client_id scope`` and ``wb_kind``: ``"client"``
for a partner agency's token (``sub`` = ``client_id`` = the client id, as RFC
9068 §2.2 asks for the client credentials grant) or ``"user"`` for a person's
token from the program's apps (``sub`` = the User node's id, ``client_id`` =
``weibao-app``, plus ``username`` and ``role`` for logs; the hub re-reads the
account, these claims grant nothing).

Why not authlib's ``JWTBearerTokenGenerator``/``JWTBearerTokenValidator``: the
generator only runs inside a grant (user tokens are minted outside one) and
puts no ``kid`` in the header; the validator accepts any "recommended"
algorithm, does not check ``typ`` and is synchronous with no revocation hook.
Both are thin layers over joserfc, which this module uses directly, with one
algorithm allowed.

Validation is on every request's path, so it never waits on the graph in the
common case: the signature check (≈110 µs in all, ES256), a set look-up for
revocation (re-read from the graph by one request every few seconds), and a
bounded cache of tokens already verified, so a partner's next request with the
same token skips the signature (≈1 µs; expiry, the kid and revocation are
still checked each time).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    JoseError,
    MissingClaimError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import ECKey
from joserfc.jws import JWSRegistry
from joserfc.jwt import JWTClaimsRegistry

from hub.auth.errors import InvalidToken
from hub.auth.keys import ALGORITHM, KeyRing
from hub.auth.revocations import Revocations

#: ``client_id`` of people's tokens: the program's own apps (directors' phones, the web app).
APP_CLIENT_ID = "weibao-app"
#: Seconds of clock skew tolerated on ``exp``, ``nbf`` and ``iat``.
LEEWAY_S = 30
#: RFC 9068 §4: ``at+jwt``, or the full media type, case-insensitively.
_TYPES = frozenset({"at+jwt", "application/at+jwt"})
_KINDS = frozenset({"user", "client"})
#: How often validation asks the key ring whether the CLI rotated keys meanwhile.
_KEY_CHECK_S = 1.0
#: Verified tokens remembered (a few hundred bytes each); the cache empties when full.
_CACHE_SIZE = 10_000

Kind = Literal["user", "client"]


@dataclass(frozen=True)
class AccessToken:
    """A token as handed out: the JWT, its lifetime and id."""

    token: str
    expires_in: int  # seconds
    jti: str
    expires_at: int  # epoch seconds (the ``exp`` claim)


@dataclass(frozen=True)
class Claims:
    """What a valid token says."""

    jti: str
    sub: str
    client_id: str
    scope: tuple[str, ...]
    exp: int
    iat: int
    kind: Kind
    username: str | None = None  # user tokens only
    role: str | None = None  # user tokens only


class _UnknownKey(Exception):
    """The header names no key of the ring (or none at all)."""


class TokenService:
    """Issues and validates access tokens for one issuer and audience."""

    def __init__(
        self,
        keys: KeyRing,
        issuer: str,
        audience: str,
        client_ttl_s: int,
        user_ttl_s: int,
        revocations: Revocations | None = None,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.client_ttl_s = client_ttl_s
        self.user_ttl_s = user_ttl_s
        self.revocations = revocations
        self._clock = clock
        self._monotonic = monotonic
        self._next_key_check = float("-inf")
        self._jws = JWSRegistry(algorithms=[ALGORITHM])
        self._claims = JWTClaimsRegistry(
            now=lambda: int(self._clock()),
            leeway=LEEWAY_S,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
            sub={"essential": True},
            client_id={"essential": True},
        )
        self._verified: dict[str, tuple[Claims, str]] = {}  # token -> (claims, kid)

    # -- issuing -------------------------------------------------------------------
    def issue_client(self, client_id: str, scope: Sequence[str]) -> AccessToken:
        """A partner client's token (client credentials grant)."""
        return self._issue(
            {"sub": client_id, "client_id": client_id, "scope": " ".join(scope)},
            kind="client",
            ttl_s=self.client_ttl_s,
        )

    def issue_user(self, user_id: str, username: str, role: str) -> AccessToken:
        """A person's token for the program's apps (``sub``: the User node's id)."""
        return self._issue(
            {
                "sub": user_id,
                "client_id": APP_CLIENT_ID,
                "scope": "graphql",
                "username": username,
                "role": role,
            },
            kind="user",
            ttl_s=self.user_ttl_s,
        )

    def _issue(self, claims: dict[str, Any], *, kind: Kind, ttl_s: int) -> AccessToken:
        now = int(self._clock())
        jti = secrets.token_urlsafe(16)
        signing = self.keys.active
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "nbf": now,
            "iat": now,
            "exp": now + ttl_s,
            "jti": jti,
            **claims,
            "wb_kind": kind,
        }
        header = {"alg": ALGORITHM, "typ": "at+jwt", "kid": signing.kid}
        token = jwt.encode(header, payload, signing.key, registry=self._jws)
        return AccessToken(token=token, expires_in=ttl_s, jti=jti, expires_at=now + ttl_s)

    # -- validating ----------------------------------------------------------------
    async def validate(self, token: str) -> Claims:
        """The claims of a valid, unrevoked token; else :class:`InvalidToken`."""
        claims = self.decode(token)
        if self.revocations is not None and await self.revocations.is_revoked(claims.jti):
            raise InvalidToken("token revoked")
        return claims

    def decode(self, token: str) -> Claims:
        """Check signature, header and claims, not revocation (needs no I/O)."""
        if self._monotonic() >= self._next_key_check:
            self._next_key_check = self._monotonic() + _KEY_CHECK_S
            self.keys.reload_if_changed()
        cached = self._verified.get(token)
        if cached is not None:
            claims, kid = cached
            if self.keys.verification_key(kid) is None:
                raise InvalidToken("unknown signing key")
            if claims.exp <= self._clock() - LEEWAY_S:
                raise InvalidToken("token expired")
            return claims
        claims, kid = self._verify(token)
        if len(self._verified) >= _CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (claims, kid)
        return claims

    def _verify(self, token: str) -> tuple[Claims, str]:
        if not isinstance(token, str) or token.count(".") != 2:
            raise InvalidToken("malformed token")
        try:
            decoded = jwt.decode(token, self._key_for, registry=self._jws)
        except _UnknownKey as exc:
            raise InvalidToken("unknown signing key") from exc
        except UnsupportedAlgorithmError as exc:
            raise InvalidToken("token signing algorithm not accepted") from exc
        except BadSignatureError as exc:
            raise InvalidToken("bad token signature") from exc
        except (JoseError, ValueError, TypeError) as exc:
            raise InvalidToken("malformed token") from exc
        if str(decoded.header.get("typ", "")).lower() not in _TYPES:
            raise InvalidToken("not an access token")
        try:
            self._claims.validate(decoded.claims)
        except ExpiredTokenError as exc:
            raise InvalidToken("token expired") from exc
        except MissingClaimError as exc:
            raise InvalidToken("token lacks required claims") from exc
        except JoseError as exc:
            reason = {
                "iss": "token from another issuer",
                "aud": "token for another audience",
                "nbf": "token not yet valid",
                "iat": "token issued in the future",
            }.get(getattr(exc, "claim", ""), "invalid token claims")
            raise InvalidToken(reason) from exc
        return _claims_of(decoded.claims), str(decoded.header["kid"])

    def _key_for(self, obj: Any) -> ECKey:
        kid = obj.headers().get("kid")
        if not isinstance(kid, str):
            raise _UnknownKey
        key = self.keys.verification_key(kid)
        if key is None and self.keys.reload_if_changed():
            # A key rotated by the CLI a moment ago, not yet seen by the periodic check.
            key = self.keys.verification_key(kid)
        if key is None:
            raise _UnknownKey
        return key


def _claims_of(data: dict[str, Any]) -> Claims:
    kind = data.get("wb_kind")
    scope = data.get("scope", "")
    if kind not in _KINDS or not isinstance(scope, str):
        raise InvalidToken("invalid token claims")
    for name in ("jti", "sub", "client_id"):
        if not isinstance(data.get(name), str):
            raise InvalidToken("invalid token claims")
    username, role = data.get("username"), data.get("role")
    return Claims(
        jti=data["jti"],
        sub=data["sub"],
        client_id=data["client_id"],
        scope=tuple(scope.split()),
        exp=int(data["exp"]),
        iat=int(data["iat"]),
        kind="user" if kind == "user" else "client",
        username=username if isinstance(username, str) else None,
        role=role if isinstance(role, str) else None,
    )
