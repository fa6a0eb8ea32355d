"""`slscheck prices update` end to end: a local HTTP server on 127.0.0.1 serves small offer files
in the Price List's real formats; download, parse, map and write are the real path."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sls_check.pricelist.update import UpdateError, update
from sls_check.pricing.tables import _load_table, clear_cache, load_table, load_yaml, table_dir
from tests.conftest import ROOT, run_cli
from tests.pricelist_fixtures import ON_DEMAND_TERM, Product, Rate, Site, rate_code, serve

V1 = "20261101000000"
V2 = "20261120000000"
FIFO = "FIFO (first-in, first-out)"


def sqs_products(prefix: str, region: str, *, fifo: bool = True, currency: str = "USD") -> list[Product]:
    std = Product(
        "SQSSTD4EUC1AAAAA",
        "API Request",
        {"usagetype": f"{prefix}Requests-RBP", "queueType": "Standard", "regionCode": region, "group": "SQS"},
        [
            Rate("0", "1000000", "0.0000000000", description="First 1,000,000 Amazon SQS Requests per month are free"),
            Rate("1000000", "100000000000", "0.0000004000", currency=currency),
            Rate("100000000000", "200000000000", "0.0000003000"),
            Rate("200000000000", "Inf", "0.0000002400"),
        ],
        reserved=[Rate("0", "Inf", "0.0000000100")],  # another term: never read
    )
    elsewhere = Product(  # a product of another Region in this Region's file: never matches
        "SQSSTD4USE1BBBBB",
        "API Request",
        {"usagetype": "USE1-Requests-RBP", "queueType": "Standard", "regionCode": "us-east-1"},
        [Rate("0", "Inf", "0.0000009900")],
    )
    out = [std, elsewhere]
    if fifo:
        out.append(
            Product(
                "SQSFIFO4EUC1CCCC",
                "API Request",
                {"usagetype": f"{prefix}Requests-FIFO-RBP", "queueType": FIFO, "regionCode": region},
                [Rate("0", "Inf", "0.0000005000")],
            )
        )
        out.append(  # a free-tier product next to the paid one
            Product(
                "SQSFIFOFREE4DDDD",
                "API Request",
                {"usagetype": f"{prefix}Requests-FIFO-FreeTier", "queueType": FIFO, "regionCode": region},
                [Rate("0", "Inf", "0.0000000000")],
            )
        )
    return out


@pytest.fixture
def site() -> Site:
    s = Site()
    s.offer("AWSQueueService", V1, {"eu-central-1": sqs_products("EUC1-", "eu-central-1"), "eu-west-2": []})
    del s.files[f"/offers/v1.0/aws/AWSQueueService/{V1}/eu-west-2/index.json"]  # listed, but 404
    return s


def run(url: str, folder: Path, **kw: Any) -> Any:
    return update(source=url, folder=folder, today=__import__("datetime").date(2026, 12, 1), **kw)


def test_json_offer_file_becomes_a_region_file(site: Site, tmp_path: Path) -> None:
    with serve(site) as url:
        done = run(url, tmp_path, regions=["eu-central-1"], services=["sqs"])
    path = tmp_path / "sqs" / "eu-central-1.yaml"
    assert done.files == [path]
    assert site.requests == [
        "/offers/v1.0/aws/index.json",
        "/offers/v1.0/aws/AWSQueueService/current/region_index.json",
        f"/offers/v1.0/aws/AWSQueueService/{V1}/eu-central-1/index.json",
    ]
    doc = load_yaml(path)
    std = doc["prices"]["standard_requests"]
    # the free first million (a free-tier rate code) is left to the table file's free_tier; "Inf" is open
    assert [(t.get("upto"), t["price"]) for t in std["tiers"]] == [
        ("100000000000", "0.4"),
        ("200000000000", "0.3"),
        (None, "0.24"),
    ]
    assert [t["rate_code"] for t in std["tiers"]] == [
        rate_code("SQSSTD4EUC1AAAAA", ON_DEMAND_TERM, i) for i in (1, 2, 3)
    ]
    assert std["sku"] == "SQSSTD4EUC1AAAAA" and std["usage_type"] == "EUC1-Requests-RBP"
    assert std["unit"] == "1M requests" and std["per"] == "1000000" and std["confirmed"] is True
    assert "free-tier rate code" in std["note"]
    fifo = doc["prices"]["fifo_requests"]
    assert fifo["price"] == "0.5" and fifo["sku"] == "SQSFIFO4EUC1CCCC"  # the 0-priced free-tier SKU is skipped
    assert "free-tier SKU SQSFIFOFREE4DDDD" in fifo["note"]
    source = doc["sources"][std["source"]]
    assert source["url"] == (
        f"https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSQueueService/{V1}/eu-central-1/index.json"
    )
    assert (source["offer"], source["offer_version"], source["published"]) == ("AWSQueueService", V1, "2026-11-01")
    assert source["seen"] == "2026-12-01" and f"from {url}/offers" in source["via"]
    assert doc["generated"] == {"by": "slscheck prices update", "at": "2026-12-01"}
    # it loads as the engine loads it
    table = _load_table("sqs", (tmp_path, table_dir()))
    entry = table.entry("standard_requests", "eu-central-1")
    assert entry.origin == "cache"
    assert [t.price for t in entry.tiers] == [Decimal("0.4"), Decimal("0.3"), Decimal("0.24")]


def test_csv_offer_file_gives_the_same_prices(site: Site, tmp_path: Path) -> None:
    with serve(site) as url:
        run(url, tmp_path / "json", regions=["eu-central-1"], services=["AWSQueueService"])
        run(url, tmp_path / "csv", regions=["eu-central-1"], services=["sqs"], form="csv")
    assert site.requests[-1] == f"/offers/v1.0/aws/AWSQueueService/{V1}/eu-central-1/index.csv"
    from_json = load_yaml(tmp_path / "json" / "sqs" / "eu-central-1.yaml")
    from_csv = load_yaml(tmp_path / "csv" / "sqs" / "eu-central-1.yaml")
    assert from_csv["prices"] == from_json["prices"]


def lambda_products(prefix: str, region: str) -> list[Product]:
    def one(sku: str, group: str, usage: str, rates: list[Rate]) -> Product:
        return Product(sku, "Serverless", {"group": group, "usagetype": prefix + usage, "regionCode": region}, rates)

    gb = "Lambda-GB-Second"
    return [
        one("LREQ1", "AWS-Lambda-Requests", "Request", [Rate("0", "Inf", "0.0000002000")]),
        one(
            "LDUR1",
            "AWS-Lambda-Duration",
            gb,
            [
                Rate("0", "6000000000", "0.0000166667", "Lambda-GB-Second"),
                Rate("6000000000", "15000000000", "0.0000150000", "Lambda-GB-Second"),
                Rate("15000000000", "Inf", "0.0000133334", "Lambda-GB-Second"),
            ],
        ),
        one("LDURARM1", "AWS-Lambda-Duration-ARM", gb + "-ARM", [Rate("0", "Inf", "0.0000133334")]),
        one("LSTOR1", "AWS-Lambda-Storage-Duration", "Lambda-Storage-GB-Second", [Rate("0", "Inf", "0.0000000309")]),
        one(
            "LPC1",
            "AWS-Lambda-Provisioned-Concurrency",
            "Lambda-Provisioned-Concurrency",
            [Rate("0", "Inf", "0.0000041667")],
        ),
        one("LPCARM1", "AWS-Lambda-Provisioned-Concurrency-ARM", "PC-ARM", [Rate("0", "Inf", "0.0000033334")]),
        one(
            "LPD1",
            "AWS-Lambda-Duration-Provisioned",
            "Lambda-Provisioned-GB-Second",
            [Rate("0", "Inf", "0.0000097222")],
        ),
        one("LPDARM1", "AWS-Lambda-Duration-Provisioned-ARM", "PD-ARM", [Rate("0", "Inf", "0.0000077778")]),
    ]


def test_us_east_1_usage_types_without_prefix_and_tiers(tmp_path: Path) -> None:
    s = Site()
    s.offer("AWSLambda", V1, {"us-east-1": lambda_products("", "us-east-1")})
    with serve(s) as url:
        run(url, tmp_path, regions=["us-east-1"], services=["lambda"])
    prices = load_yaml(tmp_path / "lambda" / "us-east-1.yaml")["prices"]
    assert [(t.get("upto"), t["price"]) for t in prices["duration_x86_64"]["tiers"]] == [
        ("6000000000", "0.0000166667"),
        ("15000000000", "0.000015"),
        (None, "0.0000133334"),
    ]
    assert prices["requests"]["price"] == "0.2" and prices["duration_provisioned_arm64"]["price"] == "0.0000077778"
    # what the map does not cover (SnapStart is optional) stays as packaged, with its own source
    packaged = load_yaml(ROOT / "pricing" / "lambda" / "us-east-1.yaml")["prices"]
    if "snapstart_cache" in packaged:
        assert prices["snapstart_cache"] == packaged["snapstart_cache"]


def test_use1_prefix_in_us_east_1(tmp_path: Path) -> None:
    def mau(sku: str, plan: str, rates: list[Rate]) -> Product:
        attrs = {"usagetype": f"USE1-Cognito{plan}MAU", "regionCode": "us-east-1"}
        return Product(sku, f"Amazon Cognito - {plan}", attrs, rates)

    s = Site()
    lite = [
        Rate("0", "100000", "0.0055", "MAU"),
        Rate("100000", "1000000", "0.0046", "MAU"),
        Rate("1000000", "10000000", "0.00325", "MAU"),
        Rate("10000000", "Inf", "0.0025", "MAU"),
    ]
    products = [
        mau("COGLITE1", "Lite", lite),
        mau("COGESS1", "Essentials", [Rate("0", "Inf", "0.015", "MAU")]),
        mau("COGPLUS1", "Plus", [Rate("0", "Inf", "0.02", "MAU")]),
    ]
    s.offer("AmazonCognito", V1, {"us-east-1": products})
    with serve(s) as url:
        run(url, tmp_path, regions=["us-east-1"], services=["cognito"], form="csv")
    prices = load_yaml(tmp_path / "cognito" / "us-east-1.yaml")["prices"]
    assert prices["mau_essentials"]["price"] == "0.015" and prices["mau_plus"]["price"] == "0.02"
    assert [t.get("upto") for t in prices["mau_lite"]["tiers"]] == ["100000", "1000000", "10000000", None]


def test_a_price_in_another_currency_is_refused(tmp_path: Path) -> None:
    s = Site()
    s.offer("AWSQueueService", V1, {"eu-central-1": sqs_products("EUC1-", "eu-central-1", currency="CNY")})
    with serve(s) as url, pytest.raises(UpdateError) as err:
        run(url, tmp_path, regions=["eu-central-1"], services=["sqs"])
    assert "priced in CNY, not USD; only USD offer files are supported" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_a_mapping_that_matches_nothing_names_dimension_and_region(tmp_path: Path) -> None:
    s = Site()
    s.offer("AWSQueueService", V1, {"eu-central-1": sqs_products("EUC1-", "eu-central-1", fifo=False)})
    with serve(s) as url, pytest.raises(UpdateError) as err:
        run(url, tmp_path, regions=["eu-central-1"], services=["sqs"])
    assert err.value.problems == [
        "sqs.fifo_requests: no on-demand product of AWSQueueService in eu-central-1 matches "
        f"productfamily=API Request, queuetype={FIFO} (see sqs.fifo_requests in pricing/pricelist/map.yaml)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_download_keeps_the_old_tables(site: Site, tmp_path: Path) -> None:
    with serve(site) as url:
        run(url, tmp_path, regions=["eu-central-1"], services=["sqs"])
    path = tmp_path / "sqs" / "eu-central-1.yaml"
    before = path.read_bytes()
    newer = Site()
    products = sqs_products("EUC1-", "eu-central-1")
    products[0].rates[1] = Rate("1000000", "100000000000", "0.0000009000")
    newer.offer("AWSQueueService", V2, {"eu-central-1": products})
    newer.cut.add(f"/offers/v1.0/aws/AWSQueueService/{V2}/eu-central-1/index.json")  # closed mid-body
    with serve(newer) as url, pytest.raises(UpdateError) as err:
        run(url, tmp_path, regions=["eu-central-1"], services=["sqs"])
    assert "the download was cut" in str(err.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "sqs").iterdir()) == ["eu-central-1.yaml"]  # no temporary file


def test_a_cut_json_file_is_not_a_table(tmp_path: Path) -> None:
    from sls_check.pricelist.offers import OfferError, read_offer
    from tests.pricelist_fixtures import offer_json

    whole = offer_json("AWSQueueService", V1, sqs_products("EUC1-", "eu-central-1"))
    cut = tmp_path / "cut.json"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(OfferError, match="not a complete offer file"):
        read_offer(cut, lambda sku, attrs: True)


def test_a_404_for_a_region_and_a_region_without_a_file(site: Site, tmp_path: Path) -> None:
    with serve(site) as url, pytest.raises(UpdateError) as err:
        run(url, tmp_path, regions=["eu-central-1", "eu-west-2", "ap-south-1"], services=["sqs"])
    problems = err.value.problems
    assert any(p.startswith("AWSQueueService eu-west-2: ") and "HTTP 404" in p for p in problems), problems
    assert (
        "AWSQueueService ap-south-1: the region index of AWSQueueService has no file for region ap-south-1" in problems
    )
    assert list(tmp_path.iterdir()) == []  # eu-central-1 worked, but nothing is written half-way


def test_cost_prefers_the_user_cache(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLSCHECK_PRICES_DIR", str(tmp_path))
    with serve(site) as url:
        update(source=url, regions=["eu-central-1"], services=["sqs"])  # the default target: the user cache
    clear_cache()
    try:
        entry = load_table("sqs").entry("standard_requests", "eu-central-1")
        assert entry.origin == "cache" and entry.tiers[0].price == Decimal("0.4")
        assert entry.tiers[0].rate_code == rate_code("SQSSTD4EUC1AAAAA", ON_DEMAND_TERM, 1)
    finally:
        monkeypatch.setenv("SLSCHECK_PRICES_DIR", "")
        clear_cache()


def test_cli_update_and_status(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLSCHECK_PRICES_DIR", str(tmp_path / "cache"))
    try:
        with serve(site) as url:
            code, out, err = run_cli(
                capsys, monkeypatch, tmp_path, "prices", "update", "--source", url, "-r", "eu-central-1", "-s", "sqs"
            )
            assert (code, err) == (0, "")
            assert (
                out.splitlines()[0]
                == f"sqs eu-central-1: 2 dimensions from AWSQueueService version {V1} (published 2026-11-01T00:00:00Z)"
            )
            code, out, err = run_cli(
                capsys, monkeypatch, tmp_path, "prices", "update", "--source", url, "-r", "eu-west-2", "-s", "sqs"
            )
            assert code == 2 and out == ""
            assert err.startswith("prices update:1:1: AWSQueueService eu-west-2: ") and "HTTP 404" in err
        code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "prices", "status")
        assert code == 0
        assert f"  sqs eu-central-1: AWSQueueService version {V1}, published 2026-11-01; written " in out
    finally:
        monkeypatch.setenv("SLSCHECK_PRICES_DIR", "")
        clear_cache()


def test_validate_and_cost_do_not_import_the_importer() -> None:
    code = (
        "import sys\n"
        "from sls_check.cli import main\n"
        "for args in (['validate', 'samples/web-api.yaml'], ['cost', 'samples/web-api.yaml']):\n"
        "    sys.argv = ['slscheck', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('sls_check.pricelist')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def test_json_reader_across_any_chunk_boundary(tmp_path: Path) -> None:
    from sls_check.pricelist.offers import read_offer
    from tests.pricelist_fixtures import offer_json

    path = tmp_path / "offer.json"
    path.write_bytes(offer_json("AWSQueueService", V1, sqs_products("EUC1-", "eu-central-1")))
    whole = read_offer(path, lambda sku, attrs: attrs.get("regioncode") == "eu-central-1")
    for chunk in (1, 2, 3, 7, 64, 1000):
        assert read_offer(path, lambda sku, attrs: attrs.get("regioncode") == "eu-central-1", chunk=chunk) == whole
    assert (whole.offer_code, whole.version, whole.published) == ("AWSQueueService", V1, "2026-11-01T00:00:00Z")
    assert sorted(whole.prices) == ["SQSFIFO4EUC1CCCC", "SQSFIFOFREE4DDDD", "SQSSTD4EUC1AAAAA"]
    assert [p.price for p in whole.prices["SQSSTD4EUC1AAAAA"]] == [  # OnDemand only: no Reserved rate
        Decimal("0E-10"),
        Decimal("4.000E-7"),
        Decimal("3.000E-7"),
        Decimal("2.400E-7"),
    ]
    assert whole.prices["SQSSTD4EUC1AAAAA"][-1].end is None  # "Inf"


def test_a_large_offer_file_is_streamed_not_loaded(tmp_path: Path) -> None:
    """An offer file of ~10 MB is read keeping only the wanted product: memory stays far below its size."""
    import tracemalloc

    from sls_check.pricelist.offers import read_offer
    from tests.pricelist_fixtures import offer_json

    filler = [
        Product(
            f"FILLER{i:010d}",
            "Database Instance",
            {"usagetype": f"EUC1-InstanceUsage:db.r{i % 9}.large", "regionCode": "eu-central-1", "pad": "x" * 2000},
            [Rate("0", "Inf", "0.5000000000", "Hrs")],
        )
        for i in range(4_000)
    ]
    path = tmp_path / "big.json"
    path.write_bytes(
        offer_json("AmazonRDS", V1, [*filler[:2_000], *sqs_products("EUC1-", "eu-central-1"), *filler[2_000:]])
    )
    size = path.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        offer = read_offer(path, lambda sku, attrs: sku == "SQSSTD4EUC1AAAAA")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert list(offer.prices) == ["SQSSTD4EUC1AAAAA"]
    assert peak < size // 10, (peak, size)


def test_maintainer_mode_rewrites_a_region_file_in_place(site: Site, tmp_path: Path) -> None:
    import shutil

    pricing = tmp_path / "pricing"
    shutil.copytree(ROOT / "pricing", pricing)
    s = Site()
    s.offer("AWSQueueService", V1, {"eu-west-1": sqs_products("EUW1-", "eu-west-1")})
    with serve(s) as url:
        run(url, pricing, regions=["eu-west-1"], services=["sqs"], maintainer=True)
    path = pricing / "sqs" / "eu-west-1.yaml"
    old_head = (ROOT / "pricing" / "sqs" / "eu-west-1.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert path.read_text(encoding="utf-8").splitlines()[0] == old_head  # the file's own comment stays
    doc = load_yaml(path)
    assert doc["prices"]["standard_requests"]["usage_type"] == "EUW1-Requests-RBP"
    assert list(doc["sources"]) == ["pl_awsqueueservice_eu_west_1"]  # the replaced figures' sources go
    assert (pricing / "sqs.yaml").read_bytes() == (ROOT / "pricing" / "sqs.yaml").read_bytes()  # table file kept


def test_a_folder_as_source(site: Site, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    for name, body in site.files.items():
        (mirror / name.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (mirror / name.lstrip("/")).write_bytes(body)
    run(str(mirror), tmp_path / "out", regions=["eu-central-1"], services=["sqs"], form="csv")
    doc = load_yaml(tmp_path / "out" / "sqs" / "eu-central-1.yaml")
    assert doc["prices"]["fifo_requests"]["price"] == "0.5"
    assert "(csv)" in doc["sources"]["pl_awsqueueservice_eu_central_1"]["via"]


def test_an_unlisted_region_prefix_is_named(tmp_path: Path) -> None:
    usage = ["Fargate-vCPU-Hours:perCPU", "Fargate-GB-Hours", "Fargate-ARM-vCPU-Hours:perCPU", "Fargate-ARM-GB-Hours"]
    usage.append("Fargate-EphemeralStorage-GB-Hours")
    products = [
        Product(
            f"FARGATE{i}",
            "Compute",
            {"usagetype": f"EUX9-{u}", "regionCode": "eu-central-1"},
            [Rate("0", "Inf", "0.04", "hours")],
        )
        for i, u in enumerate(usage)
    ]
    s = Site()
    s.offer("AmazonECS", V1, {"eu-central-1": products})
    with serve(s) as url, pytest.raises(UpdateError) as err:
        run(url, tmp_path, regions=["eu-central-1"], services=["fargate"])
    assert err.value.problems[0] == (
        "fargate.vcpu_hours_x86_64: no on-demand product of AmazonECS in eu-central-1 matches "
        "usagetype=Fargate-vCPU-Hours:perCPU (see fargate.vcpu_hours_x86_64 in pricing/pricelist/map.yaml); "
        "usage type 'EUX9-Fargate-vCPU-Hours:perCPU' would match with a prefix that region_prefixes does not "
        "list for eu-central-1"
    )
    assert len(err.value.problems) == 5


def test_optional_dimensions_not_offered_are_reported(tmp_path: Path) -> None:
    s = Site()
    s.offer("AWSLambda", V1, {"ap-south-1": lambda_products("APS3-", "ap-south-1")})
    with serve(s) as url:
        done = run(url, tmp_path, regions=["ap-south-1"], services=["lambda"])
    assert done.fetched[0].absent == ["snapstart_cache", "snapstart_restore"]
    assert done.fetched[0].dimensions == 8


def test_cost_output_names_the_cached_offer(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from tests.conftest import spec_yaml

    spec = tmp_path / "arch.yaml"
    spec.write_text(
        spec_yaml({"q": {"type": "sqs"}}, region="eu-central-1", workload={"monthly_requests": 3_000_000}),
        encoding="utf-8",
    )
    monkeypatch.setenv("SLSCHECK_PRICES_DIR", str(tmp_path / "cache"))
    clear_cache()
    try:
        with serve(site) as url:
            update(source=url, regions=["eu-central-1"], services=["sqs"])
        clear_cache()
        code, out, err = run_cli(capsys, monkeypatch, tmp_path, "cost", "arch.yaml", "--format", "json")
        assert code == 0, err
        data = json.loads(out)
        line = data["services"][0]["lines"][0]
        assert line["source"] == "sqs.eu-central-1.standard_requests[tier 1] (user cache)"
        assert line["unit_price"] == 0.4
        assert data["user_cache"] == [
            {
                "table": "sqs",
                "region": "eu-central-1",
                "offer": "AWSQueueService",
                "offer_version": V1,
                "published": "2026-11-01",
                "file": str(tmp_path / "cache" / "sqs" / "eu-central-1.yaml"),
            }
        ]
        said = f"sqs eu-central-1: AWSQueueService version {V1}, published 2026-11-01"
        code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "cost", "arch.yaml")
        assert code == 0 and f"User price cache (slscheck prices update): {said}" in " ".join(out.split())
        code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "cost", "arch.yaml", "--format", "markdown")
        assert code == 0 and f"User price cache (`slscheck prices update`): {said}." in out
    finally:
        monkeypatch.setenv("SLSCHECK_PRICES_DIR", "")
        clear_cache()
