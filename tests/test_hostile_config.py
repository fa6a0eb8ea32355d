"""Hostile configuration files (review A7-A9, C2, C3, C7, F1): discovery linear in the file's size,
every configuration that is there but cannot be read an input problem at its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from sls_check.config import _toml_positions, find_config
from sls_check.loader import Document

from .conftest import SAMPLES
from .hostile import BIG, cli, one_problem, problems


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "arch.yaml").write_text((SAMPLES / "broken" / "lambda-env.yaml").read_text())
    return tmp_path


def validate(capsys, monkeypatch, work: Path, *args: str) -> tuple[int, str, str]:
    return cli(capsys, monkeypatch, work, "validate", "arch.yaml", *args)


def test_a7_tool_not_a_table_with_the_header_inside_a_string(capsys, monkeypatch, work: Path) -> None:
    """The header inside a multi-line string made discovery pick the file; `tool` is not a table, so
    the file has no [tool.slscheck]: it is not a configuration, and the run goes on without one."""
    (work / "pyproject.toml").write_text('tool = "x"\ndescription = """\n[tool.slscheck]\n"""\n')
    assert find_config(work) is None
    code, out, err = validate(capsys, monkeypatch, work)
    assert (code, err) == (1, "")
    assert "LMB004" in out


def test_a7_tool_not_a_table_given_with_config(capsys, monkeypatch, work: Path) -> None:
    (work / "cfg.toml").write_text('title = "x"\n  tool = 1\n[project]\n')
    code, _, err = validate(capsys, monkeypatch, work, "--config", "cfg.toml")
    assert one_problem(code, err) == "cfg.toml:2:3: `tool` must be a table ([tool.slscheck]), not a value"


def test_a8_integer_past_the_digit_limit_anywhere(capsys, monkeypatch, work: Path) -> None:
    (work / "pyproject.toml").write_text(f'[project]\nversion_n = {"9" * 5000}\n[tool.slscheck]\nfail_on = "never"\n')
    code, _, err = validate(capsys, monkeypatch, work)
    assert one_problem(code, err) == (
        "pyproject.toml:2:13: integer literal beyond the range of a number (over 4,300 digits)"
    )


def test_a8_integer_beyond_float_range_in_the_table(capsys, monkeypatch, work: Path) -> None:
    (work / "pyproject.toml").write_text(f"[tool.slscheck]\nfail_on = {BIG}\n")
    code, _, err = validate(capsys, monkeypatch, work)
    assert one_problem(code, err) == (
        "pyproject.toml:2:11: integer with 309 digits is beyond the range of a number (about 1.8e308)"
    )


def test_a8_yaml_config_with_a_huge_integer(capsys, monkeypatch, work: Path) -> None:
    (work / ".slscheck.yaml").write_text(f"fail_on: {BIG}\n")
    code, _, err = validate(capsys, monkeypatch, work)
    assert one_problem(code, err) == (
        ".slscheck.yaml:1:10: integer with 309 digits is beyond the range of a number (about 1.8e308)"
    )


@pytest.mark.parametrize(
    ("value", "column"),
    [("[" * 3000 + "]" * 3000, 74), ("{a = " * 3000 + "1" + "}" * 3000, 331)],
)
def test_a9_deep_nesting(capsys, monkeypatch, work: Path, value: str, column: int) -> None:
    key = "select" if value.startswith("[") else "pricing"
    (work / "pyproject.toml").write_text(f"[tool.slscheck]\n{key} = {value}\n")
    code, _, err = validate(capsys, monkeypatch, work)
    assert one_problem(code, err) == f"pyproject.toml:2:{column}: arrays or inline tables nested deeper than 64 levels"


def test_c2_a_header_like_line_of_spaces_is_linear(capsys, monkeypatch, work: Path) -> None:
    """`[` and 8,000 spaces inside a multi-line string: the header regex was cubic (killed at 100 s)."""
    text = '[tool.slscheck]\nfail_on = "never"\n[project]\ndescription = """\n[' + " " * 200_000 + '\n"""\n'
    (work / "pyproject.toml").write_text(text)
    code, out, err = validate(capsys, monkeypatch, work)
    assert (code, err) == (0, "")
    assert "LMB004" in out


def test_c3_many_blank_lines_without_our_table(capsys, monkeypatch, work: Path) -> None:
    """`^\\s*\\[` with MULTILINE ran \\s* across newlines from every line start: quadratic."""
    (work / "pyproject.toml").write_text("\n" * 300_000 + '[project]\nname = "x"\n')
    assert find_config(work) is None
    code, _, err = validate(capsys, monkeypatch, work)
    assert (code, err) == (1, "")


def test_c7_many_unknown_severity_keys(capsys, monkeypatch, work: Path) -> None:
    lines = "".join(f"  L{i}: error\n" for i in range(20_000))
    (work / ".slscheck.yaml").write_text("severity:\n" + lines)
    code, _, err = validate(capsys, monkeypatch, work)
    found = problems(code, err)
    assert len(found) == 20_000
    assert found[0] == ".slscheck.yaml:2:3: severity: 'L0' matches no rule"
    assert found[-1] == ".slscheck.yaml:20001:3: severity: 'L19999' matches no rule"


def test_f1_a_discovered_non_utf8_pyproject_is_an_error(capsys, monkeypatch, work: Path) -> None:
    (work / "pyproject.toml").write_bytes(b'[tool.slscheck]\n# owner: Ren\xe9\nignore = ["LMB004"]\n')
    code, _, err = validate(capsys, monkeypatch, work)
    assert one_problem(code, err) == "pyproject.toml:2:13: not UTF-8 text (byte 0xe9)"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="FIFOs need a POSIX system")
def test_a_discovered_config_that_is_a_fifo(capsys, monkeypatch, work: Path) -> None:
    import os

    os.mkfifo(work / ".slscheck.yaml")
    code, _, err = validate(capsys, monkeypatch, work)
    assert one_problem(code, err) == ".slscheck.yaml:1:1: is a FIFO that no program writes to, not a configuration file"


def test_positions_skip_multiline_strings() -> None:
    text = (
        '[tool.slscheck]\nnote = """\nfail_on = 1\n[tool.slscheck.pricing]\n"""\nfail_on = "never"\n'
        '[tool.slscheck.pricing]\n  region = "eu-west-1"  # c\n'
    )
    doc = Document("pyproject.toml", {})
    _toml_positions(text, doc)
    assert doc.key_positions[("fail_on",)] == (6, 1)
    assert doc.key_positions[("pricing",)] == (7, 1)
    assert doc.positions[("pricing", "region")] == (8, 12)
    assert doc.key_positions[("note",)] == (2, 1)
