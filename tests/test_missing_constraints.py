"""Constraints the knowledge audit found unchecked (issue 13), each at its boundary, through the
real pipeline (load, schema, graph, rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sls_check.model import InputError, Severity
from tests.conftest import run, spec_yaml

TODAY = dt.date(2026, 12, 1)
FN: dict[str, Any] = {"type": "lambda", "runtime": "python3.13", "memory_mb": 256, "timeout_s": 10}


def hits(services: dict[str, Any], rule_id: str, **top: Any) -> list[tuple[str, Severity]]:
    found = run(spec_yaml(services, **top), today=TODAY).findings
    return [(f.service, f.severity) for f in found if f.rule_id == rule_id]


def message(services: dict[str, Any], rule_id: str, **top: Any) -> str:
    return next(f.message for f in run(spec_yaml(services, **top), today=TODAY).findings if f.rule_id == rule_id)


# --- CloudFront -----------------------------------------------------------------------------------


def test_aliases_100_then_error_and_the_account_override() -> None:
    names = [f"n{i}.example.com" for i in range(101)]
    assert hits({"cdn": {"type": "cloudfront", "aliases": names[:100]}}, "EDG030") == []
    assert hits({"cdn": {"type": "cloudfront", "aliases": names}}, "EDG030") == [("cdn", Severity.ERROR)]
    raised = {"cloudfront_aliases_max": 200}
    assert hits({"cdn": {"type": "cloudfront", "aliases": names}}, "EDG030", account=raised) == []


def test_cache_behaviors_75() -> None:
    assert hits({"cdn": {"type": "cloudfront", "cache_behaviors": 75}}, "EDG032") == []
    assert hits({"cdn": {"type": "cloudfront", "cache_behaviors": 76}}, "EDG032") == [("cdn", Severity.ERROR)]


def test_origins_25_is_a_warning() -> None:
    origins = {f"o{i}": {"type": "s3"} for i in range(26)}
    cdn = {"type": "cloudfront", "connects": sorted(origins)}
    assert hits({"cdn": cdn, **origins}, "EDG031") == [("cdn", Severity.WARNING)]
    cdn25 = {"type": "cloudfront", "connects": sorted(origins)[:25]}
    assert hits({"cdn": cdn25, **origins}, "EDG031") == []


@pytest.mark.parametrize(
    ("cdn", "api_timeout", "fires"),
    [
        ({}, 29, False),
        ({}, 30, False),
        ({}, 31, True),
        ({"origin_timeout_s": 60}, 60, False),
        ({"origin_timeout_s": 45}, 60, True),
    ],
)
def test_origin_response_timeout_against_the_api(cdn: dict[str, Any], api_timeout: int, fires: bool) -> None:
    services = {
        "cdn": {"type": "cloudfront", **cdn, "connects": ["api"]},
        "api": {"type": "api_gateway", "api": "rest", "endpoint": "regional", "integration_timeout_s": api_timeout},
    }
    assert hits(services, "EDG033", account={"apigw_integration_timeout_s": 60}) == (
        [("cdn", Severity.WARNING)] if fires else []
    )


def test_origin_timeout_against_a_function_url_duration() -> None:
    services = {
        "cdn": {"type": "cloudfront", "connects": ["fn"]},
        "fn": {**FN, "timeout_s": 60, "duration_ms": 45000},
    }
    assert "may take 45 s (average duration) but the distribution waits 30 s" in message(services, "EDG033")


@pytest.mark.parametrize(
    ("event", "kb", "fires"),
    [
        ("viewer-request", 40, False),
        ("viewer-response", 41, True),
        ("origin-request", 1024, False),
        ("origin-response", 1025, True),
    ],
)
def test_edge_generated_response_size(event: str, kb: int, fires: bool) -> None:
    services = {
        "fn": {"type": "lambda", "runtime": "nodejs24.x", "generated_response_kb": kb},
        "cdn": {"type": "cloudfront", "functions": [{"function": "fn", "event": event}]},
    }
    assert hits(services, "EDG034") == ([("fn", Severity.ERROR)] if fires else [])


def test_kvs_limits_name_what_is_over() -> None:
    base = {"type": "cloudfront_function", "runtime": "cloudfront-js-2.0", "key_value_store": True}
    assert (
        hits({"f": {**base, "kvs_size_mb": 5, "kvs_max_key_bytes": 512, "kvs_max_value_bytes": 1024}}, "EDG035") == []
    )
    text = message({"f": {**base, "kvs_size_mb": 6, "kvs_max_value_bytes": 2048}}, "EDG035")
    assert "kvs_size_mb 6 (at most 5)" in text and "kvs_max_value_bytes 2,048 (at most 1,024)" in text


# --- API Gateway WebSocket, Firehose ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "fires"),
    [
        ({"session_minutes": 120, "idle_minutes": 10}, False),
        ({"session_minutes": 121}, True),
        ({"idle_minutes": 11}, True),
    ],
)
def test_websocket_duration_and_idle(keys: dict[str, int], fires: bool) -> None:
    ws = {"type": "api_gateway", "api": "websocket", **keys}
    assert hits({"ws": ws}, "APG022") == ([("ws", Severity.ERROR)] if fires else [])


def test_websocket_keys_do_not_apply_to_rest() -> None:
    assert hits({"api": {"type": "api_gateway", "api": "rest", "session_minutes": 500}}, "APG022") == []


@pytest.mark.parametrize(
    ("records", "kb", "fires"), [(500, 8, False), (500, 8.2, True), (4, 1000, False), (5, 1000, True)]
)
def test_firehose_put_record_batch_4_mib(records: int, kb: float, fires: bool) -> None:
    stream = {"type": "kinesis_firehose", "batch_records": records, "record_kb": kb}
    assert hits({"s": stream}, "MSG026") == ([("s", Severity.ERROR)] if fires else [])


# --- Cognito feature plans --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "threat", "fires"),
    [
        ("plus", True, False),
        ("essentials", True, True),
        ("lite", True, True),
        (None, True, True),
        ("lite", False, False),
    ],
)
def test_threat_protection_needs_plus(tier: str | None, threat: bool, fires: bool) -> None:
    pool: dict[str, Any] = {"type": "cognito_user_pool", "threat_protection": threat}
    if tier:
        pool["tier"] = tier
    assert bool(hits({"users": pool}, "COG008")) is fires


def test_essentials_features_on_lite() -> None:
    lite = {"type": "cognito_user_pool", "tier": "lite", "managed_login_branding": True}
    assert "uses managed_login_branding" in message({"users": lite}, "COG009")
    assert hits({"users": {**lite, "tier": "essentials"}}, "COG009") == []


# --- DynamoDB ------------------------------------------------------------------------------------------


def test_provisioned_global_table_needs_autoscaling() -> None:
    table = {"type": "dynamodb", "billing": "provisioned", "rcu": 5, "wcu": 5, "replicas": ["eu-west-1"]}
    table["stream"] = "new_and_old_images"
    assert hits({"t": table}, "DDB021") == [("t", Severity.WARNING)]
    assert hits({"t": {**table, "autoscaling": True}}, "DDB021") == []
    assert hits({"t": {**table, "billing": "on_demand"}}, "DDB021") == []
    single = {k: v for k, v in table.items() if k != "replicas"}
    assert hits({"t": single}, "DDB021") == []


def test_mrsc_ttl_and_s3_import() -> None:
    mrsc = {"type": "dynamodb", "multi_region_consistency": "strong", "replicas": ["us-east-2", "us-west-2"]}
    assert hits({"t": {**mrsc, "ttl_attribute": "exp"}}, "DDB022") == [("t", Severity.ERROR)]
    assert hits({"t": {"type": "dynamodb", "ttl_attribute": "exp"}}, "DDB022") == []
    assert hits({"t": {"type": "dynamodb", "import_from_s3": "existing_table"}}, "DDB023") == [("t", Severity.ERROR)]
    assert hits({"t": {"type": "dynamodb", "import_from_s3": "new_table"}}, "DDB023") == []


def test_stream_consumer_without_on_failure_is_information() -> None:
    table = {"type": "dynamodb", "stream": "new_image", "connects": ["fn"]}
    assert hits({"t": table, "fn": FN}, "DDB024") == [("t", Severity.INFO)]
    with_dest = {**table, "trigger_on_failure": "dead"}
    assert hits({"t": with_dest, "fn": FN, "dead": {"type": "sqs"}}, "DDB024") == []
    with pytest.raises(InputError):
        run(spec_yaml({"t": {**table, "trigger_on_failure": "fn"}, "fn": FN}))  # a function is not a destination


# --- RDS Proxy, S3 notifications ----------------------------------------------------------------------


def test_rds_proxy_quotas() -> None:
    assert hits({"p": {"type": "rds_proxy", "secrets": 200}}, "DAT020") == []
    assert "secrets 201 (at most 200)" in message({"p": {"type": "rds_proxy", "secrets": 201}}, "DAT020")
    endpoints = [{"vpc": f"vpc-{i}"} for i in range(21)]
    assert "additional endpoints 21 (at most 20)" in message(
        {"p": {"type": "rds_proxy", "endpoints": endpoints}}, "DAT020"
    )


def test_rds_proxies_per_region_once_and_raised() -> None:
    proxies = {f"p{i:02d}": {"type": "rds_proxy"} for i in range(21)}
    assert hits(proxies, "DAT021") == [("p00", Severity.ERROR)]
    assert hits(dict(list(proxies.items())[:20]), "DAT021") == []
    assert hits(proxies, "DAT021", account={"rds_proxies_max": 40}) == []
    split = {**dict(list(proxies.items())[:20]), "p20": {"type": "rds_proxy", "region": "eu-west-1"}}
    assert hits(split, "DAT021") == []


@pytest.mark.parametrize(
    ("first", "second", "fires"),
    [
        ({"prefix": "images/"}, {"prefix": "logs/"}, False),
        ({"prefix": "images/"}, {"prefix": "images/thumbs/"}, True),
        ({}, {"suffix": ".jpg"}, True),  # no filter overlaps everything
        ({"suffix": ".jpg"}, {"suffix": ".png"}, False),
        ({"prefix": "a/", "suffix": ".jpg"}, {"prefix": "a/", "suffix": ".png"}, False),
        ({"events": ["s3:ObjectCreated:*"]}, {"events": ["s3:ObjectRemoved:*"]}, False),
        ({"events": ["s3:ObjectCreated:*"]}, {"events": ["s3:ObjectCreated:Put"]}, True),
    ],
)
def test_s3_notification_overlap(first: dict[str, Any], second: dict[str, Any], fires: bool) -> None:
    bucket = {"type": "s3", "notifications": [{"to": "a", **first}, {"to": "b", **second}]}
    assert hits({"bucket": bucket, "a": FN, "b": FN}, "DAT022") == ([("bucket", Severity.ERROR)] if fires else [])


# --- Step Functions Express, Fargate Windows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("workflow", "pattern", "fires"),
    [
        ("express", "sync", True),
        ("express", "wait_for_task_token", True),
        ("express", "request_response", False),
        ("standard", "sync", False),
    ],
)
def test_express_request_response_only(workflow: str, pattern: str, fires: bool) -> None:
    flow = {"type": "step_functions", "workflow": workflow, "connects": [{"to": "fn", "integration": pattern}]}
    assert hits({"flow": flow, "fn": FN}, "SFN007") == ([("flow", Severity.ERROR)] if fires else [])


@pytest.mark.parametrize(
    ("keys", "fires"),
    [
        ({"os": "windows", "cpu": 1, "memory_gb": 2}, False),
        ({"os": "windows", "cpu": 0.5, "memory_gb": 1}, True),
        ({"os": "windows", "cpu": 2, "memory_gb": 4, "architecture": "arm64"}, True),
        ({"os": "linux", "cpu": 0.5, "memory_gb": 1, "architecture": "arm64"}, False),
    ],
)
def test_fargate_windows(keys: dict[str, Any], fires: bool) -> None:
    assert hits({"task": {"type": "fargate", **keys}}, "FGT005") == ([("task", Severity.ERROR)] if fires else [])
