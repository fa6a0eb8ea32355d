"""The spec schema and its check: messages, positions, and agreement with the real jsonschema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sls_check.loader import load_text
from sls_check.model import InputError
from sls_check.schema_check import Validator, unsupported_keywords
from sls_check.spec import arch_schema, check_spec

from .conftest import ROOT, SAMPLES

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as err:
        check_spec(load_text(text.encode(), "arch.yaml"))
    return [str(p) for p in err.value.problems]


HEAD = "slscheck: 1\nname: t\nregion: us-east-1\nservices:\n"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_our_schemas_are_valid_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schemas_use_only_keywords_our_validator_supports(path: Path) -> None:
    assert unsupported_keywords(json.loads(path.read_text())) == []


def test_version_is_required_and_checked() -> None:
    assert problems("name: t\nregion: us-east-1\nservices: {}\n")[0].startswith("arch.yaml:1:1:")
    (msg,) = problems("slscheck: 2\nname: t\nregion: us-east-1\nservices: {}\n")
    assert msg.startswith("arch.yaml:1:11:") and "2" in msg and "1" in msg


def test_unknown_key_suggests_the_close_one() -> None:
    (msg,) = problems(HEAD + "  fn:\n    type: lambda\n    memroy_mb: 512\n")
    assert msg.startswith("arch.yaml:7:5:")
    assert "memroy_mb" in msg and "did you mean 'memory_mb'" in msg


def test_wrong_type_points_at_the_value() -> None:
    (msg,) = problems(HEAD + "  fn:\n    type: lambda\n    memory_mb: lots\n")
    assert msg.startswith("arch.yaml:7:16:") and "expected integer" in msg and "lots" in msg


def test_enum_suggestion() -> None:
    (msg,) = problems(HEAD + "  fn:\n    type: lambda\n    architecture: arm\n")
    assert msg.startswith("arch.yaml:7:19:") and "arm64" in msg


def test_unknown_type_suggests() -> None:
    (msg,) = problems(HEAD + "  q:\n    type: sqs_queue\n")
    assert msg.startswith("arch.yaml:6:11:") and "'sqs'" in msg


def test_yaml11_boolean_gets_a_hint() -> None:
    (msg,) = problems(HEAD + "  fn:\n    type: lambda\n    snapstart: on\n")
    assert msg.startswith("arch.yaml:7:16:") and "YAML 1.2" in msg and "true or false" in msg


def test_limit_breaking_value_is_not_a_schema_error() -> None:
    check_spec(load_text((HEAD + "  fn:\n    type: lambda\n    memory_mb: 20480\n").encode(), "a.yaml"))


def test_unknown_reference_at_its_line_with_suggestion() -> None:
    (msg,) = problems(HEAD + "  fn:\n    type: lambda\n    connects: [ordrs]\n  orders: {type: dynamodb}\n")
    assert msg.startswith("arch.yaml:7:16:") and "ordrs" in msg and "orders" in msg


def test_reference_of_the_wrong_type() -> None:
    (msg,) = problems(
        HEAD + "  api:\n    type: api_gateway\n    api: rest\n"
        "    custom_domain: {name: a.example.com, certificate: fn}\n  fn: {type: lambda}\n"
    )
    assert msg.startswith("arch.yaml:8:") and "acm_certificate" in msg


def test_every_problem_is_reported_sorted() -> None:
    msgs = problems(HEAD + "  a: {type: lambda, memroy_mb: 1}\n  b: {type: sqs, fifo: maybe}\n")
    assert len(msgs) == 2 and msgs == sorted(msgs)


# --- agreement with jsonschema: the in-house validator must accept and reject the same documents
BAD_DOCS = [
    {"slscheck": 1, "name": "t", "region": "us-east-1", "services": {"f": {"type": "lambda", "memory_mb": "x"}}},
    {"slscheck": 1, "name": "t", "region": "mars-1", "services": {}},
    {"slscheck": 1, "name": "t", "region": "us-east-1", "services": {"f": {"type": "nope"}}},
    {"slscheck": 1, "name": "t", "region": "us-east-1", "services": {"f": {"type": "lambda", "extra": 1}}},
    {
        "slscheck": 1,
        "name": "t",
        "region": "us-east-1",
        "services": {"f": {"type": "lambda", "package": {"format": "image", "zipped_mb": 3}}},
    },
    {
        "slscheck": 1,
        "name": "t",
        "region": "us-east-1",
        "services": {"f": {"type": "lambda", "connects": [{"calls": 2}]}},
    },
    {
        "slscheck": 1,
        "name": "t",
        "region": "us-east-1",
        "services": {"f": {"type": "sqs", "suppress": [{"reason": "x"}]}},
    },
    {"slscheck": 1, "name": "t", "region": "us-east-1", "services": {"f": {"type": "dynamodb", "rcu": -1}}},
    {"slscheck": 1, "name": "t", "region": "us-east-1", "services": {"f": {"type": "lambda", "snapstart": "on"}}},
    {"slscheck": 1, "name": "t", "region": "us-east-1", "services": {"f": {"type": "lambda", "vpc": ""}}},
    {"name": "t", "region": "us-east-1", "services": {}},
]


def _good_docs() -> list[object]:
    return [yaml.safe_load(p.read_text()) for p in sorted(SAMPLES.glob("**/*.yaml"))]


@pytest.mark.parametrize("doc", _good_docs() + BAD_DOCS)
def test_in_house_validator_agrees_with_jsonschema(doc: object) -> None:
    schema = arch_schema()
    ours = Validator(schema).validate(doc)
    theirs = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    assert bool(ours) == bool(theirs), (ours, [e.message for e in theirs])


def test_samples_cover_every_type() -> None:
    types = {svc["type"] for p in SAMPLES.glob("*.yaml") for svc in yaml.safe_load(p.read_text())["services"].values()}
    assert types == set(arch_schema()["$defs"]["service"]["properties"]["type"]["enum"])


def test_samples_start_with_the_modeline() -> None:
    for path in sorted(SAMPLES.glob("**/*.yaml")):
        assert path.read_text().startswith("# yaml-language-server: $schema="), path
