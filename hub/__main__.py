"""``python -m hub`` is the ``weibao`` command."""

from __future__ import annotations

from hub.cli import main

main()
