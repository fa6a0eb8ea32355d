"""The ten Regions shipped now, partial bills, and the figures of each newly priced Region.

Worked examples: where no AWS example exists for a Region, the expected amounts are hand arithmetic
from the unit prices cited in pricing/<table>/<region>.yaml, written out next to each case.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sls_check.api import cost
from sls_check.diff import compare
from sls_check.pricing import money
from sls_check.pricing.models import DIMENSIONS
from sls_check.pricing.tables import SHIPPED_REGIONS, clear_cache, load_table

from .conftest import PricedGraph

G = PricedGraph
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
REGIONS = SHIPPED_REGIONS


def lines(report, sid: str = "svc"):
    return {s.service: s for s in report.services}[sid].lines


def amounts(report, sid: str = "svc") -> dict[str, Decimal]:
    return {ln.item: money(ln.monthly) for ln in lines(report, sid) if ln.priced}


# --- every sample in every Region: complete, or every missing line named ----------------------


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_prices_in_every_region(path: Path, region: str) -> None:
    run = cost(path, region=region)
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    pinned = {str(s["region"]) for s in spec["services"].values() if "region" in s}
    pinned |= {str(r) for s in spec["services"].values() for r in s.get("replicas") or []}
    (scenario,) = run.scenarios
    report = scenario.report
    unpriced = [(s.service, ln.item) for s in report.services for ln in s.lines if not ln.priced]
    assert [(m.service, m.item) for m in report.missing] == unpriced
    assert report.complete == (not unpriced)
    for m in report.missing:  # named per (service, dimension, Region), with a reason
        assert m.dimension in DIMENSIONS[m.table] and m.region and m.reason
    for svc in report.services:
        assert svc.monthly == sum((ln.monthly for ln in svc.lines if ln.priced), Decimal(0))
        for ln in svc.lines:
            if ln.priced:  # the asked Region's price, a global one, or that of a service's own pinned Region
                _, where, _ = ln.source.split(".", 2)
                assert where in (region, "global") or where in pinned, ln.source
            else:
                assert ln.to_json()["monthly"] is None and ln.to_json()["unit_price"] is None
    data = json.loads(json.dumps(report.to_json()))
    assert data["complete"] == report.complete and len(data["missing"]) == len(report.missing)


def test_lambda_and_step_functions_are_complete_in_all_ten_regions() -> None:
    for region in REGIONS:
        r = (
            G()
            .add("fn", "lambda", 5_000_000, memory_mb=512, duration_ms=80, architecture="arm64")
            .add("sf", "step_functions", 100_000, transitions=4)
            .price(region=region)
        )
        assert r.complete, (region, [m.describe() for m in r.missing])


def test_no_region_falls_back_to_another_regions_price() -> None:
    # WebSocket prices are known only in us-east-1: elsewhere the lines are missing, not priced at $1.00
    for region in REGIONS[1:]:
        r = G().add("ws", "api_gateway", 1_000_000, api="websocket", connections=10).price(region=region)
        assert [m.dimension for m in r.missing] == ["websocket_messages", "websocket_connection_minutes"]
        assert r.total == 0


# --- worked examples, by Region (hand arithmetic from the cited unit prices) -----------------


def test_lambda_ap_south_1() -> None:
    # 3,000,000 requests x $0.20/M = $0.60; 3,000,000 x 0.120 s x 1.5 GB = 540,000 GB-s x $0.0000166667
    # = $9.000018 -> $9.00 (rate code PHDF9YNAFR3HDSR8.JRTCKXETXF.6YS6EN2CT7)
    r = G().add("svc", "lambda", 3_000_000, memory_mb=1536, duration_ms=120).price(region="ap-south-1")
    assert amounts(r) == {"Requests": Decimal("0.60"), "Duration": Decimal("9.00")}
    # provisioned concurrency: 1 environment x 1 GB x 730 h x 3,600 s = 2,628,000 GB-s x $0.0000044985 = $11.82
    pc = G().add("svc", "lambda", 0, memory_mb=1024, provisioned_concurrency=1).price(region="ap-south-1")
    assert amounts(pc) == {"Provisioned concurrency": Decimal("11.82")}


def test_lambda_duration_above_the_known_tier_is_a_missing_line_not_a_guess() -> None:
    # ap-northeast-1 has only the first tier (6 billion GB-s); 8 billion GB-s: 6B priced, 2B not
    r = G().add("svc", "lambda", 8_000_000_000, memory_mb=1024, duration_ms=1000).price(region="ap-northeast-1")
    duration = [ln for ln in lines(r) if ln.item.startswith("Duration")]
    assert [(ln.priced, ln.quantity) for ln in duration] == [
        (True, Decimal(6_000_000_000)),
        (False, Decimal(2_000_000_000)),
    ]
    assert money(duration[0].monthly) == Decimal("100000.20")  # 6e9 x $0.0000166667
    assert duration[1].item == "Duration (above the last priced tier)"
    assert "above the last priced tier, which ends at 6,000,000,000" in duration[1].missing


def test_step_functions_ap_south_1_page_table() -> None:
    # the page's table: Asia Pacific (Mumbai) $0.0285 per 1,000 transitions; 1,000,000 x 0.0000285 = $28.50
    r = G().add("svc", "step_functions", 250_000, transitions=4).price(region="ap-south-1")
    assert amounts(r) == {"State transitions": Decimal("28.50")}


def test_dynamodb_eu_central_1() -> None:
    # 10M 1 KB writes = 10M WRU x $0.7625/M = $7.625 -> $7.63 (half-up); 10M eventually consistent 4 KB reads
    # = 5M RRU x $0.1525/M = $0.7625 -> $0.76; 100 GB x $0.306 = $30.60; PITR 100 GB x $0.2448 = $24.48
    r = (
        G()
        .add("svc", "dynamodb", reads=10_000_000, writes=10_000_000, item_kb=1, storage_gb=100, pitr=True)
        .price(region="eu-central-1")
    )
    assert amounts(r) == {
        "Write request units": Decimal("7.63"),
        "Read request units": Decimal("0.76"),
        "Storage": Decimal("30.60"),
        "Point-in-time recovery": Decimal("24.48"),
    }
    assert r.complete


def test_dynamodb_us_east_2_provisioned_from_the_infracost_golden() -> None:
    # the golden (provider us-east-2): 20 WCU = $9.49, 30 RCU = $2.85
    r = G().add("svc", "dynamodb", billing="provisioned", wcu=20, rcu=30).price(region="us-east-2")
    assert amounts(r) == {"Provisioned write capacity": Decimal("9.49"), "Provisioned read capacity": Decimal("2.85")}


def test_dynamodb_standard_ia_provisioned_is_priced_not_refused() -> None:
    # 10 WCU x 730 h x $0.00081 = $5.913 -> $5.91; 10 RCU x 730 x $0.00016 = $1.168 -> $1.17 (third-party, unconfirmed)
    r = G().add("svc", "dynamodb", billing="provisioned", table_class="standard_ia", wcu=10, rcu=10).price()
    assert amounts(r) == {"Provisioned write capacity": Decimal("5.91"), "Provisioned read capacity": Decimal("1.17")}
    assert all("not confirmed" in ln.note for ln in lines(r))


def test_fargate_ap_southeast_1_and_eu_west_2() -> None:
    # 2 tasks x 730 h: 1,460 vCPU-h x $0.05056 = $73.8176 -> $73.82; 2,920 GB-h x $0.00553 = $16.1476 -> $16.15
    r = G().add("svc", "fargate", tasks=2, cpu=1, memory_gb=2).price(region="ap-southeast-1")
    assert amounts(r) == {"vCPU": Decimal("73.82"), "Memory": Decimal("16.15")}
    # London: 1 task, 0.5 vCPU, 1 GB, 30 GB storage: 365 x $0.04656 = $16.9944 -> $16.99; 730 x $0.00511 = $3.7303
    # -> $3.73; 10 GB x 730 h x $0.000129 = $0.9417 -> $0.94
    uk = G().add("svc", "fargate", cpu=0.5, memory_gb=1, ephemeral_storage_gb=30).price(region="eu-west-2")
    assert amounts(uk) == {
        "vCPU": Decimal("16.99"),
        "Memory": Decimal("3.73"),
        "Ephemeral storage above 20 GB": Decimal("0.94"),
    }


def test_data_transfer_out_ap_northeast_1() -> None:
    # 20,000 GB out: 10,240 x $0.114 = $1,167.36 + 9,760 x $0.089 = $868.64 -> $2,036.00
    gb = 20_000
    r = G().add("svc", "api_gateway", gb * 1024, api="rest", response_kb=1024).price(region="ap-northeast-1")
    out = [ln for ln in lines(r) if ln.item.startswith("Data transfer out")]
    assert sum((money(ln.monthly) for ln in out), Decimal(0)) == Decimal("2036.00")


def test_firehose_eu_west_2_three_tiers() -> None:
    # 1,000,000 GB of 5 KB records: 512,000 x $0.035 = $17,920 + 488,000 x $0.030 = $14,640 -> $32,560.00
    records = 1_000_000 * 1024 * 1024 // 5
    r = G().add("svc", "kinesis_firehose", records, record_kb=5).price(region="eu-west-2")
    assert money(r.total) == Decimal("32560.00") and r.complete


def test_s3_ap_southeast_2() -> None:
    # 100 GB x $0.025 = $2.50; 1,000,000 PUT x $0.0055/1K = $5.50; 10,000,000 GET x $0.00044/1K = $4.40
    r = G().add("svc", "s3", reads=10_000_000, writes=1_000_000, storage_gb=100).price(region="ap-southeast-2")
    assert money(r.total) == Decimal("12.40")


def test_dax_r5_large_is_the_r5_price_and_the_family_is_priced() -> None:
    # 3 nodes x 730 h x $0.255 = $558.45 (was $589.11 at the r4.large price 0.269)
    r = G().add("svc", "dax", node_type="dax.r5.large", nodes=3).price()
    assert money(r.total) == Decimal("558.45")
    big = G().add("svc", "dax", node_type="dax.r5.24xlarge", nodes=1).price()
    assert money(big.total) == Decimal("8935.20")  # 730 x $12.24
    unknown = G().add("svc", "dax", node_type="dax.r6g.large", nodes=3).price()
    assert [(m.dimension, m.region) for m in unknown.missing] == [("node_dax.r6g.large", "us-east-1")]


# --- silent zeros: SNS protocols, CloudFront zones and price classes ---------------------------


def test_sns_protocols_are_priced_or_reported() -> None:
    # 1,000,000 messages to one subscription of each protocol, free tier on:
    # https: 1M - 100K free = 900K x $0.60/M = $0.54; email: 1M - 1K free = 999K x $2.00/100K = $19.98;
    # mobile push: 1M x $0.50/M = $0.50; SMS: not priced (depends on the destination country)
    r = G().add("svc", "sns", 1_000_000, protocols=["https", "email", "sms", "application"]).price(free="always")
    got = amounts(r)
    assert got["Deliveries to https subscribers"] == Decimal("0.54")
    assert got["Deliveries to email subscribers"] == Decimal("19.98")
    assert got["Deliveries to application subscribers"] == Decimal("0.50")
    (sms,) = r.missing
    assert (sms.dimension, sms.item) == ("sms_deliveries", "Deliveries to sms subscribers")
    assert "destination country" in sms.reason
    assert all(ln.assumption for ln in lines(r) if "subscribers" in ln.item)


@pytest.mark.parametrize(
    ("zone", "https", "first_gb"),
    [
        ("japan", "0.0120", "0.114"),
        ("australia", "0.0125", "0.114"),
        ("india", "0.0120", "0.109"),
        ("south_america", "0.0220", "0.110"),
        ("middle_east_africa", "0.0120", "0.110"),
    ],
)
def test_cloudfront_every_zone_is_priced(zone: str, https: str, first_gb: str) -> None:
    r = G().add("svc", "cloudfront", 1_000_000, viewer_zone=zone, response_kb=1024).price()
    assert r.complete
    by = {ln.item: ln.unit_price for ln in lines(r)}
    assert by == {"HTTPS requests": Decimal(https), "Data transfer out to viewers": Decimal(first_gb)}


def test_cloudfront_price_class_bills_excluded_viewers_at_north_america() -> None:
    r = G().add("svc", "cloudfront", 1_000_000, viewer_zone="australia", price_class="PriceClass_100").price()
    (line,) = lines(r)
    assert line.source == "cloudfront.global.https_requests_north_america"
    assert "PriceClass_100 has no australia edges" in line.assumption


# --- assumptions and what is not charged --------------------------------------------------------


def test_lines_say_the_assumption_they_rest_on() -> None:
    r = G().add("q", "sqs", 1_000_000).add("t", "dynamodb", reads=1_000_000).add("f", "fargate").price()
    assert lines(r, "q")[0].assumption.startswith("3 API calls per message (send, receive, delete)")
    assert "eventually consistent reads" in lines(r, "t")[0].assumption
    assert "730-hour month" in lines(r, "f")[0].assumption
    data = r.to_json()
    assert "taxes (VAT, GST, sales tax)" in data["not_charged"]
    assert data["services"][0]["lines"][0]["assumption"] == lines(r, "q")[0].assumption


# --- layout: one Region file read per Region used; the user cache ------------------------------


def test_pricing_reads_only_the_region_files_it_needs() -> None:
    clear_cache()
    G().add("fn", "lambda", 1_000_000).add("t", "dynamodb", writes=1_000).price(region="eu-west-2")
    assert set(load_table("lambda")._loaded) == {"eu-west-2"}
    assert set(load_table("dynamodb")._loaded) == {"eu-west-2"}


def test_user_cache_is_preferred_file_by_file(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "lambda"
    folder.mkdir()
    (folder / "ap-east-1.yaml").write_text(
        "table: lambda\nregion: ap-east-1\ncurrency: USD\n"
        "sources: {pl: {url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/"
        "ap-east-1/index.json', seen: 2026-12-01, offer: AWSLambda}}\n"
        "prices:\n  requests: {unit: 1M requests, per: '1000000', price: '0.20', source: pl, confirmed: true}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SLSCHECK_PRICES_DIR", str(tmp_path))
    r = G().add("fn", "lambda", 1_000_000, duration_ms=10).price(region="ap-east-1")
    req = lines(r, "fn")[0]
    assert (req.priced, req.source) == (True, "lambda.ap-east-1.requests (user cache)")
    assert [m.dimension for m in r.missing] == ["duration_x86_64"]  # not in that file: missing, no fallback
    # the packaged Regions still come from pricing/
    us = G().add("fn", "lambda", 1_000_000).price()
    assert lines(us, "fn")[0].source == "lambda.us-east-1.requests"


# --- diff compares like with like -----------------------------------------------------------------


def _spec(tmp_path: Path, name: str, memory: int) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        "slscheck: 1\nname: d\nregion: eu-west-1\nworkload: {rps: 10}\nservices:\n"
        "  ws: {type: api_gateway, api: websocket, connects: [fn]}\n"
        f"  fn: {{type: lambda, runtime: python3.12, memory_mb: {memory}, duration_ms: 100}}\n",
        encoding="utf-8",
    )
    return path


def test_diff_leaves_unpriced_lines_out_of_both_sides(tmp_path) -> None:
    d = compare(_spec(tmp_path, "old", 512), _spec(tmp_path, "new", 1024))
    # the WebSocket lines (no eu-west-1 price) are neither a saving nor an increase
    assert [s.service for s in d.services] == ["fn"]
    assert d.cost_delta is not None and d.cost_delta > 0
    assert d.cost_left_out and all(": ws: " in x for x in d.cost_left_out)
    assert any("neither a saving nor an increase" in n for n in d.cost_notes)
    assert d.to_json()["cost"]["complete"] is False


def test_dynamodb_provisioned_free_band_is_the_price_lists() -> None:
    # 100 WCU x 730 h = 73,000 WCU-hours; the Price List's free band is 0-18,600: 54,400 x $0.00065 = $35.36
    r = G().add("svc", "dynamodb", billing="provisioned", wcu=100, rcu=1).price(free="always")
    assert amounts(r)["Provisioned write capacity"] == Decimal("35.36")


def test_s3_eu_central_1() -> None:
    # 100 GB x $0.0245 = $2.45; 1,000,000 PUT x $0.0054/1K = $5.40; 10,000,000 GET x $0.0043/10K = $4.30
    r = G().add("svc", "s3", reads=10_000_000, writes=1_000_000, storage_gb=100).price(region="eu-central-1")
    assert money(r.total) == Decimal("12.15") and r.complete
