"""AWS's own worked pricing examples, priced by slscheck, to the cent.

Each case names the page it comes from and the date the page (a stored copy) was read.
Totals are the examples' own. Usage is given per month, as the examples do; the engine
works from rps, so monthly counts are turned into a rate over the 730-hour month.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sls_check.graph import SECONDS_PER_MONTH, Service, ServiceGraph, Traffic
from sls_check.pricing import money, price_graph

LAMBDA = "https://aws.amazon.com/lambda/pricing/"
APIGW = "https://aws.amazon.com/api-gateway/pricing/"
SFN = "https://aws.amazon.com/step-functions/pricing/"
FARGATE = "https://aws.amazon.com/fargate/pricing/"
SEEN = "2026-11-26"


def one(type_: str, per_month: float = 0, **attrs: object) -> ServiceGraph:
    g = ServiceGraph()
    g.add_service(Service("svc", type_, "us-east-1", dict(attrs)))
    g.traffic["svc"] = Traffic(rps=per_month / SECONDS_PER_MONTH)
    return g


# (id, source, seen, graph, free tier, expected total, {item prefix: expected amount})
CASES = [
    (
        "lambda-ex1-mobile-backend",
        LAMBDA,
        SEEN,
        one("lambda", 3_000_000, memory_mb=1536, duration_ms=120),
        "always",
        "2.73",
        {"Duration": "2.33", "Requests": "0.40"},
    ),
    (
        "lambda-ex2-telemetry",
        LAMBDA,
        SEEN,
        one("lambda", 7_440_000, memory_mb=1024, duration_ms=2000),
        "none",
        "249.49",
        {"Requests": "1.49", "Duration": "248.00"},
    ),
    (
        "lambda-ex3-bert-ephemeral-storage",
        LAMBDA,
        SEEN,
        one("lambda", 6_000_000, memory_mb=4096, duration_ms=280, ephemeral_storage_mb=2048),
        "always",
        "106.41",
        {"Duration": "105.33", "Requests": "1.00", "Ephemeral": "0.08"},
    ),
    (
        "lambda-pc-ex2-cyber-monday",
        LAMBDA,
        SEEN,
        one(
            "lambda",
            2_000_000,
            memory_mb=4096,
            duration_ms=280,
            provisioned_concurrency=7,
            provisioned_hours=24,
            provisioned_share=1,
        ),
        "none",
        "32.26",
        {"Provisioned concurrency": "10.08", "Duration on provisioned": "21.78", "Requests": "0.40"},
    ),
    (
        "lambda-snapstart-telemetry",
        LAMBDA,
        SEEN,
        one(
            "lambda",
            7_440_000,
            memory_mb=1024,
            duration_ms=2000,
            runtime="python3.12",
            snapstart=True,
            snapstart_hours=744,
            cold_start_ratio=0.01,
        ),
        "none",
        "263.92",
        {"SnapStart cache": "4.03", "SnapStart restore": "10.40", "Duration": "248.00"},
    ),
    (
        "apigw-http-ex1-web-app",
        APIGW,
        SEEN,
        one("api_gateway", 10_000 * 60 * 24 * 30, api="http", request_kb=12),
        "none",
        "418.80",
        {"Requests (512 KB units) (tier 1)": "300.00", "Requests (512 KB units) (tier 2)": "118.80"},
    ),
    (
        "apigw-http-ex2-uploads-512kb-metering",
        APIGW,
        SEEN,
        one("api_gateway", 25 * 60 * 24 * 30, api="http", request_kb=4.5 * 1024),
        "none",
        "9.72",
        {},
    ),
    (
        "apigw-rest-5m-calls-3kb",
        APIGW,
        SEEN,
        one("api_gateway", 5_000_000, api="rest", response_kb=3),
        "none",
        "18.79",
        {"Requests": "17.50", "Data transfer out": "1.29"},
    ),
    (
        "apigw-websocket-chat",
        APIGW,
        SEEN,
        one("api_gateway", 18_000_000, api="websocket", message_kb=3, connection_minutes=21_600_000),
        "none",
        "23.40",
        {"Messages": "18.00", "Connection minutes": "5.40"},
    ),
    (
        "sfn-express-100m-workflows",
        SFN,
        SEEN,
        one("step_functions", 100_000_000, workflow="express", duration_ms=10_000, memory_mb=64),
        "none",
        "482.97",
        {"Express requests": "100.00", "Express duration": "382.97"},
    ),
    (
        "sfn-express-memory-estimate-62.85mb",
        SFN,
        SEEN,
        one("step_functions", 100_000_000, workflow="express", duration_ms=10_000, memory_mb=62.85),
        "none",
        "482.97",
        {},
    ),
    (
        "fargate-ex1-ecs-linux-x86",
        FARGATE,
        SEEN,
        one("fargate", tasks=5, cpu=1, memory_gb=2, ephemeral_storage_gb=30, hours=600 * 30 / 3600),
        "none",
        "1.26",
        {"vCPU": "1.01", "Memory": "0.22", "Ephemeral": "0.03"},
    ),
    (
        "fargate-ex2-ecs-linux-arm",
        FARGATE,
        SEEN,
        one(
            "fargate", tasks=5, cpu=1, memory_gb=2, ephemeral_storage_gb=30, hours=600 * 30 / 3600, architecture="arm64"
        ),
        "none",
        "1.02",
        {"vCPU": "0.81", "Memory": "0.18", "Ephemeral": "0.03"},
    ),
    (
        "fargate-ex3-eks-pods",
        FARGATE,
        SEEN,
        one("fargate", tasks=10, cpu=0.25, memory_gb=1, hours=30),
        "none",
        "4.37",
        {"vCPU": "3.04", "Memory": "1.33"},
    ),
]


@pytest.mark.parametrize(
    ("case", "source", "seen", "graph", "free", "total", "parts"), CASES, ids=[c[0] for c in CASES]
)
def test_aws_worked_example(case, source, seen, graph, free, total, parts):
    report = price_graph(graph, free_tier=free)
    assert money(report.total) == Decimal(total), (case, source, seen)
    lines = report.services[0].lines
    for prefix, amount in parts.items():
        got = sum((ln.monthly for ln in lines if ln.item.startswith(prefix)), Decimal(0))
        assert money(got) == Decimal(amount), (case, prefix)


def test_lambda_edge_example_has_no_free_tier():
    """Lambda@Edge page example: 10M requests x 10 ms -> $0.63 + $6.00 = $6.63, free tier on or off."""
    g = ServiceGraph()
    g.add_service(Service("cdn", "cloudfront", "us-east-1", {}))
    g.add_service(Service("edge", "lambda", "us-east-1", {"memory_mb": 128, "duration_ms": 10}))
    from sls_check.graph import FUNCTION, Edge

    g.add_edge(Edge("cdn", "edge", FUNCTION, (), event="viewer-request"))
    g.traffic["edge"] = Traffic(rps=10_000_000 / SECONDS_PER_MONTH)
    for free in ("none", "always", "all"):
        edge = {s.service: s for s in price_graph(g, free_tier=free).services}["edge"]
        assert money(edge.monthly) == Decimal("6.63")
        assert [ln.item for ln in edge.lines] == ["Lambda@Edge requests", "Lambda@Edge duration"]


def test_rest_15_billion_calls_request_charges():
    """REST example: 15B calls -> 333M x $3.50 + 667M x $2.80 + 14B x $2.38 = $36,353.10.

    The example also charges 57,220.46 GB of responses at a flat $0.09; slscheck applies the
    data-transfer volume tiers instead, so only the request charges are compared.
    """
    report = price_graph(one("api_gateway", 15_000_000_000, api="rest"), free_tier="none")
    lines = report.services[0].lines
    expected = [Decimal("1165.50"), Decimal("1867.60"), Decimal("33320.00")]
    assert [money(ln.monthly) for ln in lines] == expected
    assert money(report.total) == Decimal("36353.10")


def test_rest_cache_example_rate():
    """Caching example: a 1.5 GB need gets the 1.6 GB cache at $0.038/hour ($0.912/day)."""
    report = price_graph(one("api_gateway", 0, api="rest", cache_gb=1.5), free_tier="none")
    (line,) = report.services[0].lines
    assert line.unit_price == Decimal("0.038")
    assert line.quantity * 24 / 730 * line.unit_price == Decimal("0.912")
    assert money(line.monthly) == Decimal("27.74")  # 730 hours
