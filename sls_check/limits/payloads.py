"""Payload sizes along the traffic edges: a declared message, record or item size
must fit every service it reaches. Queues, topics and streams pass a message on
unchanged, so a size declared upstream carries through them."""

from __future__ import annotations

from sls_check.graph import TRAFFIC_KINDS, Service
from sls_check.limits.compute import ASYNC_SOURCES, POLLED_SOURCES
from sls_check.limits.rows import Context, Row

PASS_THROUGH = frozenset({"sqs", "sns", "kinesis_firehose"})
OWN_SIZE = {  # type -> (size key, quota it must fit)
    "sqs": ("message_kb", "sqs_message_kb"),
    "sns": ("message_kb", "sns_message_kb"),
    "kinesis_firehose": ("record_kb", "firehose_record_kb"),
    "dynamodb": ("item_kb", "dynamodb_item_kb"),
}


def _declared(svc: Service) -> float | None:
    key = OWN_SIZE.get(svc.type, ("", ""))[0]
    value = svc.attrs.get(key) if key else None
    return float(value) if value is not None else None


def size_of(ctx: Context, sid: str, seen: frozenset[str] = frozenset()) -> tuple[float, str] | None:
    """The largest message size reaching out of `sid`, and the service that declared it."""
    svc = ctx.graph.services[sid]
    own = _declared(svc)
    if own is not None:
        return own, sid
    if svc.type not in PASS_THROUGH or sid in seen:
        return None
    found = [s for e in ctx.traffic_in(sid) if (s := size_of(ctx, e.source, seen | {sid})) is not None]
    return max(found) if found else None


def _inbound_quota(src: Service, dst: Service) -> str | None:
    if dst.type == "lambda":
        if src.type in POLLED_SOURCES:
            return None  # event source mappings batch records; each already fits its source
        return "lambda_async_payload_kb" if src.type in ASYNC_SOURCES else "lambda_sync_payload_kb"
    if dst.type == "api_gateway":
        return "apigw_websocket_message_kb" if dst.get("api") == "websocket" else "apigw_payload_kb"
    return {
        "step_functions": "sfn_payload_kb",
        "sqs": "sqs_message_kb",
        "sns": "sns_message_kb",
        "kinesis_firehose": "firehose_record_kb",
    }.get(dst.type)


def _limit(ctx: Context, quota: str, svc: Service) -> float:
    """The quota, or the topic's or queue's own MaximumMessageSize when the spec sets it lower."""
    own = svc.get("max_message_kb") if quota in ("sns_message_kb", "sqs_message_kb") else None
    if own is not None:
        return float(own) if quota == "sns_message_kb" else min(float(own), ctx.value(quota, svc.region))
    return ctx.value(quota, svc.region)


def payload_rows(ctx: Context) -> list[Row]:
    best: dict[tuple[str, str], Row] = {}

    def add(row: Row) -> None:
        key = (row.service, row.quota)
        if key not in best or row.needed > best[key].needed:
            best[key] = row

    for svc in ctx.services(*OWN_SIZE):
        own = _declared(svc)
        if own is not None:
            quota = OWN_SIZE[svc.type][1]
            add(
                ctx.row(
                    service=svc.id,
                    quota=quota,
                    check="payload_size",
                    limit=_limit(ctx, quota, svc),
                    needed=own,
                    region=svc.region,
                    traffic=False,
                    note=OWN_SIZE[svc.type][0],
                )
            )
    for api in ctx.services("api_gateway"):
        sizes = [(float(api.get(k)), k) for k in ("request_kb", "response_kb") if api.get(k) is not None]
        if not sizes:
            continue
        kb, key = max(sizes)
        quota = "apigw_websocket_message_kb" if api.get("api") == "websocket" else "apigw_payload_kb"
        add(
            ctx.row(
                service=api.id,
                quota=quota,
                check="payload_size",
                limit=ctx.value(quota, api.region),
                needed=kb,
                region=api.region,
                traffic=False,
                note=key,
            )
        )
        for e in ctx.graph.out_edges(api.id, TRAFFIC_KINDS):
            dst = ctx.graph.services[e.target]
            if dst.type == "lambda":  # a proxy integration passes the request and returns the response
                add(
                    ctx.row(
                        service=dst.id,
                        quota="lambda_sync_payload_kb",
                        check="payload_size",
                        limit=ctx.value("lambda_sync_payload_kb", dst.region),
                        needed=kb,
                        region=dst.region,
                        traffic=False,
                        note=f"{key} of {api.id}",
                    )
                )
    for sid in sorted(ctx.graph.services):
        for e in ctx.graph.out_edges(sid):
            if e.kind not in ("connects", "function"):
                continue
            src, dst = ctx.graph.services[e.source], ctx.graph.services[e.target]
            inbound = _inbound_quota(src, dst)
            size = size_of(ctx, src.id)
            if inbound is None or size is None:
                continue
            origin = size[1]
            add(
                ctx.row(
                    service=dst.id,
                    quota=inbound,
                    check="payload_size",
                    limit=_limit(ctx, inbound, dst),
                    needed=size[0],
                    region=dst.region,
                    traffic=False,
                    note=f"from {src.id}" + (f" (declared on {origin})" if origin != src.id else ""),
                )
            )
    return list(best.values())
