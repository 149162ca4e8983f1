"""The ``Authorization`` header of page requests: a static token or a client-credentials one.

The client-credentials token (RFC 6749 §4.4) is fetched on the first request
and fetched again when a page request answers 401: platforms issue short-lived
tokens and do not always say when they expire, so the 401 is the signal that
works everywhere. The token request is retried like a page request (5xx,
timeouts); a refusal of the client is a :class:`SourceError` naming the client
id, never the secret.

authlib's httpx client was considered: its client-credentials support
re-fetches on expiry but not on a 401, and its requests would bypass the
retry policy, so the one POST is written here.
"""

from __future__ import annotations

import base64
import json
from typing import Protocol
from urllib.parse import quote_plus, urlsplit

import httpx

from connectors.errors import SourceError
from connectors.kinds.rest._retry import Retrier, snippet
from connectors.kinds.rest._spec import BearerAuth, ClientCredentialsAuth
from connectors.kinds.rest._stats import RestReadStats


class Credentials(Protocol):
    """Gives the ``Authorization`` header; may renew it once a 401 came back."""

    renewable: bool

    async def header(self) -> str: ...

    def invalidate(self) -> None: ...


class StaticBearer:
    """A token given by the caller; a 401 is final."""

    renewable = False

    def __init__(self, auth: BearerAuth) -> None:
        self._header = "Bearer " + auth.token.get_secret_value()

    async def header(self) -> str:
        return self._header

    def invalidate(self) -> None:
        """Nothing to renew: the caller's token is the only one."""


class ClientCredentials:
    """An OAuth 2.0 client-credentials token, fetched lazily and re-fetched after a 401."""

    renewable = True

    def __init__(
        self,
        auth: ClientCredentialsAuth,
        *,
        base_url: str,
        client: httpx.AsyncClient,
        retrier: Retrier,
        stats: RestReadStats,
        timeout_s: float,
    ) -> None:
        self._auth = auth
        self._url = httpx.URL(base_url + "/").join(auth.token_url)
        self._client = client
        self._retrier = retrier
        self._stats = stats
        self._timeout = httpx.Timeout(timeout_s)
        self._token: str | None = None

    async def header(self) -> str:
        if self._token is None:
            self._token = await self._fetch()
        return "Bearer " + self._token

    def invalidate(self) -> None:
        self._token = None

    def _request_parts(self) -> tuple[dict[str, str], dict[str, str]]:
        auth = self._auth
        form = {"grant_type": "client_credentials"}
        if auth.scope:
            form["scope"] = auth.scope
        headers = {"Accept": "application/json"}
        secret = auth.client_secret.get_secret_value()
        if auth.client_auth == "basic":
            # RFC 6749 §2.3.1: form-encode id and secret before joining them.
            pair = f"{quote_plus(auth.client_id)}:{quote_plus(secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form["client_id"] = auth.client_id
            form["client_secret"] = secret
        return form, headers

    async def _fetch(self) -> str:
        form, headers = self._request_parts()
        what = f"POST {urlsplit(str(self._url)).path}"
        self._stats.token_fetches += 1
        response = await self._retrier.send(
            what,
            lambda: self._client.post(self._url, data=form, headers=headers, timeout=self._timeout),
        )
        client_id = self._auth.client_id
        if response.status_code != 200:
            raise SourceError(
                f"{what}: the token endpoint refused client {client_id!r} "
                f"({response.status_code} {response.reason_phrase}): {snippet(response)}"
            )
        try:
            body = json.loads(response.content)
        except ValueError as exc:
            raise SourceError(f"{what}: the token answer is not JSON: {snippet(response)}") from exc
        token = body.get("access_token") if isinstance(body, dict) else None
        token_type = body.get("token_type", "bearer") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceError(f"{what}: the token answer has no access_token")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise SourceError(f"{what}: token_type {token_type!r} is not a bearer token")
        return token


def credentials_for(
    auth: BearerAuth | ClientCredentialsAuth | None,
    *,
    base_url: str,
    client: httpx.AsyncClient,
    retrier: Retrier,
    stats: RestReadStats,
    timeout_s: float,
) -> Credentials | None:
    """The credentials object of a spec's ``auth`` setting."""
    if auth is None:
        return None
    if isinstance(auth, BearerAuth):
        return StaticBearer(auth)
    return ClientCredentials(
        auth, base_url=base_url, client=client, retrier=retrier, stats=stats, timeout_s=timeout_s
    )
