"""The OAuth 2.0 endpoints of partner agencies, on authlib's framework-agnostic server.

``POST /oauth/token`` (RFC 6749 §4.4, client credentials), ``POST /oauth/revoke``
(RFC 7009), ``GET /.well-known/jwks.json`` and ``GET /.well-known/oauth-authorization-server``
(RFC 8414). Clients authenticate with ``client_secret_basic`` or
``client_secret_post``.

**How authlib meets asyncio.** authlib's server is synchronous: it calls
``query_client``, ``check_client_secret`` and the token generator in the middle
of its checks. So each request goes in three steps:

1. *async, on the event loop*: read and parse the form body (bounded), and load
   the ``ClientRecord`` of every client id the request names (Basic header,
   ``client_id`` field) from the registry's cache or the graph;
2. *sync, in a worker thread*: hand authlib a request object that carries those
   records; authlib authenticates (argon2 verification takes tens of
   milliseconds of CPU, which must not stall the event loop), validates the
   grant, and signs the token, without any I/O;
3. *async again*: write what authlib decided must be written (the jti of a
   revoked token) and send the JSON response.

An unknown client id gets a stand-in whose secret check runs against a dummy
hash and fails, so an unknown client, a disabled one and a wrong secret get the
same ``invalid_client`` answer in about the same time.

authlib checks that its endpoint URLs are HTTPS (or loopback HTTP); they are
built from the configured issuer, so a hub whose issuer is plain HTTP on a
non-loopback address answers ``insecure_transport``: client secrets travel
over TLS only (set ``WEIBAO_AUTH__ISSUER`` to the public ``https://`` URL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import (  # type: ignore[import-untyped]
    AuthorizationServer,
    ClientAuthentication,
    ClientCredentialsGrant,
    ClientMixin,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
    OAuth2Payload,
    OAuth2Request,
    scope_to_list,
)
from authlib.oauth2.rfc6749.util import (  # type: ignore[import-untyped]
    extract_basic_authorization,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint  # type: ignore[import-untyped]
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph import GraphError
from hub.auth.clients import CLIENT_ID_PATTERN, KNOWN_SCOPES, ClientRecord, ClientRegistry
from hub.auth.errors import InvalidToken
from hub.auth.keys import KeyRing
from hub.auth.tokens import Claims, TokenService

AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
GRANT_TYPES = ["client_credentials"]
TOKEN_PATH = "/oauth/token"  # noqa: S105 (a path, not a secret)
REVOKE_PATH = "/oauth/revoke"
JWKS_PATH = "/.well-known/jwks.json"
METADATA_PATH = "/.well-known/oauth-authorization-server"
#: A token or revocation request is a few hundred bytes; refuse to buffer more than this.
MAX_BODY_BYTES = 16 * 1024
_MAX_FIELDS = 16
_FORM = "application/x-www-form-urlencoded"

Result = tuple[int, Any, list[tuple[str, str]]]


# -- what authlib works on ---------------------------------------------------------------
class _Client(ClientMixin):  # type: ignore[misc]
    """A client as authlib sees it: a loaded record (or None for an unknown id)."""

    def __init__(self, client_id: str, record: ClientRecord | None, registry: ClientRegistry):
        self.client_id = client_id
        self.record = record
        self._registry = registry

    def get_client_id(self) -> str:
        return self.client_id

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.record.scopes if self.record else ())
        return " ".join(s for s in scope_to_list(scope) or [] if s in allowed)

    def check_client_secret(self, client_secret: str) -> bool:
        return self._registry.check_secret(self.record, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._data = dict(pairs)
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for name, value in pairs:
            self._datalist[name].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _Request(OAuth2Request):  # type: ignore[misc]
    """An OAuth2Request with its form already read and its clients already loaded."""

    def __init__(
        self,
        uri: str,
        headers: Mapping[str, str],
        pairs: list[tuple[str, str]],
        clients: Callable[[str], _Client],
    ) -> None:
        super().__init__("POST", uri, headers=headers)
        self.payload = _Payload(pairs)
        self.clients = clients
        self.revoked: list[Claims] = []

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data


class _ClientCredentials(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_requested_scope(self) -> None:
        """A client may ask for its own scopes only (none asked: all of them)."""
        super().validate_requested_scope()
        requested = scope_to_list(self.request.payload.scope) or []
        client: _Client = self.request.client
        if not set(requested) <= set(client.record.scopes if client.record else ()):
            raise InvalidScopeError()


class _RevocableToken:
    def __init__(self, claims: Claims) -> None:
        self.claims = claims

    def check_client(self, client: _Client) -> bool:
        return self.claims.kind == "client" and self.claims.client_id == client.get_client_id()


class _Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def __init__(self, server: _Server, tokens: TokenService) -> None:
        super().__init__(server)
        self._tokens = tokens

    def query_token(self, token_string: str, token_type_hint: str | None) -> _RevocableToken | None:
        try:
            return _RevocableToken(self._tokens.decode(token_string))
        except InvalidToken:
            return None  # RFC 7009 §2.2: an invalid token is no error

    def authenticate_token(self, request: _Request, client: _Client) -> _RevocableToken | None:
        self.check_params(request, client)
        token = self.query_token(request.form["token"], request.form.get("token_type_hint"))
        # Another client's token is left alone, and the answer is the same 200, so the
        # endpoint does not tell whose a token is.
        return token if token is not None and token.check_client(client) else None

    def revoke_token(self, token: _RevocableToken, request: _Request) -> None:
        request.revoked.append(token.claims)  # written by the async handler after authlib


class _Server(AuthorizationServer):  # type: ignore[misc]
    """authlib's server, fed with requests whose I/O is done; answers plain tuples."""

    def __init__(self, tokens: TokenService) -> None:
        super().__init__(scopes_supported=list(KNOWN_SCOPES))
        self._tokens = tokens
        self.register_grant(_ClientCredentials)
        self.register_endpoint(_Revocation(self, tokens))
        self.register_token_generator("default", self._generate)

    def authenticate_client(
        self, request: _Request, methods: list[str], endpoint: str = "token"
    ) -> _Client:
        client: _Client = ClientAuthentication(request.clients)(request, methods, endpoint)
        return client

    def query_client(self, client_id: str) -> None:
        return None  # clients come loaded with each request (see authenticate_client)

    def save_token(self, token: dict[str, Any], request: _Request) -> None:
        """Nothing to save: access tokens are self-contained JWTs."""

    def create_oauth2_request(self, request: _Request) -> _Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Result:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals."""

    def _generate(
        self,
        grant_type: str,
        client: _Client,
        user: object = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = False,
    ) -> dict[str, Any]:
        assert client.record is not None
        granted = scope_to_list(scope) or list(client.record.scopes)
        token = self._tokens.issue_client(client.get_client_id(), granted)
        return {
            "access_token": token.token,
            "token_type": "Bearer",
            "expires_in": token.expires_in,
            "scope": " ".join(granted),
        }


# -- the Starlette side --------------------------------------------------------------------
def _response(result: Result) -> Response:
    status, body, headers = result
    return JSONResponse(body, status_code=status, headers=dict(headers))


def _error(error: OAuth2Error) -> Response:
    return _response(error())


class _ReadError(Exception):
    def __init__(self, error: OAuth2Error, status: int = 400) -> None:
        self.error = error
        error.status_code = status


async def _read_form(request: Request) -> list[tuple[str, str]]:
    """The urlencoded body's fields, each at most once (RFC 6749 §3.2), bounded in size."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != _FORM:
        raise _ReadError(InvalidRequestError(f"the body must be {_FORM}"))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _ReadError(InvalidRequestError("request body too large"), 413)
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=_MAX_FIELDS)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _ReadError(InvalidRequestError("malformed request body")) from exc
    names = [name for name, _ in pairs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _ReadError(InvalidRequestError(f"repeated parameter: {', '.join(repeated)}"))
    return pairs


class _Endpoints:
    def __init__(self, registry: ClientRegistry, tokens: TokenService, keys: KeyRing) -> None:
        if tokens.revocations is None:
            raise ValueError("the OAuth endpoints need a TokenService with revocations")
        self.registry = registry
        self.tokens = tokens
        self.keys = keys
        self.server = _Server(tokens)
        self.issuer = tokens.issuer.rstrip("/")

    async def _prepare(self, request: Request, path: str) -> _Request:
        pairs = await _read_form(request)
        form = dict(pairs)
        basic_id, _ = extract_basic_authorization(request.headers)
        if basic_id is not None and "client_secret" in form:
            raise _ReadError(InvalidRequestError("use one client authentication method"))
        ids = {i for i in (basic_id, form.get("client_id")) if i}
        loaded = {i: await self._load(i) for i in ids}

        def clients(client_id: str) -> _Client:
            return loaded.get(client_id) or _Client(client_id, None, self.registry)

        try:
            return _Request(self.issuer + path, request.headers, pairs, clients)
        except OAuth2Error as exc:  # insecure_transport: see the module docstring
            raise _ReadError(exc) from exc

    async def _load(self, client_id: str) -> _Client:
        known = CLIENT_ID_PATTERN.fullmatch(client_id) is not None
        record = await self.registry.get(client_id) if known else None
        return _Client(client_id, record, self.registry)

    async def token(self, request: Request) -> Response:
        try:
            prepared = await self._prepare(request, TOKEN_PATH)
        except _ReadError as exc:
            return _error(exc.error)
        except GraphError:
            return _unavailable()
        result: Result = await run_in_threadpool(self.server.create_token_response, prepared)
        return _response(result)

    async def revoke(self, request: Request) -> Response:
        try:
            prepared = await self._prepare(request, REVOKE_PATH)
        except _ReadError as exc:
            return _error(exc.error)
        except GraphError:
            return _unavailable()
        result: Result = await run_in_threadpool(
            self.server.create_endpoint_response, "revocation", prepared
        )
        assert self.tokens.revocations is not None
        try:
            for claims in prepared.revoked:
                await self.tokens.revocations.revoke(claims.jti, claims.exp)
        except GraphError:
            return _unavailable()
        return _response(result)

    async def jwks(self, request: Request) -> Response:
        self.keys.reload_if_changed()
        return JSONResponse(
            self.keys.public_jwks(),
            headers={"Cache-Control": "public, max-age=60"},
            media_type="application/jwk-set+json",
        )

    async def metadata(self, request: Request) -> Response:
        return JSONResponse(server_metadata(self.issuer))


def _unavailable() -> Response:
    return JSONResponse(
        {"error": "temporarily_unavailable", "error_description": "try again shortly"},
        status_code=503,
        headers={"Cache-Control": "no-store", "Retry-After": "5"},
    )


def server_metadata(issuer: str) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    base = issuer.rstrip("/")
    return {
        "issuer": base,
        "token_endpoint": base + TOKEN_PATH,
        "revocation_endpoint": base + REVOKE_PATH,
        "jwks_uri": base + JWKS_PATH,
        "scopes_supported": list(KNOWN_SCOPES),
        "response_types_supported": [],  # no authorization endpoint
        "grant_types_supported": GRANT_TYPES,
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
    }


def oauth_routes(registry: ClientRegistry, tokens: TokenService, keys: KeyRing) -> list[Route]:
    """The OAuth 2.0 routes; mount them at the root of the hub's app."""
    endpoints = _Endpoints(registry, tokens, keys)
    return [
        Route(TOKEN_PATH, endpoints.token, methods=["POST"]),
        Route(REVOKE_PATH, endpoints.revoke, methods=["POST"]),
        Route(JWKS_PATH, endpoints.jwks, methods=["GET"]),
        Route(METADATA_PATH, endpoints.metadata, methods=["GET"]),
    ]
