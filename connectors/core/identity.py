"""Identity resolution in the sync engine: which node a record about a person is.

A child or guardian is the same person across systems when their resident ID
numbers agree (validated and normalised by the stream's mapping). Without
one, a record is compared with the people of the same birth date and village:
a confident match (name, including homophones and pinyin spellings) takes the
person's node; an uncertain one becomes a ``MatchReview`` item for a person to
decide and the record keeps its own node, so nothing is merged on a guess.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any, Protocol

from connectors.core.stream import NodeUpsert, Person, RelUpsert, Upsert
from graph import GraphStore
from graph.queries import sync

_BY_ID_NUMBER = {"Child": sync.CHILDREN_BY_ID_NUMBER, "Guardian": sync.GUARDIANS_BY_ID_NUMBER}


class _Item(Protocol):
    key: str
    upserts: list[Upsert]
    person: Any
    resolved: bool

    @property
    def primary(self) -> NodeUpsert: ...


class IdentityResolver:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    async def resolve(self, source: str, items: list[Any], now: int) -> None:
        """Point each person record's primary node at the person's existing node, if any."""
        people: list[tuple[_Item, Person]] = [
            (i, i.person) for i in items if isinstance(i.person, Person)
        ]
        if not people:
            return
        by_number: dict[str, list[tuple[_Item, Person]]] = defaultdict(list)
        without: list[tuple[_Item, Person]] = []
        for item, person in people:
            if person.id_number:
                by_number[person.label].append((item, person))
            elif person.label == "Child" and person.birth_date:
                without.append((item, person))
        for label, group in by_number.items():
            values = sorted({p.id_number for _, p in group if p.id_number})
            rows = await self.store.read(_BY_ID_NUMBER[label], {"values": values})
            existing = {str(r["value"]): str(r["id"]) for r in rows}
            for item, person in group:
                found = existing.get(person.id_number or "")
                if found is not None:
                    _rekey(item, found)
                    item.resolved = True
        if without:
            await self._match(source, without, now)

    async def _match(self, source: str, group: list[tuple[_Item, Person]], now: int) -> None:
        from connectors.identity.matching import Candidate, decide

        # What people decided on earlier reviews of these records comes first.
        decided = await self.store.read(
            sync.REVIEW_DECISIONS, {"keys": [item.key for item, _ in group], "source": source}
        )
        merged = {str(r["key"]): str(r["candidateId"]) for r in decided if r["status"] == "merged"}
        apart: dict[str, set[str]] = defaultdict(set)
        for r in decided:
            if r["status"] == "apart":
                apart[str(r["key"])].add(str(r["candidateId"]))
        undecided = []
        for item, person in group:
            if item.key in merged:
                _rekey(item, merged[item.key])
                item.resolved = True
            else:
                undecided.append((item, person))
        group = undecided
        if not group:
            return
        rows = await self.store.read(
            sync.CHILD_CANDIDATES,
            {
                "rows": [
                    {"key": item.key, "birthDate": p.birth_date, "villageCode": p.village_code}
                    for item, p in group
                ]
            },
        )
        candidates: dict[str, list[Candidate]] = defaultdict(list)
        for r in rows:
            candidates[str(r["key"])].append(
                Candidate(
                    id=str(r["id"]),
                    name=r["name"],
                    birth_date=r["birthDate"],
                    village_code=r["villageCode"],
                    gender=r["gender"],
                )
            )
        reviews = []
        for item, person in group:
            found = [
                c
                for c in candidates.get(item.key, [])
                if c.id != item.primary.key and c.id not in apart.get(item.key, set())
            ]
            if not found:
                continue
            decision = decide(
                Candidate(
                    id=item.primary.key,
                    name=person.name,
                    birth_date=person.birth_date,
                    village_code=person.village_code,
                    gender=person.gender,
                ),
                found,
            )
            if decision.outcome == "match" and decision.candidate is not None:
                _rekey(item, decision.candidate.id)
                item.resolved = True
            elif decision.outcome == "review" and decision.candidate is not None:
                reviews.append(
                    {
                        "id": f"review-{source}-{item.key}-{decision.candidate.id}",
                        "props": {
                            "label": person.label,
                            "sourceName": source,
                            "sourceKey": item.key,
                            "entityId": item.primary.key,
                            "candidateId": decision.candidate.id,
                            "confidence": decision.confidence,
                            "reasons": list(decision.reasons),
                            "status": "open",
                            "createdAt": now,
                            "source": source,
                        },
                    }
                )
        if reviews:
            await self.store.write(sync.ADD_REVIEWS, {"rows": reviews})


def _rekey(item: _Item, new_key: str) -> None:
    """Make the record's primary node (and its relationships) the node ``new_key``."""
    old = item.primary.key
    if old == new_key:
        return
    rekeyed: list[Upsert] = []
    for u in item.upserts:
        if isinstance(u, NodeUpsert) and u.primary:
            rekeyed.append(dataclasses.replace(u, key=new_key))
        elif isinstance(u, RelUpsert):
            rekeyed.append(
                dataclasses.replace(
                    u,
                    start_key=new_key if u.start_key == old else u.start_key,
                    end_key=new_key if u.end_key == old else u.end_key,
                )
            )
        else:
            rekeyed.append(u)
    item.upserts[:] = rekeyed
