"""`weibao assessment`: compute a quarter's assessments, print the formulas shipped."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run
from schema.program.assessment_engine import RunReport, run_assessment
from schema.program.assessment_facts import Period, PeriodError, day_ms, day_of
from schema.program.assessment_formula import (
    DEFAULT_VERSION,
    FormulaError,
    load_formula,
    versions,
)

app = typer.Typer(name="assessment", no_args_is_help=True, add_completion=False)
out = Console()

HALF_DAY_MS = 12 * 3_600_000


def summary(report: RunReport) -> str:
    """One line on what a run did."""
    return (
        f"assessment {report.period} (formula {report.formula_version}, through "
        f"{report.through}): {report.directors} directors, {report.supervisors} supervisors; "
        f"{report.created} new, {report.corrected} corrected, {report.unchanged} unchanged "
        f"in {report.seconds:.1f} s"
    )


def _now_ms(as_of: str | None) -> int:
    if as_of is None:
        return int(time.time() * 1000)
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError as exc:
        console.print(f"[red]--as-of takes a date such as 2026-10-05, not {as_of!r}[/red]")
        raise typer.Exit(2) from exc
    return day_ms(day) + HALF_DAY_MS  # noon of that day, China Standard Time


@app.command("run")
def run_cmd(
    period: Annotated[str, typer.Option("--period", help="The quarter, e.g. 2026Q3")],
    formula: Annotated[
        str, typer.Option("--formula", help="Formula version (see `weibao assessment formulas`)")
    ] = DEFAULT_VERSION,
    region: Annotated[
        str, typer.Option("--region", help="Only this division code's subtree (default: all)")
    ] = "",
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Compute as on this day (YYYY-MM-DD; default: today)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The run's counts as JSON")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Assess every director and supervisor for a quarter: new results, corrections, or nothing."""
    try:
        load_formula(formula)
    except FormulaError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    now = _now_ms(as_of)
    try:
        Period.of(period, day_of(now))
    except PeriodError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    settings = load_settings(data_dir=data_dir)

    async def go() -> RunReport:
        async with graph_of(settings) as store:
            return await run_assessment(store, period, formula, now_ms=now, region=region)

    report = run(go())
    if as_json:
        out.print_json(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        out.print(summary(report))


@app.command("formulas")
def formulas_cmd() -> None:
    """Print the formula versions shipped: weights, visit parts, tiers and money."""
    for version in versions():
        f = load_formula(version)
        d = f.director
        table = Table(
            "tier", "from", "allowance", "village bonus",
            title=f"{f.version}{' (default)' if version == DEFAULT_VERSION else ''}: "
            f"{f.description}",
        )  # fmt: skip
        for tier in d.tiers:
            table.add_row(tier.name, f"{tier.min:g}", str(tier.allowance), str(tier.bonus))
        out.print(table)
        parts = ", ".join(f"{k} {v:g}" for k, v in d.visit.model_dump().items())
        graded = ", ".join(f"{k} {v}" for k, v in sorted(d.vocational.by_title.items()))
        out.print(
            f"  exam {d.weights.exam:g} + visit {d.weights.visit:g}; visit = {parts}; "
            f"vocational allowance {d.vocational.default}{f' ({graded})' if graded else ''}"
        )
