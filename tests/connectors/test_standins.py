"""The stand-ins over real HTTP (uvicorn on a loopback port), read by the real REST reader.

Also pins the samples: regenerating them changes nothing, ID numbers are valid
except the ones the manifest names, and every folder says it is synthetic.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.errors import SourceError
from connectors.kinds.rest import BearerAuth, RestReadStats, RestSpec, RetryPolicy, read_rest
from connectors.standins import (
    DEFAULT_DATA_DIR,
    SAMPLE_HEADER,
    Faults,
    StandinInfo,
    default_faults,
    no_faults,
    serve_standins,
    standin_specs,
)
from connectors.standins.generate import sample_files
from connectors.standins.generate.common import CST

MANIFESTS = {
    system: json.loads((DEFAULT_DATA_DIR / system / "manifest.json").read_text(encoding="utf-8"))
    for system in ("civil_affairs", "volunteers", "hotline")
}
STREAMS = {
    "civil_affairs.directors": ("director_id", "updated_at", "directors"),
    "civil_affairs.children": ("child_id", "updated_at", "children"),
    "civil_affairs.visits": ("visit_id", "updated_at", "visits"),
    "volunteers.volunteers": ("volunteer_id", "update_time", "volunteers"),
    "volunteers.teams": ("team_id", "update_time", "teams"),
    "volunteers.service_hours": ("record_id", "update_time", "service_hours"),
    "hotline.orders": ("order_no", "updated_at", "orders"),
}


@pytest.fixture(scope="module")
def served() -> Iterator[StandinInfo]:
    with serve_standins(faults=no_faults()) as info:
        yield info


@pytest.fixture
def standins(served: StandinInfo) -> StandinInfo:
    """The module's stand-ins, well-behaved again for each test."""
    served.state.faults = no_faults()
    served.state.token_max_uses = 0
    served.state.token_ttl_s = 120.0
    return served


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def read(
    spec: RestSpec,
    since: str | None = None,
    stats: RestReadStats | None = None,
    sleeps: Sleeps | None = None,
) -> list[Extracted]:
    return [item async for item in read_rest(spec, since, stats=stats, sleep=sleeps or Sleeps())]


def records(items: list[Extracted]) -> list[dict[str, Any]]:
    return [item.data for item in items if isinstance(item, RawRecord)]


def instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=CST)


# Every platform, end to end --------------------------------------------------------------


@pytest.mark.parametrize("stream", list(STREAMS))
async def test_each_stream_reads_every_sample_record_in_ascending_order(
    standins: StandinInfo, stream: str
) -> None:
    id_field, cursor_field, count_key = STREAMS[stream]
    system = stream.split(".")[0]
    stats = RestReadStats()
    got = await read(standin_specs(standins, page_size=30)[stream], stats=stats)
    rows = records(got)
    assert len(rows) == len(got)  # no rejects in the samples as served
    assert len({r[id_field] for r in rows}) == MANIFESTS[system]["counts"][count_key]
    assert stats.out_of_order == 0
    keys = [(instant(r[cursor_field]), r[id_field]) for r in rows]
    assert keys == sorted(keys)
    assert stats.max_cursor == rows[-1][cursor_field]


async def test_civil_affairs_repeats_a_record_at_each_page_boundary(standins: StandinInfo) -> None:
    spec = standin_specs(standins, page_size=50)["civil_affairs.visits"]
    stats = RestReadStats()
    rows = records(await read(spec, stats=stats))
    unique = MANIFESTS["civil_affairs"]["counts"]["visits"]
    assert stats.pages == -(-unique // 50)
    assert len(rows) == unique + stats.pages - 1


async def test_every_answer_is_marked_as_sample_data(standins: StandinInfo) -> None:
    async with httpx.AsyncClient(base_url=standins.base_url) as client:
        for path in ("/scas/api/v1/visits", "/hotline/api/orders", "/volunteer/api/teams", "/x"):
            response = await client.get(path)
            assert response.headers[SAMPLE_HEADER].startswith("SAMPLE")
            assert response.status_code in (401, 404)


async def test_a_wrong_token_is_a_source_error(standins: StandinInfo) -> None:
    spec = standin_specs(standins)["hotline.orders"]
    assert spec.auth is not None
    wrong = spec.model_copy(update={"auth": BearerAuth(token=SecretStr("nope"))})
    with pytest.raises(SourceError, match="401 Unauthorized"):
        await read(wrong)
    assert standins.secrets["hotline.token"] == "sample-12345-token"


# Incremental reads -----------------------------------------------------------------------


@pytest.mark.parametrize("stream", ["civil_affairs.visits", "volunteers.service_hours"])
async def test_since_returns_exactly_the_records_at_or_after_it(
    standins: StandinInfo, stream: str
) -> None:
    id_field, cursor_field, _ = STREAMS[stream]
    spec = standin_specs(standins, page_size=40)[stream]
    everything = records(await read(spec))
    since = everything[len(everything) // 2][cursor_field]
    later = records(await read(spec, since=since))
    expected = {r[id_field] for r in everything if instant(r[cursor_field]) >= instant(since)}
    assert {r[id_field] for r in later} == expected
    assert later[0][cursor_field] == since  # the bound is inclusive


async def test_records_saved_in_the_same_second_all_come_back_after_that_second(
    standins: StandinInfo,
) -> None:
    spec = standin_specs(standins, page_size=100)["civil_affairs.children"]
    rows = records(await read(spec))
    times = [r["updated_at"] for r in rows]
    tied = next(t for t in times if times.count(t) > 1)
    again = records(await read(spec, since=tied))
    assert sum(r["updated_at"] == tied for r in again) == times.count(tied)


async def test_a_since_the_platform_cannot_parse_is_a_400_and_not_retried(
    standins: StandinInfo,
) -> None:
    spec = standin_specs(standins)["civil_affairs.visits"]
    with pytest.raises(SourceError, match=r"400 Bad Request.*updated_since"):
        await read(spec, since="last tuesday")


# Tokens ----------------------------------------------------------------------------------


async def test_volunteer_tokens_expire_and_the_reader_fetches_new_ones(
    standins: StandinInfo,
) -> None:
    standins.state.token_max_uses = 2
    stats = RestReadStats()
    spec = standin_specs(standins, page_size=20)["volunteers.service_hours"]
    rows = records(await read(spec, stats=stats))
    assert len(rows) == MANIFESTS["volunteers"]["counts"]["service_hours"]
    assert stats.pages == 12
    assert stats.token_fetches == 6
    assert stats.requests == 12 + 5  # each expired token costs one refused request


async def test_a_refused_volunteer_client_is_a_source_error(standins: StandinInfo) -> None:
    spec = standin_specs(standins)["volunteers.teams"]
    standins.state.volunteer_client_secret = "rotated"
    try:
        with pytest.raises(SourceError, match="refused client 'sample-volunteer-client'"):
            await read(spec)
    finally:
        standins.state.volunteer_client_secret = "sample-volunteer-secret"


# Faults ----------------------------------------------------------------------------------


async def test_the_hotline_rate_limit_and_outages_are_waited_out(standins: StandinInfo) -> None:
    standins.state.faults = default_faults()
    stats = RestReadStats()
    sleeps = Sleeps()
    spec = standin_specs(standins, page_size=10)["hotline.orders"]
    rows = records(await read(spec, stats=stats, sleeps=sleeps))
    assert len(rows) == MANIFESTS["hotline"]["counts"]["orders"]
    # 15 pages in 19 requests: 5, 10 and 15 answer 429 (Retry-After: 1), 17 answers 503
    # with an HTTP-date one second ahead (whole seconds, so a wait between 0 and 1 s).
    assert stats.requests == 19
    assert sleeps.waits[:3] == [1.0, 1.0, 1.0]
    assert len(sleeps.waits) == 4
    assert 0 <= sleeps.waits[3] <= 1.0


async def test_5xx_answers_are_retried_until_the_page_comes(standins: StandinInfo) -> None:
    standins.state.faults["civil_affairs"] = Faults(error_every=2)
    stats = RestReadStats()
    sleeps = Sleeps()
    retry = RetryPolicy(backoff_base_s=0.25, jitter=0)
    spec = standin_specs(standins, page_size=50, retry=retry)["civil_affairs.children"]
    rows = records(await read(spec, stats=stats, sleeps=sleeps))
    assert len({r["child_id"] for r in rows}) == MANIFESTS["civil_affairs"]["counts"]["children"]
    assert stats.retries == stats.pages - 1
    assert sleeps.waits == [0.25] * stats.retries


async def test_a_slow_answer_times_out_and_is_retried(standins: StandinInfo) -> None:
    standins.state.faults["civil_affairs"] = Faults(slow_every=2, slow_s=0.6)
    stats = RestReadStats()
    spec = standin_specs(standins, page_size=100)["civil_affairs.children"]
    spec = spec.model_copy(update={"timeout_s": 0.2})
    rows = records(await read(spec, stats=stats))
    # Two pages in three requests: the second request waits 0.6 s, the client 0.2 s.
    assert len({r["child_id"] for r in rows}) == MANIFESTS["civil_affairs"]["counts"]["children"]
    assert (stats.pages, stats.requests, stats.retries) == (2, 3, 1)


async def test_a_cut_off_page_is_fetched_again_and_twice_is_fatal(standins: StandinInfo) -> None:
    standins.state.faults["volunteers"] = Faults(malformed_every=3)
    spec = standin_specs(standins, page_size=20)["volunteers.volunteers"]
    stats = RestReadStats()
    rows = records(await read(spec, stats=stats))
    assert len(rows) == MANIFESTS["volunteers"]["counts"]["volunteers"]
    assert stats.retries >= 1
    standins.state.faults["volunteers"] = Faults(malformed_every=1)
    with pytest.raises(SourceError, match="not JSON, twice"):
        await read(spec)


async def test_a_junk_record_is_a_reject_with_its_location(standins: StandinInfo) -> None:
    standins.state.faults["hotline"] = Faults(junk_record_every=2)
    got = await read(standin_specs(standins, page_size=50)["hotline.orders"])
    rejects = [item for item in got if isinstance(item, RawReject)]
    assert len(rejects) == 1
    assert rejects[0].location.startswith("GET /hotline/api/orders?")
    assert "page=2" in rejects[0].location
    assert rejects[0].location.endswith("#26")
    assert len(records(got)) == MANIFESTS["hotline"]["counts"]["orders"]


async def test_the_generating_endpoint_streams_many_pages(standins: StandinInfo) -> None:
    specs = standin_specs(standins)
    template = specs["civil_affairs.visits"]
    spec = template.model_copy(
        update={"path": "/load/api/records", "params": {"total": "5000"}, "auth": None}
    )
    stats = RestReadStats()
    count = sum(1 for _ in records(await read(spec, stats=stats)))
    assert (count, stats.pages, stats.out_of_order) == (5000, 50, 0)


# The command -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_python_m_connectors_standins_serves_until_interrupted() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "connectors.standins", "--port", str(port), "--no-faults"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/hotline/api/orders?per_page=1",
                    headers={"Authorization": "Bearer sample-12345-token"},
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the stand-ins did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.headers["x-total-count"] == "150"
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "SAMPLE stand-ins" in output
    assert "sample-scas-token" in output


# The samples -----------------------------------------------------------------------------


def test_the_samples_on_disk_are_what_the_generator_makes() -> None:
    for system, files in sample_files().items():
        for name, text in files.items():
            on_disk = (DEFAULT_DATA_DIR / system / name).read_text(encoding="utf-8")
            assert on_disk == text, f"{system}/{name}: run python -m connectors.standins.generate"


def test_each_sample_folder_says_it_is_synthetic() -> None:
    for system, manifest in MANIFESTS.items():
        readme = (DEFAULT_DATA_DIR / system / "README.md").read_text(encoding="utf-8")
        assert "synthetic samples" in readme
        assert manifest["synthetic"] is True


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_18(number: str, birth: str | None) -> bool:
    if len(number) != 18 or not number[:17].isdigit() or not number.startswith("370481"):
        return False
    check = "10X98765432"[sum(int(c) * w for c, w in zip(number, _WEIGHTS, strict=False)) % 11]
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14])).isoformat()
    return number[17] == check and (birth is None or birth == born)


def test_id_numbers_are_valid_except_the_deliberate_ones() -> None:
    civil = MANIFESTS["civil_affairs"]["deliberate_faults"]
    children = json.loads((DEFAULT_DATA_DIR / "civil_affairs/children.json").read_text("utf-8"))
    invalid = {c["child_id"] for c in children if not valid_18(c["id_number"], c["birth_date"])}
    expected_bad = set(civil["child_id_number_bad_check"]) | set(
        civil["child_birth_date_disagrees_with_id"]
    )
    lower_x = set(civil["child_id_number_lower_x"])
    assert invalid == expected_bad | lower_x  # lower-case x is only valid once upper-cased
    for child in children:
        if child["child_id"] in lower_x:
            assert child["id_number"].endswith("x")
            assert valid_18(child["id_number"].upper(), child["birth_date"])
    old = [
        g["id_number"]
        for c in children
        if c["child_id"] in civil["guardian_id_number_15_digits"]
        for g in c["guardians"]
        if len(g["id_number"]) == 15
    ]
    assert len(old) == len(civil["guardian_id_number_15_digits"])
    directors = json.loads((DEFAULT_DATA_DIR / "civil_affairs/directors.json").read_text("utf-8"))
    odd = {d["director_id"] for d in directors if not valid_18(d["id_number"], d["birth_date"])}
    assert odd == set(civil["director_id_number_15_digits"]) | set(
        civil["director_id_number_lower_x"]
    )
