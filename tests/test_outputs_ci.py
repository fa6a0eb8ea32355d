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


def test_input_problems_come_before_the_summary(tmp_path: Path) -> None:
    """Text to a terminal or a pipe: findings, then the input problems, then the summary line last
    (a failing pre-commit run opened with `0 errors, ...`)."""
    import os
    import subprocess
    import sys

    (tmp_path / "typo.yaml").write_text(
        "slscheck: 1\nname: x\nregion: us-east-1\nservices:\n  f: {type: lambda, memroy: 5}\n", encoding="utf-8"
    )
    shutil.copy(SAMPLES / "broken" / "lambda-memory.yaml", tmp_path / "bad.yaml")
    got = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", "typo.yaml", "bad.yaml", "--no-config"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order it was written
        text=True,
        check=False,
    )
    lines = got.stdout.rstrip("\n").splitlines()
    assert got.returncode == 2
    assert lines[0] == "bad.yaml" and "bad.yaml:10:16: error LMB001" in lines[2]
    assert lines[-2].startswith("typo.yaml:5:") and "memroy" in lines[-2]
    assert lines[-1] == "1 error, 0 warnings, 0 info in 1 file (1 input problem: not checked)"
    assert got.stdout.count("memroy") == 1  # once, not again at exit


def test_markdown_names_quotas_for_people_and_skips_headroom_without_traffic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from .conftest import spec_yaml

    fn = {"type": "lambda", "runtime": "python3.12", "duration_ms": 100, "timeout_s": 5}
    (tmp_path / "idle.yaml").write_text(spec_yaml({"fn": fn}), encoding="utf-8")
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "validate", "idle.yaml", "-f", "markdown", "--no-config")
    assert code == 0
    headroom = out[out.index("#### Quota headroom") :]
    assert "| Spec | Service |" not in headroom  # no table of "0 executions ... ok +100 %" rows
    assert "- `idle.yaml`: no traffic (set `workload` in the spec, or `--rps`), so no quota headroom" in headroom
    # diff: the changed headroom rows carry the quota's title, as validate's Markdown does
    api = {"api": {"type": "api_gateway", "api": "http", "connects": ["fn"]}, "fn": fn}
    (tmp_path / "old.yaml").write_text(spec_yaml(api, workload={"rps": 10}), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(spec_yaml(api, workload={"rps": 500}), encoding="utf-8")
    code, out, _ = run_cli(
        capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "-f", "markdown", "--no-config"
    )
    rows = [line for line in out.splitlines() if line.startswith("| `fn` |")]
    assert rows and any("Concurrent executions" in r for r in rows), out
    assert not any("| lambda_concurrency |" in r for r in rows)
