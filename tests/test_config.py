"""The configuration file: discovery, validation with positions, selection, severities, suppressions, precedence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sls_check.api import validate
from sls_check.config import Config, find_config, load_config, resolve, score
from sls_check.model import InputError, Severity
from sls_check.rules_engine.packs import load_rules

from .conftest import TODAY, run_cli, spec_yaml

# Two lambda functions: `small` breaks LMB001 (memory below 128 MB), `big` breaks LMB004 (environment > 4 KB).
SPEC = spec_yaml(
    {
        "small": {"type": "lambda", "runtime": "python3.12", "memory_mb": 64},
        "big": {"type": "lambda", "runtime": "python3.12", "env": {f"K{i}": "x" * 100 for i in range(60)}},
    }
)


cli = run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "arch.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def run_with(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    config_text: str,
    name: str = ".slscheck.yaml",
    files: tuple[str, ...] = ("specs/arch.yaml",),
):
    (project / name).write_text(config_text, encoding="utf-8")
    monkeypatch.chdir(project)
    config = load_config(project / name)
    return validate([Path(f) for f in files], today=TODAY, config=config)


def rule_ids(report) -> list[str]:
    return sorted(f.rule_id for f in report.findings)


# ---- discovery -------------------------------------------------------------------------------


def test_found_upwards_yaml_before_pyproject(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) is None or not str(find_config(deep)).startswith(str(tmp_path))
    (tmp_path / "pyproject.toml").write_text("[tool.slscheck]\nfail_on = 'warning'\n")
    assert find_config(deep) == (tmp_path / "pyproject.toml").resolve()
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.slscheck]: skipped
    assert find_config(deep) == (tmp_path / "pyproject.toml").resolve()
    (tmp_path / "a" / ".slscheck.yaml").write_text("fail_on: info\n")
    assert find_config(deep) == (tmp_path / "a" / ".slscheck.yaml").resolve()
    (tmp_path / "a" / "b" / "pyproject.toml").write_text("[tool.slscheck]\n")
    assert find_config(deep) == (deep / "pyproject.toml").resolve()


def test_empty_config_is_all_defaults(tmp_path: Path) -> None:
    (tmp_path / ".slscheck.yaml").write_text("# nothing yet\n\n")
    config = load_config(tmp_path / ".slscheck.yaml")
    assert config.select is None and config.ignore == [] and config.fail_on is None


def test_no_file_and_no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".slscheck.yaml").write_text("fail_on: info\n")
    assert resolve(use_file=False).fail_on is None
    assert resolve().fail_on == "info"
    with pytest.raises(InputError) as err:
        resolve(tmp_path / "missing.yaml")
    assert str(err.value) == "missing.yaml:1:1: configuration file not found"


# ---- validation with positions ---------------------------------------------------------------


def test_yaml_errors_have_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path(".slscheck.yaml").write_text("fail_on: warnings\nseverity:\n  LMB004: loud\nselct: [LMB]\n")
    with pytest.raises(InputError) as err:
        load_config(Path(".slscheck.yaml"))
    lines = str(err.value).splitlines()
    assert lines[0].startswith(".slscheck.yaml:1:10: fail_on: 'warnings' is not one of")
    assert "did you mean 'warning'" in lines[0]
    assert lines[1].startswith(".slscheck.yaml:3:11: severity.LMB004: 'loud'")
    assert lines[2].startswith(".slscheck.yaml:4:1: ") and "select" in lines[2]


def test_toml_errors_have_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.slscheck]\nselect = ["LMB"]\nfail_on = "loud"\n\n'
        '[tool.slscheck.pricing]\nfree_tier = "maybe"\n\n[[tool.slscheck.suppress]]\nrule = "LMB001"\n'
        'reason = "ok"\n\n[[tool.slscheck.suppress]]\nrule = "LMB004"\nuntil = "soon"\n'
    )
    with pytest.raises(InputError) as err:
        load_config(Path("pyproject.toml"))
    lines = str(err.value).splitlines()
    assert lines[0].startswith("pyproject.toml:6:11: fail_on: 'loud'")
    assert lines[1].startswith("pyproject.toml:9:13: pricing.free_tier")
    assert lines[2].startswith("pyproject.toml:17:9: suppress.1.until")


def test_toml_syntax_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text('[tool.slscheck]\nselect = ["LMB"\nfail_on = 1\n')
    with pytest.raises(InputError) as err:
        load_config(Path("pyproject.toml"))
    assert str(err.value).startswith("pyproject.toml:3:") and "TOML syntax error" in str(err.value)


def test_toml_dates_and_relative_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "pack.yaml").write_text("pack: team\nrules: []\n")
    Path("pyproject.toml").write_text(
        '[tool.slscheck]\nrules = ["team/pack.yaml"]\n'
        'suppress = [{rule = "LMB001", reason = "r", until = 2027-01-31}]\n'
    )
    config = load_config(Path("pyproject.toml"))
    assert config.rules == [tmp_path.resolve() / "team" / "pack.yaml"]
    assert config.suppress[0].until == "2027-01-31"
    Path("pyproject.toml").write_text('[tool.slscheck]\nrules = ["team/nope.yaml"]\n')
    with pytest.raises(InputError) as err:
        load_config(Path("pyproject.toml"))
    assert str(err.value).startswith("pyproject.toml:2:9: rule pack 'team/nope.yaml' not found")


def test_selectors_that_match_no_rule_are_input_errors(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError) as err:
        run_with(project, monkeypatch, "select: [LMB, lambda-memory-rang]\nseverity: {XYZ9: info}\n")
    lines = str(err.value).splitlines()
    assert lines[0] == (
        ".slscheck.yaml:1:15: select: 'lambda-memory-rang' matches no rule; did you mean 'lambda-memory-range'?"
    )
    assert lines[1].startswith(".slscheck.yaml:2:12: severity: 'XYZ9' matches no rule")


# ---- selection and severities ----------------------------------------------------------------


def test_longest_prefix_wins_and_names_beat_prefixes() -> None:
    rules = load_rules()
    config = Config(select=["LMB"], ignore=["LMB00", "lambda-environment-size"])
    on = config.enabled(rules)
    assert on("LMB010") is True or "LMB010" not in rules.by_id
    assert on("LMB001") is False  # LMB00 (5) beats LMB (3)
    assert on("LMB004") is False  # by name
    assert on("APG001") is False  # select given, not selected
    assert on("SUP003") is True  # suppression findings stay on unless ignored by name or prefix
    assert on("SLS000") is True
    config = Config(select=["LMB001", "lambda-environment-size"], ignore=["LMB00"])
    on = config.enabled(rules)
    assert on("LMB001") is True and on("LMB004") is True and on("LMB002") is False
    assert Config(select=["LMB00"], ignore=["lmb00"]).enabled(rules)("LMB001") is False  # tie: ignore wins
    assert Config(ignore=["SUP", "SLS"]).enabled(rules)("SLS000") is True
    assert Config(ignore=["SUP"]).enabled(rules)("SUP003") is False
    assert score("lmb", "LMB001", "x") == 3 and score("x", "LMB001", "x") > score("LMB001", "LMB001", "x")


def test_select_ignore_and_severity_in_a_run(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rule_ids(run_with(project, monkeypatch, "")) == ["LMB001", "LMB004"]
    assert rule_ids(run_with(project, monkeypatch, "ignore: [LMB004]\n")) == ["LMB001"]
    assert rule_ids(run_with(project, monkeypatch, "select: [lambda-environment-size]\n")) == ["LMB004"]
    report = run_with(project, monkeypatch, "severity: {LMB: info, LMB004: warning}\n")
    assert {f.rule_id: f.severity for f in report.findings} == {"LMB001": Severity.INFO, "LMB004": Severity.WARNING}


def test_spec_suppression_of_an_ignored_rule_is_not_unused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SPEC.replace(
        "    memory_mb: 64\n", "    memory_mb: 64\n    suppress:\n    - rule: LMB001\n      reason: tiny on purpose\n"
    )
    (project / "specs" / "arch.yaml").write_text(text, encoding="utf-8")
    assert rule_ids(run_with(project, monkeypatch, "")) == ["LMB004"]
    report = run_with(project, monkeypatch, "ignore: [LMB001]\n")
    assert rule_ids(report) == ["LMB004"]  # no SUP003: the rule is off, not the suppression dead


# ---- suppressions in the config --------------------------------------------------------------


CONFIG_SUPPRESS = """\
suppress:
  - {rule: LMB001, service: small, reason: "sized for a health check"}
  - {rule: lambda-environment-size, service: "b*", file: "specs/*.yaml", reason: "moved to SSM next sprint",
     until: 2099-01-01}
  - {rule: LMB002, service: small, reason: "no such finding"}
  - {rule: LMB003, reason: "expired", until: 2020-01-01}
  - {rule: LMB005}
  - {rule: LMX999, reason: "typo"}
"""


def test_config_suppressions_are_trustworthy(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = run_with(project, monkeypatch, CONFIG_SUPPRESS)
    assert sorted((f.rule_id, f.suppressed_by) for f in report.suppressed) == [
        ("LMB001", "sized for a health check"),
        ("LMB004", "moved to SSM next sprint"),
    ]
    meta = {f.rule_id: f for f in report.findings}
    assert sorted(meta) == ["SUP001", "SUP002", "SUP003", "SUP004"]
    assert str(meta["SUP003"].location) == ".slscheck.yaml:5:5" and "LMB002" in meta["SUP003"].message
    assert str(meta["SUP004"].location) == ".slscheck.yaml:6:46" and "2020-01-01" in meta["SUP004"].message
    assert str(meta["SUP001"].location) == ".slscheck.yaml:7:5"
    assert str(meta["SUP002"].location) == ".slscheck.yaml:8:12"
    summary = report.summary()
    assert summary["suppressed"] == 2 and summary["errors"] == 3 and summary["warnings"] == 1


def test_suppressions_counted_and_listed_in_json(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".slscheck.yaml").write_text(CONFIG_SUPPRESS.split("  - {rule: LMB002")[0], encoding="utf-8")
    code, out, err = cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml", "-f", "json")
    doc = json.loads(out)
    assert code == 0, out + err
    assert doc["summary"]["suppressed"] == 2 and doc["findings"] == []
    assert [s["suppressed_by"] for s in doc["suppressed"]] == ["sized for a health check", "moved to SSM next sprint"]


def test_suppression_scope_not_checked_is_not_unused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit passes only the changed specs: a suppression for another spec must not turn into SUP003."""
    (project / "specs" / "other.yaml").write_text(spec_yaml({"q": {"type": "sqs"}}), encoding="utf-8")
    text = (
        "suppress:\n  - {rule: LMB001, service: small, reason: r}\n"
        "  - {rule: LMB004, file: specs/arch.yaml, reason: r}\n"
    )
    report = run_with(project, monkeypatch, text, files=("specs/other.yaml",))
    assert report.findings == []
    # the file is checked but has no such service: a typo, reported
    text = "suppress:\n  - {rule: LMB001, service: smal, file: specs/arch.yaml, reason: r}\n"
    report = run_with(project, monkeypatch, text)
    assert [(f.rule_id, str(f.location)) for f in report.findings if f.rule_id.startswith("SUP")] == [
        ("SUP003", ".slscheck.yaml:2:29")
    ]  # at the service that is not there


# ---- precedence: defaults < file < command line ----------------------------------------------


def test_fail_on_precedence(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".slscheck.yaml").write_text("severity: {LMB: warning}\n")
    assert cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml")[0] == 0  # default: error
    (project / ".slscheck.yaml").write_text("severity: {LMB: warning}\nfail_on: warning\n")
    assert cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml")[0] == 1  # the file
    assert cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml", "--fail-on", "error")[0] == 0  # CLI
    assert cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml", "--fail-on", "never")[0] == 0
    assert cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml", "--no-config")[0] == 1  # errors again


def test_explicit_config_and_pyproject(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.slscheck]\nignore = ["LMB"]\n')
    code, out, _ = cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml", "-f", "json")
    assert code == 0 and json.loads(out)["findings"] == []
    (project / "strict.yaml").write_text("fail_on: info\n")
    code, out, _ = cli(
        capsys, monkeypatch, project, "validate", "specs/arch.yaml", "--config", "strict.yaml", "-f", "json"
    )
    assert code == 1 and len(json.loads(out)["findings"]) == 2
    code, _, err = cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml", "--config", "nope.yaml")
    assert code == 2 and err.strip() == "nope.yaml:1:1: configuration file not found"


def test_bad_config_exits_2_without_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".slscheck.yaml").write_text("fail_on: [1\n")
    code, _, err = cli(capsys, monkeypatch, project, "validate", "specs/arch.yaml")
    assert code == 2 and err.startswith(".slscheck.yaml:") and "Traceback" not in err


def test_pricing_settings_reach_the_markdown_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = spec_yaml(
        {
            "api": {"type": "api_gateway", "api": "http", "connects": ["fn"]},
            "fn": {"type": "lambda", "runtime": "python3.12", "memory_mb": 512, "duration_ms": 50},
        },
        workload={"rps": 1},
    )
    (tmp_path / "arch.yaml").write_text(spec, encoding="utf-8")

    def monthly() -> str:
        code, out, err = cli(capsys, monkeypatch, tmp_path, "validate", "arch.yaml", "-f", "markdown")
        assert code == 0, out + err
        return next(line for line in out.splitlines() if line.startswith("| `arch.yaml` | 1 rps |"))

    without = monthly()
    (tmp_path / ".slscheck.yaml").write_text("pricing: {free_tier: always}\n")
    with_free = monthly()
    assert without != with_free  # the always-free Lambda allowance lowers the estimate
    assert "$" in with_free and "$" in without
