"""The portal in a real browser: Debian's Chromium driven by Playwright against a real hub
serving the city demo data.

Flows: submit → tracking code → status with JavaScript on and off; a danger disclosure
shows 110 and the 24-hour line at once; the proof of work solved by the page's script;
English; the large-text mode (关怀版); keyboard and mobile layout; axe-core on every page
with no serious or critical violation. Screenshots land in ``test-artifacts/portal/``.

Each browser context speaks from its own address (``X-Forwarded-For``, which the hub's
uvicorn trusts from 127.0.0.1), so the per-address limits of one test never meet another's.
Pages run under their real Content-Security-Policy: axe-core is served to them as a
same-site script by a Playwright route, and any CSP violation fails the test.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import expect as pw_expect

from public_portal.pow import leading_zero_bits
from tests.hub.test_access_http import user_token
from tests.support.hub_process import Hub

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "portal"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOWN_NAME = "荆河街道"
STEP_3 = "/feedback?step=2&kind=suggestion&town=370481001&village=-"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FIND = """query($ref: String!) {
  feedback(first: 1, filter: {trackingRef: {eq: $ref}}) { nodes { id } } }"""
ACCEPT = "mutation($id: ID!) { acceptFeedback(id: $id) { status } }"
HANDLE = 'mutation($id: ID!) { handleFeedback(id: $id, note: "已核实") { status } }'
REPLY = (
    'mutation($id: ID!) { replyToFeedback(id: $id, reply: "已在儿童之家增设图书角。") { status } }'
)
_addresses = (f"10.77.{i // 250}.{i % 250 + 1}" for i in itertools.count())

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (/usr/bin/chromium): "
    "apt-get install -y chromium fonts-noto-cjk",
)


@pytest.fixture(scope="module")
def hub(demo_copy: Callable[[], Path]) -> Iterator[Hub]:
    running = Hub(demo_copy(), "serve")
    running.wait_ready()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci in tools/axe)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


class Visit:
    """A browser context from its own address, with a page that fails on CSP violations."""

    def __init__(self, browser: Browser, hub: Hub, **options: Any) -> None:
        self.hub = hub
        self.browser = browser
        self.javascript = options.get("java_script_enabled", True)
        self.address = next(_addresses)
        self.context: BrowserContext = browser.new_context(
            base_url=hub.url,
            locale="zh-CN",
            extra_http_headers={"X-Forwarded-For": self.address},
            **options,
        )
        self.context.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def _console(self, message: Any) -> None:
        # A 4xx page (an error summary, a refusal) is a "failed resource" to Chromium.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(message.text)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems  # script errors, CSP refusals

    def axe(self, name: str) -> None:
        """axe-core on the page as it is: no serious or critical violation.

        A page without JavaScript cannot run axe: its markup is checked in a page
        that can, at the same address (so its style sheet loads).
        """
        page = self.page
        page.wait_for_load_state("load")  # styled: contrast is checked on the real colours
        if not self.javascript:
            html = page.content()
            page = self.browser.new_page(base_url=self.hub.url)
            page.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
            page.goto("/static/portal/portal.css")
            page.set_content(html)
        try:
            page.add_script_tag(url=f"{self.hub.url}/static/portal/__axe__.js")
            found = page.evaluate(
                """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
                    .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' '))}))""",
                AXE_TAGS,
            )
        finally:
            if page is not self.page:
                page.close()
        bad = [v for v in found if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: {bad}"

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def visit(browser: Browser, hub: Hub) -> Iterator[Callable[..., Visit]]:
    opened: list[Visit] = []

    def open_visit(**options: Any) -> Visit:
        opened.append(Visit(browser, hub, **options))
        return opened[-1]

    yield open_visit
    for v in opened:
        v.close()


def _fill_feedback(
    v: Visit,
    description: str,
    *,
    kind: str = "投诉",
    name: str = "",
    check: bool = False,
    prefix: str = "",
) -> tuple[str, str]:
    """The whole form as a person fills it, step by step; the reference and access code."""
    page = v.page
    page.goto("/")
    page.get_by_role("link", name="我要反馈").first.click()
    if check:
        page.get_by_role("button", name="下一步").click()  # nothing chosen yet
        pw_expect(page.get_by_test_id("error-summary")).to_be_visible()
        v.axe(f"{prefix}feedback-step1-errors")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("反馈涉及的镇（街道）").select_option(label=TOWN_NAME)
    if check:
        v.axe(f"{prefix}feedback-step1")
        v.shot(f"{prefix}feedback-step1")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("反馈涉及的村（社区）").select_option(index=2)
    if check:
        v.axe(f"{prefix}feedback-step2")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("本村（社区）", exact=True).check()
    page.get_by_label("反馈内容").fill(description)
    if name:
        page.get_by_label("姓名或称呼").fill(name)
        page.get_by_label("联系电话").fill("13800000000")
    else:
        page.get_by_label("匿名反馈").check()
    if check:
        v.axe(f"{prefix}feedback-step3")
        v.shot(f"{prefix}feedback-step3")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state("load")
    code = page.get_by_test_id("tracking-code")
    pw_expect(code).to_be_visible()
    return (
        page.get_by_test_id("reference").inner_text().strip(),
        page.get_by_test_id("access-code").inner_text().strip(),
    )


def _check_status(v: Visit, reference: str, code: str, *, check: bool, prefix: str) -> None:
    page = v.page
    page.get_by_role("link", name="查询办理进度").click()
    if check:
        v.axe(f"{prefix}status-form")
    page.get_by_role("textbox", name="受理编号").fill(reference)
    page.get_by_role("textbox", name="查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    result = page.get_by_test_id("status-result")
    pw_expect(result).to_contain_text(reference)
    pw_expect(page.get_by_test_id("status-text")).to_have_text("待受理")
    if check:
        v.axe(f"{prefix}status-result")
        v.shot(f"{prefix}status-result")
    # A wrong code: not found, said the same way as an unknown reference.
    page.get_by_role("textbox", name="受理编号").fill(reference)
    page.get_by_role("textbox", name="查询码").fill("00000000")
    page.get_by_role("button", name="查询", exact=True).click()
    pw_expect(page.get_by_test_id("not-found")).to_be_visible()
    if check:
        v.axe(f"{prefix}status-not-found")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_submit_then_tracking_code_then_status(
    visit: Callable[..., Visit], javascript: bool
) -> None:
    v = visit(java_script_enabled=javascript)
    prefix = "" if javascript else "nojs-"
    reference, code = _fill_feedback(
        v,
        "村里的儿童之家周末总是关门，孩子们没有地方活动。",
        name="李女士",
        check=True,
        prefix=prefix,
    )
    assert re.fullmatch(r"FK-[0-9A-Z]{10}", reference)
    assert re.fullmatch(r"[0-9A-Z]{8}", code)
    v.axe(f"{prefix}feedback-done")
    v.shot(f"{prefix}feedback-done")
    _check_status(v, reference, code, check=True, prefix=prefix)


def test_a_child_in_danger_shows_110_and_the_24_hour_line_at_once(
    visit: Callable[..., Visit],
) -> None:
    v = visit()
    _fill_feedback(v, "邻居家的孩子经常被打骂，晚上一直哭，很可怜。", kind="反映儿童情况")
    emergency = v.page.get_by_test_id("emergency")
    pw_expect(emergency).to_be_visible()
    pw_expect(emergency.locator('a[href="tel:110"]')).to_be_visible()
    pw_expect(emergency.locator('a[href^="tel:"]')).to_have_count(2)
    box = emergency.bounding_box()
    viewport = v.page.viewport_size
    assert box is not None
    assert viewport is not None
    assert box["y"] + box["height"] <= viewport["height"]  # in view without scrolling
    v.axe("feedback-done-urgent")
    v.shot("feedback-done-urgent")


def test_past_the_free_submissions_the_page_solves_the_proof_of_work(
    visit: Callable[..., Visit], hub: Hub
) -> None:
    v = visit()
    _use_up_free_submissions(hub, v.address)
    v.page.goto(STEP_3)
    pw_expect(v.page.locator("form[data-pow-challenge]")).to_have_count(1)
    pw_expect(v.page.locator("#pow-status")).to_have_text("安全验证已完成，可以提交。")
    nonce = v.page.locator("#pow-nonce").input_value()
    challenge = v.page.locator("form").last.get_attribute("data-pow-challenge")
    assert challenge is not None
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    assert leading_zero_bits(digest) >= int(challenge.split(".")[1]) >= 16
    _fill_feedback(v, "第六次提交：请在周末开放儿童之家。")
    pw_expect(v.page.get_by_test_id("tracking-code")).to_be_visible()
    # Without a script the same address is told why it cannot submit now.
    plain = visit(java_script_enabled=False)
    plain.context.set_extra_http_headers({"X-Forwarded-For": v.address})
    page = plain.page
    page.goto(STEP_3)
    pw_expect(page.locator("#pow-status")).to_be_visible()
    page.get_by_label("本镇（街道）").check()
    page.get_by_label("反馈内容").fill("没有脚本时的提交，内容应当保留。")
    page.get_by_label("匿名反馈").check()
    page.get_by_role("button", name="提交", exact=True).click()
    pw_expect(page.get_by_test_id("error-summary")).to_be_visible()
    pw_expect(page.get_by_label("反馈内容")).to_have_value("没有脚本时的提交，内容应当保留。")
    plain.axe("feedback-needs-work-nojs")
    plain.shot("feedback-needs-work-nojs")


def _use_up_free_submissions(hub: Hub, address: str) -> None:
    """The default five free submissions from ``address``, made by a plain HTTP client."""
    for i in range(5):
        _submit_plainly(hub, address, description=f"第{i + 1}次提交：建议延长开放时间。")


def _submit_plainly(hub: Hub, address: str, **fields: str) -> None:
    """One submission about the town of 荆河街道 by a plain HTTP client from ``address``."""
    with httpx.Client(base_url=hub.url, headers={"X-Forwarded-For": address}, timeout=30) as client:
        form = client.get(STEP_3)
        token = re.search(r'name="portal_token" value="([^"]+)"', form.text)
        assert token
        values = {
            "portal_token": token.group(1),
            "kind": "suggestion",
            "town": "370481001",
            "village": "-",
            "subject": "town:370481001",
            "description": "建议延长儿童之家的开放时间。",
            **fields,
        }
        if "contact_phone" not in fields:
            values["anonymous"] = "yes"
        done = client.post(
            "/feedback", data=values, files={"photo": ("", b"", "application/octet-stream")}
        )
        assert done.status_code == 200, done.text


def test_the_pages_script_hashes_as_the_server_does(visit: Callable[..., Visit]) -> None:
    v = visit()
    v.page.goto("/feedback")
    for text in ("", "abc", "x" * 55, "y" * 56, "challenge.16.abc:123456"):
        words = v.page.evaluate("(t) => weibaoPortal.sha256(t)", text)
        digest = b"".join((w & 0xFFFFFFFF).to_bytes(4, "big") for w in words)
        assert digest == hashlib.sha256(text.encode()).digest(), text
        bits = v.page.evaluate("(t) => weibaoPortal.leadingZeroBits(weibaoPortal.sha256(t))", text)
        assert bits == leading_zero_bits(digest)


def test_english_and_large_text_and_the_other_pages(visit: Callable[..., Visit]) -> None:
    v = visit()
    page = v.page
    page.goto("/")
    v.axe("home")
    v.shot("home")
    page.goto("/transparency")
    pw_expect(page.get_by_test_id("rates")).to_be_visible()
    v.axe("transparency")
    v.shot("transparency")
    page.goto("/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_test_id("care-mode").click()
    pw_expect(page.locator("html")).to_have_class("care")
    # Waits for the style sheet: the class may be there a moment before it applies.
    pw_expect(page.locator("body")).to_have_css("font-size", f"{normal * 1.25:g}px")
    v.axe("home-care")
    v.shot("home-care")
    page.get_by_test_id("language-switch").click()
    pw_expect(page.locator("html")).to_have_attribute("lang", "en")
    pw_expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tengzhou Minor Protection · Xin Teng Ni"
    )
    page.get_by_test_id("care-mode").click()  # back to standard text, still English
    page.get_by_role("link", name="Give feedback").first.click()
    pw_expect(page.get_by_role("group", name="Type of feedback")).to_be_visible()
    v.axe("feedback-step1-en")
    v.shot("feedback-step1-en")
    page.goto("/transparency")
    v.axe("transparency-en")
    page.get_by_test_id("language-switch").click()
    pw_expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_keyboard_first_stop_is_the_skip_link(visit: Callable[..., Visit]) -> None:
    v = visit()
    page = v.page
    page.goto("/feedback")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/feedback", "/transparency", "/feedback/status"])
def test_mobile_layout_needs_no_sideways_scrolling(visit: Callable[..., Visit], path: str) -> None:
    v = visit(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    v.page.goto(path)
    overflow = v.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, path
    name = "mobile-" + (path.strip("/").replace("/", "-") or "home")
    v.shot(name)


def _as_admin(hub: Hub, document: str, **variables: Any) -> dict[str, Any]:
    token = user_token(hub, "admin")
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": document, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def test_staff_reply_then_the_submitter_rates_it(visit: Callable[..., Visit], hub: Hub) -> None:
    v = visit()
    reference, code = _fill_feedback(v, "建议在村里的儿童之家增加图书角。", kind="建议")
    found = _as_admin(hub, FIND, ref=reference)
    (node,) = found["feedback"]["nodes"]
    for step in (ACCEPT, HANDLE, REPLY):
        _as_admin(hub, step, id=node["id"])
    page = v.page
    page.goto("/feedback/status")
    page.get_by_role("textbox", name="受理编号").fill(reference)
    page.get_by_role("textbox", name="查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    pw_expect(page.get_by_test_id("public-reply")).to_have_text("已在儿童之家增设图书角。")
    v.axe("status-reply")
    v.shot("status-reply")
    page.get_by_label("非常满意").check()
    page.get_by_label("意见（选填）").fill("谢谢，孩子们很喜欢。")
    page.get_by_role("button", name="提交评价").click()
    pw_expect(page.get_by_test_id("rated")).to_be_visible()
    pw_expect(page.get_by_test_id("status-text")).to_have_text("已办结")


def test_a_refusal_says_why_and_how_to_call_for_help(visit: Callable[..., Visit], hub: Hub) -> None:
    phone = "13911112222"
    for i in range(5):  # the default limit of one contact phone per day
        _submit_plainly(hub, f"10.88.0.{i + 1}", contact_phone=phone, contact_name="赵先生")
    v = visit()
    page = v.page
    page.goto(STEP_3)
    page.get_by_label("本镇（街道）").check()
    page.get_by_label("反馈内容").fill("同一个电话的第六次提交。")
    page.get_by_label("姓名或称呼").fill("赵先生")
    page.get_by_label("联系电话").fill(phone)
    page.get_by_role("button", name="提交", exact=True).click()
    pw_expect(page.get_by_role("heading", level=1)).to_have_text("提交过于频繁")
    pw_expect(page.get_by_test_id("emergency").locator('a[href="tel:110"]')).to_be_visible()
    v.axe("refused-429")
    v.shot("refused-429")
