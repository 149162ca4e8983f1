"""The deterministic demo data set: Tengzhou's children's-director program, synthetic people.

Real divisions (NBS 2023 codes, ``data/SOURCE.md``), synthetic everything else,
reproducing the program's published figures exactly: 21 towns, 1,180 villages,
1,330 directors, 21 stations, 1,195 facilities, 58 trainings, 22,000 service
person-times. ``--scale province`` runs the same generator over every county
of Shandong.

Public API: :func:`build_demo` → :class:`DemoDataSet`; :func:`load_demo` →
:class:`DemoReport`; the row types; the fixed "now" the data set is anchored to.
"""

from __future__ import annotations

from hub.demo.clock import NOW, NOW_MS
from hub.demo.dataset import DemoDataSet, Scale, build_demo
from hub.demo.load import DemoReport, Progress, load_demo
from hub.demo.rows import DemoPart, NodeRow, Props, PropValue, RelKey, RelRow

__all__ = [
    "NOW",
    "NOW_MS",
    "DemoDataSet",
    "DemoPart",
    "DemoReport",
    "NodeRow",
    "Progress",
    "PropValue",
    "Props",
    "RelKey",
    "RelRow",
    "Scale",
    "build_demo",
    "load_demo",
]
