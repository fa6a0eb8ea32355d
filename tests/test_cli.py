"""The command line as users run it: exit codes, outputs, and no traceback on any input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES, run_cli

BROKEN = sorted((SAMPLES / "broken").glob("*.yaml"))
GOLDEN = Path(__file__).parent / "golden"


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, monkeypatch, ROOT, *args)


def expected_rules(path: Path) -> set[str]:
    """The rule ids a broken sample's header comment names (`# LMB001: ...`)."""
    header = "".join(line for line in path.read_text().splitlines(keepends=True) if line.startswith("#"))
    return set(re.findall(r"\b([A-Z]{2,5}\d{3})\b", header))


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_sample_validates(capsys, monkeypatch, path: Path) -> None:
    code, out, err = cli(capsys, monkeypatch, "validate", str(path.relative_to(ROOT)), "--format", "json")
    assert code == 0, out + err
    assert json.loads(out)["summary"]["errors"] == 0


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_every_broken_sample_triggers_its_rule(capsys, monkeypatch, path: Path) -> None:
    code, out, err = cli(capsys, monkeypatch, "validate", str(path.relative_to(ROOT)), "--format", "json")
    assert code == 1, out + err
    found = {f["rule_id"] for f in json.loads(out)["findings"]}
    assert expected_rules(path) <= found


def test_golden_json(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "validate", "samples/broken/rds-proxy-other-vpc.yaml", "-f", "json")
    assert code == 1
    assert json.loads(out) == json.loads((GOLDEN / "validate-rds-proxy-other-vpc.json").read_text())


def test_text_output_is_plain_when_not_a_terminal(capsys, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = cli(capsys, monkeypatch, "validate", "samples/broken/lambda-memory.yaml")
    assert code == 1
    assert "\x1b[" not in out
    assert (
        "samples/broken/lambda-memory.yaml:10:16: error LMB001 lambda-memory-range: "
        "memory_mb is 20,480 MB; Lambda allows 128 to 10,240 MB"
    ) in out
    assert "fix: Set memory_mb between 128 and 10,240." in out
    assert "docs: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html" in out
    assert out.rstrip().endswith("1 error, 0 warnings, 0 info in 1 file")


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_levels(capsys, monkeypatch, tmp_path, fail_on: str, code: int) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text(
        "slscheck: 1\nname: t\nregion: us-east-1\nservices:\n"
        "  fn: {type: lambda, suppress: [{rule: LMB001, reason: nothing to hide}]}\n"
    )
    got, out, _ = cli(capsys, monkeypatch, "validate", str(spec), "--fail-on", fail_on)
    assert got == code, out
    assert "SUP003" in out


def test_fail_on_never_with_errors(capsys, monkeypatch) -> None:
    assert cli(capsys, monkeypatch, "validate", "samples/broken/lambda-memory.yaml", "--fail-on", "never")[0] == 0


@pytest.mark.parametrize(
    "content",
    [
        b"slscheck: 1\nname: [\n",
        b"slscheck: 1\nslscheck: 1\n",
        b"\x00\x01\x02",
        b"",
        b"- a\n",
        b"a: !!python/object/apply:os.system [ls]\n",
        b"slscheck: 1\nname: t\nregion: us-east-1\nservices:\n  f: {type: lambda, connects: [g]}\n",
        b"slscheck: 1\nname: t\nregion: us-east-1\nservices:\n  f: {type: lambda, memory_mb: {a: 1}}\n",
    ],
)
def test_bad_input_exits_2_with_one_line_problems(capsys, monkeypatch, tmp_path, content: bytes) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_bytes(content)
    code, out, err = cli(capsys, monkeypatch, "validate", str(spec), "-f", "json")
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines and all(re.match(r".+bad\.yaml:\d+:\d+: \S", line) for line in lines), err
    assert json.loads(out)["problems"]  # the JSON document is still whole


def test_several_files_one_bad(capsys, monkeypatch, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("nope: [\n")
    code, out, err = cli(capsys, monkeypatch, "validate", "samples/broken/lambda-memory.yaml", str(bad), "-f", "json")
    assert code == 2
    doc = json.loads(out)
    assert [f["rule_id"] for f in doc["findings"]] == ["LMB001"]
    assert doc["summary"]["input_problems"] == 1 and "bad.yaml" in err


def test_missing_file(capsys, monkeypatch) -> None:
    code, _, err = cli(capsys, monkeypatch, "validate", "no/such.yaml")
    assert code == 2 and err.startswith("no/such.yaml:1:1: cannot read")


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", "samples/web-api.yaml", "--fail-on", "sometimes"),
        ("validate", "samples/web-api.yaml", "--format", "xml"),
        ("validate", "samples/web-api.yaml", "--rps", "lots"),
        ("validate", "samples/web-api.yaml", "--rps", "-5"),
        ("nosuchcommand",),
        ("explain", "NOPE001"),
    ],
)
def test_usage_errors_exit_2(capsys, monkeypatch, args: tuple[str, ...]) -> None:
    code, _, err = cli(capsys, monkeypatch, *args)
    assert code == 2 and "Traceback" not in err


def test_output_file_is_written_whole(capsys, monkeypatch, tmp_path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = cli(
        capsys, monkeypatch, "validate", "samples/broken/lambda-memory.yaml", "-f", "json", "-o", str(target)
    )
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_rps_option_adds_limit_findings(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "validate", "samples/web-api.yaml", "-f", "json", "--rps", "1000000")
    assert code == 1
    assert any(f["rule_id"].startswith("LIM") for f in json.loads(out)["findings"])


def test_rules_lists_every_rule(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "rules", "--format", "json")
    rules = json.loads(out)["rules"]
    assert code == 0 and {"LMB001", "DAT002", "APG001", "DDB001", "SUP001"} <= {r["id"] for r in rules}


def test_explain_prints_everything(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "explain", "dat002")
    assert code == 0
    for part in (
        "DAT002 rds-proxy-lambda-same-vpc",
        "AWS documentation: https://docs.aws.amazon.com/",
        "Fix:",
        "Triggers it:",
        "Does not:",
        "type: rds_proxy",
    ):
        assert part in out


def test_explain_unknown_suggests(capsys, monkeypatch) -> None:
    code, _, err = cli(capsys, monkeypatch, "explain", "lambda-memory-rang")
    assert code == 2 and "did you mean lambda-memory-range" in err


def test_schema_command(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "schema")
    assert code == 0 and json.loads(out)["$schema"].startswith("https://json-schema.org/draft/2020-12")


def test_version(capsys, monkeypatch) -> None:
    from sls_check import __version__

    assert cli(capsys, monkeypatch, "--version")[1].strip() == f"slscheck {__version__}"


def test_python_dash_m() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", "samples/web-api.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 errors" in proc.stdout


@pytest.mark.parametrize("command", ["validate", "cost", "limits"])
def test_output_never_replaces_the_spec(capsys, monkeypatch, tmp_path, command: str) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text((SAMPLES / "web-api.yaml").read_text())
    before = spec.read_text()
    code, _, err = cli(capsys, monkeypatch, command, str(spec), "-o", str(spec))
    assert code == 2 and "one of the input files" in err
    assert spec.read_text() == before


def test_every_listed_command_is_registered() -> None:
    """A command module missing from the build fails at import, never silently drops out of the CLI."""
    from sls_check.cli import COMMANDS, app

    names = [c.name or "" for c in app.registered_commands] + [g.name or "" for g in app.registered_groups]
    assert sorted(names) == sorted(COMMANDS)
