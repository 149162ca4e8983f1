"""The oversight commissioners' dashboards (``/oversight``) against a real hub serving the
city demo data: a commissioner signs in with the login form, sees charts with their tables
and never a child's name; a note becomes a task listed on the page; a director is refused;
axe-core finds no serious or critical violation in Debian's Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import expect as pw_expect

from hub.demo.accounts import demo_secret
from tests.public_portal.test_browser import ARGS, ARTIFACTS, AXE, CHROMIUM, Visit, _as_admin
from tests.support.hub_process import Hub

SEED = 2024
_SESSION_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_PORTAL_TOKEN = re.compile(r'name="portal_token" value="([^"]+)"')
_TOWN_OPTION = re.compile(
    r'<select id="subject-coverage" name="subject">\s*<option value="([^"]+)"'
)
#: The demo director's village: the first (by code) of 荆河街道.
FIRST_VILLAGE = (
    '{ villages(first: 1, filter: {townCode: {eq: "370481001"}}, orderBy: {field: CODE}) '
    "{ nodes { code } } }"
)
CHILD_NAMES = "{ children(first: 20) { nodes { name } } }"


@pytest.fixture(scope="module")
def hub(demo_copy: Callable[[], Path]) -> Iterator[Hub]:
    running = Hub(demo_copy(), "serve")
    running.wait_ready()
    yield running
    running.stop()


@contextmanager
def signed_in(hub: Hub, username: str) -> Iterator[httpx.Client]:
    """A cookie-keeping client signed in through the ``/login`` form, as a browser is."""
    with httpx.Client(base_url=hub.url, timeout=60) as client:
        yield _log_in(client, username)


def _log_in(client: httpx.Client, username: str) -> httpx.Client:
    page = client.get("/login", params={"next": "/oversight"})
    token = _SESSION_TOKEN.search(page.text)
    assert token, page.text[:2000]
    response = client.post(
        "/login",
        data={
            "csrf_token": token.group(1),
            "username": username,
            "password": demo_secret(SEED, username),
            "next": "/oversight",
        },
    )
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/oversight"
    return client


@pytest.fixture(scope="module")
def commissioner(hub: Hub) -> Iterator[httpx.Client]:
    with signed_in(hub, "commissioner") as client:
        yield client


def test_a_commissioner_sees_charts_with_tables_and_never_a_childs_name(
    hub: Hub, commissioner: httpx.Client
) -> None:
    response = commissioner.get("/oversight")
    assert response.status_code == 200, response.text[:3000]
    html = response.text
    for key in ("coverage", "stations", "visits", "assessments", "supervision", "feedback"):
        assert f'data-testid="section-{key}"' in html
        assert f'data-testid="table-{key}"' in html, key
    assert html.count('role="img"') == 6
    assert html.count("<caption") >= 6
    assert '<th scope="row">' in html
    assert "这部分数据暂时无法显示" not in html  # every section loaded for a commissioner
    names = [n["name"] for n in _as_admin(hub, CHILD_NAMES)["children"]["nodes"]]
    assert len(names) >= 5
    leaked = [name for name in names if name in html]
    assert not leaked, leaked
    # Every export offered is one the commissioner may download.
    offered = re.findall(r'<a href="(/exports/[^"]+)" download>', html)
    assert offered
    for href in offered:
        got = commissioner.get(href.replace("&amp;", "&"))
        assert got.status_code == 200, (href, got.text[:500])


def test_a_note_becomes_a_task_listed_with_its_progress(commissioner: httpx.Client) -> None:
    page = commissioner.get("/oversight").text
    subject = _TOWN_OPTION.search(page)
    assert subject, page[:3000]
    note = "请督促各村儿童主任按季度完成走访，本镇走访次数偏少。"
    fields = {
        "portal_token": _token(_PORTAL_TOKEN, page),
        "csrf_token": _token(_SESSION_TOKEN, page),
        "section": "visits",
        "subject": subject.group(1),
        "note": note,
    }
    response = commissioner.post("/oversight/note", data=fields)
    assert response.status_code == 303, response.text[:3000]
    assert response.headers["location"] == "/oversight?noted=1#mine"
    shown = commissioner.get("/oversight?noted=1").text
    assert 'data-testid="noted"' in shown
    mine = shown.split('data-testid="mine"', 1)[1]
    assert "督查专员意见：请督促各村儿童主任按季度完成走访" in mine
    assert 'data-testid="my-task"' in mine


def test_a_note_without_the_forms_token_or_too_short_is_refused(
    commissioner: httpx.Client,
) -> None:
    page = commissioner.get("/oversight").text
    subject = _TOWN_OPTION.search(page)
    assert subject
    fields = {
        "csrf_token": _token(_SESSION_TOKEN, page),
        "section": "coverage",
        "subject": subject.group(1),
        "note": "短",
    }
    response = commissioner.post("/oversight/note", data=fields)
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.text
    assert "表单已过期" in response.text
    assert "意见应为5至1000字" in response.text


def test_a_center_admin_reads_the_dashboards_but_has_no_note_forms(hub: Hub) -> None:
    with signed_in(hub, "admin") as admin:
        response = admin.get("/oversight")
        assert response.status_code == 200, response.text[:3000]
        assert 'data-testid="note-' not in response.text  # notes are a commissioner's
        assert 'data-testid="mine"' not in response.text
        offered = re.findall(r'<a href="(/exports/[^"]+)" download>', response.text)
        assert any(href.startswith("/exports/assessments.xlsx?period=") for href in offered)
        for href in offered:
            got = admin.get(href.replace("&amp;", "&"))
            assert got.status_code == 200, (href, got.text[:500])


def test_the_dashboards_in_english(hub: Hub) -> None:
    with signed_in(hub, "commissioner") as client:
        client.cookies.set("portal_lang", "en")
        response = client.get("/oversight")
    assert response.status_code == 200, response.text[:3000]
    assert "<h1>Oversight dashboards</h1>" in response.text
    assert "shown as “&lt;5”" in response.text
    assert '<title id="chart-visits-title">Visits per town and quarter</title>' in response.text


def test_a_director_is_refused_and_a_stranger_is_sent_to_the_login(hub: Hub) -> None:
    first = _as_admin(hub, FIRST_VILLAGE)["villages"]["nodes"][0]["code"]
    with signed_in(hub, f"director-{first}") as director:
        assert director.get("/oversight").status_code == 403
    anonymous = httpx.get(f"{hub.url}/oversight", timeout=30)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/oversight"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_dashboard_in_a_real_browser_passes_axe(hub: Hub) -> None:
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci in tools/axe)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            v = Visit(browser, hub)
            page = v.page
            page.goto("/oversight")
            page.get_by_label("用户名").fill("commissioner")
            page.get_by_label("密码").fill(demo_secret(SEED, "commissioner"))
            page.get_by_role("button", name=re.compile("登录")).click()
            pw_expect(page.get_by_role("heading", level=1)).to_have_text("监督看板")
            pw_expect(page.locator('svg[role="img"]').first).to_be_visible()
            v.axe("oversight")
            v.shot("oversight")
            v.close()
        finally:
            browser.close()


def _token(pattern: re.Pattern[str], html: str) -> str:
    found = pattern.search(html)
    assert found, html[:2000]
    return found.group(1)
