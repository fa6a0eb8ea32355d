"""Lambda authorizers: an edge API -> authorizer function at the API's full rate (an upper bound when
the authorizer caches its results), never one of the route shares; and the Region note, once a run."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from sls_check.api import load, validate
from sls_check.importers import import_files
from sls_check.model import InputError

from .conftest import TODAY, load_spec, run, spec_yaml

FN: dict[str, Any] = {"type": "lambda", "runtime": "python3.13", "timeout_s": 10, "duration_ms": 100}


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def imported(path: Path | list[Path], **kw: Any) -> Any:
    return import_files(path if isinstance(path, list) else [path], **kw)


def notes(imp: Any, rule: str = "IMP007") -> list[str]:
    return [n.values["what"] for n in imp.notes if n.rule == rule]


REST = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.13, CodeUri: src/, Handler: app.handler, Timeout: 10}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: shop}
  GetOrders:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref TokenAuth
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ListFn.Arn}/invocations
  PostOrders:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref TokenAuth
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${CreateFn.Arn}/invocations
  TokenAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      Name: token
      Type: TOKEN
      RestApiId: !Ref Api
      IdentitySource: method.request.header.Authorization
      AuthorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations
__TTL__
  ListFn: {Type: AWS::Serverless::Function}
  CreateFn: {Type: AWS::Serverless::Function}
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {Timeout: 60}
"""


def rest(tmp: Path, ttl: str = "", name: str = "rest.yaml") -> Path:
    return write(tmp, name, REST.replace("__TTL__\n", ttl))


def test_rest_token_authorizer_is_an_edge_at_the_full_rate_and_no_route_share(tmp_path: Path) -> None:
    path = rest(tmp_path)
    imp = imported(path, region="eu-west-1")
    api = imp.doc.data["services"]["Api"]
    routes = [e for e in api["connects"] if not e.get("authorizer")]
    (auth,) = [e for e in api["connects"] if e.get("authorizer")]
    assert auth["to"] == "AuthFn" and "calls" not in auth  # calls 1: every request
    assert sorted((e["to"], e["calls"]) for e in routes) == [("CreateFn", 0.5), ("ListFn", 0.5)]
    what = notes(imp)
    assert any("routes each request to one of 2 targets" in w for w in what)  # the authorizer is not counted
    (bound,) = [w for w in what if "Lambda authorizer" in w]
    assert "AuthFn is the Lambda authorizer of Api" in bound and "upper bound" in bound and "300 s" in bound
    # traffic: the authorizer sees every request, each route half of them
    analysis = load(path, rps=10)
    traffic = analysis.graph.traffic
    assert (traffic["AuthFn"].rps, traffic["ListFn"].rps, traffic["CreateFn"].rps) == (10, 5, 5)
    # no BPR009 (shares add up to 1), and the authorizer's 60 s timeout is not behind the 29 s integration
    report = validate([path], today=TODAY)
    assert not report.problems
    rules = {f.rule_id for f in report.findings}
    assert "BPR009" not in rules and "INT001" not in rules


def test_a_route_function_with_a_long_timeout_still_gets_int001(tmp_path: Path) -> None:
    path = rest(tmp_path)
    path.write_text(
        path.read_text().replace(
            "ListFn: {Type: AWS::Serverless::Function}",
            "ListFn:\n    Type: AWS::Serverless::Function\n    Properties: {Timeout: 60}",
        )
    )
    found = [f for f in validate([path], today=TODAY).findings if f.rule_id == "INT001"]
    assert [f.message.split(" ")[0] for f in found] == ["ListFn"]


def test_ttl_zero_is_exact_and_a_set_ttl_is_named(tmp_path: Path) -> None:
    off = imported(rest(tmp_path, "      AuthorizerResultTtlInSeconds: 0\n", "off.yaml"), region="eu-west-1")
    assert not [w for w in notes(off) if "Lambda authorizer" in w]
    (auth,) = [e for e in off.doc.data["services"]["Api"]["connects"] if e.get("authorizer")]
    assert "cache is off" in auth["description"]
    cached = imported(rest(tmp_path, "      AuthorizerResultTtlInSeconds: 120\n", "on.yaml"), region="eu-west-1")
    (bound,) = [w for w in notes(cached) if "Lambda authorizer" in w]
    assert "120 s per identity" in bound and "upper bound" in bound


def test_an_authorizer_no_method_uses_gets_no_edge(tmp_path: Path) -> None:
    path = rest(tmp_path)
    path.write_text(path.read_text().replace("      AuthorizerId: !Ref TokenAuth\n", ""))
    api = imported(path, region="eu-west-1").doc.data["services"]["Api"]
    assert all(not (isinstance(e, dict) and e.get("authorizer")) for e in api["connects"])


def test_sam_api_default_lambda_authorizer_with_reauthorize_every(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sam.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth:
                DefaultAuthorizer: Tokens
                Authorizers:
                  Tokens:
                    FunctionArn: !GetAtt AuthFn.Arn
                    Identity: {ReauthorizeEvery: 60}
                  Unused:
                    FunctionArn: !GetAtt OtherFn.Arn
          AuthFn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.13, Handler: a.h, CodeUri: .}}
          OtherFn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.13, Handler: a.h, CodeUri: .}}
          Orders:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: a.h
              CodeUri: .
              Events:
                Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /orders, Method: get}}
        """,
    )
    imp = imported(path, region="eu-west-1")
    api = imp.doc.data["services"]["Api"]
    assert api["auth"] == "lambda"
    assert "Orders" in api["connects"]  # one route: no share assumed
    assert [e["to"] for e in api["connects"] if isinstance(e, dict) and e.get("authorizer")] == ["AuthFn"]
    (bound,) = [w for w in notes(imp) if "Lambda authorizer" in w]
    assert "60 s per identity" in bound


def test_an_event_naming_a_non_default_authorizer_makes_it_an_edge(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "http.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function: {Runtime: python3.13, Handler: a.h, CodeUri: .}
        Resources:
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              Auth:
                Authorizers:
                  Lam:
                    FunctionArn: !GetAtt AuthFn.Arn
                    AuthorizerPayloadFormatVersion: "2.0"
          AuthFn: {Type: AWS::Serverless::Function}
          Orders:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /o, Method: get, Auth: {Authorizer: Lam}}}
                Put: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /o, Method: put}}
          Items:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /i, Method: get}}
        """,
    )
    imp = imported(path, region="eu-west-1")
    connects = imp.doc.data["services"]["Api"]["connects"]
    assert {e["to"]: e.get("calls") for e in connects} == {"Orders": 0.5, "Items": 0.5, "AuthFn": None}
    (bound,) = [w for w in notes(imp) if "Lambda authorizer" in w]
    assert "sets no TTL" in bound


def test_http_api_v2_request_authorizer_used_by_a_route(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v2.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: a, ProtocolType: HTTP}}
          Auth:
            Type: AWS::ApiGatewayV2::Authorizer
            Properties:
              ApiId: !Ref Api
              Name: lam
              AuthorizerType: REQUEST
              AuthorizerPayloadFormatVersion: "2.0"
              AuthorizerResultTtlInSeconds: 0
              IdentitySource: [$request.header.Authorization]
              AuthorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/\
                ${AuthFn.Arn}/invocations"
          Integ:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              {ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Fn.Arn, PayloadFormatVersion: "2.0"}
          Route:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: GET /
              AuthorizationType: CUSTOM
              AuthorizerId: !Ref Auth
              Target: !Sub integrations/${Integ}
          AuthFn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.13, Handler: a.h, CodeUri: .}}
          Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.13, Handler: a.h, CodeUri: .}}
        """,
    )
    imp = imported(path, region="eu-west-1")
    connects = imp.doc.data["services"]["Api"]["connects"]
    assert [e["to"] for e in connects if isinstance(e, dict) and e.get("authorizer")] == ["AuthFn"]
    assert not [w for w in notes(imp) if "Lambda authorizer" in w]  # TTL 0: the full rate is exact


def test_serverless_yml_http_authorizer(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "serverless.yml",
        """
        service: shop
        provider: {name: aws, runtime: python3.13, region: eu-west-1}
        functions:
          auth: {handler: auth.handler}
          orders:
            handler: orders.handler
            events:
              - http: {path: orders, method: get, authorizer: {name: auth, resultTtlInSeconds: 0}}
          items:
            handler: items.handler
            events:
              - http: {path: items, method: get, authorizer: {name: auth, resultTtlInSeconds: 0}}
        """,
    )
    imp = imported(path)
    connects = imp.doc.data["services"]["ApiGatewayRestApi"]["connects"]
    assert {e["to"]: e.get("calls") for e in connects} == {"auth": None, "orders": 0.5, "items": 0.5}
    assert not [w for w in notes(imp) if "Lambda authorizer" in w]


# --- the spec key ---------------------------------------------------------------------------------


def test_bpr009_does_not_count_the_authorizer_as_a_route() -> None:
    api = {
        "type": "api_gateway",
        "api": "http",
        "connects": [{"to": "a", "calls": 0.5}, {"to": "b", "calls": 0.5}, {"to": "auth", "authorizer": True}],
    }
    found = [f.rule_id for f in run(spec_yaml({"api": api, "a": FN, "b": FN, "auth": FN})).findings]
    assert "BPR009" not in found
    # without the flag the same edge is a third route at the full rate
    api["connects"][2] = {"to": "auth"}
    assert "BPR009" in [f.rule_id for f in run(spec_yaml({"api": api, "a": FN, "b": FN, "auth": FN})).findings]


@pytest.mark.parametrize(
    ("services", "message"),
    [
        ({"fn": {**FN, "connects": [{"to": "q", "authorizer": True}]}, "q": {"type": "sqs"}}, "only an api_gateway"),
        (
            {"api": {"type": "api_gateway", "connects": [{"to": "q", "authorizer": True}]}, "q": {"type": "sqs"}},
            "expected lambda",
        ),
    ],
)
def test_an_authorizer_edge_goes_from_an_api_to_a_function(services: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as err:
        load_spec(spec_yaml(services))
    assert any(message in str(p) for p in err.value.problems)


# --- the Region note ------------------------------------------------------------------------------


def test_the_region_note_is_one_per_run_and_names_its_templates(tmp_path: Path) -> None:
    one = rest(tmp_path, name="a/template.yaml")
    two = rest(tmp_path, name="b/template.yaml")
    three = write(
        tmp_path,
        "c/serverless.yml",
        "service: s\nprovider: {name: aws, region: eu-west-1}\nfunctions: {f: {handler: h.h, runtime: python3.13}}\n",
    )
    report = validate([one, two, three], today=TODAY)
    assert not report.problems
    region = [f for f in report.findings if f.rule_id == "IMP007" and "us-east-1 is assumed" in f.message]
    assert len(region) == 1
    (note,) = region
    assert "2 templates" in note.message and "a/template.yaml" in note.message and "b/template.yaml" in note.message
    assert "serverless.yml" not in note.message  # it names its Region
    assert note.message.count(str(tmp_path)) == 1  # the common folder once
    assert note.location.file == str(one)
    # one template alone: the same note, naming no list
    (single,) = [f for f in validate([one], today=TODAY).findings if "us-east-1 is assumed" in f.message]
    assert single.message.startswith("the Region the stack is deployed to is not given")


def test_one_region_note_for_a_stack_group(tmp_path: Path) -> None:
    one = rest(tmp_path, name="a/template.yaml")
    two = rest(tmp_path, name="b/template.yaml")
    imp = imported([one, two], overlay=write(tmp_path, "o.yaml", "slscheck: 1\n"))
    region = [w for w in notes(imp) if "us-east-1 is assumed" in w]
    assert len(region) == 1 and "2 templates" in region[0]
