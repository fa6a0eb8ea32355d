"""The in-house validator (sls_check.schema_check) against the jsonschema library, on generated input.

Two seeded differentials, both run on every CI run (a few seconds together):
- thousands of generated documents (booleans, integers, integers written as floats, unicode,
  nesting) against generated schemas made of the keywords the validator supports;
- seeded structural mutants of samples/ and samples/broken/, loaded with the tool's own YAML 1.2
  loader, against the architecture schema.
Plus a per-keyword edge-case table. "Valid or not" must agree; the messages are ours.
SLSCHECK_DIFFERENTIAL_N scales the generated run (default 3000) for a longer local soak.
"""

from __future__ import annotations

import copy
import os
import random
from typing import Any

import jsonschema
import pytest

from sls_check.loader import load_file
from sls_check.schema_check import Validator
from sls_check.spec import arch_schema

from .conftest import SAMPLES

N = int(os.environ.get("SLSCHECK_DIFFERENTIAL_N", "3000"))
SCALARS: list[Any] = [
    True,
    False,
    0,
    1,
    -1,
    2,
    1.0,
    2.0,
    0.0,
    -0.0,
    1.5,
    0.25,
    10**9,
    1e20,
    "",
    "1",
    "true",
    "x",
    "ab",
    "é",
    "日本語",
    "a|b",
    "😀",
    None,
]
KEYS = ["a", "b", "type", "é", "x-1", "1"]


def gen_value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if depth >= 3 or r < 0.55:
        return rng.choice(SCALARS)
    if r < 0.8:
        return [gen_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(KEYS): gen_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"]


def gen_schema(rng: random.Random, depth: int = 0) -> Any:
    if depth >= 3 or rng.random() < 0.1:
        return rng.choice([True, False, {}])
    schema: dict[str, Any] = {}
    for _ in range(rng.randint(1, 3)):
        kw = rng.choice(
            [
                "type",
                "enum",
                "const",
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "minLength",
                "maxLength",
                "pattern",
                "items",
                "minItems",
                "maxItems",
                "uniqueItems",
                "properties",
                "required",
                "additionalProperties",
                "minProperties",
                "propertyNames",
                "anyOf",
                "oneOf",
                "allOf",
                "not",
                "if",
            ]
        )
        if kw == "type":
            schema[kw] = rng.choice(TYPES) if rng.random() < 0.7 else rng.sample(TYPES, 2)
        elif kw == "enum":
            schema[kw] = [gen_value(rng, 2) for _ in range(rng.randint(1, 4))]
        elif kw == "const":
            schema[kw] = gen_value(rng, 2)
        elif kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            schema[kw] = rng.choice([0, 1, 1.0, 0.5, -1, 2])
        elif kw in ("minLength", "maxLength", "minItems", "maxItems", "minProperties"):
            schema[kw] = rng.randint(0, 3)
        elif kw == "pattern":
            schema[kw] = rng.choice(["^a", "b$", "^[0-9]+$", "é", "^.{2}$"])
        elif kw in ("items", "additionalProperties", "not", "propertyNames"):
            schema[kw] = gen_schema(rng, depth + 1)
        elif kw == "uniqueItems":
            schema[kw] = rng.random() < 0.8
        elif kw == "properties":
            schema[kw] = {k: gen_schema(rng, depth + 1) for k in rng.sample(KEYS, rng.randint(1, 3))}
        elif kw == "required":
            schema[kw] = rng.sample(KEYS, rng.randint(1, 2))
        elif kw in ("anyOf", "oneOf", "allOf"):
            schema[kw] = [gen_schema(rng, depth + 1) for _ in range(rng.randint(1, 3))]
        elif kw == "if":
            schema["if"] = gen_schema(rng, depth + 1)
            if rng.random() < 0.8:
                schema["then"] = gen_schema(rng, depth + 1)
            if rng.random() < 0.5:
                schema["else"] = gen_schema(rng, depth + 1)
    return schema


def ours_valid(schema: Any, doc: Any) -> bool:
    return not Validator(schema if isinstance(schema, dict) else {"allOf": [schema]}).validate(doc)


def theirs_valid(schema: Any, doc: Any) -> bool:
    return bool(jsonschema.Draft202012Validator(schema).is_valid(doc))


def test_generated_documents_agree_with_jsonschema() -> None:
    rng = random.Random(20261201)
    disagreements = []
    for i in range(N):
        schema = gen_schema(rng)
        for _ in range(3):
            doc = gen_value(rng)
            if ours_valid(schema, doc) != theirs_valid(schema, doc):
                disagreements.append((i, schema, doc))
    assert disagreements[:5] == []


EDGE_CASES: list[tuple[dict[str, Any], Any]] = [
    ({"enum": [1, 2]}, True),
    ({"enum": [1, 2]}, 1.0),
    ({"enum": [0]}, False),
    ({"enum": [True]}, 1),
    ({"enum": [{"a": 1}]}, {"a": True}),
    ({"enum": [{"a": 1}]}, {"a": 1.0}),
    ({"enum": [[1, 2]]}, [True, 2]),
    ({"const": [0]}, [False]),
    ({"const": {"a": [1]}}, {"a": [1.0]}),
    ({"uniqueItems": True}, [1, True]),
    ({"uniqueItems": True}, [0, False]),
    ({"uniqueItems": True}, [1, 1.0]),
    ({"uniqueItems": True}, [[1], [True]]),
    ({"uniqueItems": True}, [{"a": 0}, {"a": False}]),
    ({"uniqueItems": True}, ["a", "a"]),
    ({"type": "integer"}, 1.0),
    ({"type": "integer"}, True),
    ({"type": "number"}, False),
    ({"maxLength": 1}, "😀"),
    ({"minLength": 2}, "é"),
    ({"enum": [0.25, 0.5, 1, 2, 4]}, True),  # fargate cpu: true was accepted as 1 vCPU
]


@pytest.mark.parametrize(("schema", "doc"), EDGE_CASES, ids=[f"{s}-{d!r}" for s, d in EDGE_CASES])
def test_keyword_edge_cases_agree_with_jsonschema(schema: dict[str, Any], doc: Any) -> None:
    assert ours_valid(schema, doc) == theirs_valid(schema, doc)


REPLACEMENTS: list[Any] = [
    True,
    False,
    1,
    0,
    -1,
    1.5,
    1.0,
    "1",
    "",
    "x",
    None,
    [],
    {},
    [1],
    {"a": 1},
    10**9,
    1e308,
    "true",
    2.0,
    [True, 1],
    [1, 1.0],
    ["a", "a"],
    "ü",
]
ADDED_KEYS = ["memroy_mb", "extra", "x-unit", "type"]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _mutate(doc: Any, rng: random.Random) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(doc)
        if not paths:
            break
        path = rng.choice(paths)
        parent: Any = doc
        for p in path[:-1]:
            parent = parent[p]
        last = path[-1]
        r = rng.random()
        if r < 0.5:
            parent[last] = rng.choice(REPLACEMENTS)
        elif r < 0.65 and isinstance(parent, dict):
            del parent[last]
        elif r < 0.8 and isinstance(parent, dict):
            parent[rng.choice(ADDED_KEYS)] = rng.choice(REPLACEMENTS)
        elif isinstance(parent[last], (int, float)) and not isinstance(parent[last], bool):
            parent[last] = parent[last] * rng.choice([-1, 0, 1000, 0.5, 10**6])
        elif isinstance(parent[last], str):
            parent[last] += rng.choice(["x", "-1", " "])
    return doc


def test_mutated_samples_agree_with_jsonschema() -> None:
    docs = [load_file(p).data for p in sorted([*SAMPLES.glob("*.yaml"), *SAMPLES.glob("broken/*.yaml")])]
    schema = arch_schema()
    ours, theirs = Validator(schema), jsonschema.Draft202012Validator(schema)
    rng = random.Random(2026)
    disagreements = []
    for i in range(int(N / 10)):
        doc = _mutate(rng.choice(docs), rng)
        if (not ours.validate(doc)) != theirs.is_valid(doc):
            disagreements.append((i, doc))
    assert disagreements[:3] == []


def test_fargate_cpu_true_is_rejected() -> None:
    from sls_check.loader import load_text
    from sls_check.model import InputError
    from sls_check.spec import check_spec

    text = "slscheck: 1\nname: t\nregion: us-east-1\nservices:\n  w: {type: fargate, cpu: true, memory_gb: 2}\n"
    with pytest.raises(InputError) as err:
        check_spec(load_text(text.encode(), "arch.yaml"))
    (problem,) = err.value.problems
    assert str(problem).startswith("arch.yaml:5:27:") and "true is not one of" in str(problem)
