"""Peak Python memory of a piece of work, measured in a fresh interpreter.

tracemalloc counts every thread's allocations; in the full test session other
threads (the background Cypher lint reading its output, the embedded graph's
watchdogs) allocate meanwhile, so an in-process measurement is not the code's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_HARNESS = """
import gc, sys, tracemalloc
{setup}
gc.collect()
tracemalloc.start()
count = ({work})
peak = tracemalloc.get_traced_memory()[1]
print(peak, count)
"""


def peak_of(setup: str, work: str, *args: str, timeout: float = 300) -> tuple[int, int]:
    """``(peak bytes, result)`` of the expression ``work`` (an int) after ``setup`` ran.

    ``args`` are in ``sys.argv[1:]`` for both; imports belong in ``setup`` so
    they do not count.
    """
    code = _HARNESS.format(setup=setup, work=work)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    peak, count = done.stdout.split()
    return int(peak), int(count)
