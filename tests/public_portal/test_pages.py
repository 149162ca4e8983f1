"""The portal's other pages without a browser: home, transparency (small counts as <5),
preferences (English, large text), the reply and the submitter's rating, security headers."""

from __future__ import annotations

import re
from typing import Any

from graph import GraphStore
from schema import Context, build_schema
from tests.public_portal.conftest import PortalFactory, Visitor, receipt_of, token_of
from tests.support.principals import ADMIN_EVERYWHERE

SCHEMA = build_schema()
FIND = """query($ref: String!) {
  feedback(first: 1, filter: {trackingRef: {eq: $ref}}) { nodes { id status } } }"""
ACCEPT = "mutation($id: ID!) { acceptFeedback(id: $id) { status } }"
HANDLE = 'mutation($id: ID!) { handleFeedback(id: $id, note: "已上门核实") { status } }'
REPLY = """mutation($id: ID!) {
  replyToFeedback(id: $id, reply: "已督促村委会延长儿童之家开放时间。") { status } }"""


async def _as_admin(store: GraphStore, document: str, **variables: Any) -> dict[str, Any]:
    result = await SCHEMA.execute(
        document,
        variable_values=variables,
        context_value=Context(store, principal=ADMIN_EVERYWHERE),
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def test_home_shows_the_live_figures_and_the_ways_in(portal: PortalFactory) -> None:
    async with portal() as visitor, visitor() as v:
        home = await v.client.get("/")
        assert home.status_code == 200
        assert '<html lang="zh-CN">' in home.text
        for href in ("/feedback", "/feedback/status", "/transparency", "/login"):
            assert f'href="{href}"' in home.text
        assert 'data-testid="figures"' in home.text
        assert 'class="skip" href="#main"' in home.text
        csp = home.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        css = await v.client.get("/static/portal/portal.css")
        assert css.status_code == 200
        assert "html.care" in css.text


async def test_transparency_shows_rates_and_withholds_small_counts(
    portal: PortalFactory,
) -> None:
    async with portal() as visitor, visitor() as v:
        await v.open_details()
        assert (await v.submit()).status_code == 200
        page = await v.client.get("/transparency")
        assert page.status_code == 200, page.text
        rates = page.text[page.text.index('data-testid="rates"') :]
        row = rates[rates.index("门户测试镇") :]
        row = row[: row.index("</tr>")]
        # One submission in the town: the public sees "<5", no rates.
        assert "&lt;5" in row
        assert "%" not in row
        assert (await v.client.get("/transparency", params={"period": "1999"})).status_code == 200
        odd = await v.client.get("/transparency", params={"period": "<script>"})
        assert odd.status_code == 200
        assert "<script>" not in odd.text


async def test_english_and_large_text_are_a_link_away_without_javascript(
    portal: PortalFactory,
) -> None:
    async with portal() as visitor, visitor() as v:
        page = await v.client.get("/feedback")
        switch = re.search(r'href="(/prefs\?lang=en[^"]+)"', page.text)
        assert switch
        back = await v.client.get(switch.group(1).replace("&amp;", "&"))
        assert back.status_code == 303
        assert back.headers["location"] == "/feedback"
        english = await v.client.get("/feedback")
        assert '<html lang="en">' in english.text
        assert "Give feedback" in english.text
        assert "Complaint" in english.text
        assert 'lang="zh-CN"' in english.text  # the way back, named in Chinese
        care = await v.client.get("/prefs", params={"care": "1", "next": "/feedback?kind=praise"})
        assert care.headers["location"] == "/feedback?kind=praise"
        larger = await v.client.get("/")
        assert '<html lang="en" class="care">' in larger.text
        assert "Standard text" in larger.text
        for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
            away = await v.client.get("/prefs", params={"lang": "en", "next": target})
            assert away.headers["location"] == "/"


async def test_the_reply_and_the_submitters_rating(
    portal: PortalFactory, world: GraphStore
) -> None:
    async with portal() as visitor, visitor() as v:
        await v.open_details()
        reference, code = receipt_of((await v.submit()).text)
        found = await _as_admin(world, FIND, ref=reference)
        (node,) = found["feedback"]["nodes"]
        for step in (ACCEPT, HANDLE, REPLY):
            await _as_admin(world, step, id=node["id"])
        status = await v.status(reference, code)
        assert 'data-testid="public-reply"' in status.text
        assert "已督促村委会延长儿童之家开放时间。" in status.text
        assert 'action="/feedback/rate"' in status.text
        # Rating without a choice: the error by its field, the case still shown.
        missing = await _rate(v, status.text, reference, code, rating=None)
        assert missing.status_code == 400
        assert 'href="#f-rating"' in missing.text
        rated = await _rate(v, missing.text, reference, code, rating="1")
        assert rated.status_code == 200, rated.text
        assert 'data-testid="rated"' in rated.text
        assert "重新办理" in rated.text  # a low rating reopens the case
        again = await _as_admin(world, FIND, ref=reference)
        assert again["feedback"]["nodes"][0]["status"] == "reopened"
        forged = await _rate(v, rated.text, reference, "0" * 8, rating="5")
        assert forged.status_code == 404


async def _rate(v: Visitor, page: str, reference: str, code: str, *, rating: str | None) -> Any:
    data = {"portal_token": token_of(page), "reference": reference, "access_code": code}
    if rating is not None:
        data["rating"] = rating
    return await v.client.post("/feedback/rate", data=data)


async def test_status_look_ups_are_limited_per_address(portal: PortalFactory) -> None:
    async with portal(status_max_per_ip=2) as visitor, visitor("192.0.2.50") as v:
        for _ in range(2):
            assert (await v.status("FK-0000000000", "00000000")).status_code == 404
        refused = await v.status("FK-0000000000", "00000000")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        async with visitor("192.0.2.51") as other:
            assert (await other.status("FK-0000000000", "00000000")).status_code == 404
