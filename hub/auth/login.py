"""Signing in: the login policy (:class:`Authenticator`) and the routes that speak it.

:meth:`Authenticator.authenticate` is the one place of the policy: password,
second factor, disabled accounts, per-account backoff and lockout, per-address
throttling. Every way of signing in (the form, JSON, the program apps' token
endpoint) calls it; the routes only translate its answers into HTTP.

Every failure says the same thing (:data:`INVALID`), whatever failed, and an
unknown user name costs one password verification and collects backoff and
lockout like a real account (in memory), so neither the answer, its timing,
nor the throttling tells whether a user name exists.

Sessions are Starlette's signed cookie sessions (``SessionMiddleware``, see
:func:`session_middleware`); a signed-in session holds ``uid`` (the User
node id), ``iat`` (epoch ms), ``csrf`` (see :mod:`hub.auth.csrf`) and ``mfa``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import math
import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from hub.auth.csrf import FIELD, SESSION_KEY, ensure_token, new_token, token_matches
from hub.auth.errors import AuthError, Forbidden, InvalidCredentials, LoginThrottled
from hub.auth.totp import TotpVerifier
from hub.auth.users import UserDirectory, UserRecord
from hub.settings import Settings

log = logging.getLogger(__name__)

INVALID = "用户名、密码或动态验证码不正确 / Wrong user name, password or one-time code"
TOTP_MISSING = (
    "此账户须使用动态验证码，但尚未绑定：请管理员运行 weibao users totp {name} / "
    "This account needs a one-time code but has none enrolled: ask an administrator "
    "to run `weibao users totp {name}`"
)
FORM_EXPIRED = "表单已过期，请重新提交 / The form expired: please submit it again"
SESSION_COOKIE = "weibao_session"
#: Longest backoff between two attempts before the lockout takes over.
BACKOFF_CAP_S = 300.0
#: Failed logins from one address (any user names) before it is slowed down.
IP_FREE_FAILURES = 20
IP_FORGET_S = 900
# Unknown user names are remembered much longer: a real account's count only
# resets on success, and a difference would tell which names exist.
GHOST_FORGET_S = 24 * 3600
CST = timezone(timedelta(hours=8))
MAX_USERNAME = 128

#: Makes a program app's token for a signed-in person: ``(token, expires_in)``.
IssueUserToken = Callable[[UserRecord], tuple[str, int]]


@dataclass(frozen=True)
class LoginPolicy:
    """The login rules, from the ``auth`` settings."""

    max_failed_logins: int = 5
    lockout_s: int = 900
    backoff_base_s: float = 1.0
    backoff_cap_s: float = BACKOFF_CAP_S
    require_totp: bool = False
    totp_roles: frozenset[str] = frozenset()
    ip_free_failures: int = IP_FREE_FAILURES

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        auth = settings.auth
        return cls(
            max_failed_logins=auth.max_failed_logins,
            lockout_s=auth.lockout_s,
            backoff_base_s=auth.backoff_base_s,
            require_totp=settings.require_totp,
            totp_roles=frozenset(auth.totp_roles),
        )

    def wait_after(self, failures: int) -> float:
        """Seconds an account refuses attempts after ``failures`` failures in a row."""
        if failures >= self.max_failed_logins:
            return float(self.lockout_s)
        if failures < 2:
            return 0.0
        return min(self.backoff_base_s * 2.0 ** (failures - 2), self.backoff_cap_s, self.lockout_s)

    def waits_ms(self) -> list[int]:
        """:meth:`wait_after` for 0…max failures, as the graph's failure counter takes it."""
        return [int(self.wait_after(n) * 1000) for n in range(self.max_failed_logins + 1)]

    def ip_wait_after(self, failures: int) -> float:
        """Seconds an address waits after ``failures`` failures (for any user names)."""
        if failures < self.ip_free_failures:
            return 0.0
        extra = failures - self.ip_free_failures
        return min(self.backoff_base_s * 2.0 ** min(extra, 30), self.backoff_cap_s)

    def needs_totp(self, record: UserRecord) -> bool:
        return self.require_totp and record.role.value in self.totp_roles


class _Failures:
    """Failures in a row per key, in memory, for what has no User node (addresses, unknown
    names); the least recently failed keys go first past ``limit``."""

    def __init__(self, forget_after_s: float, limit: int = 10_000) -> None:
        self._forget_ms = int(forget_after_s * 1000)
        self._limit = limit
        self._entries: OrderedDict[str, tuple[int, int, int]] = OrderedDict()

    def state(self, key: str, now_ms: int) -> tuple[int, int]:
        """(failures, refused until ms) of ``key``."""
        entry = self._entries.get(key)
        if entry is None:
            return 0, 0
        failures, last_ms, until_ms = entry
        if now_ms - last_ms > self._forget_ms:
            del self._entries[key]
            return 0, 0
        return failures, until_ms

    def fail(self, key: str, now_ms: int, wait_s: Callable[[int], float]) -> None:
        failures = self.state(key, now_ms)[0] + 1
        self._entries[key] = (failures, now_ms, now_ms + int(wait_s(failures) * 1000))
        self._entries.move_to_end(key)
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)


class Authenticator:
    """Decides a login; see the module docstring."""

    def __init__(
        self,
        directory: UserDirectory,
        policy: LoginPolicy,
        *,
        totp: TotpVerifier | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = directory
        self.policy = policy
        self.totp = totp or TotpVerifier(clock)
        self._clock = clock
        self._ips = _Failures(IP_FORGET_S)
        self._ghosts = _Failures(GHOST_FORGET_S)

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    async def authenticate(
        self, username: str, password: str, totp_code: str | None, client_ip: str
    ) -> UserRecord:
        """The account, if the credentials are good and the policy lets it in now.

        Raises :class:`InvalidCredentials` (one message for every failure),
        :class:`LoginThrottled` (wait ``retry_after`` s) or :class:`Forbidden`
        (right password, but a required second factor is not enrolled).
        """
        now = self.now_ms()
        # No account name is this long; the cap bounds what unknown names cost in memory.
        username = username.strip()[:MAX_USERNAME]
        _, ip_until = self._ips.state(client_ip, now)
        if ip_until > now:
            raise self._throttled(ip_until, now, lockout=False)
        passwords = self.directory.passwords
        record = await self.directory.get_by_username(username) if username else None
        if record is None:
            failures, until = self._ghosts.state(username, now)
            if until > now:
                raise self._throttled(until, now, failures >= self.policy.max_failed_logins)
            await asyncio.to_thread(passwords.dummy_verify, password)
            self._ghosts.fail(username, now, self.policy.wait_after)
            self._ips.fail(client_ip, now, self.policy.ip_wait_after)
            raise InvalidCredentials(INVALID)
        if record.locked(now):
            assert record.locked_until is not None
            lockout = record.failed_logins >= self.policy.max_failed_logins
            raise self._throttled(record.locked_until, now, lockout)

        checked = await asyncio.to_thread(passwords.verify, record.password_hash, password)
        # The code is only checked (and spent) after the right password.
        good = checked.ok and (
            record.totp_secret is None
            or self.totp.verify(record.id, record.totp_secret, totp_code or "")
        )
        if not good:
            await self.directory.record_failure(record.username, self.policy.waits_ms(), now)
            self._ips.fail(client_ip, now, self.policy.ip_wait_after)
            raise InvalidCredentials(INVALID)
        if record.disabled:
            raise InvalidCredentials(INVALID)
        if record.totp_secret is None and self.policy.needs_totp(record):
            raise Forbidden(TOTP_MISSING.format(name=record.username))

        if record.failed_logins or record.locked_until is not None:
            await self.directory.record_success(record.username)
        if checked.needs_rehash:
            await self.directory.upgrade_hash(record, password)
        return replace(record, failed_logins=0, locked_until=None)

    @staticmethod
    def _throttled(until_ms: int, now_ms: int, lockout: bool) -> LoginThrottled:
        wait = max(1, math.ceil((until_ms - now_ms) / 1000))
        if lockout:
            at = datetime.fromtimestamp(until_ms / 1000, tz=UTC).astimezone(CST)
            when = at.strftime("%Y-%m-%d %H:%M")
            message = (
                f"登录失败次数过多，账户已锁定至 {when}（北京时间） / Too many failed logins: "
                f"the account is locked until {when} (UTC+8)"
            )
        else:
            message = (
                f"登录失败次数过多，请 {wait} 秒后再试 / Too many failed logins: "
                f"try again in {wait} s"
            )
        return LoginThrottled(message, retry_after=wait)


async def session_user(session: Mapping[str, Any], directory: UserDirectory) -> UserRecord | None:
    """The account a session is signed in as, if the session is still good.

    A session is good while the account exists, is enabled, and its password
    was not reset after the session began (``iat``). The authentication
    backend calls this on every cookie request (``get_by_id`` is cached).
    """
    uid, issued = session.get("uid"), session.get("iat")
    if not isinstance(uid, str) or not isinstance(issued, int):
        return None
    record = await directory.get_by_id(uid)
    if record is None or not record.accepts_session(issued):
        return None
    return record


def session_secret(settings: Settings) -> str:
    """The key signing session cookies: from the settings, or (dev) a generated file.

    In development it is ``<keys_dir>/session.key`` (64 random bytes as hex,
    mode 0600), made on first use, so sessions survive a restart.
    """
    configured = settings.auth.session_secret
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    if not settings.is_dev:
        raise AuthError("production needs a session secret: set WEIBAO_AUTH__SESSION_SECRET")
    path = settings.keys_dir / "session.key"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        # Write aside, then link into place: two hubs starting at once agree on one key.
        tmp = path.with_name(f".session.key.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(64))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise AuthError(f"{path} holds no usable session secret: delete it to make a new one")
    return secret


def session_middleware(settings: Settings) -> Middleware:
    """Starlette's signed cookie sessions as the hub uses them."""
    return Middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=settings.auth.session_max_age_s,
        same_site="lax",
        https_only=not settings.is_dev,
    )


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or len(target) > 2048 or not target.startswith("/"):
        return None
    # "//host" and "/\host" are other sites to a browser.
    if target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


class _BadRequest(AuthError):
    status_code = 400


_CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 429: "THROTTLED"}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PAGE_HEADERS = {
    **_NO_STORE,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
}


#: Revokes a session id until an instant (epoch seconds): the hub's token revocations.
RevokeSession = Callable[[str, int], Awaitable[None]]


def login_routes(
    authenticator: Authenticator,
    directory: UserDirectory,
    issue_user_token: IssueUserToken,
    *,
    secure_cookies: bool,
    revoke_session: RevokeSession | None = None,
    session_max_age_s: int = 8 * 3600,
) -> list[Route]:
    """``/login`` (form), ``/auth/login`` (JSON), ``/auth/token``, ``/logout``, ``/auth/session``.

    ``secure_cookies`` says the session cookie is ``Secure`` (as configured in
    :func:`session_middleware`); a sign-in over plain HTTP is then logged,
    since the browser will drop the cookie and the user will loop.
    """
    warned = False

    def start_session(request: Request, record: UserRecord) -> str:
        nonlocal warned
        if secure_cookies and request.url.scheme == "http" and not warned:
            warned = True
            log.warning("sign-in over plain HTTP: browsers drop the Secure session cookie")
        # A new session (not the pre-login one) for the signed-in user.
        request.session.clear()
        token = new_token()
        request.session.update(
            uid=record.id,
            iat=authenticator.now_ms(),
            sid=new_token(),  # names the session, so signing out can void copies of it
            csrf=token,
            mfa=record.totp_enrolled,
        )
        return token

    async def login_page(request: Request) -> Response:
        return _page(ensure_token(request.session), safe_next(request.query_params.get("next")))

    async def login_form(request: Request) -> Response:
        async with request.form(max_files=0, max_fields=10) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        target = safe_next(fields.get("next"))
        username = fields.get("username", "")
        if not token_matches(request.session, fields.get(FIELD)):
            request.session[SESSION_KEY] = new_token()
            return _page(request.session[SESSION_KEY], target, username, FORM_EXPIRED, 403)
        try:
            record = await authenticator.authenticate(
                username, fields.get("password", ""), fields.get("totp"), _client_ip(request)
            )
        except AuthError as exc:
            page = _page(ensure_token(request.session), target, username, exc.message)
            return _with_status(page, exc)
        start_session(request, record)
        return RedirectResponse(target or "/", status_code=303, headers=_NO_STORE)

    async def login_json(request: Request) -> Response:
        try:
            username, password, code = await _json_credentials(request)
            record = await authenticator.authenticate(username, password, code, _client_ip(request))
        except AuthError as exc:
            return _json_error(exc)
        token = start_session(request, record)
        return JSONResponse({"user": _user_json(record), "csrfToken": token}, headers=_NO_STORE)

    async def token(request: Request) -> Response:
        try:
            username, password, code = await _json_credentials(request)
            record = await authenticator.authenticate(username, password, code, _client_ip(request))
        except AuthError as exc:
            return _json_error(exc)
        access_token, expires_in = issue_user_token(record)
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}
        return JSONResponse(body, headers=_NO_STORE)

    async def logout(request: Request) -> Response:
        # The CSRF middleware has checked a signed-in session's token already.
        # The cookie is signed, not stored: a copy would outlive a mere clear, so the
        # session's id is revoked until the cookie would have expired anyway.
        sid, issued = request.session.get("sid"), request.session.get("iat")
        if revoke_session is not None and isinstance(sid, str) and isinstance(issued, int):
            await revoke_session(f"session:{sid}", issued // 1000 + session_max_age_s)
        request.session.clear()
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return RedirectResponse("/login", status_code=303, headers=_NO_STORE)
        return Response(status_code=204, headers=_NO_STORE)

    async def session_info(request: Request) -> Response:
        record = await session_user(request.session, directory)
        if record is None and "uid" in request.session:
            request.session.clear()  # disabled, reset or gone: sign the browser out
        token = ensure_token(request.session)
        user = _user_json(record) if record else None
        return JSONResponse({"user": user, "csrfToken": token}, headers=_NO_STORE)

    return [
        Route("/login", login_page, methods=["GET"], name="auth:login_page"),
        Route("/login", login_form, methods=["POST"], name="auth:login_form"),
        Route("/auth/login", login_json, methods=["POST"], name="auth:login"),
        Route("/auth/token", token, methods=["POST"], name="auth:token"),
        Route("/logout", logout, methods=["POST"], name="auth:logout"),
        Route("/auth/session", session_info, methods=["GET"], name="auth:session"),
    ]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _json_credentials(request: Request) -> tuple[str, str, str | None]:
    # Only JSON: a cross-site page cannot send it without a CORS preflight,
    # which keeps login CSRF away from this endpoint without a token.
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _BadRequest("Content-Type must be application/json")
    try:
        body = await request.json()
    except ValueError as exc:
        raise _BadRequest("the body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise _BadRequest("expected a JSON object {username, password, totp?}")
    username, password, code = body.get("username"), body.get("password"), body.get("totp")
    if not isinstance(username, str) or not isinstance(password, str):
        raise _BadRequest("username and password must be strings")
    if code is not None and not isinstance(code, str):
        raise _BadRequest("totp must be a string")
    return username, password, code


def _user_json(record: UserRecord) -> dict[str, str]:
    return {
        "username": record.username,
        "role": record.role.value,
        "displayName": record.display_name,
    }


def _with_status(response: Response, exc: AuthError) -> Response:
    response.status_code = exc.status_code
    if isinstance(exc, LoginThrottled):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _json_error(exc: AuthError) -> Response:
    error = {"message": exc.message, "extensions": {"code": _CODES.get(exc.status_code, "ERROR")}}
    return _with_status(JSONResponse({"errors": [error]}, headers=_NO_STORE), exc)


def _page(
    csrf_token: str,
    target: str | None,
    username: str = "",
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    e = html.escape
    alert = f'<p id="login-error" class="error" role="alert">{e(error)}</p>' if error else ""
    described = ' aria-describedby="login-error"' if error else ""
    next_field = f'<input type="hidden" name="next" value="{e(target)}">' if target else ""
    body = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 未保数据枢纽</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;color:#1a1a1a;background:#fff}}
main{{max-width:24rem;margin:2rem auto;padding:1rem}}
label{{display:block;font-weight:600;margin-top:1rem}}
input{{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #767676}}
button{{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}}
.error{{border:2px solid #b00020;padding:.5rem;color:#b00020}}
.hint{{font-size:.85rem;color:#444}}
</style></head>
<body><main>
<h1>登录 <span lang="en">Sign in</span></h1>
{alert}
<form method="post" action="/login"{described}>
<input type="hidden" name="{FIELD}" value="{e(csrf_token)}">{next_field}
<label for="username">用户名 <span lang="en">User name</span></label>
<input id="username" name="username" value="{e(username)}" autocomplete="username"
 autocapitalize="none" spellcheck="false" required>
<label for="password">密码 <span lang="en">Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="totp">动态验证码 <span lang="en">One-time code</span></label>
<input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code"
 pattern="[0-9]{{6}}" maxlength="6" aria-describedby="totp-hint">
<p id="totp-hint" class="hint">已绑定验证器应用的账户填写6位数字 /
<span lang="en">6 digits, if your account uses an authenticator app</span></p>
<button type="submit">登录 <span lang="en">Sign in</span></button>
</form></main></body></html>"""
    return HTMLResponse(body, status_code=status, headers=_PAGE_HEADERS)
