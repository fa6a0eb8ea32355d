"""`slscheck cost` end to end: exit codes, the JSON shape of docs/architecture.md, scenarios, the
free-tier mode, missing regional prices, markdown, and the Lambda vs Fargate break-even."""

from __future__ import annotations

import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from sls_check.api import cost
from sls_check.cli import main
from sls_check.pricing.breakeven import FargateSize, break_even_rps
from sls_check.reporters.cost import render_markdown, to_json

from .conftest import ROOT, SAMPLES, recent_date, run_cli, spec_yaml

PIPELINE = "samples/event-pipeline.yaml"

# Hand arithmetic for ONE_FN below (us-east-1, x86_64, 1024 MB, 100 ms, no free tier):
#   per 1 rps a month: 2,628,000 requests x $0.20/M = $0.5256, 262,800 GB-s x $0.0000166667 = $4.38000876
#   -> $4.90560876 per rps; at 10 rps $49.0560876
#   one 0.5 vCPU / 1 GB x86 task: 730 h x (0.5 x $0.04048 + 1 x $0.004445) = $18.02005; two tasks $36.0401
#   break-even: 36.0401 / 4.90560876 = 7.3467... rps, shown rounded up to the cent: 7.35
ONE_FN = {"fn": {"type": "lambda", "runtime": "python3.12", "memory_mb": 1024, "duration_ms": 100}}


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, monkeypatch, ROOT, *args)


def write(tmp_path: Path, services: dict, **top: object) -> str:
    path = tmp_path / "arch.yaml"
    path.write_text(spec_yaml(services, **top), encoding="utf-8")
    return str(path)


# --- JSON shape and exit codes ------------------------------------------------------------


def test_json_has_the_design_shape(capsys, monkeypatch) -> None:
    code, out, err = cli(capsys, monkeypatch, "cost", PIPELINE, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert {"currency", "total", "services"} <= set(data)
    assert data["currency"] == "USD" and data["free_tier"] == "none"
    assert data["total"] == 151.30  # the sample at its workload (30M requests a month), no free tier
    assert [s["service"] for s in data["services"]] == [
        "order_topic",
        "ingest_queue",
        "ingest_dlq",
        "ingest",
        "events",
        "archiver",
        "archive_stream",
        "archive_bucket",
    ]
    for svc in data["services"]:
        assert set(svc) == {"service", "type", "monthly", "complete", "lines"}
        assert svc["complete"] is True
        assert round(sum(ln["monthly"] for ln in svc["lines"]), 2) == svc["monthly"]
        for ln in svc["lines"]:
            assert {"item", "quantity", "unit", "unit_price", "monthly"} <= set(ln)
    ingest = {s["service"]: s for s in data["services"]}["ingest"]
    assert ingest["lines"] == [
        {
            "item": "Requests",
            "quantity": 30.0,
            "unit": "1M requests",
            "unit_price": 0.2,
            "monthly": 6.0,
            "source": "lambda.us-east-1.requests",
            "priced": True,
        },
        {
            "item": "Duration",
            "quantity": 600000.0,
            "unit": "GB-s",
            "unit_price": 0.0000166667,
            "monthly": 10.0,
            "source": "lambda.us-east-1.duration_x86_64[tier 1]",
            "priced": True,
        },
    ]
    assert data["complete"] is True and data["missing"] == [] and data["total_text"] == "$151.30"
    assert "NAT gateways and VPC endpoints (hourly and per GB)" in data["not_charged"]
    assert round(sum(s["monthly"] for s in data["services"]), 2) == data["total"]


def test_several_rps_values_give_scenarios(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "cost", PIPELINE, "--rps", "1,10,100", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [s["rps"] for s in data["scenarios"]] == [1, 10, 100]
    totals = [s["total"] for s in data["scenarios"]]
    assert totals == sorted(totals) and totals[0] > 0
    first = data["scenarios"][0]
    assert {"rps", "total", "services", "top", "tiers_crossed"} <= set(first)
    assert len(first["top"]) == 3 and first["top"][0]["monthly"] >= first["top"][1]["monthly"]


def test_scenarios_mark_the_first_tier_crossed(tmp_path, capsys, monkeypatch) -> None:
    # 300M HTTP API requests a month is the end of tier 1 ($1.00/M); above it, $0.90/M
    arch = write(tmp_path, {"api": {"type": "api_gateway", "api": "http"}})
    at_boundary = 300_000_000 / (730 * 3600)
    code, out, _ = cli(capsys, monkeypatch, "cost", arch, "--rps", f"1,{at_boundary!r},200", "--format", "json")
    assert code == 0
    crossed = [s["tiers_crossed"] for s in json.loads(out)["scenarios"]]
    assert crossed == [[], [], ["apigateway http_requests (us-east-1) tier 2"]]
    code, out, _ = cli(capsys, monkeypatch, "cost", arch, "--rps", "1,200")
    assert "apigateway http_requests (us-east-1) tier 2" in out


def test_text_output_is_plain_off_a_terminal_and_names_the_free_tier_mode(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "cost", PIPELINE)
    assert code == 0
    assert "\x1b[" not in out
    assert "Free tier: free tier not applied (--no-free-tier, the default)" in out
    assert "Total: $151.30 a month" in out
    assert "600,000" in out and "$0.0000166667" in out  # quantity and unit price of the ingest duration
    code, out, _ = cli(capsys, monkeypatch, "cost", PIPELINE, "--free-tier")
    assert "always-free allowances applied once for the whole spec (--free-tier)" in out


def test_free_tier_on_and_off_through_the_cli(tmp_path, capsys, monkeypatch) -> None:
    arch = write(tmp_path, ONE_FN, workload={"monthly_requests": 3_000_000})
    _, off, _ = cli(capsys, monkeypatch, "cost", arch, "--format", "json")
    _, on, _ = cli(capsys, monkeypatch, "cost", arch, "--free-tier", "--format", "json")
    # 3M x 0.1 s x 1 GB = 300,000 GB-s: covered by the 400,000 free; 2M billable requests = $0.40
    assert json.loads(off)["total"] == 5.6  # 0.60 + 300,000 x 0.0000166667 = 5.00001
    assert json.loads(on)["total"] == 0.4
    assert json.loads(on)["free_tier"] == "always"


def test_output_file_is_written_whole(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "bill.md"
    code, out, _ = cli(capsys, monkeypatch, "cost", PIPELINE, "--format", "markdown", "--output", str(target))
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("### slscheck cost: order-events")
    assert "| **total** | | | | | | **$151.30** |" in text


# --- input problems: exit 2, one line each, no traceback -----------------------------------


def test_missing_regional_price_gives_a_partial_bill_naming_service_dimension_region(capsys, monkeypatch) -> None:
    # ap-east-1 (Hong Kong) ships no prices: nothing is priced there, every line is named, nothing is $0
    code, out, err = cli(
        capsys, monkeypatch, "cost", "samples/vpc-database.yaml", "--region", "ap-east-1", "-f", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["complete"] is False and data["total"] == 0.0
    assert data["total_text"] == f"at least $0.00; {len(data['missing'])} lines not priced"
    assert {(m["service"], m["dimension"]) for m in data["missing"]} >= {
        ("db_proxy", "acu_hours"),
        ("db", "acu_hours"),
        ("db", "io_requests"),
        ("db", "storage"),
    }
    for svc in data["services"]:
        for ln in svc["lines"]:
            if ln["source"].startswith("acm.global."):  # ACM is free everywhere: a global price
                assert ln["priced"] is True and ln["monthly"] == 0.0
            else:
                assert ln["priced"] is False and ln["monthly"] is None and ln["unit_price"] is None
    assert err.startswith("samples/vpc-database.yaml: warning: the bill is incomplete, ")
    assert "Traceback" not in err
    # a CI gate insists on a complete bill
    code, out, _ = cli(
        capsys, monkeypatch, "cost", "samples/vpc-database.yaml", "--region", "ap-east-1", "--require-complete"
    )
    assert code == 1 and "INCOMPLETE:" in out and "Not priced (" in out
    code, _, _ = cli(capsys, monkeypatch, "cost", "samples/vpc-database.yaml", "--require-complete")
    assert code == 0


def test_region_override_moves_the_prices(tmp_path, capsys, monkeypatch) -> None:
    arch = write(tmp_path, {"t": {"type": "dynamodb", "storage_gb": 100}})
    _, us, _ = cli(capsys, monkeypatch, "cost", arch, "--format", "json")
    _, eu, _ = cli(capsys, monkeypatch, "cost", arch, "--region", "eu-west-1", "--format", "json")
    assert json.loads(us)["total"] == 25.0 and json.loads(eu)["total"] == 28.3  # $0.25 vs $0.283 per GB-month
    code, out, _ = cli(capsys, monkeypatch, "cost", arch, "--region", "ap-east-1", "--format", "json")
    assert code == 0 and json.loads(out)["missing"] == [
        {
            "service": "t",
            "type": "dynamodb",
            "item": "Storage",
            "table": "dynamodb",
            "dimension": "storage_standard",
            "region": "ap-east-1",
            "reason": "no ap-east-1 price in the dynamodb tables",
        }
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--rps", "ten"],
        ["--rps", "-1"],
        ["--rps", "10,10"],
        ["--format", "sarif"],
        ["--region", "Ireland"],
        ["--fargate-task-rps", "0"],
    ],
)
def test_usage_errors_exit_2(capsys, monkeypatch, args) -> None:
    code, out, err = cli(capsys, monkeypatch, "cost", PIPELINE, *args)
    assert code == 2 and out == "" and "Traceback" not in err


def test_broken_spec_exit_2(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("slscheck: 1\nname: x\nregion: us-east-1\nservices:\n  fn: {type: lambda, memory_mb: -5}\n")
    code, out, err = cli(capsys, monkeypatch, "cost", str(path))
    assert code == 2 and out == ""
    assert all(line.startswith(f"{path}:") for line in err.splitlines()) and err


# --- Lambda vs Fargate ------------------------------------------------------------------------


def test_break_even_against_hand_arithmetic(tmp_path) -> None:
    run = cost(Path(write(tmp_path, ONE_FN, workload={"rps": 10})))
    (b,) = run.scenarios[0].break_even
    assert b.break_even_rps == Decimal("7.35")
    assert b.lambda_monthly == Decimal("49.0560876")
    assert b.fargate_monthly == Decimal("36.0401") and b.fargate_tasks == 2
    assert b.cheaper == "fargate"
    below = cost(Path(write(tmp_path, ONE_FN, workload={"rps": 7})))
    assert below.scenarios[0].break_even[0].cheaper == "lambda"  # 7 x 4.9056 = 34.34 < 36.04


def test_break_even_options_and_spec_key(tmp_path) -> None:
    fn = {"fn": {**ONE_FN["fn"], "fargate_alternative": {"cpu": 1, "memory_gb": 2, "min_tasks": 1}}}
    run = cost(Path(write(tmp_path, fn, workload={"rps": 10})))
    (b,) = run.scenarios[0].break_even
    # one 1 vCPU / 2 GB task: 730 x (0.04048 + 2 x 0.004445) = $36.0401; same break-even, one task
    assert (b.size.cpu, b.size.memory_gb, b.size.min_tasks) == (Decimal(1), Decimal(2), 1)
    assert b.fargate_monthly == Decimal("36.0401") and b.break_even_rps == Decimal("7.35")
    # the command line wins over the spec; 2 rps per task is too little: Lambda always cheaper
    run = cost(Path(write(tmp_path, fn, workload={"rps": 10})), fargate={"task_rps": 2})
    (b,) = run.scenarios[0].break_even
    assert b.break_even_rps is None and b.note.startswith("Lambda stays cheaper at any rps")
    assert b.fargate_tasks == 5  # ceil(10 / 2)


def test_break_even_is_where_fargate_is_never_dearer_again() -> None:
    # Lambda $1 per rps, a task $10 a month holding 15 rps, at least one task:
    # Lambda is dearer from 10 to 15 rps, cheaper again from 15 to 20 (two tasks cost 20), dearer after
    size = FargateSize(Decimal(1), Decimal(1), Decimal(15), 1, "x86_64")
    assert break_even_rps(Decimal(0), Decimal(1), Decimal(10), size) == Decimal(20)
    assert break_even_rps(Decimal(0), Decimal(0), Decimal(10), size) is None
    assert break_even_rps(Decimal(100), Decimal(1), Decimal(10), size) == Decimal(0)  # Fargate always cheaper


def test_lambda_at_edge_is_not_compared(tmp_path) -> None:
    services = {
        "cdn": {"type": "cloudfront", "functions": [{"function": "edge", "event": "viewer-request"}]},
        "edge": {"type": "lambda", "runtime": "nodejs20.x", "memory_mb": 128, "duration_ms": 5},
    }
    run = cost(Path(write(tmp_path, services, workload={"rps": 1})))
    assert run.scenarios[0].break_even == []


# --- markdown for pull-request comments ---------------------------------------------------------


def test_markdown_single_and_scenarios() -> None:
    single = render_markdown(cost(SAMPLES / "event-pipeline.yaml"))
    assert "| ingest | lambda | Duration | 600,000 | GB-s | $0.0000166667 | $10.00 |" in single
    assert "| ingest | 11.4155 | $16.00 | $36.04 | 2 | 25.72 rps |" in single
    assert "Prices not confirmed at an AWS source: `firehose.us-east-1.ingestion_gb[tier 1]`" in single
    many = cost(SAMPLES / "event-pipeline.yaml", rps=[1, 10])
    text = render_markdown(many)
    assert "| rps | total / month | biggest contributors | price tiers crossed |" in text
    assert to_json(many)["scenarios"][1]["total"] == float(text.split("| 10 | $")[1].split(" |")[0].replace(",", ""))


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_sample_prices_in_us_east_1(path: Path) -> None:
    run = cost(path, region="us-east-1", rps=[1, 100])
    assert all(s.total > 0 for s in run.scenarios)


def test_global_table_replica_in_an_unpriced_region_is_named(tmp_path, capsys, monkeypatch) -> None:
    arch = tmp_path / "global.yaml"
    arch.write_text(
        "slscheck: 1\nname: g\nregion: us-east-1\nworkload: {rps: 10}\nservices:\n"
        "  fn: {type: lambda, connects: [{to: t, writes: 1}]}\n"
        "  t: {type: dynamodb, stream: new_and_old_images, replicas: [ap-east-1], storage_gb: 5}\n"
    )
    code, out, _ = cli(capsys, monkeypatch, "cost", str(arch), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [(m["service"], m["dimension"], m["region"]) for m in data["missing"]] == [
        ("t", "replicated_write_request_units", "ap-east-1"),
        ("t", "storage_standard", "ap-east-1"),
    ]
    # the table's own Region is priced as usual
    table = {s["service"]: s for s in data["services"]}["t"]
    assert [ln["priced"] for ln in table["lines"]] == [True, True, False, False]


# --- the price data and its documentation ---------------------------------------------------


def test_every_price_table_matches_its_schema_and_names_dated_sources() -> None:
    import jsonschema

    from sls_check.pricing.tables import TABLES, load_table, load_yaml

    schema = json.loads((ROOT / "schemas" / "pricing.schema.json").read_text(encoding="utf-8"))
    assert sorted(TABLES) == sorted(p.stem for p in (ROOT / "pricing").glob("*.yaml"))
    for name in TABLES:
        jsonschema.validate(load_yaml(ROOT / "pricing" / f"{name}.yaml"), schema)
        table = load_table(name, str(ROOT / "pricing"))
        sources = list(table.sources.values())
        for region_file in sorted((ROOT / "pricing" / name).glob("*.yaml")):
            doc = load_yaml(region_file)
            jsonschema.validate(doc, schema)
            assert (doc["table"], doc["region"]) == (name, region_file.stem), region_file
            region = table.region_prices(region_file.stem)
            assert region is not None
            sources += region.sources.values()
        for source in sources:
            assert source.url.startswith("https://") and recent_date(source.seen), (name, source.id)


def test_docs_list_every_unconfirmed_price() -> None:
    import re

    from sls_check.pricing.tables import BEGIN_UNCONFIRMED, END_UNCONFIRMED, unconfirmed_markdown

    docs = (ROOT / "docs" / "cost.md").read_text(encoding="utf-8")
    match = re.search(re.escape(BEGIN_UNCONFIRMED) + ".*?" + re.escape(END_UNCONFIRMED), docs, re.S)
    assert match and match.group(0) == unconfirmed_markdown(), "regenerate the list in docs/cost.md"


def test_config_pricing_region_and_free_tier_apply_unless_the_command_line_says(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / ".slscheck.yaml").write_text("pricing: {region: eu-west-1, free_tier: always}\n")
    shutil.copy(SAMPLES / "web-api.yaml", tmp_path / "arch.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["slscheck", "cost", "arch.yaml", "-f", "json"])
    with pytest.raises(SystemExit):
        main()
    doc = json.loads(capsys.readouterr().out)
    assert (doc["region"], doc["free_tier"]) == ("eu-west-1", "always")
    monkeypatch.setattr(
        sys, "argv", ["slscheck", "cost", "arch.yaml", "-f", "json", "--no-free-tier", "--region", "us-east-1"]
    )
    with pytest.raises(SystemExit):
        main()
    doc = json.loads(capsys.readouterr().out)
    assert (doc["region"], doc["free_tier"]) == ("us-east-1", "none")
