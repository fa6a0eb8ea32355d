"""A layered (Sugiyama-style) layout of the service graph, for the report's picture.

Layers come from a topological order of the graph with its cycles condensed (networkx: strongly
connected components, then topological generations of the condensation), so requests flow left
to right. Within a layer, services are ordered by the barycentre of their neighbours in the layer
before and after (a few down and up sweeps), which removes most edge crossings. Positions are in
layout units: x = layer, y = slot in the layer (0 at the top).
"""

from __future__ import annotations

from dataclasses import dataclass

from sls_check.graph import ServiceGraph

_SWEEPS = 4


@dataclass(frozen=True)
class Layout:
    pos: dict[str, tuple[float, float]]  # service -> (layer, slot)
    layers: int
    height: int  # services in the fullest layer


def layered(graph: ServiceGraph) -> Layout:
    import networkx as nx  # type: ignore[import-untyped, unused-ignore]  # a real graph algorithm: only here

    g = nx.DiGraph()
    g.add_nodes_from(graph.services)
    for src, targets in graph.succ.items():
        for dst in targets:
            if src != dst:
                g.add_edge(src, dst)
    if not g:
        return Layout({}, 0, 0)
    cond = nx.condensation(g)  # a DAG of strongly connected components (cycles become one node)
    members = cond.graph["mapping"]  # service -> component
    comp_layer: dict[int, int] = {}
    for depth, generation in enumerate(nx.topological_generations(cond)):
        for comp in generation:
            comp_layer[comp] = depth
    # A component's members (a cycle) share a layer.
    layer_of: dict[str, int] = {}
    order = list(graph.services)
    for comp, depth in sorted(comp_layer.items(), key=lambda kv: kv[1]):
        nodes = [n for n in order if members[n] == comp]
        for n in nodes:
            layer_of[n] = depth
    # Generations put every source in the first layer: pull a source that feeds a later layer only
    # (a queue's dead-letter queue, a certificate) next to the first service it feeds.
    for n in order:
        succs = [layer_of[m] for m in g.successors(n) if members[m] != members[n]]
        if succs and not list(g.predecessors(n)):
            layer_of[n] = max(layer_of[n], min(succs) - 1)
    count = max(layer_of.values()) + 1
    layers: list[list[str]] = [[] for _ in range(count)]
    for n in order:
        layers[layer_of[n]].append(n)

    def slot_map() -> dict[str, float]:
        return {n: float(i) for layer in layers for i, n in enumerate(layer)}

    for sweep in range(_SWEEPS):
        down = sweep % 2 == 0
        indices = range(1, count) if down else range(count - 2, -1, -1)
        for li in indices:
            slots = slot_map()
            neighbours = g.predecessors if down else g.successors

            def centre(n: str, slots: dict[str, float] = slots, neighbours: object = neighbours) -> float:
                near = [slots[m] for m in neighbours(n) if m in slots]  # type: ignore[operator]
                return sum(near) / len(near) if near else slots[n]

            layers[li] = sorted(layers[li], key=lambda n: (centre(n), order.index(n)))
    height = max(len(layer) for layer in layers)
    pos: dict[str, tuple[float, float]] = {}
    for li, layer in enumerate(layers):
        offset = (height - len(layer)) / 2.0  # centre short layers vertically
        for i, n in enumerate(layer):
            pos[n] = (float(li), offset + i)
    return Layout(pos, count, height)
