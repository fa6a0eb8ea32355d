"""`slscheck cost --format json|markdown`: the bill as data and as a pull-request comment.

    to_json(run)          -> dict   (the shape in docs/architecture.md; several rps values -> "scenarios")
    dumps(run)            -> str    (that JSON as text)
    render_markdown(run)  -> str    (GitHub-flavoured; every cell escaped)

The rich rendering is reporters.cost_text.
"""

from __future__ import annotations

import json
from typing import Any

from sls_check.reporters.escape import markdown_cell as cell
from sls_check.reporters.numbers import amount, cents, unit_price, usd
from sls_check.results import FREE_TIER_NOTE, CostRun, Scenario

# --- JSON --------------------------------------------------------------------------------


def _scenario_json(s: Scenario) -> dict[str, Any]:
    data = s.report.to_json()  # currency, rps, total, free_tier, services
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
    if run.several:
        out += ["| rps | total / month | biggest contributors | price tiers crossed |", "|---:|---:|---|---|"]
        for s in run.scenarios:
            top = ", ".join(f"{c.service} {usd(c.monthly)}" for c in s.report.top(3)) or "-"
            out.append(f"| {s.rps:g} | {usd(s.total)} | {cell(top)} | {cell('; '.join(s.crossed)) or '-'} |")
        out.append("")
    else:
        s = run.scenarios[0]
        out += [
            "| service | type | item | quantity | unit | unit price | monthly |",
            "|---|---|---|---:|---|---:|---:|",
        ]
        for svc in s.report.services:
            for ln in svc.lines:
                out.append(
                    f"| {cell(svc.service)} | {svc.type} | {cell(ln.item)} | {amount(ln.quantity)} | "
                    f"{cell(ln.unit)} | {unit_price(ln.unit_price)} | {usd(ln.monthly)} |"
                )
            if not svc.lines:
                out.append(f"| {cell(svc.service)} | {svc.type} | (no billable usage) | | | | $0.00 |")
        out.append(f"| **total** | | | | | | **{usd(s.total)}** |")
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
    return "\n".join(out)
