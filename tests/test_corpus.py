"""Real SAM/CloudFormation and Serverless Framework files from ../shared/corpus, imported.

Every file must import and be checked (exit 0 or 1); the one genuinely broken template (a
duplicate key, cfn-lint E0000 too) is refused with its position. The findings below were
reviewed by hand against the original templates: each is true for it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sls_check.api import validate
from sls_check.importers import import_files
from sls_check.model import InputError

from .conftest import ROOT, SHARED

CORPUS = SHARED / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in {".yaml", ".yml"}) if CORPUS.exists() else []
needs_corpus = pytest.mark.skipif(not FILES, reason="../shared/corpus is absent (only in the team's workspace)")

# template folder -> why it cannot be checked
BROKEN = {
    "sam-webapp-cognito": "duplicate key 'Name' in a CachePolicy (CloudFormation keeps one silently; cfn-lint E0000)"
}

# Companions of an unmodelled primary (they configure it; the study counts families, not resources).
COMPANIONS = {
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::AppSync::Resolver",
    "AWS::AppSync::DataSource",
    "AWS::AppSync::GraphQLSchema",
    "AWS::AppSync::ApiKey",
    "AWS::OpenSearchServerless::SecurityPolicy",
    "AWS::OpenSearchServerless::AccessPolicy",
    "AWS::Kinesis::StreamConsumer",
    "AWS::Events::Connection",
}

# (folder, rule, service) of every warning and error over the SAM corpus, each checked by hand.
REVIEWED = {
    ("apigw-lambda-observability", "INT001", "HttpApi"),  # Timeout 100 behind an HTTP API (30 s)
    ("apigw-rest-api-lambda-vpc-sqs", "INT001", "FirstApi"),  # 30 s behind REST (29 s)
    ("lambda-durable-human-approval-sam", "INT001", "ApprovalApi"),  # 30 s behind REST
    ("apigw-websocket-api-lambda-authorizer", "INT001", "SimpleChatWebSocketApi"),  # 3 functions, 30 s vs 29 s
    ("apigw-websocket-api-lambda-authorizer", "LMB021", "OnConnectFunction"),  # dotnet6
    ("apigw-websocket-api-lambda-authorizer", "LMB021", "OnDisconnectFunction"),
    ("apigw-websocket-api-lambda-authorizer", "LMB021", "SendMessageFunction"),
    ("apigw-websocket-api-lambda-authorizer", "LMB021", "LambdaAuthorizerHandler"),
    ("apigw-mutualtls-lambda", "IMP005", "LambdaFunction"),  # SAM types without the Transform line
    ("lambda-aurora-serverless", "IMP006", "AuroraCluster"),  # EngineMode: serverless (v1, end of life)
    ("apigw-sqs-lambda", "BPR003", "MySqsQueue"),  # no RedrivePolicy
    ("apigw-websocket-api-sqs-lambda", "BPR003", "APIGWWebsocketQueue"),
    ("s3-sqs-lambda", "BPR003", "ResizerQueue"),
    ("sns-sqs-lambda-xray", "BPR003", "SourceSqsQueue"),
    ("sqs-lambda", "BPR003", "MySqsQueue"),
    ("apigw-websocket-api-sqs-lambda", "INT003", "APIGWWebsocketQueue"),  # 30 s visibility vs 15 s timeout
    ("sqs-lambda-partial-batch-rust-sam", "INT003", "MySqsQueue"),  # 30 s vs 30 s
    ("apigw-sqs-lambda-ddb", "MSG010", "BufferingQueue"),  # DLQ at the default 4 days, like the queue
    ("sns-sqs-fanout", "MSG010", "AllMetricsSqsQueue"),
    ("sns-sqs-fanout", "MSG010", "TemperatureSqsQueue"),
    ("sns-sqs-fanout", "MSG010", "HumiditySqsQueue"),
    ("sqs-lambda-partial-batch-rust-sam", "MSG010", "MySqsQueue"),
    ("s3-lambda-container-sam", "BPR004", "SampleFunction"),  # S3-invoked, no DLQ or OnFailure
    ("s3-lambda-resizing-java", "BPR004", "ResizerFunction"),
    ("s3-lambda-resizing-python", "BPR004", "ResizerFunction"),
    ("sns-lambda-python-sam", "BPR004", "ProcessorFunction"),
}
# info findings of rules (not the importer's notes), reviewed too
REVIEWED_INFO = {
    ("lambda-aurora-serverlessv2-postgresql", "DAT007", "AuroraCluster"),  # min 0 ACU: a reminder (16.4 supports it)
    ("dynamodb-lambda", "DDB024", "MyDynamoDBtable"),  # stream consumers without DestinationConfig.OnFailure
    ("dynamodb-streams-lambda-event-filters", "DDB024", "DynamoDBTable"),
    ("dynamodb-streams-lambda-eventbridge-sam-node", "DDB024", "MyTable"),
}


@needs_corpus
def test_every_sam_template_imports_and_the_findings_are_the_reviewed_ones() -> None:
    files = [p for p in FILES if "serverless-patterns" in p.parts]
    report = validate(files)
    broken = {Path(p.location.file).parent.name for p in report.problems}
    assert broken == set(BROKEN)
    assert len(report.results) == len(files) - len(BROKEN)
    found = {
        (Path(f.location.file).parent.name, f.rule_id, f.service)
        for f in report.findings
        if f.severity.label in ("warning", "error")
    }
    assert found == REVIEWED
    info = {
        (Path(f.location.file).parent.name, f.rule_id, f.service)
        for f in report.findings
        if f.severity.label == "info" and not f.rule_id.startswith("IMP")
    }
    assert info == REVIEWED_INFO
    for f in report.findings:  # every finding is on the template's own lines
        assert f.location.file.endswith("template.yaml") and f.location.line >= 1


@needs_corpus
def test_serverless_framework_files_import() -> None:
    files = [p for p in FILES if "serverless-framework" in p.parts]
    report = validate(files)
    assert report.problems == []
    typos = sorted(Path(f.location.file).parent.name for f in report.findings if f.rule_id == "IMP009")
    assert typos == ["alb-lambda-serverless", "eventbridge-pipes-dynamodbstream-to-sqs-serverless"]  # provider.Runtime


@needs_corpus
def test_at_least_ninety_percent_of_the_serverless_services_map() -> None:
    tiers: dict[str, int] = {}
    unmapped_primaries = 0
    for path in FILES:
        try:
            imported = import_files([path], discover=False)
        except InputError:
            continue
        for tier, n in imported.tiers.items():
            tiers[tier] = tiers.get(tier, 0) + n
        unmapped_primaries += sum(
            1 for n in imported.notes if n.rule == "IMP001" and n.values["type"] not in COMPANIONS
        )
    services = tiers["service"]
    assert services / (services + unmapped_primaries) >= 0.90
    resources = (tiers["service"] + tiers["facet"]) / (tiers["service"] + tiers["facet"] + tiers["unmapped"])
    assert resources >= 0.89


def test_cli_on_the_whole_corpus_has_no_traceback() -> None:
    if not FILES:
        pytest.skip("../shared/corpus is absent (only in the team's workspace)")
    files = [str(p) for p in FILES]
    proc = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", *files], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 2  # the one broken template
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and re.match(r"^.+sam-webapp-cognito/template\.yaml:29:9: duplicate key", lines[0]), lines


@needs_corpus
def test_every_written_spec_validates_with_exit_0_or_1(tmp_path: Path) -> None:
    from sls_check.importers.writer import render_spec
    from sls_check.rules_engine.packs import load_rules

    ruleset = load_rules(None)
    written = []
    for i, path in enumerate(FILES):
        if path.parent.name in BROKEN:
            continue
        imported = import_files([path], discover=False)
        assert imported.doc is not None
        if not imported.doc.data["services"]:
            continue  # nothing the spec models (a DNS-only or EventBridge-only stack)
        out = tmp_path / f"{i}-{path.parent.name}.yaml"
        out.write_text(render_spec(imported, ruleset), encoding="utf-8")
        written.append(out)
    report = validate(written)
    assert report.problems == []
    assert len(report.results) == len(written) > 90
