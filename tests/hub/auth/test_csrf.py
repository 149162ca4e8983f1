"""CSRF: signed-in unsafe requests need the session's token; others pass; bodies stay intact."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.auth.csrf import MESSAGE, CsrfMiddleware, ensure_token, new_token, token_matches


async def sign_in(request: Request) -> JSONResponse:
    """Stands in for the login: a signed-in session with its token."""
    request.session.update(uid="user-t", iat=1, csrf=new_token(), mfa=False)
    return JSONResponse({"csrfToken": request.session["csrf"]})


async def echo(request: Request) -> JSONResponse:
    """What the app received: the raw body, or the form's fields and files."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            fields = {
                k: v if isinstance(v, str) else (await v.read()).decode() for k, v in form.items()
            }
        return JSONResponse({"form": fields})
    return JSONResponse({"body": (await request.body()).decode()})


def make_app(max_form_bytes: int = 1024 * 1024) -> Starlette:
    return Starlette(
        routes=[
            Route("/sign-in", sign_in, methods=["GET"]),
            Route("/echo", echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ],
        middleware=[
            Middleware(SessionMiddleware, secret_key="k" * 40, session_cookie="weibao_session"),
            Middleware(CsrfMiddleware, max_form_bytes=max_form_bytes),
        ],
    )


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app(max_form_bytes=4096))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as opened:
        yield opened


async def signed_in(client: httpx.AsyncClient) -> str:
    token: str = (await client.get("/sign-in")).json()["csrfToken"]
    return token


async def test_requests_without_a_signed_in_session_pass(client: httpx.AsyncClient) -> None:
    anonymous = await client.post("/echo", json={"q": 1})
    assert anonymous.status_code == 200
    bearer = await client.post(
        "/echo", json={"q": 1}, headers={"authorization": "Bearer some.jwt.token"}
    )
    assert bearer.status_code == 200
    assert bearer.json() == {"body": '{"q":1}'}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_signed_in_unsafe_requests_need_the_token(
    client: httpx.AsyncClient, method: str
) -> None:
    token = await signed_in(client)
    missing = await client.request(method, "/echo", json={"q": 1})
    assert missing.status_code == 403
    assert missing.json() == {"errors": [{"message": MESSAGE}]}
    wrong = await client.request(
        method, "/echo", json={"q": 1}, headers={"x-csrf-token": token[:-1] + "x"}
    )
    assert wrong.status_code == 403
    right = await client.request(method, "/echo", json={"q": 1}, headers={"x-csrf-token": token})
    assert right.status_code == 200
    assert right.json() == {"body": '{"q":1}'}


async def test_a_signed_in_bearer_request_still_needs_the_token(
    client: httpx.AsyncClient,
) -> None:
    # The browser sends the cookie anyway: a header cannot vouch for the request.
    await signed_in(client)
    response = await client.post(
        "/echo", json={"q": 1}, headers={"authorization": "Bearer some.jwt.token"}
    )
    assert response.status_code == 403


async def test_the_refusal_is_plain_text_outside_json(client: httpx.AsyncClient) -> None:
    await signed_in(client)
    response = await client.post("/echo", content=b"hello", headers={"content-type": "text/plain"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == MESSAGE
    graphql = await client.post(
        "/echo", content=b"{ a }", headers={"content-type": "application/graphql"}
    )
    assert graphql.status_code == 403
    assert graphql.json()["errors"][0]["message"] == MESSAGE


async def test_safe_methods_pass(client: httpx.AsyncClient) -> None:
    await signed_in(client)
    assert (await client.get("/echo")).status_code == 200


async def test_forms_carry_the_token_in_a_field_and_reach_the_app_intact(
    client: httpx.AsyncClient,
) -> None:
    token = await signed_in(client)
    form = {"csrf_token": token, "note": "走访记录 & more=1"}
    ok = await client.post("/echo", data=form)
    assert ok.status_code == 200
    assert ok.json() == {"form": form}
    forged = await client.post("/echo", data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    assert forged.text == MESSAGE
    multipart = await client.post(
        "/echo", data={"csrf_token": token}, files={"photo": ("p.txt", b"pixels", "text/plain")}
    )
    assert multipart.status_code == 200
    assert multipart.json() == {"form": {"csrf_token": token, "photo": "pixels"}}
    no_token = await client.post("/echo", files={"photo": ("p.txt", b"pixels", "text/plain")})
    assert no_token.status_code == 403


async def test_a_form_too_large_to_check_is_refused(client: httpx.AsyncClient) -> None:
    token = await signed_in(client)
    response = await client.post("/echo", data={"csrf_token": token, "blob": "x" * 5000})
    assert response.status_code == 413
    # With the header the body is not read by the middleware at all.
    headed = await client.post("/echo", data={"blob": "x" * 5000}, headers={"x-csrf-token": token})
    assert headed.status_code == 200
    assert len(headed.json()["form"]["blob"]) == 5000


async def test_the_middleware_needs_sessions() -> None:
    app = Starlette(
        routes=[Route("/echo", echo, methods=["POST"])], middleware=[Middleware(CsrfMiddleware)]
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        with pytest.raises(RuntimeError, match="inside SessionMiddleware"):
            await client.post("/echo", json={})


def test_tokens_compare_only_when_both_are_there() -> None:
    session: dict[str, object] = {}
    assert not token_matches(session, None)
    assert not token_matches(session, "")
    token = ensure_token(session)
    assert ensure_token(session) == token
    assert len(token) >= 40
    assert token_matches(session, token)
    assert not token_matches(session, "")
    assert not token_matches({"csrf": ""}, "")
    assert not token_matches(session, token + "x")
