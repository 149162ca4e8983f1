"""The counting rules of project reconciliation, without a graph: period bounds in China
Standard Time, towns, distinct services and children, totals over projects."""

from __future__ import annotations

import datetime as dt

from graph.model import CST
from schema.program import projects_reconcile as rec


def _ms(day: str, hour: int, minute: int = 0) -> int:
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), CST)
    return int(moment.timestamp() * 1000)


PROJECT = rec.ProjectFacts.of(
    {
        "id": "p",
        "startDate": "2026-01-01",
        "endDate": "2026-06-30",
        "towns": ["990001001"],
        "targetServices": 10,
    }
)


def _service(
    id_: str, at: int | None, *, project: str = "p", village: str = "990001001001", **kw: object
) -> rec.LinkedService:
    row = {"project": project, "id": id_, "deliveredAt": at, "villageCode": village, **kw}
    return rec.LinkedService.of(row)


def test_the_period_includes_both_dates_in_china_standard_time() -> None:
    assert PROJECT.issues(_ms("2026-01-01", 0), "990001001001") == []
    assert PROJECT.issues(_ms("2026-06-30", 23, 59), "990001001001") == []
    assert PROJECT.issues(_ms("2025-12-31", 23, 59), "990001001001") == [rec.Issue.BEFORE_START]
    assert PROJECT.issues(_ms("2026-07-01", 0), "990001001001") == [rec.Issue.AFTER_END]
    assert PROJECT.issues(None, "990001001001") == [rec.Issue.NO_DATE]
    both = PROJECT.issues(_ms("2026-07-01", 9), "990001002001")
    assert both == [rec.Issue.AFTER_END, rec.Issue.OUTSIDE_TOWNS]
    anywhere = rec.ProjectFacts.of({"id": "q", "towns": []})
    assert anywhere.issues(_ms("2020-01-01", 9), "110101001001") == []


def test_services_and_children_are_counted_once() -> None:
    other = rec.ProjectFacts.of({"id": "o", "startDate": "2026-01-01", "towns": []})
    rows = [
        _service("s1", _ms("2026-02-01", 9), personTimes=2, children=["c1"], projects=["p"]),
        # The same service twice (two children of one service make two rows upstream).
        _service("s1", _ms("2026-02-01", 9), personTimes=2, children=["c1"], projects=["p"]),
        _service("s2", _ms("2026-03-01", 9), personTimes=3, children=["c1"], projects=["p", "o"]),
        _service(
            "s2",
            _ms("2026-03-01", 9),
            project="o",
            personTimes=3,
            children=["c1"],
            projects=["p", "o"],
        ),
        _service("s3", _ms("2026-03-02", 9), project="o", personTimes=None, children=["c2"]),
        _service("s4", _ms("2025-03-02", 9), personTimes=9, children=["c3"]),
        _service("s4", _ms("2025-03-02", 9), personTimes=9, children=["c3"]),
    ]
    p, o = rec.reconcile([PROJECT, other], rows)
    assert p.counted.counts() == rec.Counts(services=2, children=1, person_times=5)
    assert p.shared == {"s2"}
    assert [(s.id, issues) for s, issues in p.exceptions] == [("s4", [rec.Issue.BEFORE_START])]
    assert o.counted.counts() == rec.Counts(services=2, children=2, person_times=3)
    union, shared = rec.total([p, o])
    assert union.counts() == rec.Counts(services=3, children=2, person_times=5)
    assert shared == {"s2"}


def test_progress_is_a_percentage_of_a_target() -> None:
    assert rec.progress(5, 20) == 25.0
    assert rec.progress(5, None) is None
    assert rec.progress(5, 0) is None
    assert rec.progress(None, 10) is None
