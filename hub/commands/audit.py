"""`weibao audit`: check the trail of reads of children's personal data, and show its end.

``verify`` recomputes the whole hash chain and exits 1 naming each problem, so it
can run from cron or a monitoring probe; ``tail`` shows the last events (ids,
roles, purposes and field names only, never the personal data read).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from graph.audit import AccessEvent, AuditLog, VerifyReport
from graph.model import CST
from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run

app = typer.Typer(name="audit", no_args_is_help=True, add_completion=False)


@app.command()
def verify(data_dir: DataDirOpt = None) -> None:
    """Recompute the hash chain: exit 0 if the trail is intact, 1 naming each problem."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> VerifyReport:
        async with graph_of(settings) as store:
            return await AuditLog(store).verify()

    report = run(go())
    if report.ok:
        seq, digest = report.head
        console.print(
            f"audit trail intact: {report.events} events, head {seq}:{digest[:16]}", soft_wrap=True
        )
        return
    console.print(
        f"[red]audit trail NOT intact[/red] ({report.events} events read); problems:",
        highlight=False,
    )
    for problem in report.problems:
        console.print(f"  - {problem}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command()
def tail(
    n: Annotated[int, typer.Option("-n", "--lines", min=1, max=1000, help="How many")] = 20,
    data_dir: DataDirOpt = None,
) -> None:
    """Show the last access events (who, when, why, how many records, which fields)."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> list[AccessEvent]:
        async with graph_of(settings) as store:
            return await AuditLog(store).tail(n)

    events = run(go())
    if not events:
        console.print("the audit trail is empty")
        return
    table = Table(title=f"last {len(events)} access events")
    for column in ("seq", "time (CST)", "principal", "role", "purpose", "records", "fields"):
        table.add_column(column)
    for e in events:
        when = datetime.fromtimestamp(e.at / 1000, CST).strftime("%Y-%m-%d %H:%M:%S")
        who = e.principal + (" [break-glass]" if e.break_glass else "")
        # Text cells: stored strings are shown as they are, never read as rich markup.
        cells = (str(e.seq), when, who, e.role, e.purpose or "", str(len(e.records)))
        table.add_row(*(Text(c) for c in cells), Text(", ".join(e.fields)))
    console.print(table)
