"""`--format junit`: JUnit XML that CI systems (GitLab, Jenkins, Azure, CircleCI) show as tests.

One <testsuite> per spec file; in it one <testcase> per rule and service the rule applies to:
passing when the rule found nothing there, a <failure> naming every finding with its
file:line:col, rule id and fix, <skipped> when every finding there was suppressed (with the
reason). Engine findings (quotas, suppressions) are test cases only where they fired. A file
that could not be checked is a suite with one <error>. One XML document, always, with no
timestamps or host names, so the output is the same on every run.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from sls_check.model import Finding
from sls_check.reporters.common import relative_path, rule_table
from sls_check.reporters.escape import xml_text
from sls_check.results import FileResult, ValidationReport
from sls_check.rules_engine.packs import Rule

Key = tuple[str, str]  # (service, rule id)


clean = xml_text  # the one escaper per format lives in reporters/escape.py


def _cases(result: FileResult, rules: dict[str, Rule]) -> dict[Key, tuple[str, list[Finding], list[Finding]]]:
    """(service, rule) -> (rule name, findings, suppressed) for every applicable rule and every finding."""
    cases: dict[Key, tuple[str, list[Finding], list[Finding]]] = {}
    graph = result.graph
    if graph is not None:
        for sid, svc in graph.services.items():
            for rule in rules.values():
                if not rule.engine and rule.applies(svc):
                    cases[(sid, rule.id)] = (rule.name, [], [])
    for f in result.findings:
        cases.setdefault((f.service, f.rule_id), (f.rule_name, [], []))[1].append(f)
    for f in result.suppressed:
        cases.setdefault((f.service, f.rule_id), (f.rule_name, [], []))[2].append(f)
    return cases


def _line(f: Finding) -> str:
    loc = f"{relative_path(f.location.file)}:{f.location.line}:{f.location.column}"
    text = f"{loc}: {f.severity.label} {f.rule_id} {f.rule_name}: {f.message}"
    if f.fix:
        text += f"\n  fix: {f.fix}"
    if f.docs:
        text += f"\n  docs: {f.docs}"
    return text


def _suite(result: FileResult, rules: dict[str, Rule]) -> ET.Element:
    file = relative_path(result.file)
    package = file.replace(".", "_")  # Jenkins reads classname as package.Class: one package per file
    suite = ET.Element("testsuite", name=clean(file), file=clean(file))
    counts: defaultdict[str, int] = defaultdict(int)
    for (sid, rule_id), (name, found, hidden) in sorted(_cases(result, rules).items()):
        case = ET.SubElement(
            suite,
            "testcase",
            name=clean(f"{rule_id} {name} [{sid or 'spec'}]"),
            classname=clean(f"{package}.{sid or 'spec'}"),
            file=clean(file),
        )
        counts["tests"] += 1
        if found:
            first = found[0]
            case.set("line", str(first.location.line))
            message = first.message if len(found) == 1 else f"{len(found)} findings; first: {first.message}"
            failure = ET.SubElement(case, "failure", message=clean(f"{rule_id}: {message}"), type=first.severity.label)
            failure.text = clean("\n".join(_line(f) for f in found))
            counts["failures"] += 1
        elif hidden:
            reasons = "; ".join(sorted({f.suppressed_by or "" for f in hidden}))
            ET.SubElement(case, "skipped", message=clean(f"suppressed: {reasons}"))
            counts["skipped"] += 1
    for key in ("tests", "failures", "errors", "skipped"):
        suite.set(key, str(counts[key]))
    return suite


def _problem_suite(file: str, messages: list[str]) -> ET.Element:
    rel = relative_path(file)
    suite = ET.Element("testsuite", name=clean(rel), file=clean(rel), tests="1", failures="0", errors="1", skipped="0")
    case = ET.SubElement(
        suite,
        "testcase",
        name="input can be checked",
        classname=clean(f"{rel.replace('.', '_')}.spec"),
        file=clean(rel),
    )
    error = ET.SubElement(case, "error", message=clean(messages[0]), type="input-problem")
    error.text = clean("\n".join(messages))
    return suite


def render(report: ValidationReport) -> str:
    rules = rule_table(report)
    root = ET.Element("testsuites", name="slscheck")
    for result in report.results:
        root.append(_suite(result, rules))
    by_file: dict[str, list[str]] = defaultdict(list)
    for p in report.problems:
        by_file[p.location.file].append(str(p))
    for file in sorted(by_file):
        root.append(_problem_suite(file, by_file[file]))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
