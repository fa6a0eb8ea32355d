"""Command-line conventions shared with cfn-lint, checkov and ruff: --select/--ignore on every command
that runs rules, the same --free-tier on cost and diff, choices in --help, shell completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, run_cli

LAMBDA = "samples/broken/lambda.yaml"


def _ids(out: str) -> list[str]:
    return [f["rule_id"] for f in json.loads(out)["findings"]]


def test_select_and_ignore_longest_prefix_wins(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_cli(capsys, monkeypatch, ROOT, "validate", LAMBDA, "--no-config", "-f", "json")
    assert code == 1
    everything = _ids(out)
    assert {"LMB010", "LMB012", "LMB021"} <= set(everything)
    args = ("validate", LAMBDA, "--no-config", "-f", "json", "--select", "LMB01", "--ignore", "LMB012")
    _, out, _ = run_cli(capsys, monkeypatch, ROOT, *args)
    assert _ids(out) == [i for i in everything if i.startswith("LMB01") and i != "LMB012"]
    # comma-separated and repeated; a longer --select beats a shorter --ignore
    args = ("validate", LAMBDA, "--no-config", "-f", "json", "--ignore", "LMB", "--select", "LMB010,LMB021")
    _, out, _ = run_cli(capsys, monkeypatch, ROOT, *args)
    assert sorted(_ids(out)) == ["LMB010", "LMB021"]


def test_command_line_selection_replaces_the_config(
    tmp_path: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / ".slscheck.yaml").write_text("select: [LMB010]\n", encoding="utf-8")
    (folder / "spec.yaml").write_text((ROOT / LAMBDA).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli(capsys, monkeypatch, folder, "validate", "spec.yaml", "-f", "json")
    assert _ids(out) == ["LMB010"]
    code, out, _ = run_cli(capsys, monkeypatch, folder, "validate", "spec.yaml", "-f", "json", "--select", "LMB012")
    assert _ids(out) == ["LMB012"]
    # the same configuration and options apply to diff and graph
    code, out, _ = run_cli(
        capsys, monkeypatch, folder, "diff", "spec.yaml", "spec.yaml", "-f", "json", "--ignore", "LMB"
    )
    assert code == 0
    code, out, _ = run_cli(capsys, monkeypatch, folder, "graph", "spec.yaml", "--select", "LMB012")
    assert code == 0 and "1 finding" in out


def test_an_unknown_rule_on_the_command_line_is_a_usage_problem(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = run_cli(capsys, monkeypatch, ROOT, "validate", LAMBDA, "--no-config", "--select", "LMB99")
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("<command line>:1:1: --select: 'LMB99' matches no rule")


def test_free_tier_means_the_same_in_cost_and_diff(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = "samples/web-api.yaml"

    def total(*args: str) -> float:
        code, out, err = run_cli(capsys, monkeypatch, ROOT, "cost", spec, "--no-config", "-f", "json", *args)
        assert code == 0, err
        return float(json.loads(out)["total"])

    none = total()
    assert total("--no-free-tier") == total("--free-tier", "none") == none
    assert total("--free-tier") == total("--free-tier", "always") < none  # the bare flag: always
    code, _, err = run_cli(capsys, monkeypatch, ROOT, "cost", spec, "--free-tier", "some")
    assert code == 2 and "'some' is not one of none, always, all" in err
    for value in ("none", "always", "all"):
        code, _, err = run_cli(capsys, monkeypatch, ROOT, "diff", spec, spec, "--no-config", "--free-tier", value)
        assert code == 0, err
    code, _, err = run_cli(capsys, monkeypatch, ROOT, "diff", spec, spec, "--no-config", "--no-free-tier")
    assert code == 0, err


@pytest.mark.parametrize(
    "command,option,choices",
    [
        ("validate", "--format", "[text|json|sarif|junit|github|markdown][=FILE]"),
        ("validate", "--fail-on", "[error|warning|info|never]"),
        ("cost", "--format", "[text|json|markdown]"),
        ("cost", "--free-tier", "[none|always|all]"),
        ("diff", "--free-tier", "[none|always|all]"),
        ("limits", "--format", "[text|json|markdown]"),
        ("graph", "--format", "[mermaid|dot|markdown]"),
        ("rules", "--format", "[text|json|markdown]"),
    ],
)
def test_help_shows_the_choices(
    command: str, option: str, choices: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli(capsys, monkeypatch, ROOT, command, "--help")
    assert code == 0
    assert f"{option} {choices}" in out


def _complete(shell: str, words: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_SLSCHECK_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words, _TYPER_COMPLETE_FISH_ACTION="get-args")
    code = "import sys; sys.argv[0] = 'slscheck'; from sls_check.cli import main; main()"
    got = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    return got.stdout.splitlines()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_of_rule_ids_and_choices(shell: str) -> None:
    ids = _complete(shell, "slscheck explain LMB00")
    if shell == "bash":
        assert ids[:2] == ["LMB001", "LMB002"]
    elif shell == "fish":
        assert ids[0].startswith("LMB001\tLambda memory must be between")
    else:
        assert '"LMB001":"Lambda memory must be between' in "\n".join(ids)
    formats = "\n".join(_complete(shell, "slscheck validate --format "))
    assert all(f in formats for f in ("sarif", "junit", "github")) and ".yaml" not in formats
    tiers = "\n".join(_complete(shell, "slscheck cost a.yaml --free-tier "))
    assert all(t in tiers for t in ("none", "always", "all"))


def test_limits_reads_the_configuration_like_validate(
    tmp_path: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from .conftest import spec_yaml

    folder = Path(str(tmp_path))
    api = {"api": {"type": "api_gateway", "api": "http", "connects": ["fn"]}, "fn": {"type": "lambda"}}
    (folder / "spec.yaml").write_text(spec_yaml(api, workload={"rps": 2000}), encoding="utf-8")  # rows at warn
    assert run_cli(capsys, monkeypatch, folder, "limits", "spec.yaml")[0] == 0
    (folder / ".slscheck.yaml").write_text("fail_on: warning\n", encoding="utf-8")
    assert run_cli(capsys, monkeypatch, folder, "limits", "spec.yaml")[0] == 1
    assert run_cli(capsys, monkeypatch, folder, "limits", "spec.yaml", "--no-config")[0] == 0
    assert run_cli(capsys, monkeypatch, folder, "limits", "spec.yaml", "--fail-on", "error")[0] == 0
