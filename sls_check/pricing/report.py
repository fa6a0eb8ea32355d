"""The cost of one checked spec at one or several traffic levels: the data behind `slscheck cost`.

    run_cost(spec, rps=[10, 100], region=None, free_tier=False) -> CostRun (sls_check.results)

The library entry point is `api.cost` (it loads and checks the file through `api.load`'s path);
the renderings are sls_check.reporters.cost (JSON, Markdown) and reporters.cost_text (rich).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sls_check.build import build_graph
from sls_check.graph import ServiceGraph
from sls_check.model import InputError, Location, Problem
from sls_check.pricing.breakeven import BreakEven, compare
from sls_check.pricing.engine import CostReport, PricingErrors, price_graph, pricing_region
from sls_check.pricing.tables import PriceMissing, PricingError, load_table
from sls_check.results import CostRun, Scenario
from sls_check.spec import Spec


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


def _alone(report: CostReport, sid: str, by_id: dict[str, Any] | None = None) -> Decimal | None:
    """A function's line of the bill is its cost alone when no free tier was applied and none of its
    prices went past the first volume tier (tiers pool usage across functions)."""
    if report.free_tier != "none":
        return None
    svc = (by_id or {s.service: s for s in report.services}).get(sid)
    if svc is None or not svc.complete:
        return None
    if any("[tier " in ln.source and not ln.source.endswith("[tier 1]") for ln in svc.lines):
        return None
    return svc.monthly  # type: ignore[no-any-return]


def _break_even(
    graph: ServiceGraph,
    region: str | None,
    options: Mapping[str, Any] | None,
    cache: dict[tuple[str, str], Any],
    report: CostReport,
) -> list[BreakEven]:
    out: list[BreakEven] = []
    by_id = {s.service: s for s in report.services}  # one lookup per function, not a scan of the bill
    for sid, svc in graph.services.items():
        if svc.type != "lambda" or graph.is_lambda_at_edge(sid):
            continue
        svc_region = pricing_region(graph, svc, region)
        try:
            out.append(
                compare(
                    graph,
                    sid,
                    svc_region,
                    options=options,
                    price=_graph_price,
                    cache=cache,
                    known=_alone(report, sid, by_id),
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
    leaves the line not priced and the bill incomplete (report.missing). Raises InputError
    (file:line:col lines) only for usage too large to price or a broken price table."""
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
