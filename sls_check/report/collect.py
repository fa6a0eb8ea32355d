"""What `slscheck report` shows, as values: findings, the bill at the workload and across a traffic
sweep, Lambda vs Fargate per function, quota headroom and walls, and the sources of every figure.

Everything here comes from the library entry points (sls_check.api: validate, cost, limits) so
that the page shows the same numbers as `cost --format json` and `limits --format json`. No
plotting library is imported here; sls_check.report.charts draws from these values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sls_check import api
from sls_check.model import Finding, InputError
from sls_check.pricing.report import run_cost
from sls_check.reporters.cost import to_json as cost_json
from sls_check.reporters.numbers import usd
from sls_check.results import Analysis, CostRun, LimitsResult

if TYPE_CHECKING:
    from sls_check.config import Config

DEFAULT_RANGE = (0.1, 10_000.0)
POINTS_PER_DECADE = 8


def sweep_rates(lo: float, hi: float, per_decade: int = POINTS_PER_DECADE) -> list[float]:
    """Log-spaced entry rates from lo to hi (both included), rounded to 4 significant figures so the
    same values can be given to `slscheck cost --rps` and give the same bills."""
    if not (0 < lo < hi) or math.isinf(hi):
        raise ValueError("the range must be 0 < LO < HI")
    steps = max(2, math.ceil(math.log10(hi / lo) * per_decade))
    out: list[float] = []
    for i in range(steps + 1):
        x = float(f"{lo * (hi / lo) ** (i / steps):.4g}")
        if not out or x > out[-1]:
            out.append(x)
    out[0], out[-1] = lo, hi
    return out


@dataclass
class Source:
    """Where one price or quota figure was read, and whether it was confirmed there."""

    kind: str  # "price" or "quota"
    ref: str  # price-table entry (table.region.dimension[tier n]) or quota name
    title: str
    url: str
    seen: str
    confirmed: bool
    via: str = ""  # how the address was read (a stored copy, a dump of the Price List)
    note: str = ""


@dataclass
class SpecReport:
    file: str
    name: str
    region: str
    analysis: Analysis
    findings: list[Finding]
    suppressed: list[Finding]
    rates: list[float]
    bill: CostRun | None = None  # at the spec's workload (or --rps)
    sweep: CostRun | None = None  # at every rate of `rates`
    cost_problems: list[str] = field(default_factory=list)
    limits: LimitsResult | None = None
    limits_problems: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def entry_rps(self) -> float:
        return self.analysis.graph.entry_rps

    def cost_data(self) -> dict[str, Any]:
        """The bill at the workload and the sweep, in `cost --format json`'s shape."""
        out: dict[str, Any] = {}
        if self.bill is not None:
            out["workload"] = cost_json(self.bill)
        if self.sweep is not None:
            out["sweep"] = cost_json(self.sweep)
        if self.cost_problems:
            out["problems"] = self.cost_problems
        return out

    def limits_data(self) -> dict[str, Any]:
        from sls_check.reporters.limits import rows_json

        if self.limits is None:
            return {"problems": self.limits_problems}
        return rows_json(self.limits.rows, self.limits.ceiling)

    def to_json(self) -> dict[str, Any]:
        """The numbers the charts draw (the page carries them in a JSON block for tests and scripts)."""
        return {
            "file": self.file,
            "name": self.name,
            "region": self.region,
            "entry_rps": self.entry_rps,
            "entry_peak_rps": self.analysis.graph.entry_peak_rps,
            "rates": self.rates,
            "findings": [f.to_json() for f in self.findings],
            "cost": self.cost_data(),
            "limits": self.limits_data(),
            "sources": [s.__dict__ for s in self.sources],
        }


def _lines(err: InputError) -> list[str]:
    return [str(p) for p in err.problems]


def collect(
    path: Path,
    *,
    rps: float | None = None,
    peak_rps: float | None = None,
    rate_range: tuple[float, float] = DEFAULT_RANGE,
    region: str | None = None,
    free_tier: bool | str = False,
    fargate: Mapping[str, Any] | None = None,
    config: Config | None = None,
    extra_rules: list[Path] | None = None,
    overlay: Path | None = None,
    today: Any = None,
) -> SpecReport:
    """Everything the page of one spec shows. Raises InputError when the spec cannot be read at all;
    a bill or a quota model that fails is kept as its problem lines and shown on the page."""
    report = api.validate(
        [path], rps=rps, peak_rps=peak_rps, today=today, config=config, extra_rules=extra_rules, overlay=overlay
    )
    if report.problems:
        raise InputError(report.problems)
    analysis = api.load(path, rps=rps, peak_rps=peak_rps, overlay=overlay)
    result = next(r for r in report.results if r.graph is not None)
    spec = analysis.spec
    rates = sweep_rates(*rate_range)
    out = SpecReport(
        spec.file,
        str(spec.data.get("name", "")),
        str(spec.data.get("region", "")),
        analysis,
        sorted(result.findings, key=lambda f: (f.service, f.sort_key())),
        result.suppressed,
        rates,
    )
    try:
        out.bill = run_cost(
            spec, rps=[rps] if rps is not None else None, region=region, free_tier=free_tier, fargate=fargate
        )
        out.sweep = run_cost(spec, rps=rates, region=region, free_tier=free_tier, fargate=fargate)
    except InputError as err:
        out.cost_problems = _lines(err)
    try:
        out.limits = api.limits(path, rps=rps, peak_rps=peak_rps, ceiling=True, overlay=overlay)
    except InputError as err:
        out.limits_problems = _lines(err)
    out.sources = sources(out)
    return out


def _price_sources(runs: list[CostRun]) -> list[Source]:
    from sls_check.pricing.tables import PriceEntry, PricingError, load_table
    from sls_check.pricing.tables import Source as PriceSource

    refs = sorted(
        {
            ln.source
            for run in runs
            for s in run.scenarios
            for svc in s.report.services
            for ln in svc.lines
            if ln.source and ln.priced
        }
    )
    out: list[Source] = []
    for ref in refs:
        base, _, tier_text = ref.partition("[tier ")
        table_name, _, rest = base.partition(".")
        region, _, dim = rest.partition(".")
        try:
            table = load_table(table_name)
        except PricingError:
            continue
        # the table's own lookup: the Region file's entry and sources (a Region file carries its own
        # `sources`), else the table's global entry; reads only the Region asked for
        entry = table.lookup(dim, region)
        if not isinstance(entry, PriceEntry):
            continue
        tier = entry.tiers[int(tier_text.rstrip("]")) - 1] if tier_text else entry.tiers[0]
        try:
            src: PriceSource | None = table.source(entry, tier.source)
        except KeyError:
            src = None
        title = f"{table.title}: {dim} ({region}), {tier.price} USD per {entry.unit}"
        out.append(
            Source(
                "price",
                ref,
                title,
                src.url if src else "",
                src.seen if src else "",
                tier.confirmed,
                src.via if src else "",
                entry.note,
            )
        )
    return out


def _quota_sources(result: LimitsResult | None) -> list[Source]:
    if result is None:
        return []
    from sls_check.limits import load_catalog

    catalog = load_catalog()
    out: list[Source] = []
    for name in sorted({r.quota for r in result.rows}):
        q = catalog.quotas.get(name)
        rows = [r for r in result.rows if r.quota == name]
        if q is None:  # a limit set by a spec key (a throttle, a reserved concurrency)
            out.append(
                Source("quota", name, f"{name} (set in the spec)", rows[0].docs, "", all(r.confirmed for r in rows))
            )
            continue
        out.append(Source("quota", name, q.title, q.docs, q.checked, q.confirmed, "", q.note))
    return out


def sources(report: SpecReport) -> list[Source]:
    runs = [r for r in (report.bill, report.sweep) if r is not None]
    return _price_sources(runs) + _quota_sources(report.limits)


def money(value: Decimal | float | None) -> str:
    return usd(value)
