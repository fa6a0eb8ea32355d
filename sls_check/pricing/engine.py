"""The pricing engine: usage from every service, priced once across the whole graph.

Free tiers are account allowances: each is applied once, shared by every usage of the
dimensions it covers (in proportion to their size), before any volume tier. Volume tiers
apply to the aggregate of a dimension in a region (e.g. all arm64 Lambda GB-seconds), and
each service's share of every tier becomes its own cost line, at the table's own price.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sls_check.graph import Service, ServiceGraph, Traffic
from sls_check.model import CostLine, ServiceCost
from sls_check.pricing.models import MODELS, Usage
from sls_check.pricing.tables import PriceEntry, PriceMissing, PricingError, Tier, load_table

CENT = Decimal("0.01")
FREE_TIER_MODES = ("none", "always", "all")  # all = always-free plus 12-month new-account offers


class PricingErrors(PricingError):
    """Every missing price at once, so one run shows them all."""

    def __init__(self, problems: list[PricingError]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# Monthly usage of one line in the table's base unit (requests, GB-seconds, ...) beyond which the
# spec's numbers are not a bill but an overflow: Decimal arithmetic and rounding to cents stay exact
# below it (28 digits), and no AWS account comes within orders of magnitude of it.
MAX_QUANTITY = Decimal("1e18")


class TooLarge(PricingError):
    """A spec's numbers (traffic, sizes, counts) make a usage too large to price."""

    def __init__(self, service: str, detail: str):
        self.service = service
        super().__init__(
            f"service {service!r}: {detail} is too large to price; check the traffic, "
            "calls, reads/writes and sizes that lead to it"
        )


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class CostReport:
    services: list[ServiceCost]
    free_tier: str = "none"
    region: str | None = None
    rps: float | None = None
    # "table.region.dimension" -> highest volume tier reached (1-based), for tiered prices only
    tiers: dict[str, int] = field(default_factory=dict)
    currency: str = "USD"

    @property
    def total(self) -> Decimal:
        return sum((s.monthly for s in self.services), Decimal(0))

    def top(self, n: int = 3) -> list[ServiceCost]:
        ranked = sorted(self.services, key=lambda s: (-s.monthly, s.service))
        return [s for s in ranked[:n] if s.monthly > 0]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"currency": self.currency}
        if self.rps is not None:
            out["rps"] = self.rps
        out["total"] = float(money(self.total))
        out["free_tier"] = self.free_tier
        out["services"] = [service_json(s) for s in self.services]
        return out


def service_json(s: ServiceCost) -> dict[str, Any]:
    return {
        "service": s.service,
        "type": s.type,
        "monthly": float(money(s.monthly)),
        "lines": [line.to_json() for line in s.lines],
    }


def pricing_region(graph: ServiceGraph, svc: Service, region: str | None) -> str:
    """Where a service is priced: `region` (the --region override) replaces the spec's region;
    a service pinned to another region (an ACM certificate in us-east-1) keeps its own."""
    if region and (not svc.get("region") or svc.region == graph.region):
        return region
    return svc.region


def price_graph(
    graph: ServiceGraph,
    *,
    region: str | None = None,
    free_tier: str | bool = "none",
    rps: float | None = None,
) -> CostReport:
    """The monthly bill of every service in the graph at the traffic already flowed into it.

    region: price every service of the spec's region there instead (None: the spec's); services
    pinned to another region keep theirs (see pricing_region).
    free_tier: "none", "always" (always-free allowances) or "all" (plus 12-month offers);
    True means "always", False "none". Raises PricingErrors naming every missing price.
    """
    mode = ("always" if free_tier else "none") if isinstance(free_tier, bool) else free_tier
    if mode not in FREE_TIER_MODES:
        raise ValueError(f"free_tier must be one of {', '.join(FREE_TIER_MODES)}")

    problems: list[PricingError] = []
    priced: list[tuple[str, str, list[tuple[Usage, PriceEntry]]]] = []
    for sid, svc in graph.services.items():
        model = MODELS.get(svc.type)
        if model is None:
            problems.append(PricingError(f"service {sid!r}: no cost model for type {svc.type!r}"))
            continue
        svc_region = pricing_region(graph, svc, region)
        items: list[tuple[Usage, PriceEntry]] = []
        try:
            usages = list(model(svc, graph.traffic.get(sid) or Traffic(), graph, svc_region))
        except ArithmeticError:  # Decimal overflow or rounding of an absurd number
            problems.append(TooLarge(sid, "its monthly usage"))
            continue
        for usage in usages:
            if usage.quantity <= 0:
                continue
            if not usage.quantity < MAX_QUANTITY:
                problems.append(TooLarge(sid, f"{usage.item} ({usage.quantity:.3g} a month)"))
                continue
            try:
                items.append((usage, load_table(usage.table).entry(usage.dimension, usage.region, sid)))
            except PricingError as exc:
                problems.append(exc)
        priced.append((sid, svc.type, items))
    if problems:
        raise PricingErrors(problems)

    pools: dict[str, Decimal] = {}
    for _, _, items in priced:
        for usage, entry in items:
            pools[entry.ref] = pools.get(entry.ref, Decimal(0)) + usage.quantity
    entries = {entry.ref: entry for _, _, items in priced for _, entry in items}
    free = _free_allowances(entries, pools, mode)

    users: dict[str, list[str]] = {}
    for sid, _, items in priced:
        for _, entry in items:
            users.setdefault(entry.ref, []).append(sid)
    segments: dict[str, list[tuple[int, Decimal, Tier]]] = {}
    tiers_reached: dict[str, int] = {}
    for ref, total in pools.items():
        entry = entries[ref]
        segments[ref] = _tier_segments(entry, free.get(ref, (Decimal(0), ""))[0], total, problems, users[ref])
        if entry.tiered:
            tiers_reached[ref] = max((i + 1 for i, q, _ in segments[ref] if q > 0), default=1)
    if problems:
        raise PricingErrors(problems)

    services: list[ServiceCost] = []
    for sid, svc_type, items in priced:
        cost = ServiceCost(sid, svc_type)
        for usage, entry in items:
            ref = entry.ref
            cost.lines.extend(_lines(usage, entry, pools[ref], free.get(ref), segments[ref]))
        services.append(cost)
    return CostReport(services, mode, region, rps, tiers_reached)


def _free_allowances(
    entries: dict[str, PriceEntry], pools: dict[str, Decimal], mode: str
) -> dict[str, tuple[Decimal, str]]:
    """pool ref -> (free base units, allowance ref). One allowance, shared pro rata."""
    if mode == "none":
        return {}
    kinds = {"always"} if mode == "always" else {"always", "12_months"}
    out: dict[str, tuple[Decimal, str]] = {}
    for table in sorted({e.table for e in entries.values()}):
        for allowance in load_table(table).free_tier.values():
            if allowance.kind not in kinds:
                continue
            covered = [r for r, e in entries.items() if e.table == table and e.dimension in allowance.covers]
            groups: dict[str, list[str]] = {}
            for ref in covered:  # one allowance for the account, or one in each region
                groups.setdefault(entries[ref].region if allowance.scope == "region" else "", []).append(ref)
            for refs in groups.values():
                total = sum((pools[r] for r in refs), Decimal(0))
                if total <= 0:
                    continue
                given = min(allowance.quantity, total)
                for ref in refs:
                    out[ref] = (given * pools[ref] / total, allowance.ref)
    return out


def _tier_segments(
    entry: PriceEntry, start: Decimal, end: Decimal, problems: list[PricingError], services: list[str]
) -> list[tuple[int, Decimal, Tier]]:
    """Billable quantity per tier for the base-unit interval [start, end) of the month."""
    out: list[tuple[int, Decimal, Tier]] = []
    lower = Decimal(0)
    for i, tier in enumerate(entry.tiers):
        upper = tier.upto
        lo = max(lower, start)
        hi = end if upper is None else min(end, upper)
        if hi > lo:
            out.append((i, hi - lo, tier))
        if upper is None or end <= upper:
            return out
        lower = upper
    others = f"; the same price pool also serves {', '.join(services[1:])}" if len(services) > 1 else ""
    problems.append(
        PriceMissing(
            entry.table,
            entry.dimension,
            entry.region,
            services[0],
            detail=f"monthly usage {_amount(end / entry.per)} {entry.unit} is above the "
            f"last priced tier, which ends at {_amount(lower / entry.per)}{others}",
        )
    )
    return out


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():,f}"


def _lines(
    usage: Usage,
    entry: PriceEntry,
    pool_total: Decimal,
    free: tuple[Decimal, str] | None,
    segments: list[tuple[int, Decimal, Tier]],
) -> list[CostLine]:
    share = usage.quantity / pool_total
    lines: list[CostLine] = []
    if free and free[0] > 0:
        qty = free[0] * share
        lines.append(
            CostLine(
                f"{usage.item} (free tier)", qty / entry.per, entry.unit, Decimal(0), Decimal(0), free[1], usage.note
            )
        )
    several = len(segments) > 1 or any(i > 0 for i, _, _ in segments)
    for i, qty_pool, tier in segments:
        qty = qty_pool * share
        item = f"{usage.item} (tier {i + 1})" if several else usage.item
        source = f"{entry.ref}[tier {i + 1}]" if entry.tiered else entry.ref
        note = usage.note
        if not tier.confirmed:
            note = f"{note}; price not confirmed at an AWS source".lstrip("; ")
        lines.append(
            CostLine(item, qty / entry.per, entry.unit, tier.price, qty * tier.price / entry.per, source, note)
        )
    return lines
