"""The ceiling: the highest entry rps before the first quota is exceeded.

Traffic is linear in the entry rps (pinned services stay constant), and every
demand model is linear in traffic, so each row's need is a + b x rps. Two
evaluations of the model give a and b; the wall of a row is (limit - a) / b.
Each wall is then checked once at its own rps (a secant step if a model is not
exactly linear there), so the answer never rests on the linearity alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sls_check.graph import ServiceGraph
from sls_check.limits.catalog import Catalog, load_catalog
from sls_check.limits.engine import rows_for
from sls_check.limits.rows import Row

GraphAt = Callable[[float], ServiceGraph]  # entry average rps -> graph with traffic (peak = shape x rps)
RowKey = tuple[str, str, str]  # (service, quota, check)
_TOL = 1e-6
_STEPS = 4


@dataclass(frozen=True)
class Wall:
    rps: float  # entry average rps at which the row reaches its limit
    peak_rps: float  # entry peak rps there
    row: Row  # the row evaluated at that traffic

    def to_json(self) -> dict[str, Any]:
        r = self.row
        return {"rps": round(self.rps, 3), "peak_rps": round(self.peak_rps, 3), "service": r.service,
                "quota": r.quota, "limit": r.to_json()["limit"], "unit": r.unit,
                "adjustable": r.adjustable, "docs": r.docs}


@dataclass(frozen=True)
class Ceiling:
    shape: float  # peak / average entry rps
    walls: tuple[Wall, ...]  # the first wall, then the next ones if the first were raised

    @property
    def max_rps(self) -> float | None:
        return self.walls[0].rps if self.walls else None

    def to_json(self) -> dict[str, Any]:
        first = self.walls[0].to_json() if self.walls else None
        return {"max_rps": first["rps"] if first else None,
                "max_peak_rps": first["peak_rps"] if first else None,
                "shape": round(self.shape, 6), "first": first,
                "next": [w.to_json() for w in self.walls[1:]]}


def _hard(graph: ServiceGraph, account: Mapping[str, Any] | None, catalog: Catalog) -> dict[RowKey, Row]:
    return {r.key: r for r in rows_for(graph, account=account, catalog=catalog) if r.traffic and not r.soft}


def find_ceiling(graph_at: GraphAt, *, shape: float = 1.0, base_rps: float = 1.0, walls: int = 3,
                 account: Mapping[str, Any] | None = None, catalog: Catalog | None = None) -> Ceiling:
    """The first `walls` walls in order of the entry rps at which they are reached."""
    catalog = catalog or load_catalog()
    r1 = base_rps if base_rps > 0 else 1.0
    r2 = 2.0 * r1
    at1, at2 = _hard(graph_at(r1), account, catalog), _hard(graph_at(r2), account, catalog)
    lines: dict[RowKey, tuple[float, float]] = {}  # key -> (intercept, slope)
    for key, row in at1.items():
        if key in at2:
            slope = (at2[key].needed - row.needed) / (r2 - r1)
            lines[key] = (row.needed - slope * r1, slope)
    candidates: list[tuple[float, RowKey]] = []
    for key, (a, b) in lines.items():
        limit = at1[key].limit
        if a > limit * (1 + _TOL):
            candidates.append((0.0, key))  # over whatever the entry traffic (a pinned rate)
        elif b > 0:
            candidates.append((max((limit - a) / b, 0.0), key))
    candidates.sort(key=lambda c: (c[0], c[1]))
    found: list[Wall] = []
    for rps, key in candidates:
        wall = _settle(graph_at, key, rps, lines[key], account, catalog)
        if wall is not None:
            found.append(Wall(wall[0], wall[0] * shape, wall[1]))
        if len(_distinct(found, catalog)) >= walls + 1:
            break  # settled walls move little; one spare keeps the order right
    found.sort(key=lambda w: (w.rps, w.row.key))
    return Ceiling(shape, tuple(_distinct(found, catalog)[:walls]))


def _distinct(found: list[Wall], catalog: Catalog) -> list[Wall]:
    """Raising an account-wide quota raises it for every row that uses it: one wall per such quota."""
    seen: set[tuple[str, ...]] = set()
    out: list[Wall] = []
    for w in sorted(found, key=lambda w: (w.rps, w.row.key)):
        q = catalog.quotas.get(w.row.quota)
        key = (w.row.quota, w.row.region) if q is not None and q.scope in ("account", "region") else w.row.key
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out


def _settle(graph_at: GraphAt, key: RowKey, rps: float, line: tuple[float, float],
            account: Mapping[str, Any] | None, catalog: Catalog) -> tuple[float, Row] | None:
    """Evaluate the row at its predicted wall; take secant steps while the model disagrees."""
    prev_r, prev_n = None, None
    b = line[1]
    for _ in range(_STEPS):
        row = _hard(graph_at(rps), account, catalog).get(key)
        if row is None:
            return None
        gap = row.needed - row.limit
        if (rps == 0.0 and gap >= 0) or abs(gap) <= _TOL * max(row.limit, 1.0):
            return rps, row
        if prev_r is not None and rps != prev_r and row.needed != prev_n:
            b = (row.needed - prev_n) / (rps - prev_r)  # type: ignore[operator]
        elif b == 0:
            return None
        prev_r, prev_n = rps, row.needed
        rps = max(rps - gap / b, 0.0)
    row = _hard(graph_at(rps), account, catalog).get(key)
    return (rps, row) if row is not None else None
