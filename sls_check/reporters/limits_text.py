"""`slscheck limits` on a terminal: coloured, laid out for the terminal's width.

A box table when the whole table fits (every column at its natural width); otherwise one record
per row, as reporters.limits.rows_text writes them for a pipe, with the status coloured. Rich
never squeezes a column here: a cut `fulfil…` / `sfn_sta…` row names nothing.
"""

from __future__ import annotations

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from sls_check.reporters.limits import COLUMNS, RIGHT, ceiling_lines, cells, notes, record_lines, wrap
from sls_check.results import LimitsResult

STATUS_STYLE = {"ok": "green", "warn": "yellow", "over": "bold red"}


def _table(result: LimitsResult) -> Table:
    table = Table(highlight=False)
    for i, name in enumerate(COLUMNS):
        table.add_column(name, justify="right" if i in RIGHT else "left", no_wrap=True)
    for r in result.rows:
        row = [Text(c) for c in cells(r)]
        row[6] = Text(r.status, style=STATUS_STYLE[r.status])
        table.add_row(*row)
    return table


def print_table(result: LimitsResult, header: str, console: Console | None = None) -> None:
    """`header` is plain text (already made safe for a terminal)."""
    console = console or Console(highlight=False)
    width = console.width
    for line in wrap(header, width):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    table = _table(result)
    fits = Measurement.get(console, console.options.update_width(10_000), table).maximum <= width
    if result.rows and fits:
        console.print(table)
        for line in notes(result.rows):
            for part in wrap(line, width, "  ", ""):
                console.print(part, markup=False, highlight=False, soft_wrap=True)
    else:
        console.print()
        for r in result.rows:
            for i, line in enumerate(record_lines(r, width)):
                text = Text(line)
                if i == 0:
                    text.stylize(STATUS_STYLE[r.status], 0, len(r.status))
                    text.stylize("bold", 6)
                console.print(text, highlight=False, soft_wrap=True)
        if not result.rows:
            console.print("No quota applies.", markup=False)
    if result.ceiling is not None:
        console.print()
        for line in ceiling_lines(result.ceiling):
            for part in wrap(line, width, "  ", ""):
                console.print(part, markup=False, style="bold", highlight=False, soft_wrap=True)
