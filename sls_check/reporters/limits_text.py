"""`slscheck limits` on a terminal: the rows as a coloured rich table, then the notes and the ceiling."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sls_check.reporters.limits import COLUMNS, ceiling_lines, cells, notes
from sls_check.results import LimitsResult

STATUS_STYLE = {"ok": "green", "warn": "yellow", "over": "bold red"}


def print_table(result: LimitsResult, header: str, console: Console | None = None) -> None:
    rows = result.rows
    table = Table(title=header, title_justify="left", highlight=False)
    for name in COLUMNS:
        table.add_column(name, justify="right" if name in ("limit", "needed", "headroom") else "left")
    for r in rows:
        row = cells(r)
        row[6] = f"[{STATUS_STYLE[r.status]}]{r.status}[/]"
        table.add_row(*row)
    console = console or Console(highlight=False)
    console.print(table)
    for line in notes(rows):
        console.print(line, markup=False)
    if result.ceiling is not None:
        console.print()
        for line in ceiling_lines(result.ceiling):
            console.print(line, markup=False, style="bold")
