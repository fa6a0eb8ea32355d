"""The ceiling: the highest entry rps before the first quota is exceeded.

Traffic is linear in the entry rps (pinned services stay constant), and every
demand model is linear in traffic, so each row's need is a + b x rps. Two
evaluations of the model give a and b; the wall of a row is (limit - a) / b.
A third evaluation, at four times the first rate, checks the line of every row
at once. The first wall is always evaluated at its own rps, and so is any wall
whose row failed the three-point check (with secant steps until it meets its
limit), so the answer never rests on linearity alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sls_check.graph import ServiceGraph
from sls_check.limits.catalog import Catalog, load_catalog
from sls_check.limits.engine import rows_for
from sls_check.limits.rows import Row

GraphAt = Callable[[float], ServiceGraph]  # entry average rps -> graph with traffic (peak = shape x rps)
RowKey = tuple[str, str, str]  # (service, quota, check)
_TOL = 1e-6
_STEPS = 60  # regula falsi steps for a row that is not linear (none is today)
_EXPAND = 60  # doublings to bracket a wall above the prediction


@dataclass(frozen=True)
class Wall:
    rps: float  # entry average rps at which the row reaches its limit
    peak_rps: float  # entry peak rps there
    row: Row  # the row evaluated at that traffic

    def to_json(self) -> dict[str, Any]:
        r = self.row
        return {
            "rps": round(self.rps, 3),
            "peak_rps": round(self.peak_rps, 3),
            "service": r.service,
            "quota": r.quota,
            "limit": r.to_json()["limit"],
            "unit": r.unit,
            "adjustable": r.adjustable,
            "docs": r.docs,
        }


@dataclass(frozen=True)
class Ceiling:
    shape: float  # peak / average entry rps
    walls: tuple[Wall, ...]  # the first wall, then the next ones if the first were raised

    @property
    def max_rps(self) -> float | None:
        return self.walls[0].rps if self.walls else None

    def to_json(self) -> dict[str, Any]:
        first = self.walls[0].to_json() if self.walls else None
        return {
            "max_rps": first["rps"] if first else None,
            "max_peak_rps": first["peak_rps"] if first else None,
            "shape": round(self.shape, 6),
            "first": first,
            "next": [w.to_json() for w in self.walls[1:]],
        }


def _hard(graph: ServiceGraph, account: Mapping[str, Any] | None, catalog: Catalog) -> dict[RowKey, Row]:
    return {r.key: r for r in rows_for(graph, account=account, catalog=catalog) if r.traffic and not r.soft}


def find_ceiling(
    graph_at: GraphAt,
    *,
    shape: float = 1.0,
    base_rps: float = 1.0,
    walls: int = 3,
    account: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
) -> Ceiling:
    """The first `walls` walls in order of the entry rps at which they are reached."""
    cat = catalog or load_catalog()
    memo: dict[float, dict[RowKey, Row]] = {}

    def at(rps: float) -> dict[RowKey, Row]:
        if rps not in memo:
            memo[rps] = _hard(graph_at(rps), account, cat)
        return memo[rps]

    r1 = base_rps if base_rps > 0 else 1.0
    r2, r3 = 2.0 * r1, 4.0 * r1
    at1, at2, at3 = at(r1), at(r2), at(r3)
    lines: dict[RowKey, tuple[float, float]] = {}  # key -> (intercept, slope)
    for key, row in at1.items():
        if key in at2:
            slope = (at2[key].needed - row.needed) / (r2 - r1)
            lines[key] = (row.needed - slope * r1, slope)
    straight = {
        key
        for key, (a, b) in lines.items()
        if key in at3 and math.isclose(at3[key].needed, a + b * r3, rel_tol=1e-9, abs_tol=1e-9)
    }
    candidates: list[tuple[float, RowKey]] = []
    for key, (a, b) in lines.items():
        limit = at1[key].limit
        if a > limit * (1 + _TOL):
            candidates.append((0.0, key))  # over whatever the entry traffic (a pinned rate)
        elif b > 0:
            candidates.append((max((limit - a) / b, 0.0), key))
    candidates.sort(key=lambda c: (c[0], c[1]))
    found: list[Wall] = []
    quotas: set[tuple[str, ...]] = set()
    for rps, key in candidates:
        if found and key in straight:
            a, b = lines[key]
            wall = Wall(rps, rps * shape, replace(at1[key], needed=a + b * rps))
        else:
            settled = _settle(at, key, rps, lines[key])
            if settled is None:
                continue
            wall = Wall(settled[0], settled[0] * shape, settled[1])
        found.append(wall)
        quotas.add(_quota_key(wall.row, cat))
        if len(quotas) > walls:
            break  # one spare keeps the order right should a settled wall move
    return Ceiling(shape, tuple(_distinct(found, cat)[:walls]))


def _quota_key(row: Row, catalog: Catalog) -> tuple[str, ...]:
    """What raising the quota of a row raises: an account-wide quota for every row that uses it."""
    if row.quota == "unreserved_pool":
        # the pool is max(account concurrency - reservations, 100): raising the account concurrency
        # raises it, and with it every function's pool row and the account row (one wall, not three)
        return ("lambda_concurrency", row.region)
    q = catalog.quotas.get(row.quota)
    return (row.quota, row.region) if q is not None and q.scope in ("account", "region") else row.key


def _distinct(found: list[Wall], catalog: Catalog) -> list[Wall]:
    """One wall per quota that would have to be raised, in order of rps."""
    seen: set[tuple[str, ...]] = set()
    out: list[Wall] = []
    for w in sorted(found, key=lambda w: (w.rps, w.row.key)):
        key = _quota_key(w.row, catalog)
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out


def _settle(
    at: Callable[[float], dict[RowKey, Row]], key: RowKey, rps: float, line: tuple[float, float]
) -> tuple[float, Row] | None:
    """The rps at which the row meets its limit, evaluated, starting at the predicted wall.

    A linear row meets its limit at the prediction (one evaluation). Otherwise the wall is
    bracketed (demand grows with traffic) and found by regula falsi (Illinois variant).
    """

    def gap(r: float) -> tuple[float, Row] | None:
        row = at(r).get(key)
        return (row.needed - row.limit, row) if row is not None else None

    def met(g: float, row: Row) -> bool:
        return abs(g) <= _TOL * max(row.limit, 1.0)

    first = gap(rps)
    if first is None:
        return None
    g, row = first
    if met(g, row) or (rps == 0.0 and g >= 0):
        return rps, row
    if g > 0:  # over at the prediction: the wall is below it
        hi, g_hi = rps, g
        low = gap(0.0)
        if low is None:
            return None
        lo, g_lo = 0.0, low[0]
        if g_lo >= 0:
            return 0.0, low[1]
    else:  # under: double until over
        lo, g_lo = rps, g
        hi, g_hi = max(2.0 * rps, 1.0), 0.0
        for _ in range(_EXPAND):
            up = gap(hi)
            if up is None:
                return None
            g_hi = up[0]
            if g_hi >= 0:
                break
            lo, g_lo, hi = hi, g_hi, 2.0 * hi
        else:
            return None  # never reached
    side = 0
    for _ in range(_STEPS):
        r = hi - g_hi * (hi - lo) / (g_hi - g_lo)
        found = gap(r)
        if found is None:
            return None
        g, row = found
        if met(g, row):
            return r, row
        if g > 0:
            hi, g_hi = r, g
            if side == 1:
                g_lo /= 2.0
            side = 1
        else:
            lo, g_lo = r, g
            if side == -1:
                g_hi /= 2.0
            side = -1
    last = gap(lo)
    return (lo, last[1]) if last is not None else None
