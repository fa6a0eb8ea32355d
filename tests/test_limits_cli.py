"""`slscheck limits`: exit codes, the JSON shape, text and markdown; the LIM rules' metadata and data files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sls_check.cli import app
from sls_check.limits.catalog import load_catalog
from sls_check.paths import data_dir
from sls_check.reporters.limits import rows_markdown
from sls_check.rules_engine.packs import load_rules
from sls_check.schema_check import Validator
from tests.conftest import recent_date

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
runner = CliRunner()

OVER = """\
slscheck: 1
name: over
region: us-east-1
workload: {rps: 250}
services:
  api: {type: api_gateway, api: http, connects: [fast]}
  fast: {type: lambda, runtime: python3.12, timeout_s: 3, duration_ms: 10, reserved_concurrency: 20}
"""


def run(*args: str, columns: int = 80) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": str(columns)})
    return result.exit_code, result.output


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_sample_has_a_first_wall(sample: Path) -> None:
    code, out = run("limits", str(sample), "--max", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    first = doc["ceiling"]["first"]
    assert first is not None and first["rps"] > 0 and first["service"] and first["quota"]
    assert len(doc["ceiling"]["next"]) == 2


def test_json_shape_is_the_designed_one() -> None:
    code, out = run("limits", str(ROOT / "samples" / "web-api.yaml"), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["rows"]
    for row in doc["rows"]:
        designed = ["service", "quota", "limit", "needed", "headroom", "status", "unit", "adjustable", "docs"]
        assert list(row)[:9] == designed and set(list(row)[9:]) <= {"title", "severity", "severity_reason"}
        assert row["title"] and row["title"] != row["quota"]  # the quota's human name
        assert row["status"] in ("ok", "warn", "over")
        # one severity policy: the one the row's finding gets in validate
        assert row["severity"] == {"ok": None, "warn": "warning", "over": "error"}[row["status"]] or (
            row["status"] == "over" and row["severity"] == "warning" and row["severity_reason"]
        )
    api = next(r for r in doc["rows"] if (r["service"], r["quota"]) == ("api", "apigw_throttle_rps"))
    assert (api["limit"], api["needed"], api["headroom"], api["status"]) == (10000, 400, 96.0, "ok")
    # worst first
    used = [r["needed"] / r["limit"] for r in doc["rows"]]
    assert used == sorted(used, reverse=True)


def test_over_exits_1_and_fail_on(tmp_path: Path) -> None:
    path = tmp_path / "over.yaml"
    path.write_text(OVER, encoding="utf-8")
    code, out = run("limits", str(path))
    assert code == 1
    assert "over  fast: Synchronous requests per second per execution environment" in out
    assert run("limits", str(path), "--fail-on", "never")[0] == 0
    assert run("limits", str(path), "--rps", "150")[0] == 0  # 150 of 200: ok
    assert run("limits", str(path), "--rps", "190", "--fail-on", "warning")[0] == 1  # 95 %: warn


def test_validate_gate_reports_limit_findings(tmp_path: Path) -> None:
    path = tmp_path / "over.yaml"
    path.write_text(OVER, encoding="utf-8")
    code, out = run("validate", str(path), "--format", "json")
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["rule_id"].startswith("LIM")]
    assert [(f["rule_id"], f["severity"], f["service"]) for f in found] == [("LIM005", "error", "fast")]
    assert run("validate", str(path), "--rps", "10")[0] == 0
    assert run("validate", str(path), "--no-limits")[0] == 0


def test_limit_findings_can_be_suppressed(tmp_path: Path) -> None:
    path = tmp_path / "over.yaml"
    path.write_text(
        OVER.replace(
            "reserved_concurrency: 20}",
            "reserved_concurrency: 20,\n         suppress: [{rule: LIM005, reason: load-tested at 250 rps}]}",
        ),
        encoding="utf-8",
    )
    code, out = run("validate", str(path), "--format", "json")
    doc = json.loads(out)
    assert code == 0  # INT010 (a warning) may remain
    assert not [f for f in doc["findings"] if f["rule_id"].startswith("LIM")]
    assert [f["rule_id"] for f in doc["suppressed"]] == ["LIM005"]
    assert not [f for f in doc["findings"] if f["rule_id"] == "SUP003"]  # the suppression was used


def test_input_problems_exit_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "slscheck: 1\nname: x\nregion: us-east-1\nservices:\n  f: {type: lambda, memory_mb: big}\n", encoding="utf-8"
    )
    for args in ([str(bad)], [str(tmp_path / "missing.yaml")]):
        proc = subprocess.run(
            [sys.executable, "-m", "sls_check", "limits", *args], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert proc.stderr.splitlines()[0].startswith(args[0] + ":")
    assert run("limits", str(ROOT / "samples" / "web-api.yaml"), "--rps", "-1")[0] == 2
    assert run("limits", str(ROOT / "samples" / "web-api.yaml"), "--format", "xml")[0] == 2


def test_text_and_markdown(tmp_path: Path) -> None:
    """Not on a terminal at 80 columns (COLUMNS unset or 80): one record per row, every row naming its
    service and its quota's human name, no line past 80, nothing cut into `…`."""
    code, out = run("limits", str(ROOT / "samples" / "order-workflow.yaml"), "--max")
    assert code == 0
    lines = out.splitlines()
    assert lines[:7] == [
        "order-workflow: Demand at peak: 50 requests/s at each entry point (average 5);",
        "statuses: warn at 80 % of a limit, over above it.",
        "",
        "ok    workflow: StartExecution refill rate, Standard workflows (account, per",
        "      Region)",
        "      needs 50 of 300 executions/s; headroom +83.3 %; adjustable",
        "ok    workflow: State transitions refill rate, Standard workflows (account, per",
    ]
    assert "ok    charge_card: Concurrency scaling rate per function" in lines
    assert "      needs 30 of 1,000 environments in 10 s; headroom +97.0 %; not adjustable" in lines
    assert all(len(line) <= 80 and line == line.rstrip() and "…" not in line for line in lines)
    assert lines[lines.index("") + 1 :].count("") == 1  # the records, then (one blank line) the ceiling
    ceiling = lines.index("Ceiling: 30 requests/s average at each entry (peak 300): workflow reaches")
    assert lines[ceiling + 1 : ceiling + 3] == [
        "  StartExecution refill rate, Standard workflows (account, per Region) = 300",
        "  executions/s (adjustable).",
    ]
    # as wide as the table: the aligned table, quota names in full, headroom with one decimal
    code, wide = run("limits", str(ROOT / "samples" / "order-workflow.yaml"), columns=200)
    rows = wide.splitlines()
    assert rows[1].split() == ["service", "quota", "limit", "needed", "unit", "headroom", "status", "adjustable"]
    assert (
        rows[2].split("  ")[0] == "workflow"
        and "StartExecution refill rate, Standard workflows (account, per Region)" in rows[2]
    )
    assert rows[2].split()[-4:] == ["+83.3", "%", "ok", "yes"]
    out_file = tmp_path / "limits.md"
    code, _ = run(
        "limits", str(ROOT / "samples" / "order-workflow.yaml"), "--format", "markdown", "--output", str(out_file)
    )
    text = out_file.read_text(encoding="utf-8")
    assert (
        "| workflow | [StartExecution refill rate, Standard workflows (account, per Region)]"
        "(https://docs.aws.amazon.com/step-functions/latest/dg/"
        "service-quotas.html) | 300 executions/s | 50 | +83.3 % | ok | yes |" in text
    )


def test_text_on_a_terminal_never_squeezes_a_column() -> None:
    """On a terminal (colour): the box table only when it fits whole; at 80 columns the records, the
    status coloured; a cut cell (`fulfil…`) named nothing."""
    import io

    from rich.console import Console

    from sls_check.api import limits
    from sls_check.reporters.limits_text import print_table

    result = limits(ROOT / "samples" / "event-pipeline.yaml", rps=2000)
    narrow = io.StringIO()
    print_table(result, "order-events", Console(file=narrow, width=80, force_terminal=True, color_system=None))
    lines = narrow.getvalue().splitlines()
    assert "…" not in narrow.getvalue() and "┃" not in narrow.getvalue()
    assert "warn  events: Warm throughput of a new on-demand table (writes)" in lines
    assert "      needs 4,000 of 4,000 WRU/s; headroom 0.0 %; adjustable" in lines
    assert all(len(line) <= 80 for line in lines)
    wide = io.StringIO()
    print_table(result, "order-events", Console(file=wide, width=250, force_terminal=True, color_system=None))
    assert "┃ service" in wide.getvalue() and "Warm throughput of a new on-demand table (writes)" in wide.getvalue()
    assert "…" not in wide.getvalue()


def test_markdown_for_a_pr_comment(tmp_path: Path) -> None:
    from sls_check.api import limits

    path = tmp_path / "over.yaml"
    path.write_text(OVER, encoding="utf-8")
    result = limits(path, ceiling=True)
    text = rows_markdown(result.rows, result.ceiling, title="Quotas at 250 rps", only_problems=True)
    lines = text.splitlines()
    assert lines[0] == "### Quotas at 250 rps"
    assert len([line for line in lines if line.startswith("| fast")]) == 1
    assert "| 200 requests/s | 250 | -25.0 % | **over** | no |" in text
    assert (
        "- Ceiling: 200 requests/s average at each entry (peak 200): fast reaches "
        "Synchronous requests per second per execution environment = 200 requests/s" in text
    )


# ---------------------------------------------------------------- data and metadata


def test_quota_files_match_their_schema() -> None:
    schema = json.loads((data_dir("schemas") / "quotas.schema.json").read_text(encoding="utf-8"))
    for path in sorted(data_dir("quotas").glob("*.yaml")):
        assert Validator(schema).validate(yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path.name


def test_every_check_names_an_engine_rule_of_the_limits_pack() -> None:
    """rules/limits.yaml is the only home of a LIM rule's metadata; a check only names its rule."""
    ruleset = load_rules()
    checks = load_catalog().checks
    lim_rules = {r.id: r for r in ruleset.rules if r.id.startswith("LIM")}
    assert set(lim_rules) == {c.rule_id for c in checks.values()}
    for check in checks.values():
        rule = lim_rules[check.rule_id]
        assert rule.engine and rule.pack == "limits"
        if check.soft:
            assert rule.severity.label == "warning"
        elif not rule.conflict:
            assert rule.severity.label == "error"
        assert rule.rationale and rule.docs.startswith("https://docs.aws.amazon.com/")


def test_every_adjustable_quota_can_be_overridden_in_the_account_block() -> None:
    account = json.loads((data_dir("schemas") / "arch.schema.json").read_text())["properties"]["account"]
    keys = set(account["properties"])
    for quota in load_catalog().quotas.values():
        if quota.account_key:
            assert quota.account_key in keys, quota.name
    used = {
        "lambda_concurrency",
        "apigw_throttle_rps",
        "sfn_start_execution_rps",
        "dynamodb_table_read_units",
        "firehose_records_per_s",
        "apigw_websocket_new_connections",
        "lambda_edge_concurrency",
    }
    assert all(load_catalog().quotas[name].account_key for name in used)


def test_every_quota_row_names_a_source_and_a_date() -> None:
    for quota in load_catalog().quotas.values():
        assert quota.docs.startswith("https://") and recent_date(quota.checked), (quota.name, quota.checked)
        assert quota.status in ("confirmed", "reference", "unconfirmed", "conflict")


def test_reservations_are_checked_by_one_engine_only(tmp_path: Path) -> None:
    # reservations of 950 > 1,000 - 100: LMB016 says so, with or without traffic; the limits calculator's
    # copy (LIM004, which did not count provisioned concurrency of unreserved functions) is gone
    path = tmp_path / "reserved.yaml"
    path.write_text(
        OVER.replace("reserved_concurrency: 20", "reserved_concurrency: 950").replace(
            "workload: {rps: 250}", "workload: {rps: 1}"
        ),
        encoding="utf-8",
    )
    found = json.loads(run("validate", str(path), "--format", "json")[1])["findings"]
    ids = [f["rule_id"] for f in found]
    assert "LMB016" in ids and "LIM004" not in ids
    lmb016 = next(f for f in found if f["rule_id"] == "LMB016")
    assert "950" in lmb016["message"] and "900" in lmb016["message"]
    rows = json.loads(run("limits", str(path), "--format", "json")[1])["rows"]
    assert not [r for r in rows if r["quota"] == "lambda_unreserved_min"]
    assert "LIM004" not in {r.id for r in load_rules().rules}


def test_docs_quota_table_is_generated_from_the_data() -> None:
    from sls_check.reporters.limits import quota_table_markdown

    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    start = text.index("<!-- quotas:begin -->\n") + len("<!-- quotas:begin -->\n")
    end = text.index("<!-- quotas:end -->")
    assert text[start:end] == quota_table_markdown(load_catalog()), (
        "docs/limits.md is stale: regenerate the table with sls_check.reporters.limits.quota_table_markdown"
    )
    ids = sorted(check.rule_id for check in load_catalog().checks.values())
    assert f"{ids[0]} to {ids[-1]}" in text


@pytest.mark.parametrize(
    ("services", "pack_rule", "quota"),
    [
        ("t: {type: dynamodb, billing: provisioned, rcu: 50000, wcu: 100}", "DDB007", "dynamodb_table_read_units"),
        (
            "db: {type: aurora_serverless, engine: aurora-postgresql, min_acu: 1, max_acu: 300}",
            "DAT004",
            "aurora_serverless_max_acu",
        ),
    ],
)
def test_configured_limits_are_checked_by_the_pack_rule_only(
    tmp_path: Path, services: str, pack_rule: str, quota: str
) -> None:
    """A table's provisioned rcu/wcu and Aurora's max_acu: one engine (the rule pack), no limits row."""
    path = tmp_path / "config.yaml"
    path.write_text(
        f"slscheck: 1\nname: c\nregion: us-east-1\nworkload: {{rps: 1}}\nservices:\n  {services}\n", encoding="utf-8"
    )
    ids = {f["rule_id"] for f in json.loads(run("validate", str(path), "--format", "json")[1])["findings"]}
    assert pack_rule in ids and not {"LIM028", "LIM029"} & ids
    rows = json.loads(run("limits", str(path), "--format", "json")[1])["rows"]
    assert not [r for r in rows if r["quota"] == quota]


@pytest.mark.parametrize(
    ("services", "pack_rule", "lim_rule"),
    [("q: {type: sqs, message_kb: 2000}", "MSG001", "LIM025")],
)
def test_configured_limits_are_left_to_the_pack_rule(
    tmp_path: Path, services: str, pack_rule: str, lim_rule: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"slscheck: 1\nname: c\nregion: us-east-1\nworkload: {{rps: 1}}\nservices:\n  {services}\n", encoding="utf-8"
    )
    ids = {f["rule_id"] for f in json.loads(run("validate", str(path), "--format", "json")[1])["findings"]}
    assert pack_rule in ids and lim_rule not in ids
    rows = json.loads(run("limits", str(path), "--format", "json")[1])["rows"]
    assert rows[0]["status"] == "over"  # the table still shows it, worst first


def test_a_lim_finding_is_its_rules_message_template_filled(tmp_path: Path) -> None:
    """`explain` shows the template `validate` prints: the finding's text is the template filled."""
    from sls_check.api import load
    from sls_check.limits import findings_for
    from sls_check.rules_engine.messages import FIELD

    spec = tmp_path / "arch.yaml"
    spec.write_text(
        "slscheck: 1\nname: t\nregion: us-east-1\nworkload: {rps: 100, peak_rps: 500}\nservices:\n"
        "  fn: {type: lambda, runtime: python3.12, duration_ms: 50, connects: [{to: table, reads: 2, writes: 1}]}\n"
        "  table: {type: dynamodb, billing: provisioned, rcu: 100, wcu: 100}\n",
        encoding="utf-8",
    )
    ruleset = load_rules()
    found = findings_for(load(spec).graph, ruleset=ruleset)
    rcu = next(f for f in found if f.message.startswith("table: rcu"))
    template = ruleset.by_id[rcu.rule_id].message
    assert template == "{service}: {quota} - {needed} of {limit} ({used}){note}"
    pattern = "^" + FIELD.sub(lambda m: "(.+?)", re.escape(template).replace("\\{", "{").replace("\\}", "}")) + "$"
    assert re.match(pattern, rcu.message), (pattern, rcu.message)
    assert rcu.rule_id == "LIM014"
    assert rcu.message.startswith("table: rcu - needs 500 RCU (per s) at peak of 100 (500% used); ")
