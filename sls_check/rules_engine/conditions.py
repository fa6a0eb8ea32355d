"""Declarative conditions: a table of small operators and three-valued logic.

A condition is True, False or None (not applicable: a key is missing). Numeric
operators compare numbers only; a boolean or a string is never a number, so
`0 > 0` is False and `False < 1` is not applicable, never "truthy".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sls_check.graph import CONNECTS, Edge, Service, ServiceGraph
from sls_check.safe_regex import PatternError, compile_safe

MISSING = object()
Tri = bool | None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric(fn: Callable[[float, float], bool]) -> Callable[[Any, Any], Tri]:
    def op(left: Any, right: Any) -> Tri:
        if not (_is_number(left) and _is_number(right)):
            return None
        return fn(left, right)

    return op


def _length(fn: Callable[[int, Any], bool]) -> Callable[[Any, Any], Tri]:
    def op(left: Any, right: Any) -> Tri:
        if not isinstance(left, (list, dict, str)) or not _is_number(right):
            return None
        return fn(len(left), right)

    return op


def _eq(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        # 1 == True in Python; in a spec they are different things
        return type(left) is type(right) and left == right
    return bool(left == right)


def _in(left: Any, right: Any) -> Tri:
    if not isinstance(right, list):
        return None
    return any(_eq(left, item) for item in right)


def _matches(left: Any, right: Any) -> Tri:
    """A full match in linear time (safe_regex): the pattern comes from a rule pack, which was checked
    when it loaded (a pattern from the spec, `key2`, is refused there)."""
    if not isinstance(left, str) or not isinstance(right, str):
        return None
    try:
        return compile_safe(right).fullmatch(left)
    except PatternError:
        return None


OPERATORS: dict[str, Callable[[Any, Any], Tri]] = {
    "eq": _eq,
    "ne": lambda a, b: not _eq(a, b),
    "in": _in,
    "not_in": lambda a, b: None if (r := _in(a, b)) is None else not r,
    "gt": _numeric(lambda a, b: a > b),
    "gte": _numeric(lambda a, b: a >= b),
    "lt": _numeric(lambda a, b: a < b),
    "lte": _numeric(lambda a, b: a <= b),
    "contains": lambda a, b: any(_eq(x, b) for x in a) if isinstance(a, list) else None,
    "startswith": lambda a, b: a.startswith(b) if isinstance(a, str) and isinstance(b, str) else None,
    "matches": _matches,
    "len_gt": _length(lambda n, b: n > b),
    "len_gte": _length(lambda n, b: n >= b),
    "len_lt": _length(lambda n, b: n < b),
    "len_lte": _length(lambda n, b: n <= b),
}
PRESENCE = frozenset({"exists", "missing"})


@dataclass(frozen=True)
class RegionFacts:
    """What a check needs to know about a whole Region, computed from the graph once per run
    (`region_facts`, called by run_rules) and only read by the checks."""

    # functions that take concurrency from the Region's pool, in spec order: (function, amount, label);
    # a reservation, or else provisioned concurrency (taken from the unreserved pool too)
    concurrency_takers: tuple[tuple[Service, float, str], ...] = ()


def _amount(value: Any) -> float | None:
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) else float(value)


def region_facts(graph: ServiceGraph) -> dict[str, RegionFacts]:
    takers: dict[str, list[tuple[Service, float, str]]] = {}
    for s in graph.services.values():
        if s.type != "lambda":
            continue
        reserved = _amount(s.attrs.get("reserved_concurrency"))
        provisioned = _amount(s.attrs.get("provisioned_concurrency"))
        if reserved is not None:
            takers.setdefault(s.region, []).append((s, reserved, s.id))
        elif provisioned:
            takers.setdefault(s.region, []).append((s, provisioned, f"{s.id} (provisioned)"))
    return {region: RegionFacts(tuple(found)) for region, found in takers.items()}


@dataclass
class Binding:
    """What key paths resolve against: the subject service and, optionally, a peer and its edge."""

    graph: ServiceGraph
    service: Service
    peer: Service | None = None
    edge: Edge | None = None
    limit_value: Callable[[str, Service], Any] = field(default=lambda name, svc: MISSING)
    today: dt.date | None = None  # the date of the run (runtime deprecation); None: today
    regions: Mapping[str, RegionFacts] | None = None  # region_facts(graph) of the run; None: computed on use

    def with_peer(self, peer: Service, edge: Edge) -> Binding:
        return Binding(self.graph, self.service, peer, edge, self.limit_value, self.today, self.regions)

    def region(self, region: str) -> RegionFacts:
        """The facts of a Region (a Binding made outside a run computes them on each call)."""
        regions = self.regions if self.regions is not None else region_facts(self.graph)
        return regions.get(region, RegionFacts())

    def lookup(self, path: str) -> Any:
        head, _, rest = path.partition(".")
        if head == "peer":
            return _dig(self.peer.attrs, rest) if self.peer else MISSING
        if head == "edge":
            return getattr(self.edge, rest, MISSING) if self.edge and rest else MISSING
        if head == "account":
            return _dig(self.graph.account, rest)
        if head == "workload":
            return _dig(self.graph.workload, rest)
        if path == "id":
            return self.service.id
        if path == "type":
            return self.service.type
        if path == "region":
            return self.service.region
        return _dig(self.service.attrs, path)


def _dig(data: Any, path: str) -> Any:
    value = data
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


CheckFn = Callable[[Binding, dict[str, Any]], list[dict[str, Any]]]


def evaluate(
    cond: dict[str, Any], b: Binding, checks: dict[str, CheckFn], hits: list[dict[str, Any]] | None = None
) -> Tri:
    """Evaluate a condition; named checks append their template variables to `hits`."""
    if "all" in cond:
        results = [evaluate(c, b, checks, hits) for c in cond["all"]]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if "any" in cond:
        results = [evaluate(c, b, checks, hits) for c in cond["any"]]
        if any(r is True for r in results):
            return True
        return None if all(r is None for r in results) else False
    if "not" in cond:
        r = evaluate(cond["not"], b, checks, None)
        return None if r is None else not r
    if "connects_to" in cond or "connected_from" in cond:
        out = "connects_to" in cond
        spec = cond["connects_to" if out else "connected_from"]
        results = [
            evaluate(spec["where"], b.with_peer(peer, edge), checks, None) if "where" in spec else True
            for peer, edge in peers(b.graph, b.service, out, spec)
        ]
        if not results:
            return False  # no such connection at all
        if any(r is True for r in results):
            return True
        if all(r is None for r in results):
            return None  # every such peer lacks the key: not applicable
        return False
    if "check" in cond:
        found = checks[cond["check"]](b, cond.get("args", {}))
        if hits is not None:
            hits.extend(found)
        return bool(found)
    return _compare(cond, b)


def _compare(cond: dict[str, Any], b: Binding) -> Tri:
    left = b.lookup(cond["key"])
    op = cond["op"]
    if op == "exists":
        return left is not MISSING and left is not None
    if op == "missing":
        return left is MISSING or left is None
    if left is MISSING or left is None:
        return None
    if "value" in cond:
        right = cond["value"]
    elif "limit" in cond:
        right = b.limit_value(cond["limit"], b.service)
    else:
        right = b.lookup(cond["key2"])
    if right is MISSING or right is None:
        return None
    return OPERATORS[op](left, right)


def peers(graph: ServiceGraph, service: Service, out: bool, spec: dict[str, Any]) -> list[tuple[Service, Edge]]:
    kinds = frozenset(spec.get("kinds", [CONNECTS]))
    types = spec.get("types")
    edges = graph.out_edges(service.id, kinds) if out else graph.in_edges(service.id, kinds)
    found = []
    for edge in edges:
        peer = graph.services[edge.target if out else edge.source]
        if types is None or peer.type in types:
            found.append((peer, edge))
    return found
