"""Local stand-ins of the REST platforms the hub reads (SAMPLE data, loopback only).

None of the real systems is reachable from a developer's machine or CI, so
one small Starlette app imitates the three REST platforms — 智慧民政 Smart
Civil Affairs, the volunteer service platform and the 12345 hotline — with
their authentication, paging, incremental filters, rate limits and the mess
of their data, serving the synthetic samples of ``connectors/samples/``.

::

    with serve_standins() as info:            # a free loopback port
        specs = standin_specs(info)           # RestSpec per endpoint
        ... read_rest(specs["civil_affairs.visits"], since=None) ...

``python -m connectors.standins`` serves them until Ctrl-C;
``python -m connectors.standins.generate`` rewrites the samples.
"""

from __future__ import annotations

from connectors.standins.faults import Fault, Faults, default_faults, no_faults
from connectors.standins.rest_platforms import DEFAULT_DATA_DIR, create_app
from connectors.standins.server import StandinInfo, serve_standins
from connectors.standins.specs import standin_specs
from connectors.standins.state import SAMPLE_HEADER, StandinState

__all__ = [
    "DEFAULT_DATA_DIR",
    "SAMPLE_HEADER",
    "Fault",
    "Faults",
    "StandinInfo",
    "StandinState",
    "create_app",
    "default_faults",
    "no_faults",
    "serve_standins",
    "standin_specs",
]
