"""`weibao audit`: (being built)."""

from __future__ import annotations

import typer

app = typer.Typer(name="audit", no_args_is_help=True, add_completion=False)
