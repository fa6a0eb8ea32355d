"""CI outputs: SARIF rule help as `explain` renders it, SARIF paths from the repository root,
several outputs in one run."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES, run_cli


def test_sarif_rule_help_has_no_raw_placeholders(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_cli(capsys, monkeypatch, ROOT, "validate", "samples/broken/", "-f", "sarif", "--no-config")
    assert code == 1
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) > 40
    raw = [(r["id"], m) for r in rules for m in re.findall(r"\{[a-z_.:]+\}", r["help"]["text"] + r["help"]["markdown"])]
    assert raw == []
    edg016 = next(r for r in rules if r["id"] == "EDG016")
    assert "Fix: Set timeout_s to at most 5 on <service>" in edg016["help"]["text"]


def test_sarif_paths_are_relative_to_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # a work tree's marker (git itself is not needed)
    (repo / "infra" / "prod").mkdir(parents=True)
    shutil.copy(SAMPLES / "broken" / "lambda-memory.yaml", repo / "infra" / "prod" / "bad.yaml")
    monkeypatch.delenv("SLSCHECK_ROOT", raising=False)
    code, out, _ = run_cli(capsys, monkeypatch, repo / "infra", "validate", "prod/bad.yaml", "-f", "sarif")
    assert code == 1
    run = json.loads(out)["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert uris == ["infra/prod/bad.yaml"]  # not prod/bad.yaml: code scanning maps from the repository root


def test_several_outputs_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLES / "broken" / "lambda-memory.yaml", tmp_path / "bad.yaml")
    args = ("validate", "bad.yaml", "--no-config", "-f", "text", "-f", "sarif=out.sarif", "-f", "junit=out.xml")
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, *args)
    assert (code, err) == (1, "")
    assert out.startswith("bad.yaml\n  resize\n    bad.yaml:10:16: error LMB001 lambda-memory-range")
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["LMB001"]
    assert '<failure message="' in (tmp_path / "out.xml").read_text(encoding="utf-8")
    # the same as one run each
    code, single, _ = run_cli(capsys, monkeypatch, tmp_path, "validate", "bad.yaml", "--no-config", "-f", "sarif")
    assert json.loads(single) == sarif


@pytest.mark.parametrize(
    "args,message",
    [
        (["-f", "json", "-f", "sarif"], "json, sarif would all go to standard output"),
        (["-f", "sarif=a", "-f", "sarif=b"], "sarif is given twice"),
        (["-f", "sarif="], "names no file after '='"),
        (["-f", "yaml=x"], "'yaml' is not one of text, json"),
        (["-f", "sarif=a", "-o", "b"], "-o has nothing to write"),
    ],
)
def test_several_outputs_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_cli(capsys, monkeypatch, ROOT, "validate", "samples/web-api.yaml", "--no-config", *args)
    assert code == 2 and out == "" and message in err and err.startswith("<command line>:1:1: ")
