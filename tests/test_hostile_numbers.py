"""Numbers no input may hold (review A1-A5, B1): refused where they are read, at their position."""

from __future__ import annotations

from pathlib import Path

import pytest

from sls_check.loader import finite_numbers, load_text
from sls_check.model import InputError
from sls_check.schema_check import type_of

from .hostile import BIG, cli, one_problem, spec

BEYOND = "integer with 309 digits is beyond the range of a number (about 1.8e308)"


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text)
    return name


@pytest.mark.parametrize("command", ["validate", "cost", "limits", "graph"])
def test_a1_integer_literal_past_the_digit_limit(capsys, monkeypatch, tmp_path: Path, command: str) -> None:
    name = write(tmp_path, "a1.yaml", spec(f"  fn: {{type: lambda, runtime: python3.12, memory_mb: {'1' * 5000}}}\n"))
    code, _, err = cli(
        capsys, monkeypatch, tmp_path, command, name, *(["--no-config"] if command == "validate" else [])
    )
    assert one_problem(code, err) == (
        "a1.yaml:5:54: integer literal of 5,000 digits is beyond the range of a number (about 1.8e308)"
    )


def test_a2_workload_rps_beyond_float_range(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(
        tmp_path,
        "a2.yaml",
        spec("  fn: {type: lambda, runtime: python3.12}\n", top=f"workload: {{rps: {BIG}, peak_rps: 1}}\n"),
    )
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config")
    assert one_problem(code, err) == f"a2.yaml:4:17: {BEYOND}"


def test_a3_edge_calls_beyond_float_range(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(
        tmp_path,
        "a3.yaml",
        spec(
            f"  api: {{type: api_gateway, api: http, connects: [{{to: fn, calls: {BIG}}}]}}\n"
            "  fn: {type: lambda, runtime: python3.12}\n"
        ),
    )
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config")
    assert one_problem(code, err) == f"a3.yaml:5:66: {BEYOND}"


def test_a4_pinned_rate_beyond_float_range(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(tmp_path, "a4.yaml", spec(f"  fn: {{type: lambda, runtime: python3.12, rps: {BIG}}}\n"))
    code, _, err = cli(capsys, monkeypatch, tmp_path, "cost", name)
    assert one_problem(code, err) == f"a4.yaml:5:48: {BEYOND}"


def test_a5_pack_limit_beyond_float_range(capsys, monkeypatch, tmp_path: Path) -> None:
    write(tmp_path, "arch.yaml", spec("  fn: {type: lambda, runtime: python3.12}\n"))
    write(
        tmp_path, "big.yaml", f'pack: team\nlimits:\n  big: {{value: {BIG}, docs: "https://example.com"}}\nrules: []\n'
    )
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", "arch.yaml", "--no-config", "--rules", "big.yaml")
    assert one_problem(code, err) == f"big.yaml:3:16: {BEYOND}"


@pytest.mark.parametrize(
    ("service", "column"),
    [
        (f"package: {{format: zip, unzipped_mb: {BIG}}}", 79),  # LMB006 raised OverflowError
        (f"duration_ms: {BIG}", 56),  # BPR008, LMB022
        ("memory_mb: 0x" + "f" * 4000, 54),  # LMB001: the digit limit while formatting the message
    ],
)
def test_b1_numbers_that_reached_the_rules(capsys, monkeypatch, tmp_path: Path, service: str, column: int) -> None:
    name = write(tmp_path, "b1.yaml", spec(f"  fn: {{type: lambda, runtime: python3.12, {service}}}\n"))
    code, out, err = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config", "-f", "json")
    line = one_problem(code, err)
    assert line.startswith(f"b1.yaml:5:{column}: integer ")
    assert line.endswith("is beyond the range of a number (about 1.8e308)")
    assert "SLS000" not in out


def test_b1_fargate_cpu(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(tmp_path, "f.yaml", spec(f"  task: {{type: fargate, cpu: {BIG}, memory_gb: 1}}\n"))
    code, out, err = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config", "-f", "json")
    assert one_problem(code, err) == f"f.yaml:5:30: {BEYOND}"
    assert "SLS000" not in out


@pytest.mark.parametrize("literal", [BIG, "-" + BIG, "0x" + "f" * 300, "0o" + "7" * 400, "!!float " + BIG])
def test_every_integer_form_is_refused_at_the_loader(literal: str) -> None:
    with pytest.raises(InputError) as exc:
        load_text(f"a:\n  b: [1, {literal}]\n".encode(), "x.yaml")
    (problem,) = exc.value.problems
    assert (problem.location.line, problem.location.column) == (2, 10)
    assert "beyond the range of a number" in problem.message


def test_the_largest_float_and_its_integer_still_load() -> None:
    top = int(1.7976931348623157e308)
    doc = load_text(f"a: {top}\nb: 1.7976931348623157e308\n".encode(), "x.yaml")
    assert doc.data == {"a": top, "b": 1.7976931348623157e308}


def test_readers_that_parse_numbers_themselves_use_the_same_rule() -> None:
    assert finite_numbers({"a": [1, 2**1024], "b": {"c": -(2**1100)}, "d": 1e308}) == [
        (("a", 1), BEYOND),
        (("b", "c"), "integer with 332 digits is beyond the range of a number (about 1.8e308)"),
    ]
    assert type_of(2**1024) == "non-finite number"
    assert type_of(2**1023) == "integer"
