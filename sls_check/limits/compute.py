"""Lambda demand models: concurrency by Little's law, the unreserved pool, the
synchronous request rate, the scaling rate, provisioned concurrency, Lambda@Edge."""

from __future__ import annotations

import math
from collections import defaultdict

from sls_check.graph import Service
from sls_check.limits.rows import Context, Row, account_id
from sls_check.reporters.numbers import quantity as qty
from sls_check.spec import setting

CONCURRENCY_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html"
PROVISIONED_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html"

# Who invokes a function, and how. Everything else invokes synchronously
# (API Gateway, CloudFront, Step Functions, Cognito triggers, other functions, callers).
ASYNC_SOURCES = frozenset({"sns", "s3"})
POLLED_SOURCES = frozenset({"sqs", "dynamodb"})  # event source mappings poll and batch


def duration_s(fn: Service) -> tuple[float, str]:
    """Average duration in seconds; without duration_ms the timeout is the (worst-case) bound."""
    ms = fn.get("duration_ms")
    if ms is not None:
        return float(ms) / 1000.0, ""
    timeout = float(setting(fn, "timeout_s"))
    return timeout, f"duration_ms not given: timeout {qty(timeout)} s used (worst case)"


def assumed(ctx: Context, fn: Service) -> bool:
    """Whether a concurrency figure rests on an assumption rather than the spec: the timeout stands in
    for a missing duration_ms, or only queues and streams feed the function (they buffer: a backlog
    waits instead of throttling). Such rows warn, never fail a gate."""
    if fn.get("duration_ms") is None:
        return True
    edges = ctx.traffic_in(fn.id)
    t = ctx.graph.traffic.get(fn.id)
    polled = [e for e in edges if ctx.graph.services[e.source].type in POLLED_SOURCES]
    return bool(edges) and len(polled) == len(edges) and not (t is not None and t.pinned)


def concurrency(ctx: Context, fn: Service) -> float:
    """Little's law: environments busy at peak = peak requests/s x seconds per request.

    A queue's event source mapping batches messages (one invocation per `trigger_batch_size`
    messages, AWS's default 10; full batches at peak) and invokes at most
    `trigger_max_concurrency` environments at once (ScalingConfig MaximumConcurrency, 2-1,000),
    so the part of the traffic that comes from an SQS queue counts at most that."""
    dur = duration_s(fn)[0]
    conc = ctx.peak(fn.id) * dur
    t = ctx.graph.traffic.get(fn.id)
    if t is not None and t.pinned:
        return conc
    for edge in ctx.traffic_in(fn.id):
        src = ctx.graph.services[edge.source]
        if src.type != "sqs":
            continue
        rate = ctx.edge_peak(edge)
        batch = src.get("trigger_batch_size")
        batched = rate / float(batch) * dur if isinstance(batch, (int, float)) and batch > 1 else rate * dur
        cap = src.get("trigger_max_concurrency")
        if isinstance(cap, (int, float)) and cap > 0:
            batched = min(batched, float(cap))
        conc += batched - rate * dur
    return max(conc, 0.0)


def queue_note(ctx: Context, fn: Service) -> str:
    """How the queues that feed a function bound its concurrency (for the row's note)."""
    parts = []
    for edge in ctx.traffic_in(fn.id):
        src = ctx.graph.services[edge.source]
        if src.type != "sqs":
            continue
        bits = []
        if isinstance(src.get("trigger_batch_size"), (int, float)) and src.get("trigger_batch_size") > 1:
            bits.append(f"{qty(src.get('trigger_batch_size'))} messages per invocation")
        if isinstance(src.get("trigger_max_concurrency"), (int, float)):
            bits.append(f"at most {qty(src.get('trigger_max_concurrency'))} concurrent (trigger_max_concurrency)")
        if bits:
            parts.append(f"{src.id}: {', '.join(bits)}")
    return "; ".join(parts)


def sync_share(ctx: Context, fn: Service) -> float:
    """Share of the function's requests that arrive synchronously."""
    edges = ctx.traffic_in(fn.id)
    t = ctx.graph.traffic.get(fn.id)
    if not edges or (t is not None and t.pinned):
        return 1.0  # an entry point or a pinned rate: invoked directly
    total = sync = 0.0
    for e in edges:
        rate = ctx.edge_peak(e)
        total += rate
        if ctx.graph.services[e.source].type not in ASYNC_SOURCES | POLLED_SOURCES:
            sync += rate
    if total <= 0:  # no traffic yet: judge by the kinds of callers
        kinds = [ctx.graph.services[e.source].type for e in edges]
        return sum(k not in ASYNC_SOURCES | POLLED_SOURCES for k in kinds) / len(kinds)
    return sync / total


def scale_time_s(environments: float, per_10s: float) -> float:
    """Seconds from zero to `environments` at `per_10s` new environments per 10 s.

    AWS: at most 1,000 more every 10 s per function, refilled continuously ("a best attempt"), unused
    rate not kept: the first `per_10s` come at once, the rest at per_10s / 10 a second.
    """
    extra = max(math.ceil(environments - 1e-9) - per_10s, 0)
    return round(10.0 * extra / per_10s, 2)


def lambda_rows(ctx: Context) -> list[Row]:
    fns = ctx.services("lambda")
    edge = [f for f in fns if ctx.graph.edge_events(f.id)]
    regional = [f for f in fns if not ctx.graph.edge_events(f.id)]
    by_region: dict[str, list[Service]] = defaultdict(list)
    for f in regional:
        by_region[f.region].append(f)
    rows: list[Row] = []
    for region, group in sorted(by_region.items()):
        rows += _region_rows(ctx, region, group)
    for f in edge:
        rows += _edge_rows(ctx, f)
    return rows


def _region_rows(ctx: Context, region: str, group: list[Service]) -> list[Row]:
    rows: list[Row] = []
    account = ctx.value("lambda_concurrency", region)
    floor = min(ctx.value("lambda_unreserved_min", region), account)
    reserved = {f.id: float(f.get("reserved_concurrency")) for f in group if f.get("reserved_concurrency") is not None}
    total_reserved = sum(reserved.values())
    pool = max(account - total_reserved, floor)
    # Reservations above account - floor are LMB016's (rules/lambda.yaml, check unreserved_pool), which also
    # counts the provisioned concurrency of functions without a reservation: one engine per constraint.
    pool_demand = 0.0
    unreserved = 0
    for fn in group:
        conc = concurrency(ctx, fn)
        _, dur_note = duration_s(fn)
        if fn.id in reserved:
            limit, quota, docs, note = reserved[fn.id], "reserved_concurrency", CONCURRENCY_DOCS, ""
            title: str | None = "Reserved concurrency (the function's reserved_concurrency)"
        else:
            unreserved += 1
            pool_demand += conc
            limit, quota, docs, title = pool, "lambda_concurrency", None, None
            note = (
                f"unreserved pool = max({qty(account)} - {qty(total_reserved)} reserved, {qty(floor)})"
                if total_reserved
                else ""
            )
        rows.append(
            ctx.row(
                service=fn.id,
                quota=quota,
                check="lambda_function_concurrency",
                limit=limit,
                needed=conc,
                region=region,
                note=_join(_join(note, dur_note), queue_note(ctx, fn)),
                unit="executions",
                adjustable=True,
                docs=docs or ctx.catalog.quotas["lambda_concurrency"].docs,
                soft=assumed(ctx, fn),
                title=title,
            )
        )
        share = sync_share(ctx, fn)
        if share > 0:
            per_env = ctx.value("lambda_sync_rps_per_environment", region)
            rows.append(
                ctx.row(
                    service=fn.id,
                    quota="lambda_sync_rps_per_environment",
                    check="lambda_sync_request_rate",
                    limit=per_env * limit,
                    needed=share * ctx.peak(fn.id),
                    region=region,
                    unit="requests/s",
                    note=f"{qty(per_env)} x {qty(limit)} environments available",
                )
            )
        rows += _scaling_rows(ctx, fn, conc, region)
    if reserved and unreserved:
        # with no reservations the pool is the account quota: the account row below says it all
        rows.append(
            ctx.row(
                service=account_id(region),
                quota="unreserved_pool",
                title="Unreserved concurrency pool (account concurrency minus reservations)",
                check="lambda_unreserved_pool",
                limit=pool,
                needed=pool_demand,
                region=region,
                unit="executions",
                adjustable=True,
                docs=CONCURRENCY_DOCS,
                soft=any(assumed(ctx, f) for f in group if f.id not in reserved),
                note=f"{unreserved} function{'s' if unreserved > 1 else ''} share max({qty(account)} - "
                f"{qty(total_reserved)} reserved, {qty(floor)})",
            )
        )
    if len(group) >= 2:
        rows.append(
            ctx.row(
                service=account_id(region),
                quota="lambda_concurrency",
                check="lambda_account_concurrency",
                limit=account,
                needed=sum(concurrency(ctx, f) for f in group),
                region=region,
                soft=any(assumed(ctx, f) for f in group),
            )
        )
    return rows


def _ramp_note(conc: float, rate: float) -> str:
    envs = math.ceil(conc - 1e-9)
    wait = scale_time_s(conc, rate)
    if wait <= 0:
        # "takes 0 s" read as a bug: say that the first step covers the whole peak
        return f"from zero to peak ({envs:,} environments) in the first step of {rate:,.0f}: no ramp-up wait"
    return f"from zero to peak ({envs:,} environments) takes {wait:g} s"


def _scaling_rows(ctx: Context, fn: Service, conc: float, region: str) -> list[Row]:
    rate = ctx.value("lambda_scaling_rate", region)
    rows = [
        ctx.row(
            service=fn.id,
            quota="lambda_scaling_rate",
            check="lambda_scaling_rate",
            limit=rate,
            needed=conc,
            region=region,
            unit="environments in 10 s",
            note=_ramp_note(conc, rate),
        )
    ]
    provisioned = float(setting(fn, "provisioned_concurrency"))
    if provisioned > 0:
        rows.append(
            ctx.row(
                service=fn.id,
                quota="provisioned_concurrency",
                title="Provisioned concurrency (the function's provisioned_concurrency)",
                check="lambda_provisioned_concurrency",
                limit=provisioned,
                needed=conc,
                region=region,
                unit="executions",
                adjustable=True,
                docs=PROVISIONED_DOCS,
                note="beyond it, requests run on on-demand environments (cold starts)",
            )
        )
        per_env = ctx.value("lambda_provisioned_rps_per_environment", region)
        rows.append(
            ctx.row(
                service=fn.id,
                quota="lambda_provisioned_rps_per_environment",
                check="lambda_provisioned_concurrency",
                limit=per_env * provisioned,
                needed=ctx.peak(fn.id),
                region=region,
                unit="requests/s",
                note=f"{qty(per_env)} x {qty(provisioned)} provisioned",
            )
        )
    return rows


def _edge_rows(ctx: Context, fn: Service) -> list[Row]:
    """Lambda@Edge runs in the edge Regions; worst case all traffic lands in one of them."""
    conc = concurrency(ctx, fn)
    _, dur_note = duration_s(fn)
    worst = "worst case: all requests served from one edge Region"
    return [
        ctx.row(
            service=fn.id,
            quota="lambda_edge_rps",
            check="lambda_edge_rps",
            limit=ctx.value("lambda_edge_rps", "edge"),
            needed=ctx.peak(fn.id),
            region="edge",
            note=worst,
        ),
        ctx.row(
            service=fn.id,
            quota="lambda_edge_concurrency",
            check="lambda_edge_concurrency",
            limit=ctx.value("lambda_edge_concurrency", "edge"),
            needed=conc,
            region="edge",
            note=_join(worst, dur_note),
        ),
    ]


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
