"""The feedback form without a browser: the picker's steps, a submission and its one-time
code, the status look-up, danger disclosures, the photo, and every refusal's page."""

from __future__ import annotations

import random
import re
from pathlib import Path

from argon2 import PasswordHasher
from PIL import Image

from graph import GraphStore
from hub.auth.passwords import Passwords
from hub.auth.users import UserDirectory
from schema import Context, build_schema
from schema.media import FileBlobStore, inspect
from tests.public_portal.conftest import PortalFactory, receipt_of, token_of
from tests.public_portal.world import FACILITY_ID, QUIET_VILLAGE, STATION_ID, TOWN, VILLAGE
from tests.schema.media.images import encode, exif_of, scene
from tests.support.principals import ADMIN_EVERYWHERE

SCHEMA = build_schema()
PHOTO_KEY = """query($ref: String!) {
  feedback(first: 1, filter: {trackingRef: {eq: $ref}}) { nodes { photoKey } } }"""


async def test_the_picker_goes_town_then_village_then_subject(portal: PortalFactory) -> None:
    async with portal() as visitor, visitor("203.0.113.1") as v:
        first = await v.client.get("/feedback")
        assert first.status_code == 200
        assert f'<option value="{TOWN}">门户测试镇</option>' in first.text
        # "Next" without a choice: an error summary linked to the fields, 400.
        empty = await v.client.get("/feedback", params={"step": "1"})
        assert empty.status_code == 400
        assert 'href="#f-kind"' in empty.text
        assert 'href="#f-town"' in empty.text
        assert 'aria-invalid="true"' in empty.text
        second = await v.client.get(
            "/feedback", params={"step": "1", "kind": "praise", "town": TOWN}
        )
        assert second.status_code == 200
        assert f'<option value="{VILLAGE}">门户东村</option>' in second.text
        no_village = await v.client.get(
            "/feedback", params={"step": "2", "kind": "praise", "town": TOWN}
        )
        assert no_village.status_code == 400
        assert 'href="#f-village"' in no_village.text
        third = await v.open_details("praise")
        subjects = re.findall(r'name="subject" value="([^"]+)"', third)
        assert subjects == [
            f"village:{VILLAGE}",
            f"facility:{FACILITY_ID}",
            f"director:{VILLAGE}",
            f"station:{STATION_ID}",
            f"town:{TOWN}",
        ]
        # A village without a director offers no "its director"; the whole town: no village.
        quiet = await v.open_details("praise", QUIET_VILLAGE)
        assert f"director:{QUIET_VILLAGE}" not in quiet
        whole = await v.open_details("praise", "-")
        assert re.findall(r'name="subject" value="([^"]+)"', whole) == [
            f"station:{STATION_ID}",
            f"town:{TOWN}",
        ]


async def test_submit_then_the_code_opens_the_status_once_shown(portal: PortalFactory) -> None:
    async with portal() as visitor, visitor("203.0.113.2") as v:
        await v.open_details()
        done = await v.submit(contact_name="李女士", contact_phone="13800000000")
        assert done.status_code == 200, done.text
        assert done.headers["cache-control"] == "no-store"
        assert 'data-testid="tracking-code"' in done.text
        assert 'data-testid="emergency"' not in done.text
        reference, code = receipt_of(done.text)
        assert re.fullmatch(r"FK-[0-9A-Z]{10}", reference)
        found = await v.status(reference.lower(), code)
        assert found.status_code == 200
        assert "待受理" in found.text
        assert reference in found.text
        # Never the code again, never the complainant.
        assert code not in found.text.replace(f'value="{code}"', "")
        assert "李女士" not in found.text
        assert "13800000000" not in found.text
        wrong = await v.status(reference, "0" * 8)
        unknown = await v.status("FK-0000000000", code)
        assert wrong.status_code == unknown.status_code == 404
        assert 'data-testid="not-found"' in wrong.text
        assert _main(wrong.text).replace(reference, "R") == _main(unknown.text).replace(
            "FK-0000000000", "R"
        )


async def test_a_child_in_danger_shows_110_and_the_24_hour_line_at_once(
    portal: PortalFactory,
) -> None:
    async with portal() as visitor, visitor("203.0.113.3") as v:
        await v.open_details("concern")
        done = await v.submit(kind="concern", description="邻居家的孩子经常被打骂，晚上一直哭。")
        assert done.status_code == 200, done.text
        main = _main(done.text)
        assert 'data-testid="emergency"' in main
        assert 'href="tel:110"' in main
        assert 'href="tel:12345"' in main
        # First thing under the heading, before the tracking code.
        assert main.index('data-testid="emergency"') < main.index('data-testid="tracking-code"')
        # Ticked without a danger word: the same.
        await v.open_details("concern")
        ticked = await v.submit(
            kind="concern", description="孩子很久没有回家了，请帮忙看看。", danger="yes"
        )
        assert 'data-testid="emergency"' in ticked.text


async def test_mistakes_are_shown_by_their_fields_and_the_input_is_kept(
    portal: PortalFactory,
) -> None:
    async with portal() as visitor, visitor("203.0.113.4") as v:
        await v.open_details()
        response = await v.submit(subject="", description="短", contact_phone="电话号码")
        assert response.status_code == 400
        for target in ("f-subject", "f-description", "f-contact-phone"):
            assert f'href="#{target}"' in response.text
            assert f'id="{target}-error"' in response.text
        assert ">短</textarea>" in response.text
        # The schema's own refusal lands by its field too (markup is refused there).
        refused = await v.submit(description="<script>alert(1)</script> 请看这里")
        assert refused.status_code == 400
        assert 'href="#f-description"' in refused.text
        assert "<script>alert(1)" not in refused.text


async def test_a_forged_or_stale_form_is_refused_and_shown_again(portal: PortalFactory) -> None:
    async with portal() as visitor, visitor("203.0.113.5") as v, visitor("203.0.113.5") as other:
        await v.open_details()
        await other.open_details()
        v.token = other.token  # another browser's token: not this cookie's
        forged = await v.submit()
        assert forged.status_code == 403
        assert "error-summary" in forged.text
        v.token = token_of(forged.text)  # the page shown again carries a fresh one
        assert (await v.submit()).status_code == 200


async def test_the_honeypot_and_oversized_posts_are_refused(portal: PortalFactory) -> None:
    async with (
        portal(max_body_bytes=100_000, max_photo_bytes=50_000) as visitor,
        visitor("203.0.113.6") as v,
    ):
        await v.open_details()
        robot = await v.submit(website="http://spam.example")
        assert robot.status_code == 400
        assert 'data-testid="message"' in robot.text
        big = await v.submit(
            files={"photo": ("big.jpg", b"\xff\xd8\xff" + b"0" * 200_000, "image/jpeg")}
        )
        assert big.status_code == 413
        large_photo = await v.submit(
            files={"photo": ("p.jpg", b"\xff\xd8\xff" + b"0" * 60_000, "image/jpeg")}
        )
        assert large_photo.status_code == 400
        assert 'href="#f-photo"' in large_photo.text
        not_a_photo = await v.submit(files={"photo": ("p.jpg", b"GIF89a....", "image/gif")})
        assert not_a_photo.status_code == 400
        assert 'href="#f-photo"' in not_a_photo.text


async def test_a_photo_is_stored_without_its_location(
    portal: PortalFactory, world: GraphStore, tmp_path: Path
) -> None:
    exif = exif_of(taken="2026:05:01 10:00:00", lat=35.08, lng=117.15)
    photo = encode(scene(3), "JPEG", exif=exif)
    assert inspect(photo).lat is not None
    async with portal() as visitor, visitor("203.0.113.7") as v:
        await v.open_details()
        done = await v.submit(files={"photo": ("photo.jpg", photo, "image/jpeg")})
        assert done.status_code == 200, done.text
        reference, _ = receipt_of(done.text)
    result = await SCHEMA.execute(
        PHOTO_KEY,
        variable_values={"ref": reference},
        context_value=Context(world, principal=ADMIN_EVERYWHERE),
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    (node,) = result.data["feedback"]["nodes"]
    stored = await FileBlobStore(tmp_path / "blobs").get(node["photoKey"])
    assert stored is not None
    assert stored.content_type == "image/jpeg"
    kept = inspect(stored.data)
    assert (kept.lat, kept.lng, kept.taken_at_ms) == (None, None, None)


def _main(html: str) -> str:
    """The page's main content, without the form's (always fresh) token."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="portal_token" value="[^"]+"', "", main)


async def test_a_signed_in_visitor_submits_with_their_session_token(
    portal: PortalFactory, world: GraphStore
) -> None:
    cheap = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    users = UserDirectory(world, passwords=cheap, source="test")
    _, password = await users.add("pp-staff", "station_staff", "站点工作人员", [TOWN])
    noise = Image.frombytes("RGB", (800, 600), random.Random(5).randbytes(800 * 600 * 3))
    photo = encode(noise, "PNG")
    assert len(photo) > 1024 * 1024  # over the hub's default form buffer
    async with portal() as visitor, visitor("203.0.113.8") as v:
        login = await v.client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        assert csrf
        signed_in = await v.client.post(
            "/login",
            data={"csrf_token": csrf.group(1), "username": "pp-staff", "password": password},
        )
        assert signed_in.status_code == 303
        page = await v.open_details()
        assert 'name="csrf_token"' in page  # the hub checks a signed-in session's posts
        done = await v.submit(files={"photo": ("photo.png", photo, "image/png")})
        assert done.status_code == 200, done.text[:2000]
        assert 'data-testid="tracking-code"' in done.text
        # Without the session's token, the hub refuses the post.
        v.token = token_of(await v.open_details())
        bare = await v.client.post(
            "/feedback",
            data={"portal_token": v.token, "kind": "praise", "town": TOWN, "village": VILLAGE},
        )
        assert bare.status_code == 403
