"""The template importer: every mapper on small templates written for these tests (not copied)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sls_check.api import validate
from sls_check.importers import import_files, kind_of
from sls_check.importers.intrinsics import Context, ResourceRef, Unknown, evaluate
from sls_check.loader import load_text
from sls_check.model import InputError

from .conftest import ROOT, run_cli


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def services(path: Path | list[Path], **kw: Any) -> dict[str, dict[str, Any]]:
    imported = import_files(path if isinstance(path, list) else [path], **kw)
    assert imported.doc is not None
    return imported.doc.data["services"]  # type: ignore[no-any-return]


def line_of(path: Path, text: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in {path}")


def findings(path: Path | list[Path], **kw: Any) -> list[Any]:
    report = validate(path if isinstance(path, list) else [path], **kw)
    assert not report.problems, report.problems
    return report.findings


SAM_SQS = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    MemorySize: 512
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Timeout: 20
      Architectures: [arm64]
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 5
"""


def test_loader_reads_intrinsic_short_tags_as_long_forms_with_positions() -> None:
    doc = load_text(
        b"A: !Ref X\nB: !GetAtt T.StreamArn\nC: !Sub '${X}-y'\nD: !Join [',', [a, b]]\nE: yes\n",
        "t.yaml",
        cloudformation=True,
    )
    assert doc.data == {
        "A": {"Ref": "X"},
        "B": {"Fn::GetAtt": ["T", "StreamArn"]},
        "C": {"Fn::Sub": "${X}-y"},
        "D": {"Fn::Join": [",", ["a", "b"]]},
        "E": True,  # CloudFormation reads YAML 1.1
    }
    assert doc.positions[("D", "Fn::Join", 1, 0)] == (4, 17)
    with pytest.raises(InputError, match="CloudFormation intrinsic"):
        load_text(b"A: !Ref X\n", "spec.yaml")  # the spec loader still refuses them


def test_kind_is_detected_from_content_not_name() -> None:
    assert kind_of({"Resources": {}}) == "cloudformation"
    assert kind_of({"AWSTemplateFormatVersion": "2010-09-09"}) == "cloudformation"
    assert kind_of({"service": "x", "provider": {"name": "aws"}}) == "serverless"
    assert kind_of({"slscheck": 1, "Resources": {}}) == "spec"


def test_sam_function_globals_merged_and_sqs_event_becomes_an_edge(tmp_path: Path) -> None:
    path = write(tmp_path, "stack/template.yaml", SAM_SQS)
    svc = services(path)
    assert svc["Worker"] == {
        "type": "lambda",
        "runtime": "python3.12",
        "architecture": "arm64",
        "memory_mb": 512,
        "timeout_s": 20,  # the resource wins over Globals
        "package": {"format": "zip", "upload": "s3"},
    }
    assert svc["Jobs"] == {"type": "sqs", "visibility_timeout_s": 60, "trigger_batch_size": 5, "connects": ["Worker"]}
    imported = import_files([path])
    doc = imported.doc
    assert doc is not None
    assert doc.locate(("services", "Worker", "runtime")).line == line_of(path, "Runtime: python3.12")
    assert doc.locate(("services", "Worker", "timeout_s")).line == line_of(path, "Timeout: 20")
    assert doc.locate(("services", "Jobs"), key=True).line == line_of(path, "  Jobs:")


def test_findings_land_on_the_template_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "template.yaml", SAM_SQS)
    found = {f.rule_id: f for f in findings(path)}
    # 60 s visibility < 6 x 20 s: INT003 at the VisibilityTimeout value
    assert found["INT003"].location.file.endswith("template.yaml")
    assert found["INT003"].location.line == line_of(path, "VisibilityTimeout: 60")
    assert found["BPR003"].location.line == line_of(path, "FromJobs:")
    assert "INT002" not in found


def test_implicit_rest_api_and_http_api_are_synthesized(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Api:
            EndpointConfiguration: REGIONAL
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: nodejs22.x
              Handler: i.h
              InlineCode: "exports.h = async () => 1"
              Timeout: 40
              Events:
                Rest:
                  Type: Api
                  Properties: {Path: /, Method: get}
                Http:
                  Type: HttpApi
        """,
    )
    svc = services(path)
    assert svc["ServerlessRestApi"] == {
        "type": "api_gateway",
        "api": "rest",
        "endpoint": "regional",
        "connects": ["Fn"],
    }
    assert svc["ServerlessHttpApi"]["api"] == "http"
    assert svc["Fn"]["package"] == {"format": "zip", "upload": "direct"}
    int001 = [f for f in findings(path) if f.rule_id == "INT001"]
    assert sorted(f.service for f in int001) == ["ServerlessHttpApi", "ServerlessRestApi"]
    assert {f.location.line for f in int001} == {line_of(path, "Rest:"), line_of(path, "Http:")}


def test_http_api_jwt_authorizer_names_the_user_pool(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Users:
            Type: AWS::Cognito::UserPool
            Properties:
              UserPoolTier: ESSENTIALS
              LambdaConfig:
                PreSignUp: !GetAtt Hook.Arn
          Hook:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.13, Handler: a.b, CodeUri: .}
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              Auth:
                DefaultAuthorizer: Jwt
                Authorizers:
                  Jwt:
                    JwtConfiguration:
                      issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${Users}"
                      audience: [x]
        """,
    )
    svc = services(path)
    assert svc["Api"]["auth"] == "jwt" and svc["Api"]["user_pool"] == "Users"
    assert svc["Users"]["tier"] == "essentials"
    assert svc["Users"]["connects"] == ["Hook"]  # the trigger: pool -> function


def test_dynamodb_defaults_and_stream_event(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Orders:
            Type: AWS::DynamoDB::Table
            Properties:
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 2}
              StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
              TimeToLiveSpecification: {AttributeName: ttl, Enabled: true}
          Simple:
            Type: AWS::Serverless::SimpleTable
          Consumer:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              CodeUri: .
              Policies:
                - DynamoDBCrudPolicy: {TableName: !Ref Orders}
                - DynamoDBCrudPolicy: {TableName: !Ref Simple}
              Events:
                Stream:
                  Type: DynamoDB
                  Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}
        """,
    )
    svc = services(path)
    # BillingMode absent: CloudFormation's default is PROVISIONED
    assert svc["Orders"] == {
        "type": "dynamodb",
        "billing": "provisioned",
        "rcu": 5,
        "wcu": 2,
        "stream": "new_and_old_images",
        "ttl_attribute": "ttl",
        "connects": ["Consumer"],
    }
    assert svc["Simple"] == {"type": "dynamodb", "billing": "on_demand"}
    # the policy on its own event source would close a cycle: not an edge; the other table is a candidate
    assert svc["Consumer"]["connects"] == [{"to": "Simple", "description": "candidate: DynamoDBCrudPolicy"}]


def test_sns_subscriptions_s3_notifications_and_destinations(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              Subscription:
                - {Protocol: sqs, Endpoint: !GetAtt Inbox.Arn}
                - {Protocol: email, Endpoint: ops@example.com}
          Inbox:
            Type: AWS::SQS::Queue
          Sub:
            Type: AWS::SNS::Subscription
            Properties: {TopicArn: !Ref Topic, Protocol: lambda, Endpoint: !GetAtt Fn.Arn}
          Uploads:
            Type: AWS::S3::Bucket
            Properties:
              NotificationConfiguration:
                TopicConfigurations:
                  - {Event: "s3:ObjectCreated:*", Topic: !Ref Topic}
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              Role: arn:aws:iam::123456789012:role/r
              Code: {ZipFile: "def b(e, c): pass"}
              DeadLetterConfig: {TargetArn: !GetAtt Inbox.Arn}
        """,
    )
    svc = services(path)
    assert svc["Topic"]["connects"] == ["Inbox", "Fn"]
    assert svc["Topic"]["protocols"] == ["email"] and svc["Topic"]["subscription_count"] == 3
    assert svc["Uploads"]["connects"] == ["Topic"]
    assert svc["Fn"]["dlq"] == "Inbox" and svc["Fn"]["package"] == {"format": "zip", "upload": "direct"}
    ids = {f.rule_id for f in findings(path)}
    assert "BPR004" not in ids  # the function has a dead-letter queue


def test_state_machine_substitutions_and_states(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              Type: EXPRESS
              DefinitionSubstitutions:
                FnArn: !GetAtt Step.Arn
              Definition:
                StartAt: A
                States:
                  A: {Type: Task, Resource: "${FnArn}", Next: B}
                  B:
                    Type: Parallel
                    Branches:
                      - StartAt: C
                        States: {C: {Type: Pass, End: true}}
                    End: true
          Step:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.12, Handler: a.b, CodeUri: .}
        """,
    )
    svc = services(path)
    assert svc["Flow"] == {"type": "step_functions", "workflow": "express", "transitions": 3, "connects": ["Step"]}


def test_cloudfront_origins_functions_and_certificate(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Resources:
          Site:
            Type: AWS::S3::Bucket
          Cert:
            Type: AWS::CertificateManager::Certificate
            Properties: {DomainName: www.example.com}
          Rewrite:
            Type: AWS::CloudFront::Function
            Properties:
              FunctionConfig: {Runtime: cloudfront-js-2.0, Comment: x}
              FunctionCode: "function handler(e) { return e.request; }"
          Cdn:
            Type: AWS::CloudFront::Distribution
            Properties:
              DistributionConfig:
                Aliases: [www.example.com]
                ViewerCertificate: {AcmCertificateArn: !Ref Cert, SslSupportMethod: sni-only}
                Origins:
                  - {Id: s3, DomainName: !GetAtt Site.RegionalDomainName}
                DefaultCacheBehavior:
                  TargetOriginId: s3
                  FunctionAssociations:
                    - {EventType: viewer-request, FunctionARN: !GetAtt Rewrite.FunctionARN}
        """,
    )
    svc = services(path, region="eu-west-1")
    assert svc["Cdn"]["connects"] == ["Site"]
    assert svc["Cdn"]["certificate"] == "Cert" and svc["Cdn"]["aliases"] == ["www.example.com"]
    assert svc["Cdn"]["functions"] == [{"function": "Rewrite", "event": "viewer-request"}]
    assert svc["Rewrite"]["runtime"] == "cloudfront-js-2.0" and 0 < svc["Rewrite"]["code_kb"] < 1
    assert svc["Cert"] == {"type": "acm_certificate", "domain": "www.example.com", "region": "eu-west-1"}
    # a CloudFront certificate outside us-east-1 is an error, reported on the template
    cf = [f for f in findings(path, overlay=None) if f.service == "Cdn" and f.severity.label == "error"]
    assert cf == [] or all(f.location.file.endswith("template.yaml") for f in cf)


def test_rds_proxy_targets_an_aurora_serverless_v2_cluster(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Resources:
          Db:
            Type: AWS::RDS::DBCluster
            Properties:
              Engine: aurora-postgresql
              ServerlessV2ScalingConfiguration: {MinCapacity: 0.5, MaxCapacity: 8}
          DbInstance:
            Type: AWS::RDS::DBInstance
            Properties: {DBClusterIdentifier: !Ref Db, DBInstanceClass: db.serverless, Engine: aurora-postgresql}
          Proxy:
            Type: AWS::RDS::DBProxy
            Properties:
              EngineFamily: POSTGRESQL
              VpcSubnetIds: [subnet-1, subnet-2]
          Targets:
            Type: AWS::RDS::DBProxyTargetGroup
            Properties:
              DBProxyName: !Ref Proxy
              TargetGroupName: default
              DBClusterIdentifiers: [!Ref Db]
          Old:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-mysql, EngineMode: serverless}
        """,
    )
    svc = services(path)
    assert svc["Db"] == {"type": "aurora_serverless", "engine": "aurora-postgresql", "min_acu": 0.5, "max_acu": 8}
    assert svc["Proxy"]["connects"] == ["Db"]
    assert "DbInstance" not in svc
    v1 = [f for f in findings(path) if f.rule_id == "IMP006"]
    assert [f.location.line for f in v1] == [line_of(path, "EngineMode: serverless")]


def test_intrinsics_are_evaluated_statically() -> None:
    ctx = Context(
        parameters={"Env": "dev", "Subnets": "a,b"},
        parameter_types={"Subnets": "List<AWS::EC2::Subnet::Id>"},
        resources={"T": "AWS::DynamoDB::Table"},
        mappings={"M": {"dev": {"Size": 256}}},
        conditions={"IsDev": {"Fn::Equals": [{"Ref": "Env"}, "dev"]}},
        region="eu-west-1",
    )
    assert evaluate({"Fn::Sub": "${Env}-${AWS::Region}"}, ctx) == "dev-eu-west-1"
    assert evaluate({"Fn::FindInMap": ["M", {"Ref": "Env"}, "Size"]}, ctx) == 256
    assert evaluate({"Fn::If": ["IsDev", 1, 2]}, ctx) == 1
    assert evaluate({"Fn::Select": [1, {"Fn::Split": [",", "x,y"]}]}, ctx) == "y"
    assert evaluate({"Ref": "Subnets"}, ctx) == ["a", "b"]
    assert evaluate({"Fn::GetAZs": ""}, ctx) == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert evaluate({"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}, ctx) == "a-dev"
    assert evaluate({"Fn::GetAtt": ["T", "Arn"]}, ctx) == ResourceRef("T", "Arn")
    assert isinstance(evaluate({"Fn::ImportValue": "x"}, ctx), Unknown)
    assert isinstance(evaluate({"Fn::Sub": "${T.Arn}/x"}, ctx), Unknown)
    assert isinstance(evaluate("{{resolve:ssm:/p}}", ctx), Unknown)
    assert isinstance(evaluate({"Ref": "AWS::Region"}, Context()), Unknown)


def test_unknown_values_make_rules_not_applicable_instead_of_firing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Subnet: {Type: String}
          Timeout: {Type: Number}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              CodeUri: .
              Timeout: !Ref Timeout
              VpcConfig: {SubnetIds: [!Ref Subnet], SecurityGroupIds: [sg-1]}
              Events:
                Api: {Type: Api, Properties: {Path: /, Method: get}}
        """,
    )
    imported = import_files([path])
    assert imported.unknown["Fn"]["timeout_s"].startswith("Timeout: parameter Timeout has no default")
    report = validate([path])
    assert "BPR005" not in {f.rule_id for f in report.findings}  # one subnet, but it comes from a parameter
    assert any(f.rule_id == "BPR005" and "unknown" in (f.suppressed_by or "") for f in report.suppressed)
    # given a value, the rules run again
    report = validate([path], overlay=write(tmp_path, "o.yaml", "services: {Fn: {timeout_s: 60}}\n"))
    assert "INT001" in {f.rule_id for f in report.findings}


def test_unmodelled_resources_and_event_sources_are_info_findings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Stream:
            Type: AWS::Kinesis::Stream
            Properties: {ShardCount: 1}
          Role:
            Type: AWS::IAM::Role
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              CodeUri: .
              Events:
                Tick: {Type: IoTRule, Properties: {Sql: SELECT * FROM 'topic'}}
        """,
    )
    found = findings(path)
    imp = sorted((f.rule_id, f.location.line, f.message) for f in found if f.rule_id in ("IMP001", "IMP003"))
    assert imp == [
        (
            "IMP001",
            line_of(path, "  Stream:"),
            "AWS::Kinesis::Stream is not modelled by slscheck: not checked, not priced",
        ),
        (
            "IMP003",
            line_of(path, "Tick:"),
            "Fn is triggered by AWS IoT rule, which slscheck does not model; it is treated as an entry point",
        ),
    ]
    assert all(f.severity.label == "info" for f in found if f.rule_id.startswith("IMP"))


def test_json_template_cdk_path_overlay_and_metadata(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "FnServiceRole": {"Type": "AWS::IAM::Role"},
            "Fn9270CBC0": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "nodejs20.x",
                    "Handler": "i.h",
                    "Code": {"S3Bucket": "b", "S3Key": "k"},
                    "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]},
                    "MemorySize": 256,
                },
                "Metadata": {"aws:cdk:path": "App/Fn/Resource", "slscheck": {"duration_ms": 80}},
            },
            "CDKMetadata": {"Type": "AWS::CDK::Metadata"},
        }
    }
    path = tmp_path / "cdk.out" / "App.template.json"
    path.parent.mkdir()
    path.write_text(json.dumps(template, indent=1))
    overlay = write(
        tmp_path, "o.yaml", "region: eu-central-1\nservices:\n  App/Fn: {package: {format: zip, zipped_mb: 3}}\n"
    )
    imported = import_files([path], overlay=overlay)
    assert imported.doc is not None
    data = imported.doc.data
    assert data["region"] == "eu-central-1"
    assert data["services"]["Fn9270CBC0"] == {
        "type": "lambda",
        "runtime": "nodejs20.x",
        "memory_mb": 256,
        "package": {"format": "zip", "zipped_mb": 3},
        "duration_ms": 80,
    }
    assert imported.doc.locate(("services", "Fn9270CBC0", "package")).file.endswith("o.yaml")
    assert imported.doc.locate(("services", "Fn9270CBC0", "memory_mb")).line == line_of(path, '"MemorySize": 256')


def test_overlay_unknown_logical_id_is_an_input_error_with_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, "template.yaml", SAM_SQS)
    overlay = write(tmp_path, "slscheck.overlay.yaml", "services:\n  Workr: {duration_ms: 50}\n")
    with pytest.raises(InputError) as err:
        import_files([path])  # found beside the template
    (problem,) = err.value.problems
    assert problem.location.file.endswith("slscheck.overlay.yaml")
    assert (problem.location.line, problem.location.column) == (2, 3)
    assert "did you mean 'Worker'?" in problem.message
    overlay.write_text("services:\n  Worker: {duration_ms: fast}\n")
    with pytest.raises(InputError) as err:
        validate_one_problem = validate([path]).problems
        raise InputError(validate_one_problem)
    assert err.value.problems[0].location.file.endswith("slscheck.overlay.yaml")
    assert err.value.problems[0].location.line == 2


def test_overlay_edges_tune_add_and_drop(tmp_path: Path) -> None:
    path = write(
        tmp_path, "template.yaml", SAM_SQS.replace("Resources:\n", "Resources:\n  Store:\n    Type: AWS::S3::Bucket\n")
    )
    overlay = write(
        tmp_path,
        "o.yaml",
        """
        workload: {rps: 5}
        edges:
          Worker -> Store: {writes: 1}
          Jobs -> Worker: {calls: 0.5}
        """,
    )
    svc = services(path, overlay=overlay)
    assert svc["Worker"]["connects"] == [{"to": "Store", "writes": 1}]
    assert svc["Jobs"]["connects"] == [{"to": "Worker", "calls": 0.5}]
    overlay.write_text("edges:\n  Jobs -> Worker: drop\n")
    assert "connects" not in services(path, overlay=overlay)["Jobs"]


CERT_STACK = """
Resources:
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: api.example.com
"""
API_STACK = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  CertificateArn: {Type: String}
Resources:
  Certificate:
    Type: AWS::SSM::Parameter
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Domain:
        DomainName: shop.example.com
        CertificateArn: !Ref CertificateArn
"""


def test_two_stacks_are_one_architecture_with_links(tmp_path: Path) -> None:
    cert = write(tmp_path, "cert.yaml", CERT_STACK)
    api = write(tmp_path, "api.yaml", API_STACK)
    write(
        tmp_path,
        "slscheck.overlay.yaml",
        """
        stacks:
          api: {template: api.yaml, region: eu-west-1}
          cert: {template: cert.yaml, region: eu-west-1}
        links:
          - {use: api.CertificateArn, is: cert.Certificate}
        """,
    )
    report = validate([cert, api])
    assert len(report.results) == 1 and not report.problems
    errors = {f.rule_id: f for f in report.findings if f.severity.label == "error"}
    # edge-optimized (SAM's default) custom domain with a certificate outside us-east-1, and a name it does not cover
    assert errors["APG001"].location.file.endswith("api.yaml")
    assert errors["APG001"].location.line == line_of(api, "CertificateArn: !Ref")
    assert "APG017" in errors
    imported = import_files([api, cert])
    assert imported.doc is not None
    assert imported.doc.data["services"]["Api"]["custom_domain"] == {
        "name": "shop.example.com",
        "certificate": "Certificate",
    }


def test_colliding_logical_ids_are_namespaced_by_stack(tmp_path: Path) -> None:
    a = write(
        tmp_path, "a/template.yaml", "Resources:\n  Queue: {Type: AWS::SQS::Queue}\n  Only: {Type: AWS::SNS::Topic}\n"
    )
    b = write(tmp_path, "b/template.yaml", "Resources:\n  Queue: {Type: AWS::SQS::Queue}\n")
    assert sorted(services([a, b])) == ["Only", "a-Queue", "b-Queue"]


SLS = """
service: orders
frameworkVersion: "3"
custom:
  table: orders-${sls:stage}
provider:
  name: aws
  runtime: nodejs20.x
  region: ${opt:region, 'eu-west-1'}
  memorySize: 256
  Timeout: 10
  environment:
    TABLE: ${self:custom.table}
    SECRET: ${ssm:/orders/secret}
functions:
  create:
    handler: h.create
    timeout: 40
    events:
      - http: {path: orders, method: post}
      - sqs: {arn: !GetAtt Inbox.Arn, batchSize: 7}
  notify:
    handler: h.notify
    events:
      - sns: order-events
      - schedule: rate(1 hour)
resources:
  Resources:
    Inbox:
      Type: AWS::SQS::Queue
      Properties: {VisibilityTimeout: 30}
"""


def test_serverless_yml_functions_events_variables_and_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "serverless.yml", SLS)
    imported = import_files([path])
    assert imported.doc is not None
    data = imported.doc.data
    assert data["region"] == "eu-west-1"
    svc = data["services"]
    assert svc["create"]["timeout_s"] == 40 and svc["create"]["memory_mb"] == 256
    assert svc["notify"]["timeout_s"] == 6  # the framework's default (provider.Timeout is not read)
    assert svc["create"]["env"]["TABLE"] == "orders-dev"
    assert svc["ApiGatewayRestApi"]["connects"] == ["create"]
    assert svc["Inbox"] == {"type": "sqs", "visibility_timeout_s": 30, "trigger_batch_size": 7, "connects": ["create"]}
    assert svc["order-events"]["connects"] == ["notify"]
    found = findings(path)
    typo = [f for f in found if f.rule_id == "IMP009"]
    assert [(f.location.line, f.location.column) for f in typo] == [(line_of(path, "Timeout: 10"), 3)]
    int002 = [f for f in found if f.rule_id == "INT002"]  # 30 s visibility < 40 s timeout
    assert [f.location.line for f in int002] == [line_of(path, "VisibilityTimeout: 30")]
    # the schedule event is a scheduled rule (type eventbridge) whose rate is the schedule's
    (tick,) = [s for s in svc.values() if s.get("schedule") == "rate(1 hour)"]
    assert tick["type"] == "eventbridge" and tick["connects"] == ["notify"]


def test_import_command_writes_a_spec_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "template.yaml", SAM_SQS + "  Stream:\n    Type: AWS::Kinesis::Stream\n")
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "import", "template.yaml", "-o", "arch.yaml")
    assert code == 0, err
    text = (tmp_path / "arch.yaml").read_text()
    assert f"  Worker:  # template.yaml:{line_of(path, '  Worker:')} (AWS::Serverless::Function)" in text
    assert f"    runtime: python3.12  # template.yaml:{line_of(path, 'Runtime: python3.12')}" in text
    assert "IMP001 AWS::Kinesis::Stream is not modelled" in text
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "validate", "arch.yaml", "--fail-on", "warning")
    assert code == 1 and "INT003" in out


def test_import_writes_the_modeline_and_the_schema_as_init_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import -o` names a schema beside the spec by a relative path (works offline) and writes it
    when absent, as `slscheck init` does; an existing schema is kept; stdout names an unwritten one."""
    from sls_check.commands.schema import schema_text

    write(tmp_path, "template.yaml", SAM_SQS)
    (tmp_path / "infra").mkdir()
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "import", "template.yaml", "-o", "infra/arch.yaml")
    assert code == 0, err
    spec = (tmp_path / "infra" / "arch.yaml").read_text(encoding="utf-8")
    assert spec.splitlines()[0] == "# yaml-language-server: $schema=./arch.schema.json"
    assert (tmp_path / "infra" / "arch.schema.json").read_text(encoding="utf-8") == schema_text()
    assert out == (
        "wrote infra/arch.yaml and infra/arch.schema.json (the editor schema; commit it with the spec); "
        "next: slscheck validate infra/arch.yaml\n"
    )
    assert "https://" not in spec.splitlines()[0]
    (tmp_path / "infra" / "arch.schema.json").write_text("{}", encoding="utf-8")  # the project's own copy
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "import", "template.yaml", "-o", "infra/two.yaml")
    assert code == 0 and out == "wrote infra/two.yaml; next: slscheck validate infra/two.yaml\n"
    assert (tmp_path / "infra" / "arch.schema.json").read_text(encoding="utf-8") == "{}"
    code, out, _ = run_cli(
        capsys,
        monkeypatch,
        tmp_path,
        "import",
        "template.yaml",
        "-o",
        "three.yaml",
        "--schema",
        "infra/arch.schema.json",
    )
    assert code == 0 and (tmp_path / "three.yaml").read_text().startswith(
        "# yaml-language-server: $schema=./infra/arch.schema.json\n"
    )
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "import", "template.yaml")
    assert code == 0 and out.splitlines()[0] == "# yaml-language-server: $schema=./arch.schema.json"


def test_sarif_points_at_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "template.yaml", SAM_SQS)
    _code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "validate", "template.yaml", "--format", "sarif")
    sarif = json.loads(out)
    results = sarif["runs"][0]["results"]
    int003 = next(r for r in results if r["ruleId"] == "INT003")
    loc = int003["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("template.yaml")
    assert loc["region"]["startLine"] == line_of(path, "VisibilityTimeout: 60")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Resources:\n  A: !Bogus x\n", "tag '!Bogus' is not allowed"),
        (
            "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: {X: !GetAtt nodot}\n",
            "must be LogicalId.Attribute",
        ),
        ("Resources: {A: " + "[" * 200 + "]" * 200 + "}\n", "nesting deeper"),
        ("Resources:\n  A: 1\n  A: 2\n", "duplicate key 'A'"),
    ],
)
def test_hostile_templates_give_one_positioned_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    write(tmp_path, "t.yaml", text)
    code, _out, err = run_cli(capsys, monkeypatch, tmp_path, "validate", "t.yaml")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("t.yaml:") and message in lines[0], err
    assert "Traceback" not in err


def test_hostile_template_values_do_not_crash_the_mapper(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Globals: [not, a, map]
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: [python3.12]
              MemorySize: lots
              Timeout: {Fn::If: [Nope, 1, 2]}
              Events: {E: {Type: SQS, Properties: {Queue: {Fn::GetAtt: [Missing, Arn]}}}, F: 3}
              Environment: {Variables: {A: {Ref: Fn}, B: [1]}}
          Bad: {Type: 7}
          Worse: [1]
        """,
    )
    report = validate([path])
    assert not report.problems
    notes = {(f.rule_id, f.message) for f in report.findings if f.rule_id == "IMP002"}
    assert ("IMP002", "memory_mb not mapped: MemorySize: 'lots' is not a number") in notes


def test_a_plain_spec_run_does_not_import_the_importer() -> None:
    code = (
        "import sys; from pathlib import Path; from sls_check.api import validate;"
        "validate([Path('samples/web-api.yaml')]);"
        "print('sls_check.importers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_docs_mapping_table_matches_the_mapping_data() -> None:
    from sls_check.importers.mapping import events_table, markdown_table, tables

    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for name, table in (("events", events_table()), ("mapping", markdown_table())):
        section = text.split(f"<!-- {name}:start -->\n")[1].split(f"<!-- {name}:end -->")[0]
        assert section == table, "docs/import.md drifted: run sls_check.importers.mapping.write_docs()"
    for cfn_type, typemap in tables().types.items():  # every row names a real spec key of its type
        assert f"`{cfn_type}` | (type) | `type: {typemap.service_type}`" in text


def test_every_mapped_key_is_a_key_of_its_spec_type() -> None:
    from sls_check.importers.mapping import tables
    from sls_check.spec import arch_schema

    defs = arch_schema()["$defs"]
    for typemap in tables().types.values():
        props = defs[typemap.service_type]["properties"]
        for rule in typemap.keys:
            assert rule.key in props, (typemap.cfn_type, rule.key)
        for key in typemap.constants:
            assert key in props
        if typemap.features:
            allowed = set(props["features"]["items"]["enum"])
            assert set(typemap.features) <= allowed, typemap.cfn_type


def test_stream_event_on_failure_destination_is_kept_on_the_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          T:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              StreamSpecification: {StreamViewType: NEW_IMAGE}
          Failed:
            Type: AWS::SQS::Queue
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              CodeUri: .
              Events:
                S:
                  Type: DynamoDB
                  Properties:
                    Stream: !GetAtt T.StreamArn
                    StartingPosition: LATEST
                    DestinationConfig: {OnFailure: {Destination: !GetAtt Failed.Arn}}
        """,
    )
    assert services(path)["T"]["trigger_on_failure"] == "Failed"
    assert "DDB024" not in {f.rule_id for f in findings(path)}


def test_sns_event_with_sqs_subscription_puts_a_queue_in_between(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Topic: {Type: AWS::SNS::Topic}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              CodeUri: .
              Events:
                Note:
                  Type: SNS
                  Properties: {Topic: !Ref Topic, SqsSubscription: {BatchSize: 4}}
        """,
    )
    svc = services(path)
    assert svc["Topic"]["connects"] == ["FnNoteQueue"]
    assert svc["FnNoteQueue"] == {"type": "sqs", "trigger_batch_size": 4, "connects": ["Fn"]}


def test_self_referencing_serverless_variables_do_not_hang(tmp_path: Path) -> None:
    lines = ["service: x", "provider: {name: aws, runtime: nodejs20.x}", "custom:", "  v0: leaf"]
    lines += [f'  v{i}: "${{self:custom.v{i - 1}}}${{self:custom.v{i - 1}}}"' for i in range(1, 40)]
    lines += ["  loop: ${self:custom.loop}", "functions:", "  f:", "    handler: h", "    environment:"]
    lines += ["      A: ${self:custom.v39}", "      B: ${self:custom.loop}"]
    path = tmp_path / "serverless.yml"
    path.write_text("\n".join(lines) + "\n")
    imported = import_files([path])
    assert imported.doc is not None
    env = imported.doc.data["services"]["f"]["env"]
    assert set(env) == {"A", "B"}  # unresolved: stand-ins, and no hang


def test_a_template_from_a_fifo_is_read_once(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "template.yaml"
    os.mkfifo(fifo)

    def writer() -> None:
        with fifo.open("w") as fh:
            fh.write(textwrap.dedent(SAM_SQS).lstrip("\n"))

    thread = threading.Thread(target=writer)
    thread.start()
    report = validate([fifo])
    thread.join(timeout=10)
    assert not report.problems, report.problems
    assert "INT003" in {f.rule_id for f in report.findings}


def test_on_failure_destination_keeps_failed_events(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Uploads: {Type: AWS::S3::Bucket}
          Failed: {Type: AWS::SQS::Queue}
          Audit: {Type: AWS::SNS::Topic}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: a.b
              CodeUri: .
              EventInvokeConfig:
                DestinationConfig:
                  OnSuccess: {Type: SNS, Destination: !Ref Audit}
                  OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
              Events:
                Up: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: "s3:ObjectCreated:*"}}
        """,
    )
    svc = services(path)
    assert svc["Fn"]["async_config"] == {"on_success": "Audit", "on_failure": "Failed"}
    assert svc["Fn"]["connects"] == ["Audit"] and "dlq" not in svc["Fn"]
    assert "BPR004" not in {f.rule_id for f in findings(path)}
