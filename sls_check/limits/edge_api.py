"""API Gateway and CloudFront demand models."""

from __future__ import annotations

from collections import defaultdict

from sls_check.limits.rows import Context, Row, account_id
from sls_check.reporters.numbers import quantity as qty
from sls_check.spec import setting

THROTTLING_DOCS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html"


def api_gateway_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    per_region: dict[str, float] = defaultdict(float)
    apis_per_region: dict[str, int] = defaultdict(int)
    ws_per_region: dict[str, float] = defaultdict(float)
    ws_apis: dict[str, int] = defaultdict(int)
    for api in ctx.services("api_gateway"):
        region, peak = api.region, ctx.peak(api.id)
        rate = ctx.value("apigw_throttle_rps", region)
        per_region[region] += peak
        apis_per_region[region] += 1
        rows.append(
            ctx.row(
                service=api.id,
                quota="apigw_throttle_rps",
                check="apigw_account_throttle",
                limit=rate,
                needed=peak,
                region=region,
            )
        )
        throttle = api.get("throttle") or {}
        if throttle.get("rps") is not None:
            rows.append(
                ctx.row(
                    service=api.id,
                    quota="throttle.rps",
                    title="Stage throttle rate (the API's throttle.rps)",
                    check="apigw_stage_throttle",
                    limit=float(throttle["rps"]),
                    needed=peak,
                    region=region,
                    unit="requests/s",
                    adjustable=True,
                    docs=THROTTLING_DOCS,
                    note="the API's own throttle",
                )
            )
        if throttle.get("burst") is not None:
            rows.append(
                ctx.row(
                    service=api.id,
                    quota="apigw_throttle_burst",
                    check="apigw_stage_throttle",
                    limit=ctx.value("apigw_throttle_burst", region),
                    needed=float(throttle["burst"]),
                    region=region,
                    traffic=False,
                    note="throttle.burst above the account burst has no effect",
                    # a configuration that caps nothing (the account bucket applies): never an error, and
                    # validate leaves it to the pack rule that reports it with or without traffic
                    soft=True,
                    covered_by="APG016",
                )
            )
        if api.get("api") == "websocket":
            per_conn = max(float(setting(api, "messages_per_connection")), 1.0)
            conns = peak / per_conn
            ws_per_region[region] += conns
            ws_apis[region] += 1
            rows.append(
                ctx.row(
                    service=api.id,
                    quota="apigw_websocket_new_connections",
                    check="apigw_websocket_connections",
                    limit=ctx.value("apigw_websocket_new_connections", region),
                    needed=conns,
                    region=region,
                    note=f"{qty(per_conn)} messages per connection",
                )
            )
    for region, total in sorted(per_region.items()):
        if apis_per_region[region] >= 2:
            rows.append(
                ctx.row(
                    service=account_id(region),
                    quota="apigw_throttle_rps",
                    check="apigw_account_throttle",
                    limit=ctx.value("apigw_throttle_rps", region),
                    needed=total,
                    region=region,
                    note=f"{apis_per_region[region]} APIs share the account throttle",
                )
            )
    for region, total in sorted(ws_per_region.items()):
        if ws_apis[region] >= 2:
            rows.append(
                ctx.row(
                    service=account_id(region),
                    quota="apigw_websocket_new_connections",
                    check="apigw_websocket_connections",
                    limit=ctx.value("apigw_websocket_new_connections", region),
                    needed=total,
                    region=region,
                )
            )
    return rows


def cloudfront_rows(ctx: Context) -> list[Row]:
    return [
        ctx.row(
            service=d.id,
            quota="cloudfront_rps_per_distribution",
            check="cloudfront_request_rate",
            limit=ctx.value("cloudfront_rps_per_distribution", d.region),
            needed=ctx.peak(d.id),
            region=d.region,
        )
        for d in ctx.services("cloudfront")
    ]
