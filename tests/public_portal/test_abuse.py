"""Abuse resistance end to end (in-process HTTP): 200 rapid submissions from one address are
slowed (proof of work past the free ones) then refused (429), and every accepted one has
its code and is stored; the per-contact limit; a flood from many addresses; no JavaScript."""

from __future__ import annotations

import asyncio
from collections import Counter

from graph import GraphStore
from public_portal.pow import solve
from schema import Context, build_schema
from tests.public_portal.conftest import PortalFactory, Visitor, challenge_of, receipt_of
from tests.public_portal.world import TOWN
from tests.support.principals import ADMIN_EVERYWHERE

SCHEMA = build_schema()
STORED = """query($town: String!) { feedback(first: 0, inRegion: $town) { totalCount } }"""
#: Small proofs of work so the test solves them in milliseconds; the rules are the same.
LIMITS = {
    "submit_free_per_ip": 5,
    "submit_max_per_ip": 20,
    "pow_bits": 4,
    "pow_max_bits": 12,
    "status_max_per_ip": 1000,
}


async def _stored(store: GraphStore) -> int:
    result = await SCHEMA.execute(
        STORED,
        variable_values={"town": TOWN},
        context_value=Context(store, principal=ADMIN_EVERYWHERE),
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return int(result.data["feedback"]["totalCount"])


async def _attempt(v: Visitor, i: int) -> tuple[int, bool, str]:
    """One submission as a script would make it: status, whether it was asked for a
    proof of work, the page."""
    response, proofs = await v.attempt(description=f"第{i}次提交：村里的儿童之家周末总是关门。")
    return response.status_code, proofs > 0, response.text


async def test_200_rapid_submissions_from_one_address_are_slowed_then_refused_none_lost(
    portal: PortalFactory, world: GraphStore
) -> None:
    async with portal(**LIMITS) as visitor:
        async with visitor("198.51.100.9") as flood:
            await flood.open_details()
            results = await asyncio.gather(*(_attempt(flood, i) for i in range(200)))
        statuses = Counter(status for status, _, _ in results)
        assert statuses == {200: 20, 429: 180}
        accepted = [page for status, _, page in results if status == 200]
        slowed = [asked for status, asked, _ in results if status == 200 and asked]
        # The first five went through as they were; the other fifteen had to work first.
        assert len(slowed) == 15
        for status, _, page in results:
            if status == 429:
                assert 'data-testid="message"' in page
                assert 'data-testid="tracking-code"' not in page
                assert 'href="tel:110"' in page  # a refused one may have been about a child
        # Every accepted submission has its own code, and the code opens it.
        receipts = {receipt_of(page) for page in accepted}
        assert len(receipts) == 20
        async with visitor("198.51.100.200") as checker:
            for reference, code in receipts:
                found = await checker.status(reference, code)
                assert found.status_code == 200, found.text
                assert reference in found.text
        assert await _stored(world) == 20
        # Another address is not held back by the flood.
        async with visitor("198.51.100.77") as neighbour:
            await neighbour.open_details()
            response = await neighbour.submit(solve_pow=False)
            assert response.status_code == 200


async def test_the_refusal_says_when_to_come_back(portal: PortalFactory) -> None:
    limits = {"submit_free_per_ip": 1, "submit_max_per_ip": 1}
    async with portal(**limits) as visitor, visitor("198.51.100.12") as v:
        await v.open_details()
        assert (await v.submit()).status_code == 200
        refused = await v.submit()
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 3600
        assert "data-pow-challenge" not in refused.text


async def test_without_javascript_the_form_works_below_the_soft_limit_only(
    portal: PortalFactory,
) -> None:
    limits = {"submit_free_per_ip": 2, "submit_max_per_ip": 10, "pow_bits": 4}
    async with portal(**limits) as visitor, visitor("198.51.100.13") as v:
        await v.open_details()
        for _ in range(2):
            assert (await v.submit(solve_pow=False)).status_code == 200
        # Past the free ones the form asks for a proof of work; without a script
        # the visitor is told why and what to do, and their text is kept.
        page = await v.open_details()
        assert challenge_of(page) is not None
        assert "<noscript>" in page
        held = await v.submit(solve_pow=False, description="第三次提交的内容，请保留。")
        assert held.status_code == 429
        assert "第三次提交的内容，请保留。</textarea>" in held.text
        assert 'href="#f-pow"' in held.text
        assert (await v.submit()).status_code == 200


async def test_a_solved_challenge_is_good_once(portal: PortalFactory) -> None:
    limits = {"submit_free_per_ip": 0, "pow_bits": 4, "pow_max_bits": 4}
    async with portal(**limits) as visitor, visitor("198.51.100.14") as v:
        challenge = challenge_of(await v.open_details())
        assert challenge is not None
        solved = {"pow_challenge": challenge, "pow_nonce": solve(challenge, 4)}
        assert (await v.submit(solve_pow=False, **solved)).status_code == 200
        again = await v.submit(solve_pow=False, **solved)
        assert again.status_code == 429
        assert challenge_of(again.text) not in (None, challenge)
        wrong = {"pow_challenge": challenge_of(again.text) or "", "pow_nonce": "x"}
        assert (await v.submit(solve_pow=False, **wrong)).status_code == 429


async def test_one_contact_phone_is_limited_whatever_the_address(portal: PortalFactory) -> None:
    async with portal(submit_max_per_contact=2) as visitor:
        statuses = []
        for i in range(3):
            async with visitor(f"198.51.100.{30 + i}") as v:
                await v.open_details()
                response = await v.submit(contact_phone="138 0000 0000", contact_name="王先生")
                statuses.append(response.status_code)
        assert statuses == [200, 200, 429]
        async with visitor("198.51.100.40") as v:
            await v.open_details()
            other = await v.submit(contact_phone="13900000000")
            assert other.status_code == 200


async def test_a_flood_from_many_addresses_makes_everyone_show_work(
    portal: PortalFactory,
) -> None:
    async with portal(submit_free_total=3, pow_bits=4) as visitor:
        for i in range(3):
            async with visitor(f"198.51.100.{50 + i}") as v:
                await v.open_details()
                assert (await v.submit(solve_pow=False)).status_code == 200
        async with visitor("198.51.100.60") as late:
            page = await late.open_details()
            assert challenge_of(page) is not None
            assert (await late.submit(solve_pow=False)).status_code == 429
            assert (await late.submit()).status_code == 200
