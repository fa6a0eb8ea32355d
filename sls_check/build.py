"""Build the service graph from a checked spec and push the entry traffic along its edges."""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from sls_check.graph import (
    AUTHORIZER,
    CONNECTS,
    SECONDS_PER_MONTH,
    TRAFFIC_KINDS,
    Edge,
    Service,
    ServiceGraph,
    Traffic,
)
from sls_check.model import InputError, Location, Problem
from sls_check.schedules import schedule_rate
from sls_check.spec import Spec, edge_setting, references, resolved_attrs, setting

ITEM_STORES = frozenset({"dynamodb", "s3"})  # edges into these carry reads and writes
ORIGIN_EVENTS = frozenset({"origin-request", "origin-response"})


def _edges_of(sid: str, svc: dict[str, Any]) -> list[Edge]:
    base = ("services", sid)
    edges: list[Edge] = []
    for i, entry in enumerate(svc.get("connects", [])):
        if isinstance(entry, str):
            edges.append(Edge(sid, entry, CONNECTS, (*base, "connects", i)))
        else:
            edges.append(
                Edge(
                    sid,
                    entry["to"],
                    AUTHORIZER if entry.get("authorizer") is True else CONNECTS,
                    (*base, "connects", i),
                    calls=float(edge_setting(entry, "calls")),
                    reads=float(edge_setting(entry, "reads")),
                    writes=float(edge_setting(entry, "writes")),
                    integration=entry.get("integration"),
                    rule=entry.get("rule"),
                )
            )
    for ref, path, target, holder in references(svc):
        if ref.edge is not None:
            at = path[:-1] if ref.edge_at_entry else path
            event = holder.get("event") if ref.edge_at_entry else None
            edges.append(Edge(sid, target, ref.edge, (*base, *at), event=event))
    return edges


def build_graph(spec: Spec, *, rps: float | None = None, peak_rps: float | None = None) -> ServiceGraph:
    """The service graph of a checked spec: one node per service (attributes resolved), one edge per
    `connects` entry and per reference key (spec.REFERENCES), traffic flowed from the entry points.
    `rps` / `peak_rps` replace the workload's rates (the command line's --rps, the limits ceiling)."""
    data = spec.data
    workload = data.get("workload", {})
    graph = ServiceGraph(
        name=data["name"],
        file=spec.file,
        region=data["region"],
        account=dict(data.get("account", {})),
        workload=dict(workload),
    )
    for sid, svc in spec.services.items():
        attrs = resolved_attrs(svc, data["region"])
        graph.add_service(Service(sid, svc["type"], attrs["region"], attrs, ("services", sid)))
    for sid, svc in spec.services.items():
        for edge in _edges_of(sid, svc):
            graph.add_edge(edge)
    entry = rps if rps is not None else _workload_rps(workload)
    if peak_rps is not None and peak_rps < entry:  # max() below would silently ignore it
        source = "--rps" if rps is not None else "the workload"
        raise InputError(
            [
                Problem(
                    Location("<command line>", 1, 1),
                    f"--peak-rps {peak_rps:g} is lower than the average entry rate {entry:g} "
                    f"requests/s ({source}); a peak is at least the average",
                )
            ]
        )
    if peak_rps is not None:
        peak = peak_rps
    elif rps is not None and "peak_rps" in workload and _workload_rps(workload):
        # --rps scales the spec's traffic shape: keep its peak-to-average ratio
        peak = rps * float(workload["peak_rps"]) / _workload_rps(workload)
    else:
        peak = float(workload.get("peak_rps", entry)) if rps is None else rps
    graph.entry_rps, graph.entry_peak_rps = entry, max(peak, entry)
    flow_traffic(graph, spec)
    return graph


def _workload_rps(workload: dict[str, Any]) -> float:
    if "rps" in workload:
        return float(workload["rps"])
    if "monthly_requests" in workload:
        return float(workload["monthly_requests"]) / SECONDS_PER_MONTH
    return 0.0


def _pinned(svc: Service) -> tuple[float, float] | None:
    attrs = svc.attrs
    if "rps" in attrs or "monthly_requests" in attrs:
        avg = float(attrs["rps"]) if "rps" in attrs else float(attrs["monthly_requests"]) / SECONDS_PER_MONTH
        return avg, float(attrs.get("peak_rps", avg))
    if svc.type == "eventbridge" and isinstance(attrs.get("schedule"), str):
        rate = schedule_rate(attrs["schedule"])  # a schedule fires at its own rate, not the workload's
        if rate is not None:
            return rate, rate
    return None


def _traffic_in_edges(graph: ServiceGraph, node: str, pinned: set[str]) -> list[Edge]:
    if node in pinned:
        return []  # a pinned rate ignores what flows in, which also breaks cycles through it
    return graph.in_edges(node, TRAFFIC_KINDS)


def topological_order(graph: ServiceGraph, pinned: set[str]) -> tuple[list[str], list[str]]:
    """Kahn's algorithm over traffic edges; returns (order, a cycle or [])."""
    indegree = {n: len(_traffic_in_edges(graph, n, pinned)) for n in graph.services}
    queue = deque(sorted(n for n, d in indegree.items() if d == 0))
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for edge in graph.out_edges(node, TRAFFIC_KINDS):
            if edge.target in pinned:
                continue
            indegree[edge.target] -= 1
            if indegree[edge.target] == 0:
                queue.append(edge.target)
    if len(order) == len(graph.services):
        return order, []
    return order, _find_cycle(graph, {n for n, d in indegree.items() if d > 0}, pinned)


def _find_cycle(graph: ServiceGraph, left: set[str], pinned: set[str]) -> list[str]:
    """Walk backwards along traffic edges inside the leftover set until a node repeats."""
    node = min(left)
    seen: dict[str, int] = {}
    walk: list[str] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        preds = sorted(e.source for e in _traffic_in_edges(graph, node, pinned) if e.source in left)
        node = preds[0]
    cycle = walk[seen[node] :]
    cycle.reverse()
    return [*cycle, cycle[0]]


def flow_traffic(graph: ServiceGraph, spec: Spec | None = None) -> None:
    """Push the entry traffic along the traffic edges in topological order, filling graph.traffic.

    A service without inbound edges gets the entry rates, a pinned one (its own rps) its pin, any
    other the sum over its inbound traffic edges of what the source passes on (`_outflow`: a store
    its writes) times the edge's calls (or reads/writes into a store); a CloudFront cache lets only
    misses through to its origins. A cycle without a pin, or a rate that overflows, is an
    InputError at its position (ValueError without `spec`)."""
    pins = {sid: p for sid, svc in graph.services.items() if (p := _pinned(svc)) is not None}
    order, cycle = topological_order(graph, set(pins))
    if cycle:
        closing = next(e for e in graph.in_edges(cycle[0], TRAFFIC_KINDS) if e.source == cycle[-2])
        where = spec.locate(closing.path) if spec else None
        message = (
            f"traffic cycle {' → '.join(cycle)}: traffic along it has no fixed value; "
            "pin the rate of one service on it (rps: N) to break the cycle"
        )
        if where is None:
            raise ValueError(message)
        raise InputError([Problem(where, message)])
    for node in order:
        svc = graph.services[node]
        t = Traffic()
        if node in pins:
            t.rps, t.peak_rps = pins[node]
            t.pinned = True
            if svc.type in ITEM_STORES:
                t.reads_ps, t.peak_reads_ps = t.rps, t.peak_rps
        elif not graph.in_edges(node):
            t.rps, t.peak_rps = graph.entry_rps, graph.entry_peak_rps
            t.entry = True
        else:
            for edge in graph.in_edges(node, TRAFFIC_KINDS):
                _add_inflow(graph, edge, t)
        if not all(math.isfinite(v) for v in (t.rps, t.peak_rps, t.reads_ps, t.writes_ps)):
            message = (
                f"traffic into {node!r} overflows to infinity: the entry rate and the calls, reads "
                "and writes on the way to it multiply beyond any finite number"
            )
            if spec is None:
                raise ValueError(message)
            raise InputError([Problem(spec.locate(svc.path, key=True), message)])
        graph.traffic[node] = t


def _outflow(graph: ServiceGraph, node: str) -> tuple[float, float]:
    """What a service passes downstream per second: stores emit their writes (streams, events).

    A store whose rate comes from outside (an entry point, or pinned) has no known split into
    reads and writes; connecting it to a consumer says its whole rate arrives as events there
    (uploads to a bucket that notifies a function, an external writer to a table with a stream).
    """
    t = graph.traffic[node]
    if graph.services[node].type in ITEM_STORES and not (t.entry or t.pinned):
        return t.writes_ps, t.peak_writes_ps
    return t.rps, t.peak_rps


def _add_inflow(graph: ServiceGraph, edge: Edge, t: Traffic) -> None:
    avg, peak = _outflow(graph, edge.source)
    source = graph.services[edge.source]
    if source.type == "cloudfront":
        miss = 1.0 - float(setting(source, "cache_hit_ratio"))
        if edge.kind == CONNECTS or (edge.event in ORIGIN_EVENTS):
            avg, peak = avg * miss, peak * miss
    if graph.services[edge.target].type in ITEM_STORES:
        reads = edge.reads if (edge.reads or edge.writes) else edge.calls
        t.reads_ps += avg * reads
        t.peak_reads_ps += peak * reads
        t.writes_ps += avg * edge.writes
        t.peak_writes_ps += peak * edge.writes
        t.rps = t.reads_ps + t.writes_ps
        t.peak_rps = t.peak_reads_ps + t.peak_writes_ps
    else:
        t.rps += avg * edge.calls
        t.peak_rps += peak * edge.calls
