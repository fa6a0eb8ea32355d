"""`slscheck cost --format json|markdown`: the bill as data and as a pull-request comment.

    to_json(run)          -> dict   (the shape in docs/architecture.md; several rps values -> "scenarios")
    dumps(run)            -> str    (that JSON as text)
    render_markdown(run)  -> str    (GitHub-flavoured; every cell escaped)

The rich rendering is reporters.cost_text.
"""

from __future__ import annotations

import json
from typing import Any

from sls_check.model import NOT_CHARGED
from sls_check.reporters.escape import markdown_cell as cell
from sls_check.reporters.numbers import amount, cents, unit_price, usd
from sls_check.results import FREE_TIER_NOTE, TIERS_CROSSED, CostRun, Scenario

# --- JSON --------------------------------------------------------------------------------


def _scenario_json(s: Scenario) -> dict[str, Any]:
    data = s.report.to_json()  # currency, rps, total, complete, missing, free_tier, services, not_charged
    data["top"] = [{"service": c.service, "monthly": float(cents(c.monthly))} for c in s.report.top(3)]
    data["tiers_crossed"] = s.crossed
    data["break_even"] = [b.to_json() for b in s.break_even]
    return data


def to_json(run: CostRun) -> dict[str, Any]:
    """One rps: {"currency", "total", "services": [...], ...}; several: {"scenarios": [...]}."""
    if not run.several:
        data = _scenario_json(run.scenarios[0])
        data["region"] = run.region
        return data
    return {
        "currency": run.currency,
        "free_tier": run.free_tier,
        "region": run.region,
        "complete": run.complete,
        "missing": [m.to_json() for m in run.missing],
        "scenarios": [_scenario_json(s) for s in run.scenarios],
    }


def dumps(run: CostRun) -> str:
    """The JSON text: indented for one bill; one scenario per line for several (the indenting
    encoder is pure Python and would triple the run time of a 100-point sweep)."""
    data = to_json(run)
    if not run.several:
        return json.dumps(data, indent=2) + "\n"
    head = json.dumps({k: v for k, v in data.items() if k != "scenarios"})[:-1]
    body = ",\n  ".join(json.dumps(s) for s in data["scenarios"])
    return f'{head}, "scenarios": [\n  {body}\n]}}\n'


# --- Markdown ------------------------------------------------------------------------------


def render_markdown(run: CostRun) -> str:
    """The bill as GitHub-flavoured markdown (a PR comment or a file)."""
    out = [f"### slscheck cost: {cell(run.name or run.file)}", ""]
    out.append(
        f"Region {cell(run.region)}; {cell(run.workload)}; {FREE_TIER_NOTE[run.free_tier]}. "
        "Monthly, USD, 730-hour month."
    )
    out.append("")
    if not run.complete:
        n = len(run.missing)
        out.append(
            f"> **Incomplete bill: {n} line{'s' if n != 1 else ''} not priced** (no price in the tables); "
            "every total below is a lower bound. The lines are listed under *Not priced*."
        )
        out.append("")
    if run.several:
        out += ["| rps | total / month | biggest contributors | price tiers crossed |", "|---:|---:|---|---|"]
        for s in run.scenarios:
            top = ", ".join(f"{c.service} {usd(c.monthly)}" for c in s.report.top(3)) or "-"
            out.append(f"| {s.rps:g} | {cell(total_cell(s))} | {cell(top)} | {cell('; '.join(s.crossed)) or '-'} |")
        out += ["", f"<sub>{cell(TIERS_CROSSED)}</sub>", ""]
    else:
        s = run.scenarios[0]
        out += [
            "| service | type | item | quantity | unit | unit price | monthly |",
            "|---|---|---|---:|---|---:|---:|",
        ]
        for svc in s.report.services:
            for ln in svc.lines:
                if ln.priced:
                    price, monthly = unit_price(ln.unit_price), usd(ln.monthly)
                else:
                    price, monthly = "not priced", f"not priced: {ln.missing}"
                out.append(
                    f"| {cell(svc.service)} | {svc.type} | {cell(ln.item)} | {amount(ln.quantity)} | "
                    f"{cell(ln.unit)} | {price} | {cell(monthly)} |"
                )
            if not svc.lines:
                out.append(f"| {cell(svc.service)} | {svc.type} | (no billable usage) | | | | $0.00 |")
        out.append(f"| **total** | | | | | | **{cell(total_cell(s))}** |")
        out.append("")
    rows = run.scenarios[-1].break_even
    if rows:
        out += [
            "Lambda vs always-on Fargate (see docs/cost.md for the assumptions):",
            "",
            "| function | rps | Lambda / month | Fargate / month | tasks | Fargate cheaper above |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for b in rows:
            above = f"{b.break_even_rps:,} rps" if b.break_even_rps is not None else "never"
            out.append(
                f"| {cell(b.service)} | {b.rps:g} | {usd(b.lambda_monthly)} | {usd(b.fargate_monthly)} | "
                f"{b.fargate_tasks} | {cell(above if not b.note.startswith('not compared') else b.note)} |"
            )
        out.append("")
    unconfirmed = sorted(
        {
            ln.source
            for s in run.scenarios
            for svc in s.report.services
            for ln in svc.lines
            if "not confirmed" in ln.note
        }
    )
    if unconfirmed:
        out.append(f"Prices not confirmed at an AWS source: {', '.join(f'`{u}`' for u in unconfirmed)}.")
        out.append("")
    if not run.complete:
        out.append(f"Not priced ({len(run.missing)}):")
        out.append("")
        out += [f"- {cell(m.describe())}" for m in run.missing]
        out.append("")
    notes = assumptions(run)
    if notes:
        out.append("Assumptions:")
        out.append("")
        out += [f"- {cell(service)}, {cell(item)}: {cell(text)}" for service, item, text in notes]
        out.append("")
    out.append(f"Not charged: {cell('; '.join(NOT_CHARGED))}.")
    out.append("")
    lines = [ln for s in run.scenarios for svc in s.report.services for ln in svc.lines]
    if any(ln.source.endswith(" (user cache)") for ln in lines):
        from sls_check.pricing.cached import cache_uses, describe

        out += [f"User price cache (`slscheck prices update`): {cell(describe(u))}." for u in cache_uses(lines)]
        out.append("")
    return "\n".join(out)


def total_cell(s: Scenario) -> str:
    """$12.34, or "at least $12.34 (3 lines not priced)"."""
    if s.report.complete:
        return usd(s.total)
    n = len(s.report.missing)
    return f"at least {usd(s.total)} ({n} line{'s' if n != 1 else ''} not priced)"


def assumptions(run: CostRun) -> list[tuple[str, str, str]]:
    """(service, line, assumption) for every line that rests on one, in bill order, without repeats."""
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    for s in run.scenarios:
        for svc in s.report.services:
            for ln in svc.lines:
                if ln.assumption:
                    item = ln.item.split(" (tier ")[0].removesuffix(" (free tier)")
                    seen.setdefault((svc.service, ln.assumption), (svc.service, item, ln.assumption))
    return list(seen.values())
