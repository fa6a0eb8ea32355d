"""False positives of the knowledge audit (issue 13): AWS-sanctioned designs stay clean.

tests/valid_designs/ holds the audit's reproducers (fp04 ... fp26), each written with the spec
keys that let the design be said; every one must pass `validate --fail-on warning`. The other
tests keep each rule's bad case firing, so the fix did not turn the rule off.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sls_check.api import check
from sls_check.model import InputError, Severity
from tests.conftest import ROOT, graph_of, run, spec_yaml

DESIGNS = sorted((ROOT / "tests" / "valid_designs").glob("*.yaml"))
TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("path", DESIGNS, ids=[p.stem for p in DESIGNS])
def test_valid_design_is_clean_at_fail_on_warning(path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", "--fail-on", "warning", "--format", "json", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SLSCHECK_TODAY": TODAY.isoformat(), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = json.loads(done.stdout)["findings"]
    assert all(f["severity"] == "info" for f in found), found


def _hits(services: dict[str, Any], rule_id: str, **top: Any) -> list[tuple[str, Severity]]:
    found = run(spec_yaml(services, **top), today=TODAY).findings
    return [(f.service, f.severity) for f in found if f.rule_id == rule_id]


FN: dict[str, Any] = {"type": "lambda", "runtime": "python3.13", "memory_mb": 256, "timeout_s": 10}


# --- DAT002 / FGT004: proxy endpoints in other VPCs ------------------------------------------------


def test_dat002_still_fires_without_an_endpoint_in_the_functions_vpc() -> None:
    fn = {**FN, "vpc": {"id": "vpc-app", "subnets": ["s-1"], "security_groups": ["sg"]}, "connects": ["proxy"]}
    proxy = {"type": "rds_proxy", "vpc": "vpc-db", "endpoints": [{"vpc": "vpc-other"}]}
    found = [f for f in run(spec_yaml({"fn": fn, "proxy": proxy}), today=TODAY).findings if f.rule_id == "DAT002"]
    assert [(f.service, f.severity) for f in found] == [("fn", Severity.ERROR)]
    assert "vpc-other" in found[0].message and "endpoints: [{vpc: vpc-app}]" in found[0].fix
    proxy["endpoints"] = [{"vpc": "vpc-other"}, {"vpc": {"id": "vpc-app"}, "role": "read_only"}]
    assert _hits({"fn": fn, "proxy": proxy}, "DAT002") == []


def test_fgt004_accepts_a_proxy_endpoint_but_not_a_database_in_another_vpc() -> None:
    task = {"type": "fargate", "cpu": 1, "memory_gb": 2, "vpc": "vpc-app", "connects": ["proxy", "db"]}
    proxy = {"type": "rds_proxy", "vpc": "vpc-db", "endpoints": [{"vpc": "vpc-app"}]}
    db = {"type": "aurora_serverless", "engine": "aurora-postgresql", "vpc": "vpc-db"}
    found = [
        f
        for f in run(spec_yaml({"task": task, "proxy": proxy, "db": db}), today=TODAY).findings
        if f.rule_id == "FGT004"
    ]
    assert len(found) == 1 and found[0].message.startswith("task runs in vpc-app but db is in vpc-db")


# --- DDB001 and MRSC -------------------------------------------------------------------------------


def test_ddb001_fires_for_eventual_global_tables_only() -> None:
    assert _hits({"t": {"type": "dynamodb", "replicas": ["us-west-2"]}}, "DDB001") == [("t", Severity.ERROR)]
    mrec = {"type": "dynamodb", "replicas": ["us-west-2"], "multi_region_consistency": "eventual"}
    assert _hits({"t": mrec}, "DDB001") == [("t", Severity.ERROR)]
    mrsc = {"type": "dynamodb", "replicas": ["us-east-2", "us-west-2"], "multi_region_consistency": "strong"}
    assert _hits({"t": mrsc}, "DDB001") == []


@pytest.mark.parametrize(
    ("keys", "layout_error", "set_warning"),
    [
        ({"replicas": ["us-east-2", "us-west-2"]}, False, False),
        ({"replicas": ["us-east-2"], "witness_region": "us-west-2"}, False, False),
        ({"replicas": ["us-east-2"]}, True, False),
        ({"replicas": ["us-east-2", "us-west-2", "eu-west-1"]}, True, True),
        ({"replicas": ["us-east-2"], "witness_region": "us-east-2"}, True, False),  # witness must be elsewhere
        ({"replicas": ["us-east-2", "eu-west-1"]}, False, True),
    ],
)
def test_mrsc_layout_and_region_set(keys: dict[str, Any], layout_error: bool, set_warning: bool) -> None:
    table = {"type": "dynamodb", "multi_region_consistency": "strong", **keys}
    assert bool(_hits({"t": table}, "DDB019")) is layout_error
    assert _hits({"t": table}, "DDB020") == ([("t", Severity.WARNING)] if set_warning else [])


# --- account overrides -----------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "arch.yaml"
    path.write_text(text)
    return path


def test_apg013_honours_the_raised_integration_timeout() -> None:
    api = {"type": "api_gateway", "api": "rest", "endpoint": "regional", "integration_timeout_s": 60}
    assert _hits({"api": api}, "APG013") == [("api", Severity.WARNING)]
    assert _hits({"api": api}, "APG013", account={"apigw_integration_timeout_s": 60}) == []
    assert _hits({"api": api}, "APG013", account={"apigw_rest_regional_timeout_s": 90}) == []  # by the limit's id
    assert _hits({"api": api}, "APG013", account={"apigw_integration_timeout_s": 45}) == [("api", Severity.WARNING)]
    # an edge-optimized REST API cannot be raised: APG012 still errors whatever the account says
    edge = {**api, "endpoint": "edge"}
    assert _hits({"api": edge}, "APG012", account={"apigw_integration_timeout_s": 60}) == [("api", Severity.ERROR)]


def test_quota_overrides_by_their_id_reach_the_limits_rows() -> None:
    from sls_check.limits import rows_for

    flow = {"type": "step_functions", "workflow": "standard", "transitions": 10, "rps": 400}
    text = spec_yaml({"flow": flow}, region="eu-central-1")
    before = {r.quota: r for r in rows_for(graph_of(text))}
    assert before["sfn_start_execution_rps"].status == "over"
    raised = spec_yaml({"flow": flow}, region="eu-central-1", account={"sfn_start_execution_rps": 1000})
    after = {r.quota: r for r in rows_for(graph_of(raised))}
    assert after["sfn_start_execution_rps"].limit == 1000 and after["sfn_start_execution_rps"].status == "ok"


def test_old_account_keys_keep_working(tmp_path: Path) -> None:
    fns = {"a": {**FN, "reserved_concurrency": 600}, "b": {**FN, "reserved_concurrency": 400}}
    assert _hits(fns, "LMB016") == [("a", Severity.ERROR)] or _hits(fns, "LMB016")
    assert _hits(fns, "LMB016", account={"lambda_concurrency": 2000}) == []
    spec = check(_write(tmp_path, spec_yaml(fns, account={"lambda_concurrency": 2000})))
    assert spec.data["account"] == {"lambda_concurrency": 2000}


def test_unknown_or_fixed_account_keys_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        check(_write(tmp_path, spec_yaml({"fn": FN}, account={"sfn_start_execution_rpz": 500})))
    assert "account.sfn_start_execution_rpz names no limit or quota; did you mean 'sfn_start_execution_rps'?" in str(
        err.value
    )
    assert str(err.value).startswith(f"{tmp_path / 'arch.yaml'}:5:3:") or ":5:3:" in str(err.value)
    with pytest.raises(InputError) as err:
        check(_write(tmp_path, spec_yaml({"fn": FN}, account={"lambda_memory_max_mb": 20000})))
    assert "lambda_memory_max_mb is a fixed limit" in str(err.value)


def test_explain_names_the_account_key_of_an_adjustable_limit() -> None:
    from sls_check.commands.explain import explain_text
    from sls_check.rules_engine.packs import load_rules

    rules = load_rules()
    text = explain_text(rules.by_id["APG013"], rules)
    assert "account.apigw_rest_regional_timeout_s or account.apigw_integration_timeout_s" in text


# --- BPR004, LMB024: asynchronous invocation configuration -----------------------------------------


def test_bpr004_accepts_an_on_failure_destination_or_a_dlq() -> None:
    src = {"type": "s3", "connects": ["fn"]}
    assert _hits({"fn": FN, "up": src}, "BPR004") == [("fn", Severity.WARNING)]
    with_dest = {**FN, "async_config": {"on_failure": "failed"}}
    assert _hits({"fn": with_dest, "up": src, "failed": {"type": "sqs"}}, "BPR004") == []
    assert _hits({"fn": {**FN, "dlq": "failed"}, "up": src, "failed": {"type": "sqs"}}, "BPR004") == []


def test_on_failure_must_name_a_destination_service() -> None:
    with pytest.raises(InputError) as err:
        run(spec_yaml({"fn": {**FN, "async_config": {"on_failure": "nowhere"}}}))
    assert "nowhere" in str(err.value)
    with pytest.raises(InputError) as err:
        run(spec_yaml({"fn": {**FN, "async_config": {"on_failure": "t"}}, "t": {"type": "dynamodb"}}))
    assert "expected sqs or sns or lambda" in str(err.value)


@pytest.mark.parametrize(
    ("config", "fires"),
    [
        ({"maximum_event_age_s": 60, "maximum_retry_attempts": 0}, False),
        ({"maximum_event_age_s": 21600, "maximum_retry_attempts": 2}, False),
        ({"maximum_event_age_s": 59}, True),
        ({"maximum_event_age_s": 21601}, True),
        ({"maximum_retry_attempts": 3}, True),
    ],
)
def test_lmb024_async_config_ranges(config: dict[str, int], fires: bool) -> None:
    assert bool(_hits({"fn": {**FN, "async_config": config}}, "LMB024")) is fires


# --- LIM001: queue-fed functions --------------------------------------------------------------------


def _queue_fed(**queue: Any) -> str:
    return spec_yaml(
        {
            "q": {"type": "sqs", "visibility_timeout_s": 300, **queue, "connects": ["fn"]},
            "fn": {**FN, "timeout_s": 30, "duration_ms": 400, "reserved_concurrency": 60},
        },
        workload={"rps": 50, "peak_rps": 300},
    )


def test_lim001_counts_batches_and_the_event_source_cap() -> None:
    from sls_check.limits import rows_for

    def row(text: str) -> Any:
        return next(r for r in rows_for(graph_of(text)) if r.service == "fn" and r.quota == "reserved_concurrency")

    assert row(_queue_fed(trigger_batch_size=1)).needed == pytest.approx(120)  # one invocation per message
    assert row(_queue_fed()).needed == pytest.approx(12)  # AWS's default batch of 10 messages
    assert row(_queue_fed(trigger_batch_size=100)).needed == pytest.approx(1.2)
    capped = row(_queue_fed(trigger_batch_size=1, trigger_max_concurrency=50))
    assert capped.needed == pytest.approx(50) and capped.status == "warn"
    assert "at most 50 concurrent (trigger_max_concurrency)" in capped.note
    assert row(_queue_fed(trigger_batch_size=1, trigger_max_concurrency=20)).status == "ok"


# --- LMB020, BPR007: documented uses are information ------------------------------------------------


def test_lmb020_is_information_and_quiet_with_the_web_adapter() -> None:
    streaming = {**FN, "invoke_mode": "response_stream"}
    assert _hits({"fn": streaming}, "LMB020") == [("fn", Severity.INFO)]
    layered = {**streaming, "package": {"format": "zip", "layers": [{"name": "LambdaAdapterLayerX86"}]}}
    assert _hits({"fn": layered}, "LMB020") == []
    assert _hits({"fn": {**streaming, "env": {"AWS_LWA_INVOKE_MODE": "response_stream"}}}, "LMB020") == []
    assert _hits({"fn": {**streaming, "runtime": "nodejs24.x"}}, "LMB020") == []


def test_bpr007_is_information() -> None:
    ids = {"type": "cognito_identity_pool", "allow_guest": True}
    assert _hits({"ids": ids}, "BPR007") == [("ids", Severity.INFO)]
