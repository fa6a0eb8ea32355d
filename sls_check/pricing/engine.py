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
from sls_check.model import NOT_CHARGED, CostLine, MissingPrice, ServiceCost, TooLarge
from sls_check.pricing.models import MODELS, Usage, base_unit
from sls_check.pricing.tables import PriceEntry, PricingError, Tier, load_table

CENT = Decimal("0.01")
FREE_TIER_MODES = ("none", "always", "all")  # all = always-free plus 12-month new-account offers


class PricingErrors(PricingError):
    """Every missing price at once, so one run shows them all."""

    def __init__(self, problems: list[PricingError | TooLarge]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# Monthly usage of one line in the table's base unit (requests, GB-seconds, ...) beyond which the
# spec's numbers are not a bill but an overflow: Decimal arithmetic and rounding to cents stay exact
# below it (28 digits), and no AWS account comes within orders of magnitude of it.
MAX_QUANTITY = Decimal("1e18")


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
    missing: list[MissingPrice] = field(default_factory=list)  # the lines not priced, in bill order

    @property
    def total(self) -> Decimal:
        """The priced lines' sum: the bill when complete, a lower bound ("at least") when not."""
        return sum((s.monthly for s in self.services), Decimal(0))

    @property
    def complete(self) -> bool:
        return not self.missing

    def top(self, n: int = 3) -> list[ServiceCost]:
        ranked = sorted(self.services, key=lambda s: (-s.monthly, s.service))
        return [s for s in ranked[:n] if s.monthly > 0]

    def total_text(self) -> str:
        """ "$12.34", or "at least $12.34; 3 lines not priced" for a partial bill."""
        amount = f"${money(self.total):,.2f}"
        if self.complete:
            return amount
        n = len(self.missing)
        return f"at least {amount}; {n} line{'s' if n != 1 else ''} not priced"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"currency": self.currency}
        if self.rps is not None:
            out["rps"] = self.rps
        out["total"] = float(money(self.total))
        out["complete"] = self.complete
        out["total_text"] = self.total_text()
        out["missing"] = [m.to_json() for m in self.missing]
        out["free_tier"] = self.free_tier
        out["services"] = [service_json(s) for s in self.services]
        out["not_charged"] = list(NOT_CHARGED)
        if any(ln.source.endswith(" (user cache)") for svc in self.services for ln in svc.lines):
            from sls_check.pricing.cached import cache_uses

            out["user_cache"] = cache_uses(ln for svc in self.services for ln in svc.lines)
        return out


def service_json(s: ServiceCost) -> dict[str, Any]:
    return {
        "service": s.service,
        "type": s.type,
        "monthly": float(money(s.monthly)),
        "complete": s.complete,
        "lines": [line.to_json() for line in s.lines],
    }


def pricing_region(graph: ServiceGraph, svc: Service, region: str | None) -> str:
    """Where a service is priced: `region` (the --region override) replaces the spec's region;
    a service pinned to another region (an ACM certificate in us-east-1) keeps its own."""
    if region and (not svc.get("region") or svc.region == graph.region):
        return region
    return svc.region


@dataclass
class _Item:
    usage: Usage
    entry: PriceEntry | None
    reason: str = ""  # why entry is None


def _key(table: str, region: str, dimension: str) -> str:
    return f"{table}.{region}.{dimension}"


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
    True means "always", False "none".
    A price not in the tables never refuses the bill: the line is kept, not priced, and listed in
    `missing` (the report is then not `complete`). Raises PricingErrors only for usage too large to
    price or a broken table.
    """
    mode = ("always" if free_tier else "none") if isinstance(free_tier, bool) else free_tier
    if mode not in FREE_TIER_MODES:
        raise ValueError(f"free_tier must be one of {', '.join(FREE_TIER_MODES)}")

    problems: list[PricingError | TooLarge] = []
    priced: list[tuple[str, str, list[_Item]]] = []
    for sid, svc in graph.services.items():
        model = MODELS.get(svc.type)
        if model is None:
            problems.append(PricingError(f"service {sid!r}: no cost model for type {svc.type!r}"))
            continue
        svc_region = pricing_region(graph, svc, region)
        items: list[_Item] = []
        try:
            usages = list(model(svc, graph.traffic.get(sid) or Traffic(), graph, svc_region))
        except ArithmeticError:  # Decimal overflow or rounding of an absurd number
            problems.append(TooLarge.to_price(sid, "its monthly usage"))
            continue
        for usage in usages:
            if usage.quantity <= 0:
                continue
            if not usage.quantity < MAX_QUANTITY:
                problems.append(TooLarge.to_price(sid, f"{usage.item} ({usage.quantity:.3g} a month)"))
                continue
            found = load_table(usage.table).lookup(usage.dimension, usage.region)
            if isinstance(found, PriceEntry):
                items.append(_Item(usage, found))
            else:
                reason = found.reason if found is not None else f"no {usage.region} price in the {usage.table} tables"
                items.append(_Item(usage, None, reason))
        priced.append((sid, svc.type, items))
    if problems:
        raise PricingErrors(problems)

    pools: dict[str, Decimal] = {}
    keys: dict[str, tuple[str, str, str]] = {}
    for _, _, items in priced:
        for it in items:
            u = it.usage
            ref = it.entry.ref if it.entry else _key(u.table, u.region, u.dimension)
            keys[ref] = (
                (it.entry.table, it.entry.region, it.entry.dimension) if it.entry else (u.table, u.region, u.dimension)
            )
            pools[ref] = pools.get(ref, Decimal(0)) + u.quantity
    entries = {it.entry.ref: it.entry for _, _, items in priced for it in items if it.entry}
    free = _free_allowances(keys, pools, mode)

    users: dict[str, list[str]] = {}
    for sid, _, items in priced:
        for it in items:
            if it.entry:
                users.setdefault(it.entry.ref, []).append(sid)
    segments: dict[str, tuple[list[tuple[int, Decimal, Tier]], Decimal, str]] = {}
    tiers_reached: dict[str, int] = {}
    for ref, entry in entries.items():
        segments[ref] = _tier_segments(entry, free.get(ref, (Decimal(0), ""))[0], pools[ref], users[ref])
        if entry.tiered:
            tiers_reached[ref] = max((i + 1 for i, q, _ in segments[ref][0] if q > 0), default=1)

    services: list[ServiceCost] = []
    missing: list[MissingPrice] = []
    for sid, svc_type, items in priced:
        cost = ServiceCost(sid, svc_type)
        for it in items:
            u = it.usage
            if it.entry is None:
                line = _missing_line(u, u.quantity, it.reason)
                cost.lines.append(line)
                missing.append(MissingPrice(sid, svc_type, u.item, u.table, u.dimension, u.region, it.reason))
                continue
            ref = it.entry.ref
            segs, overflow, why = segments[ref]
            cost.lines.extend(_lines(u, it.entry, pools[ref], free.get(ref), segs))
            if overflow > 0:
                share = u.quantity / pools[ref]
                line = _missing_line(u, overflow * share, why, it.entry, suffix=" (above the last priced tier)")
                cost.lines.append(line)
                missing.append(MissingPrice(sid, svc_type, line.item, u.table, u.dimension, u.region, why))
        services.append(cost)
    return CostReport(services, mode, region, rps, tiers_reached, missing=missing)


def _missing_line(
    usage: Usage, quantity: Decimal, reason: str, entry: PriceEntry | None = None, suffix: str = ""
) -> CostLine:
    per, unit = (entry.per, entry.unit) if entry else (Decimal(1), base_unit(usage.table, usage.dimension))
    return CostLine(
        usage.item + suffix,
        quantity / per,
        unit,
        Decimal(0),
        Decimal(0),
        _key(usage.table, usage.region, usage.dimension),
        usage.note,
        usage.assumption,
        priced=False,
        missing=reason,
    )


def _free_allowances(
    keys: dict[str, tuple[str, str, str]], pools: dict[str, Decimal], mode: str
) -> dict[str, tuple[Decimal, str]]:
    """pool ref -> (free base units, allowance ref). One allowance, shared pro rata by every usage it
    covers, priced or not (a usage without a price still takes its share of the allowance)."""
    if mode == "none":
        return {}
    kinds = {"always"} if mode == "always" else {"always", "12_months"}
    out: dict[str, tuple[Decimal, str]] = {}
    for table in sorted({t for t, _, _ in keys.values()}):
        for allowance in load_table(table).free_tier.values():
            if allowance.kind not in kinds:
                continue
            covered = [r for r, (t, _, d) in keys.items() if t == table and d in allowance.covers]
            groups: dict[str, list[str]] = {}
            for ref in covered:  # one allowance for the account, or one in each region
                groups.setdefault(keys[ref][1] if allowance.scope == "region" else "", []).append(ref)
            for refs in groups.values():
                total = sum((pools[r] for r in refs), Decimal(0))
                if total <= 0:
                    continue
                given = min(allowance.quantity, total)
                for ref in refs:
                    out[ref] = (given * pools[ref] / total, allowance.ref)
    return out


def _tier_segments(
    entry: PriceEntry, start: Decimal, end: Decimal, services: list[str]
) -> tuple[list[tuple[int, Decimal, Tier]], Decimal, str]:
    """Billable quantity per tier for the base-unit interval [start, end) of the month, and the
    quantity above the last priced tier (not priced) with the reason."""
    out: list[tuple[int, Decimal, Tier]] = []
    lower = Decimal(0)
    for i, tier in enumerate(entry.tiers):
        upper = tier.upto
        lo = max(lower, start)
        hi = end if upper is None else min(end, upper)
        if hi > lo:
            out.append((i, hi - lo, tier))
        if upper is None or end <= upper:
            return out, Decimal(0), ""
        lower = upper
    others = f"; the same price pool also serves {', '.join(services[1:])}" if len(services) > 1 else ""
    why = (
        f"monthly usage {_amount(end / entry.per)} {entry.unit} is above the last priced tier, "
        f"which ends at {_amount(lower / entry.per)}{others}"
    )
    return out, end - max(lower, start), why


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
                f"{usage.item} (free tier)",
                qty / entry.per,
                entry.unit,
                Decimal(0),
                Decimal(0),
                free[1],
                usage.note,
                _assumption(usage, entry),
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
        if entry.origin == "cache":
            source += " (user cache)"
        lines.append(
            CostLine(
                item,
                qty / entry.per,
                entry.unit,
                tier.price,
                qty * tier.price / entry.per,
                source,
                note,
                _assumption(usage, entry),
            )
        )
    return lines


def _assumption(usage: Usage, entry: PriceEntry) -> str:
    return "; ".join(a for a in (usage.assumption, entry.assumption) if a)
