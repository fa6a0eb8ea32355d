"""Hostile sizes (review C4, C6): duplicate checks linear, `cost` linear in the services.

Timing lives in benchmarks/bench_scale.py; these tests hold the behaviour and the structure that
keeps it linear."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sls_check.schema_check import Validator, _canonical

from .hostile import cli, spec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_scale import spec as scale_spec


def test_c4_unique_items_on_40000_names(capsys, monkeypatch, tmp_path: Path) -> None:
    names = [f"a{i}.example.com" for i in range(40_000)]
    names[30_000] = "a7.example.com"
    text = spec(
        "  cert:\n    type: acm_certificate\n    domain: example.com\n    alternative_names: ["
        + ", ".join(names)
        + "]\n"
    )
    (tmp_path / "alt.yaml").write_text(text)
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", "alt.yaml", "--no-config")
    assert code == 2
    assert err.splitlines()[0].startswith("alt.yaml:8:")
    assert "services.cert.alternative_names: 'a7.example.com' is listed twice" in err


def test_unique_items_keeps_json_equality() -> None:
    schema = {"type": "array", "uniqueItems": True}
    check = Validator(schema).validate
    assert check([1, True, "1", None, 0, False]) == []  # true is not 1, false is not 0
    assert [e.path for e in check([1, 1.0, {"a": [1]}, {"a": [1.0]}])] == [(1,), (3,)]
    assert _canonical({"b": 1, "a": 2}) == _canonical({"a": 2, "b": 1})


def test_c6_cost_text_and_json_agree_at_size(capsys, monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(scale_spec(1000))
    code, out, err = cli(capsys, monkeypatch, tmp_path, "cost", "spec.yaml", "--format", "json")
    assert (code, err) == (0, "")
    bill = json.loads(out)
    assert len(bill["services"]) == 1000
    code, text, err = cli(capsys, monkeypatch, tmp_path, "cost", "spec.yaml")
    assert (code, err) == (0, "")
    assert text.count(" (lambda)") == 400 and text.count(" (dynamodb)") == 200
    assert f"Total: ${bill['total']:,.2f} a month" in text
