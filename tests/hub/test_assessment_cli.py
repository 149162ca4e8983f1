"""`weibao assessment` on a copy of the city demo graph, in real processes.

The demo's assessments were computed by the hub's engine: running a past quarter again
finds every input unchanged and writes nothing; a new formula version writes new
results beside them, once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

#: The demo's "now" (2026-11-28): computing as on that day.
AS_OF = "2026-11-28"


def weibao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )


@pytest.fixture(scope="module")
def data_dir(demo_copy: Callable[[], Path]) -> Path:
    return demo_copy()


def _run(data_dir: Path, *args: str) -> dict[str, Any]:
    done = weibao(
        "assessment", "run", "--as-of", AS_OF, "--data-dir", str(data_dir), "--json", *args
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_the_demo_quarter_is_unchanged_and_a_new_version_is_written_once(
    data_dir: Path,
) -> None:
    same = _run(data_dir, "--period", "2026Q3")
    assert (same["formulaVersion"], same["through"]) == ("v1", "2026-09-30")
    assert (same["directors"], same["supervisors"]) == (1330, 21)
    assert (same["created"], same["corrected"], same["unchanged"]) == (0, 0, 1351)
    new = _run(data_dir, "--period", "2026Q3", "--formula", "v2")
    assert (new["created"], new["corrected"], new["unchanged"]) == (1351, 0, 0)
    assert sum(v for k, v in new["tiers"].items() if k.startswith("director:")) == 1330
    again = _run(data_dir, "--period", "2026Q3", "--formula", "v2")
    assert (again["created"], again["corrected"], again["unchanged"]) == (0, 0, 1351)
    # One town only, in words.
    town = weibao(
        "assessment", "run", "--period", "2026Q2", "--region", "370481001", "--as-of", AS_OF,
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert town.returncode == 0, town.stderr
    assert "assessment 2026Q2 (formula v1, through 2026-06-30):" in town.stdout
    assert "1 supervisors; 0 new, 0 corrected" in town.stdout


def test_bad_periods_and_versions_are_refused(tmp_path: Path) -> None:
    for args, message in (
        (("--period", "2026Q9"), "a quarter such as 2026Q3"),
        (("--period", "2027Q1"), "has no day to assess yet"),
        (("--period", "2026Q3", "--formula", "v9"), "no assessment formula 'v9'"),
        (("--period", "2026Q3", "--as-of", "someday"), "--as-of takes a date"),
    ):
        done = weibao("assessment", "run", "--data-dir", str(tmp_path), *args)
        assert done.returncode == 2, done.stderr
        assert message in done.stderr


def test_the_formulas_are_printed() -> None:
    done = weibao("assessment", "formulas")
    assert done.returncode == 0, done.stderr
    assert "v1 (default)" in done.stdout
    assert "v2" in done.stdout
    assert "exam 0.4 + visit 0.6" in done.stdout
    assert "社会工作师 500" in done.stdout
