"""The values the library entry points return, for the reporters to render.

    Analysis          a checked spec and its service graph with traffic (api.load)
    FileResult        the findings of one file; ValidationReport: of a run (api.validate)
    LimitsResult      quota rows and the ceiling (api.limits)
    Scenario, CostRun the bill at one or several traffic levels (api.cost)
    Diff              two versions of a spec compared (sls_check.diff.compare)

Below the entry points and the reporters: reporters import these types, never `api`, so
importing a reporter does not pull in the loader, the graph builder or the rule engine.
Engine types appear only in annotations (imported under TYPE_CHECKING).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sls_check.model import Finding, MissingPrice, Problem, Severity
from sls_check.reporters.numbers import cents

if TYPE_CHECKING:
    from sls_check.graph import ServiceGraph
    from sls_check.limits.ceiling import Ceiling
    from sls_check.limits.rows import Row
    from sls_check.pricing.breakeven import BreakEven
    from sls_check.pricing.engine import CostReport
    from sls_check.rules_engine.packs import RuleSet
    from sls_check.spec import Spec


@dataclass
class Analysis:
    spec: Spec
    graph: ServiceGraph

    @property
    def has_traffic(self) -> bool:
        return self.graph.entry_rps > 0 or any(t.rps > 0 for t in self.graph.traffic.values())


# ---- validate ------------------------------------------------------------------------------------


@dataclass
class FileResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    # The checked spec's graph with its traffic (for reporters that show services, cost or headroom).
    graph: ServiceGraph | None = field(default=None, repr=False, compare=False)
    # Templates of this result whose Region was assumed (the run notes them once, for all results).
    region_assumed: list[str] = field(default_factory=list, repr=False, compare=False)


@dataclass
class ValidationReport:
    results: list[FileResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # files that could not be checked
    # The rules the run used (SARIF rule metadata, JUnit test cases per rule); None when not known.
    ruleset: RuleSet | None = field(default=None, repr=False, compare=False)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for r in self.results for f in r.suppressed]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.results) + len({p.location.file for p in self.problems}),
            "checked": len(self.results),
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "suppressed": len(self.suppressed),
            "input_problems": len(self.problems),
        }


# ---- limits --------------------------------------------------------------------------------------


@dataclass
class LimitsResult:
    """`slscheck limits`: the rows at the spec's traffic (worst first) and, when asked, the ceiling."""

    analysis: Analysis
    rows: list[Row]
    ceiling: Ceiling | None = None


# ---- cost ----------------------------------------------------------------------------------------

FREE_TIER_NOTE = {
    "none": "free tier not applied (--no-free-tier, the default)",
    "always": "always-free allowances applied once for the whole spec (--free-tier)",
    "all": "always-free and 12-month new-account allowances applied",
}


# The legend of the multi-scenario "price tiers crossed" column, the same in text and Markdown.
TIERS_CROSSED = (
    "price tiers crossed: the price tiers a rate's bill reaches that the next lower rate's does not "
    "(a tier reached at a lower rate is not named again; a dash: none new)."
)


@dataclass
class Scenario:
    rps: float | None  # entry rps; None when the spec's own workload (or no traffic) was used
    report: CostReport
    break_even: list[BreakEven] = field(default_factory=list)
    crossed: list[str] = field(default_factory=list)  # price tiers first reached in this scenario (TIERS_CROSSED)

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


# ---- diff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceDelta:
    service: str
    type: str
    old: Decimal | None  # None: the service is not in that version
    new: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.new or Decimal(0)) - (self.old or Decimal(0))


@dataclass(frozen=True)
class HeadroomDelta:
    service: str
    quota: str
    unit: str
    old: float | None  # per cent of the limit left; None: no such row in that version
    new: float | None
    old_status: str | None
    new_status: str | None
    title: str = ""  # the quota's human name ("Concurrent executions (account, per Region)")


@dataclass
class Diff:
    old_file: str
    new_file: str
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    unchanged: int = 0
    old_cost: Decimal | None = None
    new_cost: Decimal | None = None
    cost_notes: list[str] = field(default_factory=list)
    # lines not priced in either version, left out of both totals: "old"/"new" -> descriptions
    cost_left_out: list[str] = field(default_factory=list)
    services: list[ServiceDelta] = field(default_factory=list)
    headroom: list[HeadroomDelta] = field(default_factory=list)
    headroom_notes: list[str] = field(default_factory=list)

    @property
    def cost_delta(self) -> Decimal | None:
        if self.old_cost is None or self.new_cost is None:
            return None
        return self.new_cost - self.old_cost

    @property
    def cost_percent(self) -> float | None:
        delta = self.cost_delta
        if delta is None or not self.old_cost:
            return None
        return float(delta / self.old_cost * 100)

    def worst_added(self) -> Severity | None:
        return max((f.severity for f in self.added), default=None)

    def to_json(self) -> dict[str, Any]:
        def money(x: Decimal | None) -> float | None:
            return None if x is None else float(cents(x))

        return {
            "old": self.old_file,
            "new": self.new_file,
            "findings": {
                "added": [f.to_json() for f in self.added],
                "removed": [f.to_json() for f in self.removed],
                "unchanged": self.unchanged,
            },
            "cost": {
                "currency": "USD",
                "old": money(self.old_cost),
                "new": money(self.new_cost),
                "delta": money(self.cost_delta),
                "percent": None if self.cost_percent is None else round(self.cost_percent, 1),
                "services": [
                    {
                        "service": s.service,
                        "type": s.type,
                        "old": money(s.old),
                        "new": money(s.new),
                        "delta": money(s.delta),
                    }
                    for s in self.services
                ],
                "notes": self.cost_notes,
                "complete": not self.cost_left_out,
                "left_out": self.cost_left_out,
            },
            "headroom": {
                "changes": [
                    {
                        "service": h.service,
                        "quota": h.quota,
                        "unit": h.unit,
                        "old": h.old,
                        "new": h.new,
                        "old_status": h.old_status,
                        "new_status": h.new_status,
                    }
                    for h in self.headroom
                ],
                "notes": self.headroom_notes,
            },
        }
