"""Human output of `slscheck cost`: rich tables (plain text when not on a terminal or NO_COLOR).

One table per service with each line's quantity, unit, unit price and monthly amount, then the
total; with several rps values, one row per scenario with the total, the three biggest
contributors and the price tiers first crossed; then Lambda vs Fargate.
"""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sls_check.model import NOT_CHARGED
from sls_check.reporters.cost import assumptions
from sls_check.reporters.escape import terminal
from sls_check.reporters.numbers import amount as qty_text
from sls_check.reporters.numbers import unit_price as price_text
from sls_check.reporters.numbers import usd
from sls_check.results import FREE_TIER_NOTE, TIERS_CROSSED, CostRun, Scenario


def _header(run: CostRun) -> Text:
    out = Text()
    out.append(terminal(run.name or run.file), style="bold")
    out.append(f"  ({terminal(run.file)})\n", style="dim")
    out.append(f"Region {run.region}; {run.workload}.\n")
    out.append(f"Free tier: {FREE_TIER_NOTE[run.free_tier]}.\n", style="cyan")
    out.append("Monthly cost in USD, 730-hour month.\n", style="dim")
    return out


_COLUMNS = (("item", "left"), ("quantity", "right"), ("unit", "left"), ("unit price", "right"), ("monthly", "right"))


def _service_table(title: str, rows: list[list[str]], footer: str) -> Text:
    """One service's lines as aligned text, drawn like rich's SIMPLE_HEAD table.

    Plain text, not a rich Table: rich measured and laid out one Table per service, which made
    `cost` on 20,000 services take minutes (review C6); this is linear and as fast as printing.
    """
    widths = [len(name) for name, _ in _COLUMNS]
    for row in [*rows, ["", "", "", "", footer]]:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(w) if justify == "right" else cell.ljust(w)
            for cell, w, (_, justify) in zip(cells, widths, _COLUMNS, strict=True)
        ]
        return " " + "   ".join(parts) + " "

    full = sum(widths) + 3 * (len(widths) - 1) + 2
    out = Text()
    out.append(terminal(title).ljust(full) + "\n", style="italic")
    out.append(" " * full + "\n")
    out.append(line([name for name, _ in _COLUMNS]) + "\n", style="bold")
    out.append(" " + "─" * (full - 2) + " \n")
    for row in rows:
        out.append(line(row) + "\n", style="dim" if row[0] == "no billable usage" else "")
    out.append(" " * full + "\n")
    out.append(line(["", "", "", "", footer]) + "\n")
    out.append(" " * full)
    return out


def _service_tables(s: Scenario) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for svc in s.report.services:
        rows: list[list[str]] = []
        for ln in svc.lines:
            item = terminal(ln.item) + (" *" if "not confirmed" in ln.note else "")
            if not ln.priced:
                rows.append([item, qty_text(ln.quantity), terminal(ln.unit), "not priced", "?"])
                rows.append([f"  not priced: {terminal(str(ln.missing))}", "", "", "", ""])
                continue
            rows.append([item, qty_text(ln.quantity), terminal(ln.unit), price_text(ln.unit_price), usd(ln.monthly)])
        if not rows:
            rows = [["no billable usage", "", "", "", usd(Decimal(0))]]
        footer = (usd(svc.monthly) if svc.complete else f"at least {usd(svc.monthly)}") if svc.lines else ""
        parts.append(_service_table(f"{svc.service} ({svc.type})", rows, footer))
    total = Text()
    if s.report.complete:
        total.append(f"Total: {usd(s.total)} a month\n", style="bold green")
    else:
        total.append(f"Total: {s.report.total_text()} (incomplete: a lower bound)\n", style="bold red")
    if any("not confirmed" in ln.note for svc in s.report.services for ln in svc.lines):
        total.append("* price not confirmed at an AWS source (see docs/cost.md)\n", style="yellow")
    parts.append(total)
    return parts


def _scenario_table(run: CostRun) -> Table:
    table = Table(
        title="Scenarios",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption=TIERS_CROSSED,
        caption_justify="left",
    )
    table.add_column("rps", justify="right")
    table.add_column("total / month", justify="right")
    table.add_column("biggest contributors")
    table.add_column("price tiers crossed")
    for s in run.scenarios:
        top = ", ".join(f"{c.service} {usd(c.monthly)}" for c in s.report.top(3)) or "-"
        crossed = Text("; ".join(s.crossed), style="yellow") if s.crossed else Text("-", style="dim")
        total = usd(s.total) if s.report.complete else f"at least {usd(s.total)} ({len(s.report.missing)} not priced)"
        table.add_row(f"{s.rps:g}", total, top, crossed)
    return table


def _break_even_table(run: CostRun) -> list[RenderableType]:
    rows = run.scenarios[-1].break_even
    if not rows:
        return []
    at = f" at {run.scenarios[-1].rps:g} entry rps" if run.several else ""
    table = Table(title=f"Lambda vs always-on Fargate{at}", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in (
        ("function", "left"),
        ("rps", "right"),
        ("Lambda / month", "right"),
        ("Fargate / month", "right"),
        ("tasks", "right"),
        ("Fargate cheaper above", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    notes = Text()
    for b in rows:
        if b.note.startswith("not compared"):
            table.add_row(b.service, f"{b.rps:g}", "n/a", "n/a", "", Text(b.note, style="yellow"))
            continue
        above = f"{b.break_even_rps:,} rps" if b.break_even_rps is not None else "never (see note)"
        table.add_row(
            b.service, f"{b.rps:g}", usd(b.lambda_monthly), usd(b.fargate_monthly), str(b.fargate_tasks), above
        )
        if b.note:
            notes.append(f"  {b.service}: {b.note}\n", style="dim")
    sizes = sorted({b.size.describe() for b in rows})
    notes.append(
        f"Fargate: {'; '.join(sizes)}. The function alone, no free tier; load balancer, NAT and data "
        "transfer not counted. Assumptions: docs/cost.md.\n",
        style="dim",
    )
    return [table, notes]


def _footnotes(run: CostRun) -> Text:
    out = Text()
    if not run.complete:
        n = len(run.missing)
        out.append(f"Not priced ({n} line{'s' if n != 1 else ''}; the total is a lower bound):\n", style="bold red")
        for m in run.missing:
            out.append(f"  {m.describe()}\n", style="red")
    notes = assumptions(run)
    if notes:
        out.append("Assumptions:\n", style="bold")
        for service, item, text in notes:
            out.append(f"  {service}, {item}: {text}\n", style="dim")
    out.append("Not charged: " + "; ".join(NOT_CHARGED) + ".\n", style="dim")
    for use in _cache_uses(run):
        out.append(f"User price cache (slscheck prices update): {use}\n", style="cyan")
    return out


def _cache_uses(run: CostRun) -> list[str]:
    lines = [ln for s in run.scenarios for svc in s.report.services for ln in svc.lines]
    if not any(ln.source.endswith(" (user cache)") for ln in lines):
        return []
    from sls_check.pricing.cached import cache_uses, describe

    return [describe(u) for u in cache_uses(lines)]


def render(run: CostRun) -> Group:
    parts: list[RenderableType] = [_header(run)]
    if not run.complete:
        n = len(run.missing)
        parts.append(
            Text(
                f"INCOMPLETE: {n} line{'s' if n != 1 else ''} not priced; totals are lower bounds (listed below).\n",
                style="bold red",
            )
        )
    if run.several:
        parts += [_scenario_table(run), Text("")]
    else:
        parts += _service_tables(run.scenarios[0])
    parts += _break_even_table(run)
    parts.append(_footnotes(run))
    return Group(*parts)
