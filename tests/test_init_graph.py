"""`slscheck init` (starter spec: modeline, validates, never overwrites) and `slscheck graph` (Mermaid, DOT)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sls_check.api import validate
from sls_check.commands.init import target_and_name
from sls_check.reporters import diagram

from .conftest import ROOT, SAMPLES, TODAY, graph_of, run_cli, spec_yaml

cli = run_cli


# ---- init -------------------------------------------------------------------------------------


def test_init_writes_a_starter_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "My Shop"
    project.mkdir()
    code, out, _ = cli(capsys, monkeypatch, project, "init")
    assert code == 0 and "arch.yaml" in out
    text = (project / "arch.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./arch.schema.json"
    assert (project / "arch.schema.json").is_file()  # the schema the modeline names, kept by the project
    assert re.search(r"^name: my-shop$", text, re.MULTILINE)
    assert "@" not in text.replace("@example", "")  # every placeholder filled
    code, out, err = cli(capsys, monkeypatch, project, "validate", "arch.yaml", "--fail-on", "info", "-f", "json")
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []


def test_init_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shop.arch.yaml").write_text("mine\n", encoding="utf-8")
    code, out, err = cli(capsys, monkeypatch, tmp_path, "init", "shop")
    assert code == 2 and out == ""
    assert err.strip() == (
        "shop.arch.yaml:1:1: already exists; slscheck init does not overwrite (choose another NAME or remove the file)"
    )
    assert (tmp_path / "shop.arch.yaml").read_text(encoding="utf-8") == "mine\n"


def test_init_names_region_and_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = cli(
        capsys,
        monkeypatch,
        tmp_path,
        "init",
        "infra/arch.yml",
        "--region",
        "eu-west-1",
        "--schema",
        "schemas/arch.schema.json",  # relative to the working directory; the modeline, to the spec
    )
    assert code == 0
    text = (tmp_path / "infra" / "arch.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/arch.schema.json\n")
    assert "name: infra\n" in text and re.search(r"^region: eu-west-1 ", text, re.MULTILINE)
    code, _, err = cli(capsys, monkeypatch, tmp_path, "init", "x", "--region", "mars-1")
    assert code == 2 and "--region" in err and not (tmp_path / "x.arch.yaml").exists()
    assert target_and_name("shop", tmp_path) == (Path("shop.arch.yaml"), "shop")
    assert target_and_name("a/orders.arch.yaml", tmp_path) == (Path("a/orders.arch.yaml"), "orders")


def test_starter_is_found_by_the_pre_commit_hook(tmp_path: Path) -> None:
    from sls_check.commands.init import render
    from sls_check.discovery import expand

    (tmp_path / "any-name.yml").write_text(render("shop", "any-name.yml"), encoding="utf-8")
    assert expand([tmp_path / "any-name.yml"], skip_unrecognized=True)[0] == [tmp_path / "any-name.yml"]


# ---- graph ------------------------------------------------------------------------------------


def test_mermaid_has_every_service_edge_and_traffic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = validate([Path("samples/web-api.yaml")], today=TODAY)
    graph = report.results[0].graph
    text = diagram.mermaid(graph)
    assert text.startswith("flowchart LR\n")
    for sid in graph.services:
        assert re.search(rf'^    s_{sid}\["{sid}<br/>', text, re.MULTILINE)
    # 50 rps enter the API; 70 % go to list_orders, which reads 3 items each
    assert '    s_api -->|"35 rps"| s_list_orders' in text
    assert '    s_api -->|"15 rps"| s_create_order' in text
    assert '    s_list_orders -->|"105 reads/s"| s_orders' in text
    assert '    s_create_order -->|"30 reads/s · 15 writes/s"| s_orders' in text
    assert '    s_api -.->|"certificate"| s_api_cert' in text


def test_services_with_findings_are_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = validate([Path("samples/broken/rds-proxy-no-vpc.yaml")], today=TODAY)
    result = report.results[0]
    text = diagram.mermaid(result.graph, result.findings)
    assert '    s_fn["fn<br/>lambda<br/>⚠ 1 finding (error)"]' in text
    assert "    class s_fn error" in text
    dot = diagram.dot(result.graph, result.findings)
    assert '"fn" [label="fn\\nlambda\\n1 finding (error)", color="#c00000"' in dot


def test_hostile_ids_cannot_break_mermaid() -> None:
    graph = graph_of(
        spec_yaml(
            {
                "end": {"type": "sqs", "connects": ["graph"]},
                "graph": {"type": "lambda", "runtime": "python3.12"},
                "a-b": {"type": "sqs"},
                "a_b": {"type": "sqs"},
            }
        )
    )
    text = diagram.mermaid(graph)
    ids = re.findall(r"^    (\S+)\[", text, re.MULTILINE)
    assert ids == ["s_end", "s_graph", "s_a_b", "s_a_b_2"]
    assert diagram._mermaid_text('say "hi" #1 <b>') == "say #quot;hi#quot; #35;1 #lt;b#gt;"
    assert diagram._dot_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "markdown"])
def test_graph_command(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "g.txt"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sls_check",
            "graph",
            "samples/event-pipeline.yaml",
            "--format",
            fmt,
            "-o",
            str(out),
            "--no-config",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    first = {"mermaid": "flowchart LR", "dot": 'digraph "', "markdown": "```mermaid"}[fmt]
    assert text.startswith(first)


def test_graph_of_a_broken_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "arch.yaml"
    bad.write_text("slscheck: 1\nname: x\nregion: us-east-1\nservices:\n  a: {type: lambda, connects: [nope]}\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "sls_check", "graph", "arch.yaml", "--no-config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 2 and proc.stderr.startswith("arch.yaml:5:") and "Traceback" not in proc.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_dot_output_is_valid_graphviz(tmp_path: Path) -> None:
    for spec in sorted(SAMPLES.glob("*.yaml")):
        report = validate([spec], today=TODAY)
        text = diagram.dot(report.results[0].graph, report.results[0].findings)
        proc = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=False)
        assert proc.returncode == 0 and "<svg" in proc.stdout, (spec.name, proc.stderr)


# ---- shell completion (typer's --install-completion; docs/ci.md) -------------------------------


def _as_slscheck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.argv[0] = 'slscheck'; from sls_check.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_shell_completion_script_and_answers() -> None:
    # Without a shell among the parent processes (a background job, some CI runners) typer cannot detect
    # one; this variable makes --show-completion take the shell as its value instead.
    script = _as_slscheck("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and "_slscheck_completion" in script.stdout
    words = _as_slscheck(env={"_SLSCHECK_COMPLETE": "complete_bash", "COMP_WORDS": "slscheck gr", "COMP_CWORD": "1"})
    assert words.stdout.split() == ["graph"]
    options = _as_slscheck(
        env={"_SLSCHECK_COMPLETE": "complete_bash", "COMP_WORDS": "slscheck diff --fail", "COMP_CWORD": "2"}
    )
    assert options.stdout.split() == ["--fail-on"]
