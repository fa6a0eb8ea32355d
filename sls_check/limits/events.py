"""EventBridge demand models: PutEvents and invocations per account and Region, rules per bus."""

from __future__ import annotations

from collections import defaultdict

from sls_check.graph import CONNECTS
from sls_check.limits.rows import Context, Row, account_id
from sls_check.spec import setting


def _rules(ctx: Context, sid: str) -> int:
    """The rules its edges name (an edge without `rule` is a rule of its own)."""
    names = {e.rule or f"#{i}" for i, e in enumerate(ctx.graph.out_edges(sid, frozenset({CONNECTS})))}
    return len(names)


def eventbridge_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    puts: dict[str, list[tuple[str, float]]] = defaultdict(list)
    invocations: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for bus in ctx.services("eventbridge"):
        region, peak = bus.region, ctx.peak(bus.id)
        edges = ctx.graph.out_edges(bus.id, frozenset({CONNECTS}))
        if bus.get("schedule") is None and setting(bus, "events") == "custom":
            puts[region].append((bus.id, peak))
        if edges:
            invocations[region].append((bus.id, sum(peak * e.calls for e in edges)))
        if bus.get("schedule") is None:
            declared = bus.get("rules")
            count = int(declared) if declared is not None else _rules(ctx, bus.id)
            rows.append(
                ctx.row(
                    service=bus.id,
                    quota="eventbridge_rules_per_bus",
                    check="eventbridge_rules",
                    limit=ctx.value("eventbridge_rules_per_bus", region),
                    needed=float(count),
                    region=region,
                    unit="rules",
                    note="" if declared is not None else "the rules its edges name",
                )
            )
    for quota, check, demand, note in (
        ("eventbridge_put_events_rps", "eventbridge_put_events", puts, "one PutEvents call per event (an upper bound)"),
        (
            "eventbridge_invocations_rps",
            "eventbridge_invocations",
            invocations,
            "one invocation per target an event reaches",
        ),
    ):
        for region, items in sorted(demand.items()):
            total = sum(n for _, n in items)
            service = items[0][0] if len(items) == 1 else account_id(region)
            extra = "" if len(items) == 1 else f"; {len(items)} buses and schedules share the account's quota"
            rows.append(
                ctx.row(
                    service=service,
                    quota=quota,
                    check=check,
                    limit=ctx.value(quota, region),
                    needed=total,
                    region=region,
                    note=note + extra,
                )
            )
    return rows
