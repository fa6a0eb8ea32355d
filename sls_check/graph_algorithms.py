"""Graph algorithms that need more than the adjacency maps of sls_check.graph, on networkx.

    to_networkx(graph)        -> networkx.MultiDiGraph  (sls_check.graph.ServiceGraph.to_networkx)
    cycles(edges)             -> every elementary cycle of a set of directed edges, each as a list
                                 of nodes starting at its smallest (an importer's candidate edges)

networkx costs 0.2-0.4 s to import, so it is imported inside these functions only: `validate`,
`cost` and `limits` never load it (tests/test_graph.py checks with a fresh interpreter).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """All elementary cycles (a self-loop is a cycle of one), deterministic: each rotated to start at
    its smallest node, sorted."""
    import networkx as nx  # type: ignore[import-untyped]  # lazily: see the module docstring

    g = nx.DiGraph()
    g.add_edges_from(edges)
    out = []
    for cycle in nx.simple_cycles(g):
        i = cycle.index(min(cycle))
        out.append([*cycle[i:], *cycle[:i]])
    return sorted(out)


def to_networkx(services: dict[str, Any], succ: dict[str, dict[str, list[Any]]]) -> Any:
    import networkx as nx

    g = nx.MultiDiGraph()
    for sid, svc in services.items():
        g.add_node(sid, type=svc.type, region=svc.region, **{"attrs": svc.attrs})
    for src, targets in succ.items():
        for dst, edges in targets.items():
            for e in edges:
                g.add_edge(src, dst, **e.as_dict())
    return g
