"""Fewer garbage collections while syncs run.

A sync allocates a few dozen containers per record, and its batches live long
enough (read ahead, checked, written) to be promoted to the oldest generation,
so with CPython's default threshold (700) the collector scans every object of
the process (the whole hub) over and over: measured with ``gc.callbacks`` on a
100k-row CSV sync, over 2 s of collections, a quarter of the sync. With a higher
threshold for the youngest generation most of a batch dies before it is
promoted. The threshold is process-wide: the first sync to start raises it,
the last to finish puts it back (unless someone else changed it meanwhile);
cyclic garbage waits a little longer in between, a few MB at most.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

YOUNG = 20_000  # allocations between collections of the youngest generation

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None  # the thresholds to put back


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the youngest generation's threshold for the block (nested: counted)."""
    global _active, _saved
    with _lock:
        if _active == 0:
            current = gc.get_threshold()
            # 0 means automatic collection is off: left as it is.
            if 0 < current[0] < YOUNG:
                _saved = current
                gc.set_threshold(YOUNG, current[1], current[2])
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                if gc.get_threshold() == (YOUNG, _saved[1], _saved[2]):
                    gc.set_threshold(*_saved)
                _saved = None
