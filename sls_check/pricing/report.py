"""The cost of one spec at one or several traffic levels: the data behind `slscheck cost`.

    cost(path, rps=[10, 100], region=None, free_tier=False) -> CostRun   (the library entry point)
    run_cost(spec, ...)   -> CostRun (from a checked spec)
    to_json(run)          -> dict   (the shape in DESIGN.md; several rps values -> "scenarios")
    dumps(run)            -> str    (that JSON as text)
    render_markdown(run)  -> str    (also used for pull-request comments)

No printing here; the CLI and the text reporter do that.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sls_check.build import build_graph
from sls_check.graph import ServiceGraph
from sls_check.loader import load_file
from sls_check.model import InputError, Location, MissingPrice, Problem
from sls_check.pricing.breakeven import BreakEven, compare
from sls_check.pricing.engine import CostReport, PricingErrors, money, price_graph, pricing_region
from sls_check.pricing.tables import PriceMissing, PricingError, load_table
from sls_check.spec import Spec, check_spec

FREE_TIER_NOTE = {
    "none": "free tier not applied (--no-free-tier, the default)",
    "always": "always-free allowances applied once for the whole spec (--free-tier)",
    "all": "always-free and 12-month new-account allowances applied",
}


@dataclass
class Scenario:
    rps: float | None  # entry rps; None when the spec's own workload (or no traffic) was used
    report: CostReport
    break_even: list[BreakEven] = field(default_factory=list)
    crossed: list[str] = field(default_factory=list)  # price tiers first reached in this scenario

    @property
    def total(self) -> Decimal:
        return self.report.total


@dataclass
class CostRun:
    file: str
    name: str
    region: str  # region prices were looked up in (services that pin their own keep it)
    free_tier: str
    scenarios: list[Scenario]
    several: bool  # several --rps values were asked for
    workload: str  # how the traffic was set, for the header

    @property
    def currency(self) -> str:
        return self.scenarios[0].report.currency if self.scenarios else "USD"

    @property
    def complete(self) -> bool:
        """Every line of every scenario priced."""
        return all(s.report.complete for s in self.scenarios)

    @property
    def missing(self) -> list[MissingPrice]:
        """The distinct lines not priced, over all scenarios (service, item, dimension, Region)."""
        seen: dict[tuple[str, str, str, str], MissingPrice] = {}
        for s in self.scenarios:
            for m in s.report.missing:
                seen.setdefault((m.service, m.item, m.dimension, m.region), m)
        return list(seen.values())


def _workload_text(spec_workload: dict[str, Any], rps: float | None) -> str:
    if rps is not None:
        return f"{rps:g} rps at each entry point (--rps)"
    if "rps" in spec_workload:
        return f"{spec_workload['rps']:g} rps at each entry point (workload.rps)"
    if "monthly_requests" in spec_workload:
        return f"{spec_workload['monthly_requests']:,.0f} requests a month at each entry point (workload)"
    return "no workload in the spec and no --rps: services priced at their pinned rates only"


def _problems(spec: Spec, err: PricingError) -> list[Problem]:
    out: list[Problem] = []
    for p in err.problems if isinstance(err, PricingErrors) else [err]:
        service = getattr(p, "service", "")
        if service and service in (spec.data.get("services") or {}):
            loc = spec.locate(("services", service), key=True)
        else:
            loc = Location(spec.file, 1, 1)
        message = str(p)
        if isinstance(p, PriceMissing):
            known = load_table(p.table).regions_with(p.dimension)
            if known:
                message += f"; priced regions: {', '.join(known)}"
        out.append(Problem(loc, message))
    return out


def _graph_price(g: ServiceGraph) -> Decimal:
    report = price_graph(g, free_tier="none")
    if not report.complete:  # a lower bound cannot be compared
        raise PricingError(
            "; ".join(sorted({f"no price for {m.table} {m.dimension} in {m.region}" for m in report.missing}))
        )
    return report.total


def _alone(report: CostReport, sid: str) -> Decimal | None:
    """A function's line of the bill is its cost alone when no free tier was applied and none of its
    prices went past the first volume tier (tiers pool usage across functions)."""
    if report.free_tier != "none":
        return None
    for svc in report.services:
        if svc.service == sid:
            if not svc.complete:
                return None
            if any("[tier " in ln.source and not ln.source.endswith("[tier 1]") for ln in svc.lines):
                return None
            return svc.monthly
    return None


def _break_even(
    graph: ServiceGraph,
    region: str | None,
    options: Mapping[str, Any] | None,
    cache: dict[tuple[str, str], Any],
    report: CostReport,
) -> list[BreakEven]:
    out: list[BreakEven] = []
    for sid, svc in graph.services.items():
        if svc.type != "lambda" or graph.is_lambda_at_edge(sid):
            continue
        svc_region = pricing_region(graph, svc, region)
        try:
            out.append(
                compare(
                    graph, sid, svc_region, options=options, price=_graph_price, cache=cache, known=_alone(report, sid)
                )
            )
        except PricingError as exc:
            from sls_check.pricing.breakeven import fargate_size

            out.append(
                BreakEven(
                    sid,
                    svc_region,
                    graph.traffic[sid].rps if sid in graph.traffic else 0.0,
                    None,
                    None,
                    0,
                    None,
                    fargate_size(svc, options),
                    f"not compared: {str(exc).splitlines()[0]}",
                )
            )
    return out


def _tier_names(report: CostReport, before: dict[str, int]) -> list[str]:
    out = []
    for ref, tier in sorted(report.tiers.items()):
        if tier > before.get(ref, 1):
            table, region, dim = ref.split(".", 2)
            out.append(f"{table} {dim} ({region}) tier {tier}")
    return out


def run_cost(
    spec: Spec,
    *,
    rps: list[float] | None = None,
    region: str | None = None,
    free_tier: bool | str = False,
    fargate: Mapping[str, Any] | None = None,
    break_even: bool = True,
) -> CostRun:
    """Price the spec once per rps value (or once at its own workload). A price missing for a Region
    leaves the line not priced and the bill incomplete (report.missing); InputError (file:line:col
    lines) only for usage too large to price or a broken price table."""
    rates: list[float | None] = list(rps) if rps else [None]
    scenarios: list[Scenario] = []
    mode = "none"
    seen_tiers: dict[str, int] = {}
    cache: dict[tuple[str, str], Any] = {}
    for rate in rates:
        graph = build_graph(spec, rps=rate)
        try:
            report = price_graph(graph, region=region, free_tier=free_tier, rps=rate)
        except PricingError as err:
            raise InputError(_problems(spec, err)) from None
        mode = report.free_tier
        crossed = _tier_names(report, seen_tiers)
        for ref, tier in report.tiers.items():
            seen_tiers[ref] = max(seen_tiers.get(ref, 1), tier)
        rows = _break_even(graph, region, fargate, cache, report) if break_even else []
        scenarios.append(Scenario(rate, report, rows, crossed))
    workload = spec.data.get("workload") or {}
    return CostRun(
        spec.file,
        str(spec.data.get("name", "")),
        region or str(spec.data.get("region", "")),
        mode,
        scenarios,
        several=len(rates) > 1,
        workload=_workload_text(workload, rates[0])
        if len(rates) == 1
        else f"{', '.join(f'{r:g}' for r in rates if r is not None)} rps at each entry point (--rps)",
    )


def cost(
    path: Path,
    *,
    rps: list[float] | None = None,
    region: str | None = None,
    free_tier: bool | str = False,
    fargate: Mapping[str, Any] | None = None,
) -> CostRun:
    """Load, check and price one spec file; raises InputError for bad input (a missing price is not one:
    the bill is then incomplete, see CostRun.complete)."""
    return run_cost(check_spec(load_file(path)), rps=rps, region=region, free_tier=free_tier, fargate=fargate)


# --- JSON --------------------------------------------------------------------------------


def _scenario_json(s: Scenario) -> dict[str, Any]:
    data = s.report.to_json()  # currency, rps, total, free_tier, services
    data["top"] = [{"service": c.service, "monthly": float(money(c.monthly))} for c in s.report.top(3)]
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


def _usd(value: Decimal | None) -> str:
    return "n/a" if value is None else f"${money(value):,.2f}"


def _qty(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:.2e}"


def _price(value: Decimal) -> str:
    if value == value.quantize(Decimal("0.01")):
        return f"${value:,.2f}"
    return f"${value.normalize():f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(run: CostRun) -> str:
    """The bill as GitHub-flavoured markdown (a PR comment or a file)."""
    out = [f"### slscheck cost: {_cell(run.name or run.file)}", ""]
    out.append(f"Region {run.region}; {run.workload}; {FREE_TIER_NOTE[run.free_tier]}. Monthly, USD, 730-hour month.")
    out.append("")
    if run.several:
        out += ["| rps | total / month | biggest contributors | price tiers crossed |", "|---:|---:|---|---|"]
        for s in run.scenarios:
            top = ", ".join(f"{c.service} {_usd(c.monthly)}" for c in s.report.top(3)) or "-"
            out.append(f"| {s.rps:g} | {_usd(s.total)} | {_cell(top)} | {_cell('; '.join(s.crossed)) or '-'} |")
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
                    f"| {svc.service} | {svc.type} | {_cell(ln.item)} | {_qty(ln.quantity)} | "
                    f"{_cell(ln.unit)} | {_price(ln.unit_price)} | {_usd(ln.monthly)} |"
                )
            if not svc.lines:
                out.append(f"| {svc.service} | {svc.type} | (no billable usage) | | | | $0.00 |")
        out.append(f"| **total** | | | | | | **{_usd(s.total)}** |")
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
                f"| {b.service} | {b.rps:g} | {_usd(b.lambda_monthly)} | {_usd(b.fargate_monthly)} | "
                f"{b.fargate_tasks} | {_cell(above if not b.note.startswith('not compared') else b.note)} |"
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
