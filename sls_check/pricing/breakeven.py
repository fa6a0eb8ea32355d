"""Lambda vs Fargate: the steady rps above which an always-on Fargate service costs less.

Assumptions (docs/cost.md says the same, for users):
- The function is priced alone, with no free tier (the free tier is an account allowance),
  at the price tables' own rates through the same cost model as the bill. Its monthly cost
  is taken as linear in rps: fixed part = cost at 0 rps (provisioned concurrency, SnapStart
  cache), slope = cost at 1 rps minus that. Volume tiers only start at billions of GB-s.
- The Fargate service runs `max(min_tasks, ceil(rps / task_rps))` tasks around the clock
  (730 h), each of `cpu` vCPU and `memory_gb` GB, on the function's architecture unless
  told otherwise. Defaults: 0.5 vCPU, 1 GB, 50 rps per task, 2 tasks (two Availability
  Zones). Per-task capacity is the assumption that matters most: measure it.
- Not counted on either side: load balancer, NAT, data transfer, logs, idle headroom for
  peaks, and the engineering time of running containers.
- Because tasks are added in whole steps, Lambda can be cheaper again just after a task is
  added; the break-even is therefore the rps above which Fargate is never dearer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sls_check.graph import Service, ServiceGraph, Traffic
from sls_check.pricing.models import dec

DEFAULTS: dict[str, Any] = {"cpu": "0.5", "memory_gb": "1", "task_rps": "50", "min_tasks": 2}
_MAX_TASKS = 100_000  # search bound: 5 million rps at the default capacity


@dataclass(frozen=True)
class FargateSize:
    cpu: Decimal
    memory_gb: Decimal
    task_rps: Decimal
    min_tasks: int
    architecture: str

    def describe(self) -> str:
        return (
            f"{self.cpu} vCPU / {self.memory_gb} GB {self.architecture} tasks, {self.task_rps} rps each, "
            f"at least {self.min_tasks} running"
        )


@dataclass(frozen=True)
class BreakEven:
    service: str
    region: str
    rps: float  # the function's own average rps at this traffic
    lambda_monthly: Decimal | None
    fargate_monthly: Decimal | None
    fargate_tasks: int
    break_even_rps: Decimal | None  # None: Fargate never cheaper (or no price)
    size: FargateSize
    note: str = ""

    @property
    def cheaper(self) -> str:
        if self.lambda_monthly is None or self.fargate_monthly is None:
            return ""
        return "lambda" if self.lambda_monthly <= self.fargate_monthly else "fargate"

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "region": self.region,
            "rps": self.rps,
            "lambda_monthly": _f(self.lambda_monthly),
            "fargate_monthly": _f(self.fargate_monthly),
            "fargate_tasks": self.fargate_tasks,
            "break_even_rps": _f(self.break_even_rps),
            "cheaper": self.cheaper,
            "fargate": {
                "cpu": float(self.size.cpu),
                "memory_gb": float(self.size.memory_gb),
                "architecture": self.size.architecture,
                "task_rps": float(self.size.task_rps),
                "min_tasks": self.size.min_tasks,
            },
            **({"note": self.note} if self.note else {}),
        }


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.01")))


def fargate_size(svc: Service, options: Mapping[str, Any] | None = None) -> FargateSize:
    """Size from the command line options, then the function's `fargate_alternative`, then DEFAULTS."""
    spec = svc.get("fargate_alternative") or {}
    opts = {k: v for k, v in (options or {}).items() if v is not None}

    def pick(key: str) -> Any:
        return opts.get(key, spec.get(key, DEFAULTS.get(key)))

    arch = str(pick("architecture") or svc.get("architecture") or "x86_64")
    return FargateSize(_num(pick("cpu")), _num(pick("memory_gb")), _num(pick("task_rps")), int(pick("min_tasks")), arch)


def _num(value: Any) -> Decimal:
    return Decimal(value) if isinstance(value, str) else dec(value)


def tasks_needed(rps: Decimal, size: FargateSize) -> int:
    return max(size.min_tasks, int((rps / size.task_rps).to_integral_value(rounding=ROUND_CEILING)))


def break_even_rps(fixed: Decimal, slope: Decimal, task_cost: Decimal, size: FargateSize) -> Decimal | None:
    """The rps above which `fixed + slope * rps >= tasks(rps) * task_cost` holds everywhere; None if none.

    Within the step of k tasks, (lo, k * task_rps], Lambda is cheaper below
    x_k = (k * task_cost - fixed) / slope. The break-even is the upper end of the set where
    Lambda is cheaper. When one task's worth of traffic costs Lambda at least a task
    (slope * task_rps >= task_cost), x_k - lo never grows with k, so the first step where
    Lambda is dearer from its start ends the search; otherwise Lambda wins at high rps.
    """
    cap = size.task_rps
    if slope <= 0 or slope * cap < task_cost:
        return None
    best = Decimal(0)
    for k in range(size.min_tasks, _MAX_TASKS):
        lo = Decimal(0) if k == size.min_tasks else (k - 1) * cap
        x_k = (k * task_cost - fixed) / slope
        if x_k <= lo:
            return best.quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        best = min(k * cap, x_k)
    return None


@dataclass(frozen=True)
class _Basis:
    fixed: Decimal  # the function's monthly cost at 0 rps
    slope: Decimal  # its cost per 1 rps a month
    task_cost: Decimal  # one Fargate task a month
    size: FargateSize
    break_even: Decimal | None


def compare(
    graph: ServiceGraph,
    sid: str,
    region: str,
    *,
    options: Mapping[str, Any] | None = None,
    price: Any,
    cache: dict[tuple[str, str], Any] | None = None,
    known: Decimal | None = None,
) -> BreakEven:
    """`price(graph) -> Decimal` prices a small graph (no free tier); PricingError propagates.

    `cache` keeps what does not depend on the traffic (per function and region) between the
    scenarios of one run. `known` is the function's monthly cost alone at its current traffic
    when the caller already has it (the bill without free tier, in the first volume tier).
    """
    svc = graph.services[sid]
    rps = (graph.traffic.get(sid) or Traffic()).rps

    def lambda_at(r: float) -> Decimal:
        g = ServiceGraph()
        g.add_service(Service(sid, "lambda", region, dict(svc.attrs)))
        g.traffic[sid] = Traffic(rps=r)
        return Decimal(price(g))

    basis: _Basis | None = cache.get((sid, region)) if cache is not None else None
    if basis is None:
        size = fargate_size(svc, options)
        fixed = lambda_at(0)
        slope = lambda_at(1.0) - fixed
        task = ServiceGraph()
        task.add_service(
            Service(
                "fargate",
                "fargate",
                region,
                {"tasks": 1, "cpu": size.cpu, "memory_gb": size.memory_gb, "architecture": size.architecture},
            )
        )
        task.traffic["fargate"] = Traffic()
        task_cost = Decimal(price(task))
        basis = _Basis(fixed, slope, task_cost, size, break_even_rps(fixed, slope, task_cost, size))
        if cache is not None:
            cache[(sid, region)] = basis
    size = basis.size
    now = known if known is not None else (basis.fixed if rps == 0 else lambda_at(rps))
    tasks = tasks_needed(Decimal(repr(rps)), size)
    note = (
        ""
        if basis.break_even is not None
        else (
            f"Lambda stays cheaper at any rps: {size.task_rps} rps on one task costs Lambda "
            f"{(basis.slope * size.task_rps).quantize(Decimal('0.01'))} USD a month, less than a task "
            f"({basis.task_cost.quantize(Decimal('0.01'))} USD)"
        )
    )
    return BreakEven(sid, region, rps, now, tasks * basis.task_cost, tasks, basis.break_even, size, note)
