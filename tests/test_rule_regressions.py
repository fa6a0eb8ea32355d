"""Rule regressions that need Python (several services, computed specs); single-spec cases with
positions live in tests/rule_cases/*.yaml. (Was test_review_rules.py.)

Regression tests from the rule review: boundaries, defaults and false positives on realistic specs.
"""

from __future__ import annotations

from tests.conftest import ids, run, spec_yaml


def _ids(services: dict, **top: object) -> list[str]:
    return ids(run(spec_yaml(services, **top)).findings)


def _fn(**kw: object) -> dict:
    return {"type": "lambda", "runtime": "python3.13", **kw}


# --- Lambda limits of issue 2: exactly at the limit is fine, one above is not -----------------


def test_lambda_limits_at_and_one_above() -> None:
    at = {
        "mem_lo": _fn(memory_mb=128),
        "mem_hi": _fn(memory_mb=10240),
        "timeout": _fn(timeout_s=900),
        "tmp_lo": _fn(ephemeral_storage_mb=512),
        "tmp_hi": _fn(ephemeral_storage_mb=10240),
        "env": _fn(env={"K": "x" * 4095}),
        "zip": _fn(
            package={
                "format": "zip",
                "zipped_mb": 50,
                "unzipped_mb": 100,
                "layers": [{"name": "a", "unzipped_mb": 100}, {"name": "b", "unzipped_mb": 50}],
            }
        ),
        "image": {"type": "lambda", "package": {"format": "image", "image_mb": 10240}},
    }
    assert not [i for i in _ids(at) if i.startswith("LMB")]
    over = {
        "mem_lo": _fn(memory_mb=127),
        "mem_hi": _fn(memory_mb=10241),
        "timeout": _fn(timeout_s=901),
        "tmp_lo": _fn(ephemeral_storage_mb=511),
        "tmp_hi": _fn(ephemeral_storage_mb=10241),
        "env": _fn(env={"K": "x" * 4096}),
        "zip": _fn(
            package={
                "format": "zip",
                "zipped_mb": 51,
                "unzipped_mb": 100,
                "layers": [{"name": "a", "unzipped_mb": 100}, {"name": "b", "unzipped_mb": 51}],
            }
        ),
        "image": {"type": "lambda", "package": {"format": "image", "image_mb": 10241}},
    }
    found = sorted(i for i in _ids(over) if i.startswith("LMB"))
    assert found == ["LMB001", "LMB001", "LMB002", "LMB003", "LMB003", "LMB004", "LMB005", "LMB006", "LMB007"]


def test_zip_uploaded_through_s3_is_not_held_to_the_direct_upload_limit() -> None:
    pkg = {"format": "zip", "zipped_mb": 80, "unzipped_mb": 200}
    assert "LMB005" in _ids({"fn": _fn(package=pkg)})
    assert "LMB005" in _ids({"fn": _fn(package={**pkg, "upload": "direct"})})
    assert "LMB005" not in _ids({"fn": _fn(package={**pkg, "upload": "s3"})})
    # the unzipped cap still holds through S3
    assert "LMB006" in _ids({"fn": _fn(package={**pkg, "upload": "s3", "unzipped_mb": 251})})


def test_timeout_below_one_second_gets_a_fix_that_fits() -> None:
    found = [f for f in run(spec_yaml({"fn": _fn(timeout_s=0.5)})).findings if f.rule_id == "LMB002"]
    assert len(found) == 1
    assert "0.5 s" in found[0].message and "from 1 to 900" in found[0].fix


# --- INT010: only a stage throttle the user set is compared with concurrency ------------------


def _web_api(**api: object) -> dict:
    return {
        "api": {"type": "api_gateway", "api": "http", "connects": ["list_items", "create_order"], **api},
        "list_items": _fn(memory_mb=512, timeout_s=10, duration_ms=180),
        "create_order": _fn(memory_mb=1024, timeout_s=29, duration_ms=350),
    }


def test_int010_silent_on_an_api_without_a_stage_throttle() -> None:
    assert "INT010" not in _ids(_web_api(), workload={"rps": 20, "peak_rps": 150})
    assert "INT010" not in _ids(_web_api())  # no workload at all


def test_int010_reports_a_stage_throttle_the_function_cannot_serve() -> None:
    services = _web_api(throttle={"rps": 5000, "burst": 2000})
    findings = [f for f in run(spec_yaml(services)).findings if f.rule_id == "INT010"]
    # create_order: 5,000 x 0.35 s = 1,750 > 1,000; list_items: 5,000 x 0.18 s = 900 fits
    assert len(findings) == 1
    assert "5,000 requests/s" in findings[0].message and "create_order needs 1,750" in findings[0].message
    # a throttle that fits: 2,000 rps x 0.35 s = 700 <= 1,000
    assert "INT010" not in _ids(_web_api(throttle={"rps": 2000, "burst": 1000}))


def test_int010_uses_reserved_and_raised_account_concurrency() -> None:
    services = {
        "api": {"type": "api_gateway", "api": "http", "throttle": {"rps": 5000, "burst": 2000}, "connects": ["a", "b"]},
        "a": _fn(duration_ms=500),
        "b": _fn(duration_ms=500, reserved_concurrency=100),
    }
    found = [
        f for f in run(spec_yaml(services, account={"lambda_concurrency": 5000})).findings if f.rule_id == "INT010"
    ]
    assert len(found) == 1 and "b needs 2,500" in found[0].message and "has 100" in found[0].message


# --- WebSocket messages ------------------------------------------------------------------------


def test_websocket_message_size_is_a_rule_finding_not_a_schema_error() -> None:
    ws = {"type": "api_gateway", "api": "websocket"}
    assert "APG021" not in _ids({"api": {**ws, "message_kb": 128}})
    found = [f for f in run(spec_yaml({"api": {**ws, "message_kb": 129}})).findings if f.rule_id == "APG021"]
    assert len(found) == 1 and "129 KB" in found[0].message and "128 KB" in found[0].message


def test_jwt_on_a_websocket_api_is_reported_once() -> None:
    found = _ids({"api": {"type": "api_gateway", "api": "websocket", "auth": "jwt"}})
    assert found.count("APG005") == 1 and "APG010" not in found
    assert "APG010" in _ids(
        {
            "api": {"type": "api_gateway", "api": "websocket", "auth": "cognito", "user_pool": "u"},
            "u": {"type": "cognito_user_pool"},
        }
    )


# --- BPR003: a dead-letter queue read by a redrive function needs no dead-letter queue itself --


def test_dlq_with_a_redrive_function_is_not_asked_for_its_own_dlq() -> None:
    services = {
        "jobs": {"type": "sqs", "visibility_timeout_s": 360, "dlq": "jobs_dlq", "connects": ["worker"]},
        "jobs_dlq": {"type": "sqs", "retention_s": 1209600, "visibility_timeout_s": 360, "connects": ["redrive"]},
        "worker": _fn(timeout_s=60),
        "redrive": _fn(timeout_s=60),
        "other": {"type": "sqs", "visibility_timeout_s": 360, "connects": ["worker2"]},
        "worker2": _fn(timeout_s=60),
    }
    found = [f for f in run(spec_yaml(services)).findings if f.rule_id == "BPR003"]
    assert [f.service for f in found] == ["other"]


# --- cross-service rules of issue 3 at their boundaries ---------------------------------------


def test_api_integration_timeout_boundaries_by_api_type() -> None:
    services = {
        "rest": {"type": "api_gateway", "api": "rest", "endpoint": "regional", "connects": ["f29", "f30"]},
        "http": {"type": "api_gateway", "api": "http", "connects": ["f30", "f31"]},
        "ws": {"type": "api_gateway", "api": "websocket", "connects": ["f29"]},
        "f29": _fn(timeout_s=29),
        "f30": _fn(timeout_s=30),
        "f31": _fn(timeout_s=31),
    }
    found = sorted(
        (f.service, f.message.split(" ")[0]) for f in run(spec_yaml(services)).findings if f.rule_id == "INT001"
    )
    assert found == [("http", "f31"), ("rest", "f30")]


# SQS visibility timeout boundaries (INT002, INT003): tests/rule_cases/INT002.yaml


def test_certificate_regions_with_default_endpoints() -> None:
    eu = {"type": "acm_certificate", "domain": "*.example.com"}
    us = {**eu, "region": "us-east-1"}

    def api(kind: str, name: str, cert: str) -> dict:
        return {"type": "api_gateway", "api": kind, "custom_domain": {"name": name, "certificate": cert}}

    services = {
        "rest_default": api("rest", "a.example.com", "us"),
        "http_default": api("http", "b.example.com", "eu"),
        "rest_edge_eu": api("rest", "c.example.com", "eu"),
        "http_us": api("http", "d.example.com", "us"),
        "eu": eu,
        "us": us,
    }
    found = sorted(
        (f.rule_id, f.service)
        for f in run(spec_yaml(services, region="eu-west-1")).findings
        if f.rule_id in ("APG001", "APG002")
    )
    assert found == [("APG001", "rest_edge_eu"), ("APG002", "http_us")]


def test_a_cloudfront_origin_function_is_not_lambda_at_edge() -> None:
    services = {
        "cdn": {"type": "cloudfront", "connects": ["url_fn"]},
        "url_fn": _fn(architecture="arm64", env={"A": "b"}, memory_mb=2048, timeout_s=60, duration_ms=50),
    }
    assert not [i for i in _ids(services, region="eu-west-1") if i.startswith("EDG")]


def test_int001_caps_an_unraisable_integration_timeout_at_its_ceiling() -> None:
    def int001(**api: object) -> list[str]:
        services = {"api": {"type": "api_gateway", "connects": ["fn"], **api}, "fn": _fn(timeout_s=90)}
        return [f.message for f in run(spec_yaml(services)).findings if f.rule_id == "INT001"]

    # edge-optimized REST cannot be raised: APG012 reports the 60, INT001 compares with 29
    assert int001(api="rest", integration_timeout_s=60) == [
        "fn has timeout_s 90 s but the REST API integration times out at 29 s"
    ]
    assert int001(api="rest", endpoint="regional", integration_timeout_s=60) == [
        "fn has timeout_s 90 s but the REST API integration times out at 60 s"
    ]
    assert int001(api="http", integration_timeout_s=45) == [
        "fn has timeout_s 90 s but the HTTP API integration times out at 30 s"
    ]
    assert int001(api="http", integration_timeout_s=10)[0].endswith("times out at 10 s")


def test_apg012_message_names_the_range_of_each_api_type() -> None:
    services = {"api": {"type": "api_gateway", "api": "http", "integration_timeout_s": 31}}
    found = [f for f in run(spec_yaml(services)).findings if f.rule_id == "APG012"]
    assert len(found) == 1
    assert "31 s" in found[0].message and "HTTP APIs 0.05-30 s" in found[0].message
    assert "at most 30 s (HTTP)" in found[0].fix


# --- global tables: each replica Region has its own stream -------------------------------------


def test_a_function_in_a_replica_region_may_read_the_global_table_stream() -> None:
    def services(replicas: list[str]) -> dict:
        return {
            "table": {
                "type": "dynamodb",
                "stream": "new_and_old_images",
                "replicas": replicas,
                "connects": ["proj_eu", "proj_us"],
            },
            "proj_eu": _fn(),
            "proj_us": _fn(region="us-east-1"),
        }

    found = _ids(services(["us-east-1"]), region="eu-west-1")
    assert "INT005" not in found and "DDB010" not in found
    found = _ids(services(["us-west-2"]), region="eu-west-1")
    assert found.count("INT005") == 1
    # an SQS queue has no replicas: still one Region only
    assert "INT005" in _ids(
        {"q": {"type": "sqs", "dlq": "d", "connects": ["fn"]}, "d": {"type": "sqs"}, "fn": _fn(region="us-east-1")},
        region="eu-west-1",
    )


def test_global_table_readers_are_counted_per_region() -> None:
    services = {
        "table": {
            "type": "dynamodb",
            "stream": "new_and_old_images",
            "replicas": ["us-east-1"],
            "connects": ["a", "b"],
        },
        "a": _fn(),
        "b": _fn(),
    }
    found = [f for f in run(spec_yaml(services, region="eu-west-1")).findings if f.rule_id == "DDB010"]
    assert len(found) == 1 and "2 functions in eu-west-1" in found[0].message


def test_fargate_platform_message_names_what_needs_1_4() -> None:
    services = {"w": {"type": "fargate", "cpu": 8, "memory_gb": 32, "platform_version": "1.3.0"}}
    found = [f for f in run(spec_yaml(services)).findings if f.rule_id == "FGT003"]
    assert len(found) == 1 and "8 and 16 vCPU sizes" in found[0].message


def test_a_lambda_at_edge_shared_by_two_distributions_is_reported_once_per_problem() -> None:
    services = {
        "cdn_a": {"type": "cloudfront", "functions": [{"function": "le", "event": "origin-request"}]},
        "cdn_b": {"type": "cloudfront", "functions": [{"function": "le", "event": "origin-request"}]},
        "le": {"type": "lambda", "runtime": "nodejs22.x", "architecture": "arm64"},
    }
    found = [f for f in run(spec_yaml(services, region="eu-west-1")).findings if f.rule_id.startswith("EDG")]
    assert sorted(f.rule_id for f in found) == ["EDG001", "EDG005"]
    assert all("cdn_a" in f.message and "also through cdn_b" in f.message for f in found)


def test_per_peer_findings_with_different_fixes_stay_apart() -> None:
    services = {
        "q": {"type": "sqs", "visibility_timeout_s": 100, "dlq": "d", "connects": ["f30", "f60"]},
        "d": {"type": "sqs"},
        "f30": _fn(timeout_s=30),
        "f60": _fn(timeout_s=60),
    }
    found = [f for f in run(spec_yaml(services)).findings if f.rule_id == "INT003"]
    assert len(found) == 2 and not any("also through" in f.message for f in found)


def test_sqs_default_size_warning_only_where_a_setting_helps() -> None:
    assert "MSG004" in _ids({"q": {"type": "sqs", "message_kb": 512}})
    found = _ids({"q": {"type": "sqs", "message_kb": 2048}})
    assert "MSG001" in found and "MSG004" not in found


def test_a_function_in_another_vpc_cannot_reach_a_private_database() -> None:
    db = {"type": "aurora_serverless", "engine": "aurora-postgresql", "vpc": "vpc-db", "min_acu": 0.5, "max_acu": 4}

    def dat016(fn_vpc: str | None, **db_extra: object) -> int:
        fn = _fn(connects=["db"])
        if fn_vpc:
            fn["vpc"] = {"id": fn_vpc, "subnets": ["a", "b"], "security_groups": ["sg"]}
        return _ids({"fn": fn, "db": {**db, **db_extra}}).count("DAT016")

    assert dat016("vpc-db") == 0
    assert dat016("vpc-app") == 1
    assert dat016(None) == 1
    assert dat016("vpc-app", data_api=True) == 0


def test_provisioned_concurrency_without_a_reservation_counts_against_the_unreserved_pool() -> None:
    assert "LMB016" not in _ids({"a": _fn(provisioned_concurrency=900)})
    found = [
        f
        for f in run(
            spec_yaml(
                {"a": _fn(provisioned_concurrency=850), "b": _fn(reserved_concurrency=100, provisioned_concurrency=100)}
            )
        ).findings
        if f.rule_id == "LMB016"
    ]
    assert len(found) == 1 and "950" in found[0].message and "a (provisioned), b" in found[0].message
    assert found[0].service == "a"


def test_s3_notifies_a_function_of_its_own_region_only() -> None:
    services = {"uploads": {"type": "s3", "connects": ["fn"]}, "fn": _fn(region="us-east-1")}
    assert "INT008" in _ids(services, region="eu-west-1")
    assert "INT008" not in _ids(services, region="us-east-1")
