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
    # grouped under their file, as the findings are; each problem one `file:line:col: message` line
    assert lines[-5:-3] == ["typo.yaml", "  not checked: 1 input problem"]
    assert lines[-3].startswith("typo.yaml:5:") and "memroy" in lines[-3]
    assert lines[-2:] == ["", "1 error, 0 warnings, 0 info in 1 file (1 input problem: not checked)"]
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


def test_input_problems_of_several_files_are_grouped_under_each_file(tmp_path: Path) -> None:
    """Several broken files: each file's name (stdout), then its problems (stderr, one
    `file:line:col: message` line each, nothing else on stderr), file by file; the summary last."""
    import os
    import re
    import subprocess
    import sys

    head = "slscheck: 1\nname: x\nregion: us-east-1\nservices:\n"
    (tmp_path / "a.yaml").write_text(head + "  f: {type: lambda, memroy: 5}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(head + "  t: {type: dynamodb, billing: maybe}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    args = [sys.executable, "-m", "sls_check", "validate", "b.yaml", "a.yaml", "--no-config"]
    merged = subprocess.run(
        args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    assert merged.returncode == 2
    lines = merged.stdout.splitlines()
    assert lines[0] == "a.yaml" and lines[1] == "  not checked: 1 input problem"
    assert re.match(r"^a\.yaml:5:\d+: unknown key 'memroy'", lines[2]), lines
    assert lines[3:6] == ["", "b.yaml", "  not checked: 1 input problem"]
    assert re.match(r"^b\.yaml:5:\d+: services\.t\.billing: 'maybe' is not one of", lines[6]), lines
    assert lines[7:] == ["", "0 errors, 0 warnings, 0 info in 0 files (2 input problems: not checked)"]
    apart = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert [line.split(":")[0] for line in apart.stderr.splitlines()] == ["a.yaml", "b.yaml"]
    assert "not checked: 1 input problem" in apart.stdout and "memroy" not in apart.stdout


def test_findings_wrap_at_the_terminal_width_and_stay_one_line_in_a_pipe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sls_check.api import validate
    from sls_check.reporters.text import render

    report = validate([SAMPLES / "order-workflow.yaml"], rps=2000)
    wrapped = render(report, width=80).plain.splitlines()
    at = wrapped.index("    samples/order-workflow.yaml:30:3: error LIM001 lambda-function-concurrency:")
    assert wrapped[at + 1 : at + 7] == [
        "        charge_card: Concurrent executions (account, per Region) - needs 12,000",
        "        executions at peak of 1,000 (1200% used)",
        "      fix: Raise reserved_concurrency, shorten duration_ms, or ask AWS for a",
        "           higher lambda_concurrency (set account.lambda_concurrency once",
        "           granted).",
        "      docs: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",  # a URL stays whole
    ]
    # past 80 only what is never cut: a URL, or a first line's location, severity, rule id and name
    long = [line for line in wrapped if len(line) > 80]
    assert long and all(re.match(r"^      docs: \S+$|^    \S+:\d+:\d+: \w+ [A-Z]+\d+ [a-z-]+:$", x) for x in long), long
    # not a terminal: one line per finding, whatever COLUMNS says (as ruff and flake8)
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = run_cli(
        capsys, monkeypatch, ROOT, "validate", "samples/order-workflow.yaml", "--rps", "2000", "--no-config"
    )
    assert code == 1
    line = next(x for x in out.splitlines() if ":30:3: error LIM001" in x)
    assert line.endswith(
        "lambda-function-concurrency: charge_card: Concurrent executions (account, per Region) - "
        "needs 12,000 executions at peak of 1,000 (1200% used)"
    )
    assert render(report).plain == "\n".join(render(report, width=None).plain.splitlines()) + "\n"


def test_rows_a_spec_key_sets_have_human_names_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A limit the spec sets (reserved_concurrency, a table's rcu) is named for people in validate's
    Markdown, diff's Markdown, limits and its JSON `title`; headroom has one format everywhere."""
    from .conftest import spec_yaml

    fn = {"type": "lambda", "runtime": "python3.12", "duration_ms": 100, "timeout_s": 5}
    services = {
        "api": {"type": "api_gateway", "api": "http", "connects": ["fn"]},
        "fn": {**fn, "reserved_concurrency": 50},
    }
    (tmp_path / "old.yaml").write_text(spec_yaml(services, workload={"rps": 10}), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(spec_yaml(services, workload={"rps": 400}), encoding="utf-8")
    title = "Reserved concurrency (the function's reserved_concurrency)"
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "validate", "new.yaml", "-f", "markdown", "--no-config")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| `new.yaml` | `fn` | Reserved"))
    assert row == f"| `new.yaml` | `fn` | {title} | 40 executions | 50 executions | 🟠 warn +20.0 % |"
    code, out, _ = run_cli(
        capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "-f", "markdown", "--no-config"
    )
    assert code == 0
    assert f"| `fn` | {title} | +98.0 % (ok) | +20.0 % (warn) |" in out.splitlines()
    assert "| reserved_concurrency |" not in out
    _, out, _ = run_cli(capsys, monkeypatch, tmp_path, "limits", "new.yaml", "-f", "json", "--no-config")
    (reserved,) = [r for r in json.loads(out)["rows"] if r["quota"] == "reserved_concurrency"]
    assert reserved["title"] == title and reserved["headroom"] == 20.0


def test_the_price_tiers_crossed_column_is_defined_where_it_is_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sls_check.results import TIERS_CROSSED

    args = ("cost", "samples/web-api.yaml", "--rps", "1000,5000", "--no-config")
    code, out, _ = run_cli(capsys, monkeypatch, ROOT, *args, "-f", "markdown")
    assert code == 0
    lines = out.splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("| 5000 |"))
    assert lines[last + 1 : last + 3] == ["", f"<sub>{TIERS_CROSSED}</sub>"]
    code, out, _ = run_cli(capsys, monkeypatch, ROOT, *args)
    assert code == 0
    assert "price tiers crossed: the price tiers a rate's bill reaches that the next lower rate's does not" in out
    assert " ".join(out.split()).count(TIERS_CROSSED) == 1
