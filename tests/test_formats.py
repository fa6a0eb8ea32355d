"""The CI formats of `validate`: SARIF (against the official schema), JUnit, GitHub annotations, Markdown.

Golden files (tests/golden/formats/) pin the exact output of a fixed report whose messages carry
every character that has broken another checker's output: `%`, CR/LF, `,` and `:` in paths and
messages, `|` and `<` in Markdown, a path with a space. Regenerate them after an intended change
with `SLSCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_formats.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from sls_check import __version__
from sls_check.api import FileResult, ValidationReport, validate
from sls_check.model import Finding, Location, Problem, Severity
from sls_check.reporters import FORMATS, reporter
from sls_check.reporters import github as gh
from sls_check.reporters.common import relative_path, uri_reference
from sls_check.rules_engine.packs import Rule, RuleSet

from .conftest import ROOT, SAMPLES, TODAY, graph_of, needs_shared, spec_yaml

GOLDEN = Path(__file__).parent / "golden" / "formats"
UPDATE = bool(os.environ.get("SLSCHECK_UPDATE_GOLDEN"))


def _rule(rid: str, name: str, severity: Severity, applies: tuple[str, ...] | None = ("lambda",)) -> Rule:
    return Rule(
        id=rid,
        name=name,
        severity=severity,
        summary=f"Summary of {name}.",
        rationale=f"Why {name}.",
        docs=f"https://docs.aws.amazon.com/lambda/latest/dg/{name}.html",
        checked="2026-11-26",
        message="{service} message",
        fix="fix it",
        pack="lambda",
        location=Location("rules/x.yaml", 1, 1),
        applies_to=applies,
        engine=rid.startswith("SUP"),
    )


RULES = RuleSet(
    [
        _rule("LMB001", "lambda-memory-range", Severity.ERROR),
        _rule("LMB004", "lambda-environment-size", Severity.ERROR),
        _rule("LMB009", "lambda-odd-one", Severity.INFO),
        _rule("SUP003", "suppression-unused", Severity.WARNING, None),
    ],
    {},
)


def _finding(
    rid: str,
    name: str,
    sev: Severity,
    service: str,
    message: str,
    file: str,
    line: int,
    col: int,
    suppressed_by: str | None = None,
) -> Finding:
    return Finding(
        rid,
        name,
        sev,
        service,
        message,
        "Move large values to SSM; see a|b <x>",
        f"https://docs.aws.amazon.com/lambda/latest/dg/{name}.html",
        Location(file, line, col),
        suppressed_by,
    )


def fixed_report() -> ValidationReport:
    """A report as the pipeline makes it, with hostile characters, a suppression and an input problem."""
    graph = graph_of(
        spec_yaml(
            {
                "fn": {"type": "lambda", "runtime": "python3.12"},
                "other": {"type": "lambda", "runtime": "python3.12"},
                "queue": {"type": "sqs"},
            }
        )
    )
    odd = "specs/odd, name: v1.yaml"
    findings = [
        _finding(
            "LMB004",
            "lambda-environment-size",
            Severity.ERROR,
            "fn",
            "environment takes 5,880 bytes (100% of 4,096)\nline two\r| pipe <b>",
            "specs/shop.yaml",
            11,
            7,
        ),
        _finding("LMB004", "lambda-environment-size", Severity.ERROR, "fn", "second one", "specs/shop.yaml", 14, 7),
        _finding("LMB009", "lambda-odd-one", Severity.INFO, "other", "note: odd", "specs/shop.yaml", 20, 3),
        _finding(
            "SUP003",
            "suppression-unused",
            Severity.WARNING,
            "other",
            "suppression of LMB001 matches nothing",
            "specs/shop.yaml",
            30,
            9,
        ),
    ]
    suppressed = [
        _finding(
            "LMB001",
            "lambda-memory-range",
            Severity.ERROR,
            "other",
            "memory 64 MB",
            "specs/shop.yaml",
            22,
            5,
            suppressed_by="load test only, see #12",
        )
    ]
    report = ValidationReport(ruleset=RULES)
    report.results.append(FileResult("specs/shop.yaml", findings, suppressed, graph=graph))
    report.results.append(
        FileResult(
            odd,
            [_finding("LMB001", "lambda-memory-range", Severity.WARNING, "fn", "50% over", odd, 3, 1)],
            [],
            graph=None,
        )
    )
    report.problems.append(Problem(Location("specs/broken.yaml", 4, 2), "unknown key 'memroy'; did you mean 'memory'?"))
    return report


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} missing: run with SLSCHECK_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("sarif", "report.sarif"),
        ("junit", "report.junit.xml"),
        ("github", "report.github.txt"),
        ("markdown", "report.md"),
    ],
)
def test_golden(fmt: str, golden: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = reporter(fmt).render(fixed_report())
    text = text.replace(f'"{__version__}"', '"VERSION"')
    _golden(golden, text)


def test_every_format_is_deterministic() -> None:
    """Two interpreters with different hash seeds (set and dict order of strings differ between
    them) render the same bytes: rendering twice in one process could never catch that."""
    code = (
        "import sys\n"
        "from tests.test_formats import fixed_report\n"
        "from sls_check.reporters import reporter\n"
        "for fmt in ('json', 'sarif', 'junit', 'github', 'markdown'):\n"
        "    sys.stdout.write(reporter(fmt).render(fixed_report()))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "SLSCHECK_NO_CACHE": "1"}
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0]


# ---- SARIF ------------------------------------------------------------------------------------


def _real_report() -> ValidationReport:
    broken = sorted((SAMPLES / "broken").glob("*.yaml"))
    return validate([p.relative_to(ROOT) for p in broken] + [Path("samples/web-api.yaml")], today=TODAY)


def _check_uris(doc: dict) -> None:
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        parts = urlsplit(rule["helpUri"])
        assert parts.scheme == "https" and parts.netloc and " " not in rule["helpUri"], rule["helpUri"]
    for result in doc["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not urlsplit(uri).scheme and " " not in uri and "\\" not in uri and not uri.startswith("/"), uri


def test_sarif_validates_against_the_official_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    schema = json.loads(needs_shared("schemas/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    for report in (_real_report(), fixed_report(), ValidationReport()):
        doc = json.loads(reporter("sarif").render(report))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
        _check_uris(doc)


def test_sarif_results_point_at_their_rules_and_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = _real_report()
    doc = json.loads(reporter("sarif").render(report))
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(report.findings) + len(report.suppressed) > 10
    by_key = {(f.rule_id, f.location.file, f.location.line, f.location.column): f for f in report.findings}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        key = (
            result["ruleId"],
            loc["artifactLocation"]["uri"],
            loc["region"]["startLine"],
            loc["region"]["startColumn"],
        )
        f = by_key[key]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity.label]
        assert result["message"]["text"].startswith(f.message)
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_survive_moved_lines_and_changed_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def spec(keys: int) -> str:
        return spec_yaml(
            {
                "small": {"type": "lambda", "runtime": "python3.12", "memory_mb": 64},
                "big": {"type": "lambda", "runtime": "python3.12", "env": {f"K{i}": "x" * 100 for i in range(keys)}},
            }
        )

    Path("arch.yaml").write_text(spec(60), encoding="utf-8")
    first = json.loads(reporter("sarif").render(validate([Path("arch.yaml")], today=TODAY)))["runs"][0]["results"]
    # two comment lines on top (every line moves) and fewer variables (a different number in the message)
    Path("arch.yaml").write_text("# moved\n# again\n" + spec(50), encoding="utf-8")
    second = json.loads(reporter("sarif").render(validate([Path("arch.yaml")], today=TODAY)))["runs"][0]["results"]
    assert [r["ruleId"] for r in first] == [r["ruleId"] for r in second] == ["LMB001", "LMB004"]
    assert first[1]["message"]["text"] != second[1]["message"]["text"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in first] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in second
    ]
    assert len({r["partialFingerprints"]["slscheck/v1"] for r in first}) == len(first)


def test_sarif_keeps_suppressed_findings_with_their_justification(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    results = json.loads(reporter("sarif").render(fixed_report()))["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["suppressions"][0]["justification"] for r in suppressed] == ["load test only, see #12"]


def test_sarif_reports_input_problems_as_failed_invocation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = json.loads(reporter("sarif").render(fixed_report()))["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 2}


def test_uris_are_relative_and_encoded(tmp_path: Path) -> None:
    assert uri_reference("./specs/a.yaml", tmp_path) == "specs/a.yaml"
    assert uri_reference(str(tmp_path / "specs" / "my spec.yaml"), tmp_path) == "specs/my%20spec.yaml"
    assert uri_reference("c:d.yaml", tmp_path) == "c%3Ad.yaml"
    assert uri_reference("/elsewhere/a.yaml", tmp_path).startswith("file:///elsewhere/")
    assert relative_path("specs/../specs/a.yaml", tmp_path) == "specs/a.yaml"


# ---- GitHub annotations -----------------------------------------------------------------------


def test_github_escaping_follows_the_runner() -> None:
    assert gh.escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert gh.escape_property("a,b: c%") == "a%2Cb%3A c%25"
    # % first: an escape in the input is not unescaped by the runner into something else
    assert gh.escape_data("%0A") == "%250A"
    line = gh.command("error", "two\nlines", file="a,b.yaml", line=3, col=4, title="T: x")
    assert line == "::error file=a%2Cb.yaml,line=3,col=4,title=T%3A x::two%0Alines"


def test_github_one_line_per_finding_and_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = fixed_report()
    lines = reporter("github").render(report).splitlines()
    assert len(lines) == len(report.findings) + len(report.problems) + 1  # + the summary notice
    assert all(re.match(r"^::(error|warning|notice) ", line) or line.startswith("::notice::") for line in lines)
    assert lines[0].startswith("::error file=specs/broken.yaml,line=4,col=2,")
    assert any(line.startswith("::notice file=specs/shop.yaml,line=20,col=3,title=LMB009") for line in lines)
    assert not any("load test only" in line for line in lines)  # suppressed: no annotation


# ---- JUnit ------------------------------------------------------------------------------------


def test_junit_case_per_rule_and_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    root = ET.fromstring(reporter("junit").render(fixed_report()))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    shop = suites["specs/shop.yaml"]
    names = sorted(c.get("name") for c in shop.findall("testcase"))
    # 3 lambda rules x 2 lambda services; the queue gets none; SUP003 only where it fired
    assert names == sorted(
        [
            f"{r} [{s}]"
            for r in ("LMB001 lambda-memory-range", "LMB004 lambda-environment-size", "LMB009 lambda-odd-one")
            for s in ("fn", "other")
        ]
        + ["SUP003 suppression-unused [other]"]
    )
    cases = {c.get("name"): c for c in shop.findall("testcase")}
    failure = cases["LMB004 lambda-environment-size [fn]"].find("failure")
    assert failure is not None and failure.get("message").startswith("LMB004: 2 findings")
    assert "specs/shop.yaml:11:7: error LMB004" in failure.text and "specs/shop.yaml:14:7" in failure.text
    skipped = cases["LMB001 lambda-memory-range [other]"].find("skipped")
    assert skipped is not None and "load test only" in skipped.get("message")
    assert cases["LMB001 lambda-memory-range [fn]"].find("failure") is None
    assert (shop.get("tests"), shop.get("failures"), shop.get("skipped")) == ("7", "3", "1")
    broken = suites["specs/broken.yaml"]
    assert broken.get("errors") == "1" and "memroy" in broken.find("testcase/error").get("message")
    assert root.get("tests") == str(sum(int(s.get("tests")) for s in suites.values()))


def test_junit_is_one_valid_document_for_real_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = _real_report()
    root = ET.fromstring(reporter("junit").render(report))
    failures = sum(int(s.get("failures")) for s in root.findall("testsuite"))
    assert failures == len({(f.location.file, f.service, f.rule_id) for f in report.findings}) > 0


# ---- Markdown ---------------------------------------------------------------------------------


def test_markdown_escapes_table_cells_and_folds_suppressed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = reporter("markdown").render(fixed_report())
    assert text.startswith("### ⛔ slscheck: 2 errors, 2 warnings, 1 info")
    row = next(line for line in text.splitlines() if "5,880 bytes" in line)
    assert row.count(" | ") == 4  # the message's own pipe is escaped: still five cells
    assert "\\| pipe &lt;b&gt;" in row and "line two" in row and "\n" not in row
    assert "<details><summary>1 suppressed</summary>" in text and "load test only" in text


def test_markdown_with_overview_shows_cost_and_headroom(monkeypatch: pytest.MonkeyPatch) -> None:
    from sls_check.overview import overview

    monkeypatch.chdir(ROOT)
    report = validate([Path("samples/event-pipeline.yaml")], today=TODAY)
    text = reporter("markdown").render(report, overview(report))
    assert "#### Monthly estimate" in text and "#### Quota headroom" in text
    assert "`samples/event-pipeline.yaml`" in text


def test_markdown_caps_the_findings_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from sls_check.reporters import markdown

    monkeypatch.chdir(ROOT)
    many = [
        _finding("LMB004", "lambda-environment-size", Severity.ERROR, f"fn{i}", "m", "a.yaml", i + 1, 1)
        for i in range(markdown.MAX_ROWS + 7)
    ]
    text = markdown.render(ValidationReport([FileResult("a.yaml", many)], ruleset=RULES))
    assert "… and 7 more" in text
    assert sum(1 for line in text.splitlines() if line.startswith("| 🔴 error")) == markdown.MAX_ROWS


# ---- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "markdown"])
def test_cli_formats_and_exit_codes(fmt: str, tmp_path: Path) -> None:
    assert fmt in FORMATS
    out = tmp_path / "report.out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sls_check",
            "validate",
            "samples/broken/lambda-env.yaml",
            "--format",
            fmt,
            "--output",
            str(out),
            "--no-config",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "LMB004" in out.read_text(encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", "samples/web-api.yaml", "--format", fmt, "--no-config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize(("fmt", "golden"), [("mermaid", "web-api.mmd"), ("dot", "web-api.dot")])
def test_golden_diagrams(fmt: str, golden: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sls_check.reporters import diagram

    monkeypatch.chdir(ROOT)
    result = validate([Path("samples/web-api.yaml")], today=TODAY).results[0]
    _golden(golden, diagram.RENDERERS[fmt](result.graph, result.findings))


def test_sarif_fingerprint_of_one_service_ignores_findings_on_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranks count equal findings per rule, file and service: a new LMB001 on `a` must not renumber `b`'s."""
    monkeypatch.chdir(tmp_path)
    fn = {"type": "lambda", "runtime": "python3.12", "memory_mb": 64}

    def fingerprints(services: dict[str, object]) -> dict[str, str]:
        Path("arch.yaml").write_text(spec_yaml(services), encoding="utf-8")
        results = json.loads(reporter("sarif").render(validate([Path("arch.yaml")], today=TODAY)))["runs"][0]
        return {
            r["locations"][0]["logicalLocations"][0]["name"]: r["partialFingerprints"]["slscheck/v1"]
            for r in results["results"]
            if r["ruleId"] == "LMB001"
        }

    before = fingerprints({"b": fn})
    after = fingerprints({"a": fn, "b": fn})
    assert set(after) == {"a", "b"} and after["b"] == before["b"]
