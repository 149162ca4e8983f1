"""The anonymous forms' CSRF token: signed, tied to the browser's cookie, fresh."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from public_portal.forms import COOKIE, FormGuard, honeypot_filled


def _request(cookie: str | None) -> Request:
    headers = [(b"cookie", f"{COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


def test_a_token_holds_with_its_own_cookie_only() -> None:
    guard = FormGuard("s" * 64, ttl_s=3600, secure_cookies=True)
    token, cookie = guard.token(_request(None))
    assert guard.valid(_request(cookie), token)
    assert not guard.valid(_request(None), token)
    assert not guard.valid(_request("x" * 32), token)
    assert not guard.valid(_request(cookie), token[:-2] + "AA")
    assert not guard.valid(_request(cookie), None)
    other = FormGuard("t" * 64, ttl_s=3600, secure_cookies=True)
    assert not other.valid(_request(cookie), token)
    # The same browser keeps its cookie from page to page.
    assert guard.token(_request(cookie))[1] == cookie


def test_a_stale_token_is_refused() -> None:
    stale = FormGuard("s" * 64, ttl_s=-1, secure_cookies=False)
    token, cookie = stale.token(_request(None))
    assert not stale.valid(_request(cookie), token)


def test_the_cookie_is_http_only_same_site_and_secure_when_asked() -> None:
    response = Response()
    FormGuard("s" * 64, ttl_s=3600, secure_cookies=True).set_cookie(response, "v" * 32)
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "secure" in header


def test_the_honeypot() -> None:
    assert not honeypot_filled(None)
    assert not honeypot_filled("  ")
    assert honeypot_filled("http://spam.example")
