"""The hash-chained audit trail on the real graph: appends, collisions, tampering named.

The tamper tests edit the graph by hand with raw Cypher through the FalkorDB
client, as someone with access to the database would; on Neo4j they are skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
import pytest_asyncio

from graph import CountingStore, GraphStore, GraphUnavailable, Statement, WriteSummary
from graph.audit import (
    GENESIS_HASH,
    OPTIONAL,
    REQUIRED,
    AccessEventIn,
    AuditChainError,
    AuditLog,
    canonical,
    chain_hash,
    stored_properties,
)
from graph.falkordb_store import FalkorStore
from graph.model import NODES
from graph.queries import audit as q
from graph.store import unwrap


def event(i: int, **changes: Any) -> AccessEventIn:
    base: dict[str, Any] = {
        "at": 1_767_225_600_000 + i,
        "principal": "user:admin" if i % 2 else "client:edu-bureau",
        "role": "center_admin",
        "client_id": None if i % 2 else "edu-bureau",
        "purpose": None if i % 3 == 0 else "核查 'case' \"x\"",
        "request_id": f"req-{i}",
        "records": (f"Child:c-{i}", f"Child:c-{i + 1}"),
        "fields": ("Child.name", "Child.idNumber"),
        "break_glass": i % 5 == 0,
    }
    base.update(changes)
    return AccessEventIn(**base)


async def raw(store: FalkorStore, cypher: str) -> None:
    """A hand edit of the graph, outside every statement of the hub."""
    await store.command("GRAPH.QUERY", store.graph_name, cypher)


async def wipe(store: FalkorStore) -> None:
    await raw(store, "MATCH (e:AccessEvent) DELETE e")
    await raw(store, "MATCH (m:Meta {id: 'audit-head'}) DELETE m")


@pytest_asyncio.fixture
async def falkor(store: GraphStore) -> AsyncIterator[FalkorStore]:
    """The shared store with an empty trail (FalkorDB: the tests edit it with raw Cypher)."""
    inner = unwrap(store)
    if not isinstance(inner, FalkorStore):
        pytest.skip("the audit tests clear and edit the trail with raw FalkorDB Cypher")
    await wipe(inner)
    yield inner
    await wipe(inner)


async def trail_of(store: GraphStore, n: int) -> AuditLog:
    log = AuditLog(store)
    assert await log.append([event(i) for i in range(1, n + 1)]) == list(range(1, n + 1))
    return log


# -- the encoding -----------------------------------------------------------------


def test_stored_properties_are_the_models_and_the_hash_covers_all_but_itself() -> None:
    model = set(NODES["AccessEvent"].all_properties)
    assert model >= REQUIRED | OPTIONAL
    props = stored_properties(event(1), 1, GENESIS_HASH)
    assert set(props) == REQUIRED | {"purpose"}  # client_id None: not stored
    assert props["hash"] == chain_hash(props)
    assert b'"hash"' not in canonical(props)
    assert chain_hash({**props, "note": "x"}) != props["hash"]  # an added property counts


def test_the_encoding_is_pinned() -> None:
    # Changing the encoding would make every stored trail fail verification.
    props = stored_properties(event(2), 7, "a" * 64)
    assert canonical(props).decode() == (
        '{"at":1767225600002,"breakGlass":false,"clientId":"edu-bureau",'
        '"fields":["Child.name","Child.idNumber"],"id":"access-7",'
        '"prevHash":"' + "a" * 64 + '","principal":"client:edu-bureau",'
        '"purpose":"核查 \'case\' \\"x\\"","records":["Child:c-2","Child:c-3"],'
        '"requestId":"req-2","role":"center_admin","seq":7}'
    )
    assert props["hash"] == "f7d4edfceeabf3a319e2b234a4b190ea19cb718283b4a813a7a3b13fa6fb1ea8"


# -- appends ----------------------------------------------------------------------


async def test_batches_across_calls_make_one_intact_chain(falkor: FalkorStore) -> None:
    log = AuditLog(falkor)
    assert await log.head() == (0, GENESIS_HASH)
    assert await log.append([]) == []
    assert await log.append([event(1)]) == [1]
    assert await log.append([event(i) for i in range(2, 6)]) == [2, 3, 4, 5]
    assert await AuditLog(falkor).append([event(6)]) == [6]  # a new log finds the head
    report = await log.verify()
    assert report.ok, report.problems
    assert report.events == 6
    tail = await log.tail(3)
    assert [e.seq for e in tail] == [4, 5, 6]
    assert report.head == (6, tail[-1].hash) == await log.head()
    assert tail[-1].prev_hash == tail[-2].hash
    assert (tail[0].request_id, tail[0].client_id, tail[0].records) == (
        "req-4",
        "edu-bureau",
        ("Child:c-4", "Child:c-5"),
    )
    first = await log.tail(6)
    assert first[0].prev_hash == GENESIS_HASH
    assert first[0].purpose == "核查 'case' \"x\""


async def test_awkward_values_round_trip_to_the_same_hash(falkor: FalkorStore) -> None:
    odd = [
        event(1, records=(), fields=(), client_id=None, purpose=None),
        event(2, purpose="back\\slash 'q' \"dq\" 换行\n tab\t 🙂", principal="user:李 四"),
        event(3, at=2**53 + 1, request_id="", client_id="", purpose=""),
    ]
    log = AuditLog(falkor)
    await log.append(odd)
    report = await log.verify()
    assert report.ok, report.problems
    back = await log.tail(3)
    assert [AccessEventIn(**{k: getattr(e, k) for k in vars(odd[0])}) for e in back] == odd


async def test_an_empty_trail_verifies(falkor: FalkorStore) -> None:
    report = await AuditLog(falkor).verify()
    assert (report.ok, report.events, report.problems) == (True, 0, [])
    assert await AuditLog(falkor).tail() == []


async def test_concurrent_appends_keep_seq_consecutive(falkor: FalkorStore) -> None:
    log = AuditLog(falkor)

    async def one(i: int) -> list[int]:
        return await log.append([event(i * 10 + k) for k in range(1 + i % 3)])

    results = await asyncio.gather(*(one(i) for i in range(40)))
    seqs = sorted(s for r in results for s in r)
    assert seqs == list(range(1, len(seqs) + 1))
    assert all(r == list(range(r[0], r[0] + len(r))) for r in results)  # a batch stays together
    report = await log.verify()
    assert report.ok, report.problems
    assert report.events == len(seqs)


async def test_a_second_writer_with_a_stale_head_collides_reloads_and_retries(
    falkor: FalkorStore,
) -> None:
    counting = CountingStore(falkor)
    mine, other = AuditLog(counting), AuditLog(falkor)
    assert await mine.append([event(1), event(2)]) == [1, 2]  # caches head 2
    assert await other.append([event(3)]) == [3]  # "another hub" moves the head
    counting.reset()
    assert await mine.append([event(4), event(5)]) == [4, 5]
    # The first attempt collided on access-3; the head was reloaded and the batch rechained.
    assert counting.calls == ["audit.append", "audit.head", "audit.append"]
    assert await other.append([event(6)]) == [6]
    report = await mine.verify()
    assert report.ok, report.problems
    assert report.events == 6


class CommitThenFail:
    """A store whose first audit append commits but whose answer is lost (a timeout)."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.failed = False

    async def read(self, stmt: Statement, params: Mapping[str, Any] | None = None) -> Any:
        return await self.inner.read(stmt, params)

    async def write(
        self, stmt: Statement, params: Mapping[str, Any] | None = None
    ) -> tuple[list[dict[str, Any]], WriteSummary]:
        result = await self.inner.write(stmt, params)
        if stmt is q.APPEND and not self.failed:
            self.failed = True
            raise GraphUnavailable("the answer was lost")
        return result


@pytest.mark.parametrize("others_meanwhile", [0, 2], ids=["alone", "another hub appended"])
async def test_a_retried_batch_whose_write_had_landed_is_not_written_twice(
    falkor: FalkorStore, others_meanwhile: int
) -> None:
    log = AuditLog(falkor)
    await log.append([event(1)])
    flaky = AuditLog(CommitThenFail(falkor))
    batch = [event(2), event(3)]
    with pytest.raises(GraphUnavailable):
        await flaky.append(batch)
    for i in range(others_meanwhile):
        await log.append([event(10 + i)])
    assert await flaky.append(batch) == [2, 3]  # recognised as written
    assert await flaky.append([event(4)]) == [4 + others_meanwhile]
    report = await log.verify()
    assert report.ok, report.problems
    assert report.events == 4 + others_meanwhile


async def test_events_the_anchor_does_not_cover_stop_appends(falkor: FalkorStore) -> None:
    await trail_of(falkor, 3)
    await raw(falkor, "MATCH (m:Meta {id: 'audit-head'}) DELETE m")
    with pytest.raises(AuditChainError, match="already holds seq 1 but the head anchor says 0"):
        await AuditLog(falkor).append([event(9)])


# -- verification -------------------------------------------------------------------


TAMPERING = {
    "edited": (
        ["MATCH (e:AccessEvent {seq: 3}) SET e.purpose = 'x'"],
        ["event 3 (access-3): content changed — its hash does not match"],
    ),
    "records edited": (
        ["MATCH (e:AccessEvent {seq: 2}) SET e.records = ['Child:c-99']"],
        ["event 2 (access-2): content changed"],
    ),
    "deleted": (
        ["MATCH (e:AccessEvent {seq: 3}) DELETE e"],
        ["event 3 is missing (seq jumps from 2 to 4)"],
    ),
    "first deleted": (
        ["MATCH (e:AccessEvent) WHERE e.seq <= 2 DELETE e"],
        ["events 1–2 are missing (the trail starts at 3)"],
    ),
    "swapped": (
        ["MATCH (a:AccessEvent {seq: 3}), (b:AccessEvent {seq: 4}) SET a.seq = 4, b.seq = 3"],
        [
            "event 3 (access-4): its prevHash is not the hash of event 2",
            "event 3 (access-4): its id does not match its seq",
            "event 4 (access-3): content changed",
        ],
    ),
    "tail cut": (
        ["MATCH (e:AccessEvent {seq: 6}) DELETE e"],
        ["the head anchor names event 6 but the trail ends at event 5: the tail was cut"],
    ),
    "property added": (
        ["MATCH (e:AccessEvent {seq: 2}) SET e.note = 'harmless'"],
        ["event 2 (access-2): content changed — its hash does not match (property 'note' added)"],
    ),
    "property removed": (
        ["MATCH (e:AccessEvent {seq: 5}) REMOVE e.principal"],
        [
            "event 5 (access-5): content changed — its hash does not match "
            "(property 'principal' removed)"
        ],
    ),
    "forged past the anchor": (
        ["CREATE (:AccessEvent {id: 'access-7', seq: 7, principal: 'user:x'})"],
        ["event 7 (access-7) lies past the head anchor (event 6)"],
    ),
    "forged duplicate": (
        ["CREATE (:AccessEvent {id: 'access-3b', seq: 3})"],
        ["event 3 (access-3b): a second event with seq 3"],
    ),
    "stray without seq": (
        ["CREATE (:AccessEvent {id: 'access-x'})"],
        ["1 access event(s) lie outside the chain"],
    ),
    "all removed": (
        ["MATCH (e:AccessEvent) DELETE e"],
        ["the trail is empty but the head anchor names event 6"],
    ),
    "anchor past the end": (
        ["MATCH (m:Meta {id: 'audit-head'}) SET m.value = '9:' + split(m.value, ':')[1]"],
        ["the tail was cut (events 7–9 removed)"],
    ),
    "anchor hash edited": (
        ["MATCH (m:Meta {id: 'audit-head'}) SET m.value = '6:" + "f" * 64 + "'"],
        ["the head anchor's hash does not match event 6 (access-6)"],
    ),
    "anchor removed": (
        ["MATCH (m:Meta {id: 'audit-head'}) DELETE m"],
        ["the head anchor (Meta audit-head) is missing but the trail holds 6 events"],
    ),
    "anchor garbled": (
        ["MATCH (m:Meta {id: 'audit-head'}) SET m.value = 'six'"],
        ["the head anchor (Meta audit-head) holds 'six'"],
    ),
}


@pytest.mark.parametrize("case", list(TAMPERING), ids=list(TAMPERING))
async def test_tampering_is_found_and_named(falkor: FalkorStore, case: str) -> None:
    edits, expected = TAMPERING[case]
    log = await trail_of(falkor, 6)
    assert (await log.verify()).ok
    for cypher in edits:
        await raw(falkor, cypher)
    for page_size in (1000, 2):  # and when the problem straddles windows
        report = await AuditLog(falkor).verify(page_size=page_size)
        assert not report.ok
        for text in expected:
            assert any(text in p for p in report.problems), (text, report.problems)


async def test_an_event_rewritten_with_a_fresh_hash_breaks_the_next_link(
    falkor: FalkorStore,
) -> None:
    log = await trail_of(falkor, 6)
    fourth = (await log.tail(3))[0]
    assert fourth.seq == 4
    forged = stored_properties(event(4, purpose="改写"), 4, fourth.prev_hash)
    await raw(
        falkor,
        f"MATCH (e:AccessEvent {{seq: 4}}) SET e.purpose = '改写', e.hash = '{forged['hash']}'",
    )
    report = await log.verify()
    assert report.problems == [
        "event 5 (access-5): its prevHash is not the hash of event 4 — an earlier event "
        "was rewritten, or events were removed or reordered"
    ]


async def test_a_long_removed_run_is_skipped_over_and_named(falkor: FalkorStore) -> None:
    log = await trail_of(falkor, 30)
    await raw(falkor, "MATCH (e:AccessEvent) WHERE e.seq >= 5 AND e.seq <= 24 DELETE e")
    report = await log.verify(page_size=3)
    assert report.problems == ["events 5–24 are missing (seq jumps from 4 to 25)"]
    assert report.events == 10


async def test_verify_reads_in_windows_and_caps_the_problems(falkor: FalkorStore) -> None:
    counting = CountingStore(falkor)
    log = await trail_of(counting, 50)
    counting.reset()
    assert (await log.verify(page_size=10)).ok
    # Five windows of 10 events (whatever the length, memory holds one), one look past the head.
    assert counting.calls.count("audit.window") == 5 + 1
    await raw(falkor, "MATCH (e:AccessEvent) WHERE e.seq % 2 = 0 SET e.purpose = 'x'")
    report = await log.verify(page_size=10, max_problems=5)
    assert report.problems[:5] == [
        f"event {s} (access-{s}): content changed — its hash does not match"
        for s in (2, 4, 6, 8, 10)
    ]
    assert report.problems[5:] == ["… and 20 more problem(s)"]
    assert report.events == 50
