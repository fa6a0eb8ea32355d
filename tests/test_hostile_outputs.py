"""Injection through the outputs (review E1-E6): one escaper per format (reporters/escape.py),
applied to every value and path a report interpolates."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sls_check.reporters.escape import (
    dot_string,
    github_data,
    github_property,
    markdown_cell,
    markdown_code,
    mermaid_label,
    terminal,
    visible,
    xml_text,
)

from .conftest import SAMPLES
from .hostile import cli, one_problem

GHA = """slscheck: 1
name: "shop\\n::error file=README.md,line=1,title=Security::name injected\\n::stop-commands::pwned"
region: us-east-1
services:
  fn:
    type: lambda
    runtime: python3.12
    vpc: {id: "vpc-app\\n::error file=src/app.py,line=1::injected via vpc id\\n::add-mask::us-east-1", subnets: [a, b]}
    connects: [proxy]
    suppress:
      - {rule: "NOPE\\n::warning file=x.py,line=2::injected via suppress.rule", reason: r}
  proxy: {type: rds_proxy, vpc: vpc-db, connects: [db]}
  db: {type: aurora_serverless, engine: aurora-mysql, vpc: vpc-db}
"""
MD = """slscheck: 1
name: "shop [click me](https://evil.example/a) ![t](https://evil.example/pixel.png) @octocat"
region: us-east-1
services:
  fn:
    type: lambda
    runtime: python3.12
    vpc: {id: "vpc-app [Approve](https://evil.example/phish) ![t](https://evil.example/p.png) @security-team **b**",
          subnets: [a, b]}
    connects: [proxy]
  proxy: {type: rds_proxy, vpc: vpc-db, connects: [db]}
  db: {type: aurora_serverless, engine: aurora-mysql, vpc: vpc-db}
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


@pytest.mark.parametrize(
    "args",
    [["validate", "a.yaml", "--no-config"], ["limits", "a.yaml"], ["cost", "a.yaml"], ["diff", "b.yaml", "a.yaml"]],
    ids=lambda a: a[0],
)
def test_e1_no_workflow_command_in_text_output(capsys, monkeypatch, tmp_path: Path, args: list[str]) -> None:
    write(tmp_path, "a.yaml", GHA)
    write(tmp_path, "b.yaml", GHA.replace("vpc-db, connects: [db]}", "vpc-app, connects: [db]}"))
    code, out, err = cli(capsys, monkeypatch, tmp_path, *args)
    assert code in (0, 1), err
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    if args[0] == "validate":
        assert "vpc-app\\n::error file=src/app.py" in out  # shown, on its own line's text


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "a.yaml", "--no-config", "-f", "markdown"],
        ["limits", "a.yaml", "-f", "markdown"],
        ["cost", "a.yaml", "-f", "markdown"],
        ["diff", "b.yaml", "a.yaml", "-f", "markdown"],
    ],
    ids=lambda a: a[0],
)
def test_e2_no_link_image_or_mention_in_markdown(capsys, monkeypatch, tmp_path: Path, args: list[str]) -> None:
    write(tmp_path, "a.yaml", MD)
    write(tmp_path, "b.yaml", MD.replace("vpc-db, connects: [db]}", "vpc-app, connects: [db]}"))
    code, out, err = cli(capsys, monkeypatch, tmp_path, *args)
    assert code in (0, 1), err
    for raw in (r"(?<!\\)\]\(https://evil", r"(?<!\\)!\[t", r" @octocat", r" @security-team", r"(?<!\\)\*\*b"):
        assert not re.search(raw, out), raw


def test_e2_code_span_break_out_in_the_problem_list(capsys, monkeypatch, tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MD.replace("runtime: python3.12", 'runtime: "x` ![t](https://evil.example/p.png) `"'))
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "validate", "a.yaml", "--no-config", "-f", "markdown")
    assert code == 2
    (item,) = [line for line in out.splitlines() if line.startswith("- ")]
    assert item.startswith("- `` ") and item.endswith(" ``")  # the fence outgrows the backticks inside


def test_e2_a_file_name_in_the_table(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(tmp_path, "a|b` ![t](https:x) `.yaml", (SAMPLES / "broken" / "lambda-env.yaml").read_text())
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config", "-f", "markdown")
    assert code == 1
    row = next(line for line in out.splitlines() if "LMB004" in line)
    assert "`` a\\|b` ![t](https:x) `.yaml:" in row
    assert row.count(" | ") == 4  # five cells: the name did not add one


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_e3_escape_sequences_in_a_file_name(capsys, monkeypatch, tmp_path: Path, fmt: str) -> None:
    name = write(tmp_path, "x\x1b]0;pwned\x07\x1b[2J.yaml", (SAMPLES / "broken" / "lambda-env.yaml").read_text())
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config", "-f", fmt)
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out
    assert "x\\x1b]0;pwned\\x07\\x1b[2J.yaml" in out


def test_e4_junit_is_well_formed_with_a_control_character_in_the_name(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(tmp_path, "x\x1b.yaml", (SAMPLES / "broken" / "lambda-env.yaml").read_text())
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config", "-f", "junit")
    assert code == 1
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None and suite.get("file") == "x\\x1b.yaml"


def test_e5_an_id_with_a_trailing_newline_is_refused(capsys, monkeypatch, tmp_path: Path) -> None:
    spec = (
        'slscheck: 1\nname: x\nregion: eu-west-1\nservices:\n  "fn\\n": {type: lambda, runtime: python3.12, '
        'connects: ["db\\n"]}\n  "db\\n": {type: dynamodb}\n'
    )
    write(tmp_path, "e5.yaml", spec)
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", "e5.yaml", "--no-config")
    lines = err.splitlines()
    assert code == 2
    assert lines[0].startswith("e5.yaml:5:3: key 'fn\\n': 'fn\\n' does not match a service id")


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "junit"])
def test_e6_bidi_override_is_shown_not_passed(capsys, monkeypatch, tmp_path: Path, fmt: str) -> None:
    write(tmp_path, "a.yaml", MD.replace('"vpc-app [Approve', '"vpc-a\u202eelif 1 ni [Approve'))
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "validate", "a.yaml", "--no-config", "-f", fmt)
    assert code == 1
    assert "\u202e" not in out
    assert "\\u202e" in out


def test_each_escaper() -> None:
    assert visible("a\u202eb\u200bc\td") == "a\\u202eb\\u200bc\td"
    assert terminal("a\nb\x1b[2J") == "a\\nb\\x1b[2J"
    assert github_data("50%\nx") == "50%25%0Ax"
    assert github_property("a,b:c") == "a%2Cb%3Ac"
    assert markdown_cell("[a](b) ![c] @d *e* `f` <g> & h|i") == (
        "\\[a\\](b) \\!\\[c\\] \\@d \\*e\\* `f` &lt;g&gt; &amp; h\\|i"
    )
    assert markdown_code("a`b") == "`` a`b ``"
    assert markdown_code("ab") == "`ab`"
    assert xml_text("a\x1b\r\nb") == "a\\x1bnb".replace("nb", "\nb")
    assert mermaid_label('a"<b>#') == "a#quot;#lt;b#gt;#35;"
    assert dot_string('a"b') == 'a\\"b'


def test_problems_on_stderr_keep_one_line(capsys, monkeypatch, tmp_path: Path) -> None:
    name = write(tmp_path, "y\x1b[31mRED.yaml", "slscheck: 2\n")
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", name, "--no-config")
    assert one_problem(code, err).startswith("y\\x1b[31mRED.yaml:1:11: ")
