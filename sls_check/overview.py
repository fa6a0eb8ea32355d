"""What a pull-request comment shows besides the findings: monthly cost and quota headroom per spec.

A library function beside `api.validate`: it takes a ValidationReport (whose results keep
their graphs) and asks the pricing engine and the limits calculator about each one. Either
engine failing (a missing price, say) becomes a note on that spec, never an exception:
the findings are the gate, cost and headroom are context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sls_check.graph import ServiceGraph
from sls_check.results import ValidationReport

if TYPE_CHECKING:
    from sls_check.limits import Row
    from sls_check.pricing import CostReport


@dataclass
class FileOverview:
    file: str
    rps: float = 0.0
    cost: CostReport | None = None
    cost_note: str = ""
    rows: list[Row] = field(default_factory=list)
    rows_note: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # quota name -> its title ("Concurrent executions")


def price(graph: ServiceGraph, *, region: str | None = None, free_tier: str | bool = "none") -> CostReport:
    from sls_check.pricing import price_graph

    return price_graph(graph, region=region, free_tier=free_tier)


def headroom(graph: ServiceGraph) -> list[Row]:
    from sls_check.limits import rows_for

    return rows_for(graph)


def quota_titles() -> dict[str, str]:
    from sls_check.limits import load_catalog

    return {name: q.title for name, q in load_catalog().quotas.items()}


def _note(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    more = f" (and {len(text) - 1} more)" if len(text) > 1 else ""
    return f"{first}{more}"


def for_graph(
    file: str, graph: ServiceGraph, *, region: str | None = None, free_tier: str | bool = "none"
) -> FileOverview:
    out = FileOverview(file=file, rps=graph.entry_rps)
    try:
        out.cost = price(graph, region=region, free_tier=free_tier)
    except Exception as exc:  # a missing price must not hide the findings
        out.cost_note = f"no estimate: {_note(exc)}"
    if graph.entry_rps <= 0 and not any(t.rps > 0 or t.peak_rps > 0 for t in graph.traffic.values()):
        out.rows_note = "no traffic (set `workload` in the spec, or `--rps`), so no quota headroom"
        return out  # every row would read "0 ... ok +100 %", which says nothing
    try:
        out.rows = headroom(graph)
        out.titles = quota_titles()
    except Exception as exc:
        out.rows_note = f"no headroom: {_note(exc)}"
    return out


def overview(
    report: ValidationReport, *, region: str | None = None, free_tier: str | bool = "none"
) -> list[FileOverview]:
    """One overview per checked spec, in the report's order."""
    return [
        for_graph(r.file, r.graph, region=region, free_tier=free_tier) for r in report.results if r.graph is not None
    ]
