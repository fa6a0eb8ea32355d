"""Diagrams of a service graph: Mermaid (renders on GitHub as is) and Graphviz DOT.

Every service is a node labelled with its id and type; every edge of the graph is drawn, the
traffic-carrying ones (connects, CloudFront function associations) solid with the requests per
second they carry on average, the references (certificate, user pool, DLQ) dashed. Services
with findings are marked (red for errors, amber for warnings) and say how many they have.

Mermaid is fragile with raw text: node ids here are generated (`s_<id>`, so `end` or `graph` as a
service id cannot break the diagram), and labels are quoted with `"` written as #quot;.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sls_check.graph import CONNECTS, TRAFFIC_KINDS, Edge, ServiceGraph
from sls_check.model import Finding, Severity
from sls_check.reporters.escape import mermaid_label, visible
from sls_check.spec import setting

ITEM_STORES = frozenset({"dynamodb", "s3"})
ORIGIN_EVENTS = frozenset({"origin-request", "origin-response"})


def rate(x: float) -> str:
    """3 significant figures, thousands separated: 1,250 / 12.5 / 0.0417."""
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def edge_traffic(graph: ServiceGraph, edge: Edge) -> str:
    """What one traffic edge carries on average, as the flow computed it (requests, or item reads/writes)."""
    source = graph.services[edge.source]
    t = graph.traffic.get(edge.source)
    if t is None:
        return ""
    avg = t.writes_ps if source.type in ITEM_STORES else t.rps
    if source.type == "cloudfront" and (edge.kind == CONNECTS or edge.event in ORIGIN_EVENTS):
        avg *= 1.0 - float(setting(source, "cache_hit_ratio"))
    if graph.services[edge.target].type in ITEM_STORES:
        reads = edge.reads if (edge.reads or edge.writes) else edge.calls
        parts = [f"{rate(avg * reads)} reads/s"] if reads else []
        if edge.writes:
            parts.append(f"{rate(avg * edge.writes)} writes/s")
        return " · ".join(parts) or "0 rps"
    text = f"{rate(avg * edge.calls)} rps"
    return f"{edge.event}: {text}" if edge.event else text


def _edges(graph: ServiceGraph) -> list[Edge]:
    return [e for src in graph.services for targets in graph.succ[src].values() for e in targets]


def marks(findings: Iterable[Finding]) -> dict[str, tuple[Severity, int]]:
    """service -> (worst severity, number of findings)."""
    worst: dict[str, Severity] = {}
    count: Counter[str] = Counter()
    for f in findings:
        if not f.service or f.suppressed_by is not None:
            continue
        count[f.service] += 1
        worst[f.service] = max(worst.get(f.service, f.severity), f.severity)
    return {s: (worst[s], count[s]) for s in worst}


def _badge(mark: tuple[Severity, int] | None) -> str:
    if mark is None:
        return ""
    sev, n = mark
    return f"{n} {'finding' if n == 1 else 'findings'} ({sev.label})"


# ---- Mermaid --------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    return mermaid_label(text)


def _mermaid_comment(text: str) -> str:
    """One line of a `%%` comment: no line break (the next line would be Mermaid), no `%` (Mermaid reads
    `%%{...}%%` directives anywhere in the text), no backtick (it would close a ```mermaid fence)."""
    return " ".join(re.sub(r"[%`]", "", text).split())


def mermaid_ids(graph: ServiceGraph) -> dict[str, str]:
    ids: dict[str, str] = {}
    used: set[str] = set()
    for sid in graph.services:
        base = "s_" + re.sub(r"[^A-Za-z0-9_]", "_", sid)
        node, n = base, 2
        while node in used:
            node, n = f"{base}_{n}", n + 1
        used.add(node)
        ids[sid] = node
    return ids


def mermaid(graph: ServiceGraph, findings: Iterable[Finding] = (), *, direction: str = "LR") -> str:
    ids = mermaid_ids(graph)
    marked = marks(findings)
    lines = [f"flowchart {direction}"]
    if graph.name:
        lines.append(f"    %% {_mermaid_comment(graph.name)}: traffic at {rate(graph.entry_rps)} rps entry")
    for sid, svc in graph.services.items():
        parts = [_mermaid_text(sid), _mermaid_text(svc.type)]
        badge = _badge(marked.get(sid))
        if badge:
            parts.append(f"⚠ {_mermaid_text(badge)}")
        lines.append(f'    {ids[sid]}["{"<br/>".join(parts)}"]')
    for e in _edges(graph):
        if e.kind in TRAFFIC_KINDS:
            label = edge_traffic(graph, e)
            arrow = f'-->|"{_mermaid_text(label)}"|' if label else "-->"
        else:
            arrow = f'-.->|"{_mermaid_text(e.kind.replace("_", " "))}"|'
        lines.append(f"    {ids[e.source]} {arrow} {ids[e.target]}")
    lines.append("    classDef error fill:#ffe0e0,stroke:#c00000,stroke-width:2px,color:#000")
    lines.append("    classDef warning fill:#fff0d0,stroke:#d98200,stroke-width:2px,color:#000")
    lines.append("    classDef info fill:#e0f0ff,stroke:#1f6feb,color:#000")
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        nodes = [ids[s] for s, (worst, _) in marked.items() if worst == sev and s in ids]
        if nodes:
            lines.append(f"    class {','.join(nodes)} {sev.label}")
    return "\n".join(lines) + "\n"


# ---- Graphviz DOT ---------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    return '"' + visible(text, keep="\n").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


COLORS = {
    Severity.ERROR: ("#c00000", "#ffe0e0"),
    Severity.WARNING: ("#d98200", "#fff0d0"),
    Severity.INFO: ("#1f6feb", "#e0f0ff"),
}


def dot(graph: ServiceGraph, findings: Iterable[Finding] = ()) -> str:
    marked = marks(findings)
    lines = [
        f"digraph {_dot_string(graph.name or 'architecture')} {{",
        "    rankdir=LR;",
        '    node [shape=box, style="rounded", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for sid, svc in graph.services.items():
        label = f"{sid}\n{svc.type}"
        attrs = [f"label={_dot_string(label + (chr(10) + _badge(marked[sid]) if sid in marked else ''))}"]
        if sid in marked:
            stroke, fill = COLORS[marked[sid][0]]
            attrs += [f'color="{stroke}"', f'fillcolor="{fill}"', 'style="rounded,filled"', "penwidth=2"]
        lines.append(f"    {_dot_string(sid)} [{', '.join(attrs)}];")
    for e in _edges(graph):
        if e.kind in TRAFFIC_KINDS:
            label = edge_traffic(graph, e)
            edge_attrs = f" [label={_dot_string(label)}]" if label else ""
        else:
            edge_attrs = f" [style=dashed, label={_dot_string(e.kind.replace('_', ' '))}]"
        lines.append(f"    {_dot_string(e.source)} -> {_dot_string(e.target)}{edge_attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def markdown(graph: ServiceGraph, findings: Iterable[Finding] = ()) -> str:
    """A Mermaid block for a README or a pull-request comment."""
    return f"```mermaid\n{mermaid(graph, findings)}```\n"


RENDERERS = {"mermaid": mermaid, "dot": dot, "markdown": markdown}
