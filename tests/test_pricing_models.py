"""The usage models of the pricing engine, service by service: AWS's worked examples to the cent,
unit and tier boundaries, free tiers. (Was test_review_cost.py.)

Review of `slscheck cost` against AWS's own worked examples and billing rules.

Examples not already in tests/test_pricing_examples.py, each with the page it comes from (pages read
2026-11-26, through the stored copies named in pricing/*.yaml) and the page's own figures. Where an
example only partly falls inside what slscheck prices (a Lambda example that also charges durable
operations or event pollers), only the parts slscheck prices are compared, and the docstring says so.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sls_check.graph import SECONDS_PER_MONTH, Edge, Service, ServiceGraph, Traffic
from sls_check.pricing import money, price_graph

from .conftest import PricedGraph

LAMBDA = "https://aws.amazon.com/lambda/pricing/"
APIGW = "https://aws.amazon.com/api-gateway/pricing/"
SEEN = "2026-11-26"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"

G = PricedGraph


def amounts(report, sid: str = "svc") -> dict[str, Decimal]:
    """Each line's amount to the cent, by item (lines of the same item summed first)."""
    out: dict[str, Decimal] = {}
    for ln in {s.service: s for s in report.services}[sid].lines:
        out[ln.item] = out.get(ln.item, Decimal(0)) + ln.monthly
    return {k: money(v) for k, v in out.items()}


def part(report, sid: str, prefix: str) -> Decimal:
    svc = {s.service: s for s in report.services}[sid]
    return money(sum((ln.monthly for ln in svc.lines if ln.item.startswith(prefix)), Decimal(0)))


# --- AWS Lambda pricing page ------------------------------------------------------------------


def test_lambda_pc_example_1_mobile_application_launch():
    """PC example 1 (LAMBDA): 3M requests a month, 1,536 MB x86. During an 8-hour launch, Provisioned
    Concurrency 100 serves 500,000 requests of 100 ms; the other 2.5M run on demand at 120 ms. The free
    tier is applied to the requests and to the on-demand duration:
    PC 150 GB x 28,800 s x $0.0000041667 = $18 (18.0001); requests 2M x $0.20 = $0.40;
    PC duration 75,000 GB-s x $0.0000097222 = $0.73; on-demand 50,000 GB-s x $0.0000166667 = $0.83;
    total $19.96. The two duration profiles are two services here (one function, two traffic shapes).
    """
    g = (
        G()
        .add(
            "launch",
            "lambda",
            500_000,
            memory_mb=1536,
            duration_ms=100,
            provisioned_concurrency=100,
            provisioned_hours=8,
            provisioned_share=1,
        )
        .add("rest_of_month", "lambda", 2_500_000, memory_mb=1536, duration_ms=120)
    )
    r = g.price("always")
    assert part(r, "launch", "Provisioned concurrency") == Decimal("18.00")
    assert part(r, "launch", "Duration on provisioned") == Decimal("0.73")
    assert part(r, "rest_of_month", "Duration") == Decimal("0.83")
    requests = sum((ln.monthly for s in r.services for ln in s.lines if ln.item.startswith("Requests")), Decimal(0))
    assert money(requests) == Decimal("0.40")
    assert money(r.total) == Decimal("19.96")


def test_lambda_durable_functions_example_compute_and_requests_arm64():
    """Durable functions example (LAMBDA), Lambda part only: 1M executions x 32 s on 1 GB Arm, 2 invocations
    each, free tier on: (32,000,000 - 400,000) GB-s x $0.0000133334 = $421.34; (2M - 1M) x $0.20 = $0.20.
    (The durable operations, data written and retained, $68.92, are not priced by slscheck.)"""
    # 2M invocations of 16 s each = 32M GB-s, the example's compute
    r = G().add("svc", "lambda", 2_000_000, memory_mb=1024, duration_ms=16_000, architecture="arm64").price("always")
    assert part(r, "svc", "Duration") == Decimal("421.34")
    assert part(r, "svc", "Requests") == Decimal("0.20")
    assert money(r.total) == Decimal("421.54")


def test_lambda_response_streaming_example_compute_and_requests():
    """Response streaming example (LAMBDA), Lambda part only: 3M requests x 500 ms x 1,536 MB, free tier on:
    1,850,000 GB-s x $0.0000166667 = $30.83; 2M x $0.20 = $0.40. (Bytes streamed, $7.81, not priced.)"""
    r = G().add("svc", "lambda", 3_000_000, memory_mb=1536, duration_ms=500).price("always")
    assert part(r, "svc", "Duration") == Decimal("30.83")
    assert part(r, "svc", "Requests") == Decimal("0.40")


def test_lambda_tenant_isolation_example_compute_and_requests():
    """Tenant isolation example (LAMBDA), Lambda part only, no free tier: 10M x 2 s x 1 GB = 20M GB-s and
    10M requests = $2. 20M x $0.0000166667 = $333.334, which is $333.33 to the cent; the page writes
    $333.34 (rounded up). (Environment creation, $33.40, not priced.)"""
    r = G().add("svc", "lambda", 10_000_000, memory_mb=1024, duration_ms=2000).price()
    assert part(r, "svc", "Requests") == Decimal("2.00")
    assert part(r, "svc", "Duration") == Decimal("333.33")


@pytest.mark.parametrize(
    ("invocations", "seconds", "duration", "requests"),
    [
        (30_000_000, 1, "500.00", "6.00"),  # ESM example 2 (SQS): 30M GB-s, 30M requests, no free tier
        (300_000_000, 0.2, "1000.00", "60.00"),  # ESM example 3 (10 Kafka ESMs): 60M GB-s, 300M requests
    ],
)
def test_lambda_event_source_mapping_examples_compute_and_requests(invocations, seconds, duration, requests):
    """Provisioned-mode ESM examples 2 and 3 (LAMBDA), Lambda part only (the EPU-hours are not priced).
    Example 1 subtracts the free tier from compute but not from requests, so no single mode matches it."""
    r = G().add("svc", "lambda", invocations, memory_mb=1024, duration_ms=seconds * 1000).price()
    assert part(r, "svc", "Duration") == Decimal(duration)
    assert part(r, "svc", "Requests") == Decimal(requests)


# --- Amazon API Gateway pricing page ----------------------------------------------------------


def test_apigw_private_rest_api_request_charges():
    """Private API example (APIGW): 5M calls of 0.3 KB in / 3 KB out -> API Gateway charges $17.50 and no
    data transfer out (the $7.36 of PrivateLink endpoint hours and processing are not priced)."""
    r = G().add("svc", "api_gateway", 5_000_000, api="rest", endpoint="private", response_kb=3).price()
    assert amounts(r) == {"Requests": Decimal("17.50")}


def test_apigw_rest_15_billion_calls_data_transfer_differs_from_the_flat_rate():
    """REST example 2 (APIGW) charges 57,220.46 GB of 4 KB responses at a flat $0.09 ($5,149.84, total
    $41,502.94). slscheck bills data transfer out at the EC2 volume tiers (10 TB at $0.09, 40 TB at $0.085,
    the rest at $0.07), which is what an account with only this traffic pays: $4,824.63 for the transfer.
    The request charges match to the cent."""
    r = G().add("svc", "api_gateway", 15_000_000_000, api="rest", response_kb=4).price()
    assert part(r, "svc", "Requests") == Decimal("36353.10")
    gb = Decimal(15_000_000_000) * 4 / (1024 * 1024)
    assert money(gb) == Decimal("57220.46")
    flat = money(gb * Decimal("0.09"))
    assert flat == Decimal("5149.84")
    tiered = 10240 * Decimal("0.09") + 40960 * Decimal("0.085") + (gb - 51200) * Decimal("0.07")
    assert part(r, "svc", "Data transfer out") == money(tiered) == Decimal("4824.63")


def test_apigw_rest_example_data_transfer_uses_1024_kb_per_gb():
    """REST example 1 (APIGW): 3 KB x 5M = 15M KB = 14.3 GB (1 GB = 1,048,576 KB) x $0.09 = $1.29."""
    r = G().add("svc", "api_gateway", 5_000_000, api="rest", response_kb=3).price()
    (dt,) = [ln for ln in {s.service: s for s in r.services}["svc"].lines if ln.item == "Data transfer out"]
    assert dt.quantity.quantize(Decimal("0.1")) == Decimal("14.3")
    assert money(dt.monthly) == Decimal("1.29")


# --- Amazon RDS Proxy pricing page ------------------------------------------------------------


def test_rds_proxy_minimum_two_vcpus_example_rate():
    """RDS Proxy example (https://aws.amazon.com/rds/proxy/pricing/, as quoted in a public README): a 1-vCPU
    instance is charged the 2-vCPU minimum, $0.030 an hour; for a 30-day month (720 h) $21.60. slscheck's
    month is 730 hours, so its line is $21.90 at the same hourly rate."""
    r = G().add("svc", "rds_proxy", vcpus=1).price()
    (line,) = {s.service: s for s in r.services}["svc"].lines
    assert line.quantity == Decimal(2 * 730)
    assert line.unit_price * 2 == Decimal("0.030")
    assert money(line.unit_price * 2 * 720) == Decimal("21.60")
    assert money(line.monthly) == Decimal("21.90")


# --- volume tier boundaries: exactly at, one unit above --------------------------------------


@pytest.mark.parametrize(
    ("arch", "gb_s", "tiers"),
    [
        ("x86_64", 15_000_000_000, [(6_000_000_000, "0.0000166667"), (9_000_000_000, "0.0000150000")]),
        (
            "x86_64",
            15_000_000_001,
            [(6_000_000_000, "0.0000166667"), (9_000_000_000, "0.0000150000"), (1, "0.0000133334")],
        ),
        ("arm64", 7_500_000_000, [(7_500_000_000, "0.0000133334")]),
        ("arm64", 7_500_000_001, [(7_500_000_000, "0.0000133334"), (1, "0.0000120001")]),
        ("arm64", 18_750_000_000, [(7_500_000_000, "0.0000133334"), (11_250_000_000, "0.0000120001")]),
        (
            "arm64",
            18_750_000_001,
            [(7_500_000_000, "0.0000133334"), (11_250_000_000, "0.0000120001"), (1, "0.0000106667")],
        ),
    ],
)
def test_lambda_duration_tiers_per_architecture(arch, gb_s, tiers):
    r = G().add("svc", "lambda", gb_s, memory_mb=1024, duration_ms=1000, architecture=arch).price()
    got = [
        (ln.quantity, ln.unit_price)
        for ln in {s.service: s for s in r.services}["svc"].lines
        if ln.item.startswith("Duration")
    ]
    assert got == [(Decimal(q), Decimal(p)) for q, p in tiers]
    assert r.tiers[f"lambda.us-east-1.duration_{arch}"] == len(tiers)


def test_lambda_tier_pools_are_per_region():
    """Tiers aggregate per architecture *and region*: 4B GB-s in each of two regions stays in tier 1."""
    r = (
        G()
        .add("a", "lambda", 4_000_000_000, memory_mb=1024, duration_ms=1000)
        .add("b", "lambda", 4_000_000_000, memory_mb=1024, duration_ms=1000, region="eu-west-1")
        .price()
    )
    assert r.tiers == {"lambda.us-east-1.duration_x86_64": 1, "lambda.eu-west-1.duration_x86_64": 1}


@pytest.mark.parametrize(
    ("requests", "expected"),
    [
        (1_000_000_001, [(333, "3.50"), (667, "2.80"), ("0.000001", "2.38")]),
        (20_000_000_000, [(333, "3.50"), (667, "2.80"), (19_000, "2.38")]),
    ],
)
def test_rest_api_third_tier_boundaries(requests, expected):
    r = G().add("svc", "api_gateway", requests, api="rest").price()
    got = [(ln.quantity, ln.unit_price) for ln in {s.service: s for s in r.services}["svc"].lines]
    assert got == [(Decimal(str(q)), Decimal(p)) for q, p in expected]


def test_http_api_tiers_count_512_kb_units_not_calls():
    """The 300M HTTP tier is crossed by metered units: 200M calls of 600 KB are 400M requests."""
    r = G().add("svc", "api_gateway", 200_000_000, api="http", request_kb=600).price()
    got = [(ln.quantity, ln.unit_price) for ln in {s.service: s for s in r.services}["svc"].lines]
    assert got == [(Decimal(300), Decimal("1.00")), (Decimal(100), Decimal("0.90"))]
    assert money(r.total) == Decimal("390.00")


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (1_000_000_000, [(1000, "1.00")]),
        (1_000_000_001, [(1000, "1.00"), ("0.000001", "0.80")]),
    ],
)
def test_websocket_message_tier_boundary(messages, expected):
    r = G().add("svc", "api_gateway", messages, api="websocket").price()
    got = [(ln.quantity, ln.unit_price) for ln in {s.service: s for s in r.services}["svc"].lines]
    assert got == [(Decimal(str(q)), Decimal(p)) for q, p in expected]


# --- rounding steps at their edges ------------------------------------------------------------


@pytest.mark.parametrize(("kb", "units"), [(0.5, 1), (511.9, 1), (1024, 2), (1024.1, 3)])
def test_http_api_512_kb_edges(kb, units):
    r = G().add("svc", "api_gateway", 1_000_000, api="http", request_kb=kb).price()
    assert {s.service: s for s in r.services}["svc"].lines[0].quantity == Decimal(units)


@pytest.mark.parametrize(("kb", "units"), [(0.1, 1), (63.9, 1), (128, 2), (128.5, 3)])
def test_sqs_64_kb_edges_standard_and_fifo(kb, units):
    for fifo in (False, True):
        r = G().add("svc", "sqs", 1_000_000, message_kb=kb, requests_per_message=1, fifo=fifo).price()
        (line,) = {s.service: s for s in r.services}["svc"].lines
        assert line.quantity == Decimal(units)
        assert line.unit_price == (Decimal("0.50") if fifo else Decimal("0.40"))


@pytest.mark.parametrize(("kb", "units"), [(0.5, 1), (64, 2), (64.1, 3), (96, 3)])
def test_websocket_32_kb_edges(kb, units):
    r = G().add("svc", "api_gateway", 1_000_000, api="websocket", message_kb=kb).price()
    assert {s.service: s for s in r.services}["svc"].lines[0].quantity == Decimal(units)


@pytest.mark.parametrize(("kb", "billed"), [(0.001, 5), (10, 10), (10.001, 15), (1000, 1000)])
def test_firehose_5_kb_edges(kb, billed):
    r = G().add("svc", "kinesis_firehose", 1_048_576, record_kb=kb).price()
    assert {s.service: s for s in r.services}["svc"].lines[0].quantity == Decimal(billed)


@pytest.mark.parametrize(
    ("ms", "mb", "seconds", "billed_mb"),
    [
        (99, 64, "0.1", 64),
        (200, 128, "0.2", 128),
        (200.5, 129, "0.3", 192),
        (10_000, 62.85, "10", 64),
    ],
)
def test_express_100_ms_and_64_mb_edges(ms, mb, seconds, billed_mb):
    r = G().add("svc", "step_functions", 1_000_000, workflow="express", duration_ms=ms, memory_mb=mb).price()
    line = next(ln for ln in {s.service: s for s in r.services}["svc"].lines if ln.item == "Express duration")
    assert line.quantity * 3600 == Decimal(1_000_000) * Decimal(seconds) * billed_mb / 1024
    assert line.note == f"{Decimal(seconds)} s x {billed_mb} MB billed"


# --- DynamoDB request units by item size and consistency ------------------------------------


@pytest.mark.parametrize(
    ("item_kb", "consistency", "wru", "rru"),
    [
        (0.5, "eventual", 1, "0.5"),
        (1, "eventual", 1, "0.5"),
        (1.01, "strong", 2, "1"),
        (3, "eventual", 3, "0.5"),
        (4, "strong", 4, "1"),
        (4.01, "strong", 5, "2"),
        (4.01, "eventual", 5, "1"),
        (8, "eventual", 8, "1"),
        (8, "strong", 8, "2"),
        (12.5, "eventual", 13, "2"),
    ],
)
def test_dynamodb_on_demand_units_per_item(item_kb, consistency, wru, rru):
    """WRU per 1 KB written, RRU per 4 KB read (strong), eventual reads half: the on-demand page's own
    figures (an 8 KB item: 2 RRU strong, 1 RRU eventual; a 3 KB write: 3 WRU)."""
    r = G().add("svc", "dynamodb", reads=1_000_000, writes=1_000_000, item_kb=item_kb, consistency=consistency).price()
    got = {ln.item: ln.quantity for ln in {s.service: s for s in r.services}["svc"].lines}
    assert got["Write request units"] == Decimal(wru)
    assert got["Read request units"] == Decimal(rru)


def test_dynamodb_provisioned_capacity_from_item_size_and_consistency():
    """Provisioned: 10 writes/s of 3 KB need 30 WCU; 10 eventual reads/s of 3 KB need 5 RCU, of 8 KB 10 RCU."""
    per_s = 10 * SECONDS_PER_MONTH
    r = G().add("svc", "dynamodb", reads=per_s, writes=per_s, item_kb=3, billing="provisioned").price()
    got = {ln.item: ln.quantity for ln in {s.service: s for s in r.services}["svc"].lines}
    assert got["Provisioned write capacity"] == 30 * 730
    assert got["Provisioned read capacity"] == 5 * 730
    r8 = G().add("svc", "dynamodb", reads=per_s, item_kb=8, billing="provisioned").price()
    got8 = {ln.item: ln.quantity for ln in {s.service: s for s in r8.services}["svc"].lines}
    assert got8["Provisioned read capacity"] == 10 * 730


# --- free tier on and off ---------------------------------------------------------------------


def test_free_tier_never_covers_provisioned_concurrency_or_lambda_at_edge():
    g = ServiceGraph()
    g.add_service(Service("cdn", "cloudfront", "us-east-1", {}))
    g.add_service(Service("edge", "lambda", "us-east-1", {"memory_mb": 128, "duration_ms": 10}))
    g.add_service(
        Service(
            "pc",
            "lambda",
            "us-east-1",
            {"memory_mb": 1024, "duration_ms": 100, "provisioned_concurrency": 1, "provisioned_share": 1},
        )
    )
    from sls_check.graph import FUNCTION

    g.add_edge(Edge("cdn", "edge", FUNCTION, (), event="viewer-request"))
    g.traffic["edge"] = Traffic(rps=10_000_000 / SECONDS_PER_MONTH)
    g.traffic["pc"] = Traffic(rps=100_000 / SECONDS_PER_MONTH)
    on = {s.service: s for s in price_graph(g, free_tier="always").services}
    off = {s.service: s for s in price_graph(g, free_tier="none").services}
    assert on["edge"].monthly == off["edge"].monthly
    pc_on = {ln.item: ln.monthly for ln in on["pc"].lines}
    pc_off = {ln.item: ln.monthly for ln in off["pc"].lines}
    assert pc_on["Provisioned concurrency"] == pc_off["Provisioned concurrency"]
    assert pc_on["Duration on provisioned concurrency"] == pc_off["Duration on provisioned concurrency"]
    assert "Requests" not in pc_on and pc_on["Requests (free tier)"] == 0  # inside the 1M free requests


@pytest.mark.parametrize(
    ("type_", "attrs", "per_month", "off", "on"),
    [
        ("sqs", {"requests_per_message": 1}, 3_000_000, "1.20", "0.80"),  # 1M free requests
        ("sns", {}, 3_000_000, "1.50", "1.00"),  # 1M free publishes
        ("step_functions", {"transitions": 4}, 1_000, "0.10", "0.00"),  # 4,000 free transitions
        ("cloudfront_function", {}, 3_000_000, "0.30", "0.10"),  # 2M free invocations
        ("cloudfront", {}, 20_000_000, "20.00", "10.00"),  # 10M free HTTPS requests (NA, $0.01 per 10K)
        ("cognito_user_pool", {"mau": 20_000, "tier": "essentials"}, 0, "300.00", "150.00"),  # 10,000 free MAU
        ("cognito_user_pool", {"mau": 20_000, "tier": "plus"}, 0, "400.00", "400.00"),  # Plus: no free tier
        ("dynamodb", {"storage_gb": 30}, 0, "7.50", "1.25"),  # 25 GB-month free
        ("api_gateway", {"api": "rest", "response_kb": 1024}, 204_800, "18.72", "9.72"),  # 200 GB out, 100 GB free
        ("s3", {"storage_gb": 10}, 0, "0.23", "0.23"),  # the 5 GB are a 12-month offer, not always free
        (
            "step_functions",
            {"workflow": "express", "duration_ms": 100, "memory_mb": 64},
            1_000_000,
            "1.10",
            "1.10",
        ),  # Express: no free tier ($1 + 1.736 GB-h x $0.06)
    ],
)
def test_free_tier_on_and_off_per_service(type_, attrs, per_month, off, on):
    g = G().add("svc", type_, per_month, **attrs)
    assert money(g.price("none").total) == Decimal(off)
    assert money(g.price("always").total) == Decimal(on)


# --- several rps values are the single runs side by side --------------------------------------


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
@pytest.mark.parametrize("free_tier", [False, True])
def test_rps_scenarios_equal_single_runs(sample, free_tier):
    from sls_check.api import cost

    path = SAMPLES / sample
    several = cost(path, rps=[10, 100, 1000], region="us-east-1", free_tier=free_tier)
    assert [s.rps for s in several.scenarios] == [10, 100, 1000]
    for scenario in several.scenarios:
        (single,) = cost(path, rps=[scenario.rps], region="us-east-1", free_tier=free_tier).scenarios
        assert scenario.total == single.total
        assert [(s.service, s.monthly) for s in scenario.report.services] == [
            (s.service, s.monthly) for s in single.report.services
        ]
        assert [(b.service, b.break_even_rps) for b in scenario.break_even] == [
            (b.service, b.break_even_rps) for b in single.break_even
        ]


# --- DynamoDB global tables -------------------------------------------------------------------


def test_global_table_replicated_writes_are_priced_like_the_tables_own_writes():
    """global-tables-billing.html: rWCUs and rWRUs are priced the same as WCUs and WRUs, and are charged
    in every Region the item is written to. A Standard-IA table therefore replicates at the IA price."""
    std = G().add("svc", "dynamodb", writes=2_000_000, item_kb=1, replicas=["eu-west-1"]).price()
    assert amounts(std)["Write request units"] == Decimal("1.25")  # 2M x $0.625
    assert amounts(std)["Replicated writes (eu-west-1)"] == Decimal("1.41")  # 2M x $0.705
    ia = (
        G()
        .add(
            "svc",
            "dynamodb",
            writes=2_000_000,
            item_kb=1,
            table_class="standard_ia",
            replicas=["us-east-1", "eu-west-1"],
        )
        .price()
    )
    assert amounts(ia)["Write request units"] == Decimal("1.56")  # 2M x $0.78
    assert amounts(ia)["Replicated writes (eu-west-1)"] == Decimal("1.77")  # 2M x $0.885
    assert "Replicated writes (us-east-1)" not in amounts(ia)  # the table's own region is not counted twice


# --- Aurora Serverless v2 capacity follows the traffic when acu_per_rps is known ---------------


@pytest.mark.parametrize(
    ("attrs", "rps", "acu"),
    [
        ({"min_acu": 0.5}, 100, "0.5"),  # no acu_per_rps: the minimum, whatever the traffic
        ({"min_acu": 0.5, "avg_acu": 3}, 100, "3"),  # avg_acu wins
        ({"min_acu": 0.5, "max_acu": 16, "acu_per_rps": 0.01}, 10, "0.5"),  # 0.1 ACU needed: the minimum
        ({"min_acu": 0.5, "max_acu": 16, "acu_per_rps": 0.01}, 130, "1.5"),  # 1.3 -> 1.5 (0.5 ACU steps)
        ({"min_acu": 0.5, "max_acu": 16, "acu_per_rps": 0.01}, 5000, "16"),  # capped at max_acu
    ],
)
def test_aurora_acu_hours(attrs, rps, acu):
    r = G().add("db", "aurora_serverless", rps * SECONDS_PER_MONTH, io_per_request=0, **attrs).price()
    (line,) = {s.service: s for s in r.services}["db"].lines
    assert line.quantity == Decimal(acu) * 730
    assert line.unit_price == Decimal("0.12")


# --- Cognito Lite bands ---------------------------------------------------------------------------


def test_cognito_lite_bands_with_the_free_tier():
    """Lite bands (https://aws.amazon.com/cognito/pricing/): the first 10,000 MAU free, then $0.0055 up to
    100,000, $0.0046 up to 1,000,000. The page's Lite example (seen only through a transcription) has the
    lines "First 10,000 (Free-tier)" and "850,000 MAUs x $0.0046", i.e. a pool of 950,000 MAU:
    90,000 x $0.0055 = $495.00 and 850,000 x $0.0046 = $3,910.00."""
    r = G().add("svc", "cognito_user_pool", mau=950_000, tier="lite").price("always")
    got = [(ln.quantity, ln.unit_price, money(ln.monthly)) for ln in {s.service: s for s in r.services}["svc"].lines]
    assert got == [
        (Decimal(10_000), Decimal(0), Decimal("0.00")),
        (Decimal(90_000), Decimal("0.0055"), Decimal("495.00")),
        (Decimal(850_000), Decimal("0.0046"), Decimal("3910.00")),
    ]
    assert money(r.total) == Decimal("4405.00")


# --- Lambda metering rules from the pricing page ------------------------------------------------


@pytest.mark.parametrize(("hours", "billed_s"), [(8, 28_800), (8.01, 29_100), ("0.05", 300), (24, 86_400)])
def test_provisioned_concurrency_is_metered_in_5_minute_steps(hours, billed_s):
    """LAMBDA: "Provisioned Concurrency is calculated from the time you enable it on your function until it
    is disabled, rounded up to the nearest five minutes." """
    r = (
        G()
        .add("svc", "lambda", 0, memory_mb=1024, provisioned_concurrency=1, provisioned_hours=Decimal(str(hours)))
        .price()
    )
    (line,) = [ln for ln in {s.service: s for s in r.services}["svc"].lines if ln.item == "Provisioned concurrency"]
    assert line.quantity == Decimal(billed_s)


def test_snapstart_cache_is_charged_for_at_least_3_hours():
    """LAMBDA: the snapshot cache is charged "for a minimum of 3 hours and per millisecond thereafter"."""
    r = G().add("svc", "lambda", 0, memory_mb=2048, runtime="python3.12", snapstart=True, snapstart_hours=1).price()
    (line,) = {s.service: s for s in r.services}["svc"].lines
    assert line.item == "SnapStart cache"
    assert line.quantity == Decimal(2 * 3 * 3600)
    java = G().add("svc", "lambda", 0, memory_mb=2048, runtime="java21", snapstart=True).price()
    assert {s.service: s for s in java.services}["svc"].lines == []  # free for Java runtimes


@pytest.mark.parametrize(
    ("executions", "tiers"),
    [
        (576_000_000, [(1000, "0.06")]),  # 576M x 0.1 s x 64 MB = 3.6M GB-s = 1,000 GB-hours exactly
        (576_000_001, [(1000, "0.06"), (Decimal("0.00000173611111"), "0.03")]),
        (2_880_000_000, [(1000, "0.06"), (4000, "0.03")]),  # 5,000 GB-hours
        (2_880_000_001, [(1000, "0.06"), (4000, "0.03"), (Decimal("0.00000173611111"), "0.01642")]),
    ],
)
def test_express_duration_tier_boundaries(executions, tiers):
    r = G().add("svc", "step_functions", executions, workflow="express", duration_ms=100, memory_mb=64).price()
    got = [
        (ln.quantity.quantize(Decimal("0.00000000000001")), ln.unit_price)
        for ln in {s.service: s for s in r.services}["svc"].lines
        if ln.item.startswith("Express duration")
    ]
    assert got == [(Decimal(q).quantize(Decimal("0.00000000000001")), Decimal(p)) for q, p in tiers]


def test_sqs_request_tiers_standard_and_fifo():
    """us-east-1 SQS bands (Price List Requests-RBP / Requests-FIFO-RBP): 100B and 200B requests a month."""
    std = G().add("svc", "sqs", 200_000_000_001, requests_per_message=1).price()
    assert [(ln.quantity, ln.unit_price) for ln in {s.service: s for s in std.services}["svc"].lines] == [
        (Decimal(100_000), Decimal("0.40")),
        (Decimal(100_000), Decimal("0.30")),
        (Decimal("0.000001"), Decimal("0.24")),
    ]
    fifo = G().add("svc", "sqs", 200_000_000_001, requests_per_message=1, fifo=True).price()
    assert [(ln.quantity, ln.unit_price) for ln in {s.service: s for s in fifo.services}["svc"].lines] == [
        (Decimal(100_000), Decimal("0.50")),
        (Decimal(100_000), Decimal("0.40")),
        (Decimal("0.000001"), Decimal("0.35")),
    ]


def test_dynamodb_free_tier_is_per_region():
    """DynamoDB gives 25 GB, 25 RCU and 25 WCU "on a per Region, per-payer account basis"
    (https://aws.amazon.com/dynamodb/pricing/provisioned/): a global table's replica region gets its own."""
    g = G().add("svc", "dynamodb", writes=1_000_000, storage_gb=30, replicas=["eu-west-1"])
    on = amounts(g.price("always"))
    assert on["Storage"] == Decimal("1.25")  # 5 GB x $0.25
    assert on["Storage (eu-west-1)"] == Decimal("1.42")  # 5 GB x $0.283
    # Lambda's allowance is the account's, across regions: shared once
    two = (
        G()
        .add("a", "lambda", 1_000_000, memory_mb=1024, duration_ms=100)
        .add("b", "lambda", 1_000_000, memory_mb=1024, duration_ms=100, region="eu-west-1")
        .price("always")
    )
    free = sum(ln.quantity for s in two.services for ln in s.lines if ln.item == "Requests (free tier)")
    assert free == Decimal(1)  # 1M requests, once
