"""The service graph: one node per service, one edge per connection or reference.

Traffic flows along the traffic-carrying edges (connects, API Lambda authorizers and CloudFront
function associations), multiplied by `calls`, `reads` and `writes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECONDS_PER_MONTH = 730 * 3600  # AWS Pricing Calculator month: 730 hours

# Edge kinds. Only TRAFFIC_KINDS carry requests.
CONNECTS = "connects"
FUNCTION = "function"  # cloudfront -> cloudfront_function / lambda (Lambda@Edge), with an event
CERTIFICATE = "certificate"
USER_POOL = "user_pool"
DLQ = "dlq"
AUTHORIZER = "authorizer"  # api_gateway -> its Lambda authorizer (a connects entry with authorizer: true)
TRAFFIC_KINDS = frozenset({CONNECTS, FUNCTION, AUTHORIZER})


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str
    path: tuple[Any, ...]  # where the edge is written in the spec (for locations)
    calls: float = 1.0
    reads: float = 0.0
    writes: float = 0.0
    event: str | None = None  # cloudfront association event (viewer-request, ...)
    integration: str | None = None  # step functions task pattern (request_response, sync, wait_for_task_token)
    rule: str | None = None  # eventbridge sources: the rule the target belongs to

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "calls": self.calls,
            "reads": self.reads,
            "writes": self.writes,
            "event": self.event,
        }


@dataclass
class Traffic:
    """Requests per second into one service, on average and at peak.

    `rps` counts invocations, messages or requests (whatever the service bills or
    throttles by); for dynamodb and s3, `reads_ps` and `writes_ps` count item reads
    and writes (rps is their sum).
    """

    rps: float = 0.0
    peak_rps: float = 0.0
    reads_ps: float = 0.0
    writes_ps: float = 0.0
    peak_reads_ps: float = 0.0
    peak_writes_ps: float = 0.0
    pinned: bool = False
    entry: bool = False  # traffic put in from outside (an entry point), not flowed in along edges

    @property
    def monthly_requests(self) -> float:
        return self.rps * SECONDS_PER_MONTH


@dataclass
class Service:
    """A service as the engines see it: its keys with AWS defaults filled in."""

    id: str
    type: str
    region: str
    attrs: dict[str, Any]
    path: tuple[Any, ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return self.attrs.get(key, default)


@dataclass
class ServiceGraph:
    """Adjacency maps in the networkx shape (succ[u][v], pred[v][u]) without its import cost.

    `to_networkx()` gives a real networkx.DiGraph for analysis and export.
    """

    services: dict[str, Service] = field(default_factory=dict)
    name: str = ""
    file: str = ""
    region: str = ""
    account: dict[str, Any] = field(default_factory=dict)  # the spec's quota overrides
    workload: dict[str, Any] = field(default_factory=dict)
    entry_rps: float = 0.0  # traffic put in at each entry point (after --rps)
    entry_peak_rps: float = 0.0
    succ: dict[str, dict[str, list[Edge]]] = field(default_factory=dict)
    pred: dict[str, dict[str, list[Edge]]] = field(default_factory=dict)
    traffic: dict[str, Traffic] = field(default_factory=dict)
    # Scratch space for whole-graph sums that rule checks would otherwise redo per service.

    def add_service(self, service: Service) -> None:
        self.services[service.id] = service
        self.succ.setdefault(service.id, {})
        self.pred.setdefault(service.id, {})

    def add_edge(self, edge: Edge) -> None:
        self.succ[edge.source].setdefault(edge.target, []).append(edge)
        self.pred[edge.target].setdefault(edge.source, []).append(edge)

    def out_edges(self, node: str, kinds: frozenset[str] | None = None) -> list[Edge]:
        return [e for es in self.succ[node].values() for e in es if kinds is None or e.kind in kinds]

    def in_edges(self, node: str, kinds: frozenset[str] | None = None) -> list[Edge]:
        return [e for es in self.pred[node].values() for e in es if kinds is None or e.kind in kinds]

    def edge_events(self, node: str) -> list[str]:
        """CloudFront events a function is associated with (Lambda@Edge when non-empty)."""
        return sorted({e.event for e in self.in_edges(node, frozenset({FUNCTION})) if e.event})

    def is_lambda_at_edge(self, node: str) -> bool:
        return self.services[node].type == "lambda" and bool(self.edge_events(node))

    def to_networkx(self) -> Any:
        """The graph as a networkx.MultiDiGraph (imported only here: ~0.3 s), for library users."""
        from sls_check.graph_algorithms import to_networkx

        return to_networkx(self.services, self.succ)
