"""Engine behaviour: tier boundaries, graph-wide free tiers, billing increments, missing prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sls_check.pricing import money, price_graph

from .conftest import PricedGraph

G = PricedGraph


def lines(report, sid: str = "svc"):
    return {s.service: s for s in report.services}[sid].lines


def by_item(report, sid: str = "svc") -> dict[str, tuple[Decimal, Decimal]]:
    return {ln.item: (ln.quantity, ln.unit_price) for ln in lines(report, sid)}


# --- volume tiers: exactly at a boundary, and one unit above --------------------------------


def test_lambda_x86_duration_exactly_at_first_tier_boundary():
    # 6,000,000,000 invocations x 1 s x 1 GB = 6B GB-s: all in tier 1
    r = G().add("svc", "lambda", 6_000_000_000, memory_mb=1024, duration_ms=1000).price()
    duration = [ln for ln in lines(r) if ln.item.startswith("Duration")]
    assert [(ln.item, ln.quantity, ln.unit_price) for ln in duration] == [
        ("Duration", Decimal(6_000_000_000), Decimal("0.0000166667"))
    ]
    assert r.tiers["lambda.us-east-1.duration_x86_64"] == 1


def test_lambda_x86_duration_one_gb_second_above_first_tier():
    r = G().add("svc", "lambda", 6_000_000_001, memory_mb=1024, duration_ms=1000).price()
    duration = {ln.item: ln for ln in lines(r) if ln.item.startswith("Duration")}
    assert duration["Duration (tier 1)"].quantity == Decimal(6_000_000_000)
    assert duration["Duration (tier 2)"].quantity == Decimal(1)
    assert duration["Duration (tier 2)"].unit_price == Decimal("0.0000150000")
    assert duration["Duration (tier 2)"].source == "lambda.us-east-1.duration_x86_64[tier 2]"
    assert r.tiers["lambda.us-east-1.duration_x86_64"] == 2


def test_lambda_tiers_aggregate_per_architecture_across_the_graph():
    # two x86 functions of 4B GB-s each cross 6B together; the arm64 one stays in its own tier 1
    r = (
        G()
        .add("a", "lambda", 4_000_000_000, memory_mb=1024, duration_ms=1000)
        .add("b", "lambda", 4_000_000_000, memory_mb=1024, duration_ms=1000)
        .add("c", "lambda", 4_000_000_000, memory_mb=1024, duration_ms=1000, architecture="arm64")
        .price()
    )
    for sid in ("a", "b"):
        d = {ln.item: ln for ln in lines(r, sid) if ln.item.startswith("Duration")}
        assert d["Duration (tier 1)"].quantity == Decimal(3_000_000_000)
        assert d["Duration (tier 2)"].quantity == Decimal(1_000_000_000)
    c = [ln for ln in lines(r, "c") if ln.item.startswith("Duration")]
    assert [(ln.item, ln.unit_price) for ln in c] == [("Duration", Decimal("0.0000133334"))]
    assert r.tiers == {"lambda.us-east-1.duration_x86_64": 2, "lambda.us-east-1.duration_arm64": 1}


@pytest.mark.parametrize(
    ("requests", "expected"),
    [
        (333_000_000, [("Requests", Decimal(333), Decimal("3.50"))]),
        (
            333_000_001,
            [
                ("Requests (tier 1)", Decimal(333), Decimal("3.50")),
                ("Requests (tier 2)", Decimal("0.000001"), Decimal("2.80")),
            ],
        ),
        (
            1_000_000_000,
            [
                ("Requests (tier 1)", Decimal(333), Decimal("3.50")),
                ("Requests (tier 2)", Decimal(667), Decimal("2.80")),
            ],
        ),
        (
            20_000_000_001,
            [
                ("Requests (tier 1)", Decimal(333), Decimal("3.50")),
                ("Requests (tier 2)", Decimal(667), Decimal("2.80")),
                ("Requests (tier 3)", Decimal(19_000), Decimal("2.38")),
                ("Requests (tier 4)", Decimal("0.000001"), Decimal("1.51")),
            ],
        ),
    ],
)
def test_rest_api_tier_boundaries(requests, expected):
    r = G().add("svc", "api_gateway", requests, api="rest").price()
    assert [(ln.item, ln.quantity, ln.unit_price) for ln in lines(r)] == expected


@pytest.mark.parametrize(("requests", "tier2"), [(300_000_000, None), (300_000_001, Decimal("0.000001"))])
def test_http_api_tier_boundary(requests, tier2):
    r = G().add("svc", "api_gateway", requests, api="http").price()
    got = by_item(r)
    if tier2 is None:
        assert got == {"Requests (512 KB units)": (Decimal(300), Decimal("1.00"))}
    else:
        assert got["Requests (512 KB units) (tier 2)"] == (tier2, Decimal("0.90"))


def test_firehose_last_tier_is_open_ended():
    # the Price List's third tier has no end (infracost bills 4,952,000 GB in it): 10,240,000 GB a month
    # = 512,000 x $0.029 + 1,536,000 x $0.025 + 8,192,000 x $0.020 (records of 5 KB)
    r = G().add("svc", "kinesis_firehose", 2 * 1_073_741_824_000, record_kb=5).price()
    assert r.complete
    assert money(r.total) == Decimal("217088.00")
    assert money(G().add("svc", "kinesis_firehose", 1_073_741_824_000, record_kb=5).price().total) == Decimal(
        "114688.00"
    )  # 512,000 GB x $0.029 + 1,536,000 x $0.025 + 3,072,000 x $0.020


def test_s3_storage_tiers_from_the_price_list():
    # 600 TB: 50 TB at $0.023, 450 TB at $0.022, 100 TB at $0.021 (GB-months, 1 TB = 1,024 GB)
    r = G().add("svc", "s3", storage_gb=600 * 1024).price()
    assert [(ln.quantity, ln.unit_price) for ln in lines(r)] == [
        (Decimal(51_200), Decimal("0.023")),
        (Decimal(460_800), Decimal("0.022")),
        (Decimal(102_400), Decimal("0.021")),
    ]
    assert money(r.total) == Decimal("13465.60")  # 1,177.60 + 10,137.60 + 2,150.40


# --- free tier --------------------------------------------------------------------------------


def test_free_tier_off_by_default_and_on_when_asked():
    g = G().add("svc", "lambda", 3_000_000, memory_mb=1536, duration_ms=120)
    off = g.price()
    assert money(off.total) == Decimal("9.60")  # 0.60 requests + 540,000 GB-s x 0.0000166667
    assert not any("free tier" in ln.item for ln in lines(off))
    on = g.price("always")
    assert money(on.total) == Decimal("2.73")
    assert by_item(on)["Requests (free tier)"] == (Decimal(1), Decimal(0))


def test_lambda_free_tier_is_shared_once_by_all_functions():
    r = (
        G()
        .add("a", "lambda", 1_000_000, memory_mb=1024, duration_ms=300)
        .add("b", "lambda", 3_000_000, memory_mb=1024, duration_ms=300, architecture="arm64")
        .price("always")
    )
    # 1M free requests split 1:3; 400,000 free GB-s split 300,000 : 900,000 GB-s
    assert by_item(r, "a")["Requests (free tier)"][0] == Decimal("0.25")
    assert by_item(r, "b")["Requests (free tier)"][0] == Decimal("0.75")
    assert by_item(r, "a")["Duration (free tier)"][0] == Decimal(100_000)
    assert by_item(r, "b")["Duration (free tier)"][0] == Decimal(300_000)
    free_requests = sum(ln.quantity for s in r.services for ln in s.lines if ln.item == "Requests (free tier)")
    assert free_requests == Decimal(1)  # 1M, once for the graph
    expected = (
        Decimal(3) * Decimal("0.20")
        + Decimal(200_000) * Decimal("0.0000166667")
        + Decimal(600_000) * Decimal("0.0000133334")
    )
    assert r.total == expected


def test_free_tier_larger_than_usage_leaves_nothing_to_pay():
    r = G().add("svc", "sqs", 100_000).price("always")  # 300,000 requests < 1M free
    assert r.total == 0
    assert by_item(r) == {"Requests (64 KB chunks) (free tier)": (Decimal("0.3"), Decimal(0))}


def test_twelve_month_offers_only_with_all():
    g = G().add("svc", "api_gateway", 3_000_000, api="rest")
    assert money(g.price("always").total) == Decimal("10.50")
    assert money(g.price("all").total) == Decimal("7.00")


def test_free_tier_true_false_aliases():
    g = G().add("svc", "step_functions", 10_000, transitions=1)
    assert price_graph(g.g, free_tier=True).free_tier == "always"
    assert money(price_graph(g.g, free_tier=True).total) == Decimal("0.15")  # 6,000 billable
    assert money(price_graph(g.g, free_tier=False).total) == Decimal("0.25")


# --- billing increments -----------------------------------------------------------------------


@pytest.mark.parametrize(("kb", "units"), [(1, 1), (512, 1), (513, 2), (4.5 * 1024, 9)])
def test_http_api_512_kb_metering(kb, units):
    r = G().add("svc", "api_gateway", 1_000_000, api="http", request_kb=kb).price()
    assert by_item(r)["Requests (512 KB units)"][0] == Decimal(units)


@pytest.mark.parametrize(("kb", "units"), [(1, 1), (64, 1), (65, 2), (256, 4), (1024, 16)])
def test_sqs_64_kb_chunks(kb, units):
    r = G().add("svc", "sqs", 1_000_000, message_kb=kb, requests_per_message=1).price()
    assert by_item(r)["Requests (64 KB chunks)"][0] == Decimal(units)


@pytest.mark.parametrize(("kb", "units"), [(3, 1), (32, 1), (33, 2), (128, 4)])
def test_websocket_32_kb_messages(kb, units):
    r = G().add("svc", "api_gateway", 1_000_000, api="websocket", message_kb=kb).price()
    assert by_item(r)["Messages (32 KB units)"][0] == Decimal(units)


@pytest.mark.parametrize(("kb", "billed"), [(1, 5), (3, 5), (5, 5), (5.1, 10), (12, 15), (42, 45)])
def test_firehose_5_kb_per_record(kb, billed):
    r = G().add("svc", "kinesis_firehose", 1_048_576, record_kb=kb).price()
    (line,) = lines(r)
    assert line.quantity == Decimal(billed)  # 1,048,576 records x billed KB = billed GB
    assert line.note.startswith(f"{billed} KB billed per record")


@pytest.mark.parametrize(
    ("ms", "mb", "gb_s"),
    [
        (100, 64, Decimal("0.00625")),
        (101, 64, Decimal("0.0125")),
        (250, 64, Decimal("0.01875")),
        (100, 65, Decimal("0.0125")),
        (100, 128, Decimal("0.0125")),
        (1, 1, Decimal("0.00625")),
    ],
)
def test_step_functions_express_100_ms_and_64_mb(ms, mb, gb_s):
    r = G().add("svc", "step_functions", 1, workflow="express", duration_ms=ms, memory_mb=mb).price()
    line = next(ln for ln in lines(r) if ln.item == "Express duration")
    assert line.quantity * 3600 == gb_s  # quoted per GB-hour


@pytest.mark.parametrize(("ms", "billed_ms"), [(1, 1), (1.2, 2), (120, 120), (120.01, 121)])
def test_lambda_1_ms_metering(ms, billed_ms):
    r = G().add("svc", "lambda", 1000, memory_mb=1024, duration_ms=ms).price()
    assert by_item(r)["Duration"][0] == Decimal(billed_ms)  # 1000 x billed ms x 1 GB


@pytest.mark.parametrize(("kb", "extra"), [(256, 0), (257, 1), (320, 1), (321, 2), (1024, 12), (2048, 12)])
def test_lambda_async_event_64_kb_chunks_above_256_kb(kb, extra):
    r = G().add("svc", "lambda", 1_000_000, duration_ms=1, event_kb=kb).price()
    assert by_item(r)["Requests"][0] == Decimal(1 + extra)


def test_dynamodb_request_units_by_item_size_and_consistency():
    g = G().add("svc", "dynamodb", reads=4_000_000, writes=1_000_000, item_kb=1.5)
    got = by_item(g.price())
    assert got["Write request units"] == (Decimal(2), Decimal("0.625"))  # 2 x 1 KB per write
    assert got["Read request units"] == (Decimal(2), Decimal("0.125"))  # 0.5 per 4 KB eventual read
    strong = by_item(G().add("svc", "dynamodb", reads=4_000_000, item_kb=5, consistency="strong").price())
    assert strong["Read request units"][0] == Decimal(8)


def test_dynamodb_global_table_replica_region_is_priced_there():
    g = (
        G()
        .add("svc", "dynamodb", writes=1_000_000, storage_gb=10, replicas=["eu-west-1"])
        .add("other", "dynamodb", writes=1_000_000, replicas=["ap-east-1"])
    )
    r = g.price()
    assert not r.complete
    assert [(m.service, m.dimension, m.region) for m in r.missing] == [
        ("other", "replicated_write_request_units", "ap-east-1")
    ]
    line = lines(r, "other")[-1]
    assert (line.item, line.priced, line.quantity) == ("Replicated writes (ap-east-1)", False, Decimal(1_000_000))


# --- missing regional prices ------------------------------------------------------------------


def test_missing_regional_price_names_service_dimension_and_region():
    # ap-east-1 (Hong Kong) ships no prices: every line is kept, none is priced, none is $0
    r = G().add("api", "api_gateway", 1_000_000, region="ap-east-1", api="websocket").price()
    assert [m.describe() for m in r.missing] == [
        "api: Messages (32 KB units) (apigateway websocket_messages, ap-east-1): "
        "no ap-east-1 price in the apigateway tables"
    ]
    assert r.total_text() == "at least $0.00; 1 line not priced"
    (line,) = lines(r, "api")
    assert line.to_json()["monthly"] is None and line.to_json()["unit_price"] is None


def test_no_silent_fallback_to_us_east_1_and_all_lines_at_once():
    g = (
        G()
        .add("api", "api_gateway", 1_000_000, api="http")
        .add("pool", "cognito_user_pool", mau=20_000, tier="plus")
        .add("fn", "lambda", 1_000_000, duration_ms=10)
    )
    us = g.price()
    assert us.complete and money(us.total) > 0  # fine in us-east-1
    hk = g.price(region="ap-east-1")
    assert [(m.service, m.dimension) for m in hk.missing] == [
        ("api", "http_requests"),
        ("pool", "mau_plus"),
        ("fn", "requests"),
        ("fn", "duration_x86_64"),
    ]
    # what eu-west-1 does have is priced there, not at us-east-1's rate: HTTP API $1.11 vs $1.00
    eu = G().add("api", "api_gateway", 1_000_000, api="http").price(region="eu-west-1")
    assert by_item(eu, "api")["Requests (512 KB units)"] == (Decimal(1), Decimal("1.11"))


def test_region_override_prices_in_that_region():
    g = G().add("t", "dynamodb", writes=1_000_000)
    assert by_item(g.price(), "t")["Write request units"][1] == Decimal("0.625")
    assert by_item(g.price(region="eu-west-1"), "t")["Write request units"][1] == Decimal("0.705")


def test_every_line_names_its_table_entry():
    r = (
        G()
        .add("api", "api_gateway", 5_000_000, api="rest", response_kb=3)
        .add("fn", "lambda", 5_000_000, duration_ms=50)
        .edge("api", "fn")
        .price("always")
    )
    sources = [ln.source for s in r.services for ln in s.lines]
    assert sources == [
        "apigateway.us-east-1.rest_requests[tier 1]",
        "data_transfer.free_tier.internet_out",
        "lambda.free_tier.requests",
        "lambda.us-east-1.requests",
        "lambda.free_tier.duration",
    ]
    assert lines(r, "api")[1].item == "Data transfer out (free tier)"


def test_json_shape():
    r = G().add("fn", "lambda", 3_000_000, memory_mb=1536, duration_ms=120).price("always")
    data = r.to_json()
    assert data["currency"] == "USD" and data["total"] == 2.73 and data["free_tier"] == "always"
    (svc,) = data["services"]
    assert svc["service"] == "fn" and svc["type"] == "lambda" and svc["monthly"] == 2.73
    assert set(svc["lines"][0]) >= {"item", "quantity", "unit", "unit_price", "monthly", "source"}


def test_provisioned_concurrency_serves_only_while_it_is_enabled():
    """10 environments for 365 of 730 hours, 20 requests in flight: they serve 10/20 of the traffic
    half of the month, a quarter of the GB-seconds (13,140,000 of 52,560,000)."""
    r = (
        PricedGraph()
        .add(
            "svc",
            "lambda",
            52_560_000,
            memory_mb=1024,
            duration_ms=1000,
            provisioned_concurrency=10,
            provisioned_hours=365,
            architecture="x86_64",
        )
        .price()
    )
    got = {ln.item: ln.quantity for ln in lines(r)}
    assert got["Duration on provisioned concurrency"] == Decimal("13140000")
    assert got["Duration"] == Decimal("39420000")
