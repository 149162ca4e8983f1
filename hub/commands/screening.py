"""`weibao screening`: run the active screening by hand, print the rules in force."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph import GraphStore
from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run
from schema.care.screening import ScreeningReport, run_screening
from schema.care.screening_rules import RulesError, RuleSet, load_rules

app = typer.Typer(name="screening", no_args_is_help=True, add_completion=False)
out = Console()

RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="Rules file (default: the shipped rules)")
]


def _rules(path: Path | None) -> RuleSet:
    try:
        return load_rules(path)
    except RulesError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


async def screen_all(store: GraphStore, rules: RuleSet | None = None) -> ScreeningReport:
    """Screen every child now (with the shipped rules unless given)."""
    return await run_screening(store, rules or load_rules(), now_ms=int(time.time() * 1000))


def summary(report: ScreeningReport) -> str:
    """One line on what a run did (ids and counts only: no child's data)."""
    return (
        f"screening (rules {report.rule_version}): {report.flagged} flag(s) opened, "
        f"{report.unassigned} without a director; {report.checked} children checked, "
        f"{report.already_open} already open, {report.already_decided} already decided"
    )


@app.command("run")
def run_cmd(
    rules: RulesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="The run's counts as JSON")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Screen every child now: open a verification task for each one the rules flag."""
    rule_set = _rules(rules)
    settings = load_settings(data_dir=data_dir)

    async def go() -> ScreeningReport:
        async with graph_of(settings) as store:
            return await screen_all(store, rule_set)

    report = run(go())
    if as_json:
        out.print_json(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        out.print(summary(report))
        for flag in report.unassigned_flags:
            out.print(f"  no director for {flag}")


@app.command("rules")
def rules_cmd(rules: RulesOpt = None) -> None:
    """Print the rule set: version, and each rule's signals, category and due days."""
    rule_set = _rules(rules)
    table = Table(
        "rule", "all", "any", "unless", "suggests", "due (working days)", "description",
        title=f"screening rules {rule_set.version}",
    )  # fmt: skip
    for r in rule_set.rules:
        table.add_row(
            r.id,
            ", ".join(r.all),
            ", ".join(r.any),
            ", ".join(r.unless),
            r.suggest,
            str(r.due_days),
            r.description,
        )
    out.print(table)
