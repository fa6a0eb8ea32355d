"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

What code scanning needs and other checkers have got wrong:
- artifactLocation.uri is a relative URI reference with forward slashes, percent-encoded,
  and the same across runs (no absolute checkout paths, no uriBaseId code scanning ignores);
- every rule in tool.driver.rules has an absolute helpUri; results point at them by ruleIndex;
- partialFingerprints identify a finding by rule, file, service and its rank among equal ones,
  not by line or message, so an alert survives edits above it and a changed number in the message;
- suppressed findings stay in the log with a `suppressions` entry (and their justification),
  so a viewer can tell "suppressed with a reason" from "never found";
- input problems (files that could not be checked) are tool execution notifications, and the
  invocation is marked unsuccessful.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sls_check import REPOSITORY, __version__
from sls_check.model import Finding, Severity
from sls_check.reporters.common import all_findings, readable, relative_path, repository_root, rule_table, uri_reference
from sls_check.results import ValidationReport
from sls_check.rules_engine.packs import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = REPOSITORY
FINGERPRINT = "slscheck/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _descriptor(rule_id: str, rule: Rule | None, sample: Finding, limits: dict[str, Any]) -> dict[str, Any]:
    if rule is None:  # a finding whose rule is not in the packs (e.g. a quota check): its own metadata
        return {
            "id": rule_id,
            "name": sample.rule_name,
            "shortDescription": {"text": sample.rule_name.replace("-", " ")},
            "helpUri": sample.docs or INFORMATION_URI,
            "help": {"text": sample.fix or sample.rule_name},
            "defaultConfiguration": {"level": LEVEL[sample.severity]},
        }
    fix = readable(rule.fix, limits)  # as `explain` shows it: <service>, limits by their value
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale or rule.summary},
        "helpUri": rule.docs or INFORMATION_URI,
        "help": {
            "text": f"{rule.summary}\n\n{rule.rationale}\n\nFix: {fix}\n\nDocs: {rule.docs}",
            "markdown": f"**{rule.summary}**\n\n{rule.rationale}\n\n**Fix:** {fix}\n\n[AWS documentation]({rule.docs})",
        },
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["slscheck", rule.pack], "pack": rule.pack},
    }


def _uri(file: str, root: Path) -> str:
    """A file named relative to the working directory, as a URI relative to the repository root."""
    if file.startswith("<"):  # <stdin>, <command line>
        return uri_reference(file, Path.cwd())
    return uri_reference(os.path.join(Path.cwd(), file), root)


def fingerprint(finding: Finding, uri: str, rank: int) -> str:
    key = "\0".join((finding.rule_id, uri, finding.service, str(rank)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def document(report: ValidationReport) -> dict[str, Any]:
    rules = rule_table(report)
    findings = all_findings(report)
    used = sorted({f.rule_id for f in findings})
    samples = {f.rule_id: f for f in reversed(findings)}
    limits = report.ruleset.limits if report.ruleset is not None else {}
    root = repository_root()
    descriptors = [_descriptor(rid, rules.get(rid), samples[rid], limits) for rid in used]
    index = {rid: i for i, rid in enumerate(used)}

    results: list[dict[str, Any]] = []
    ranks: dict[tuple[str, str, str], int] = {}
    for f in findings:
        uri = _uri(f.location.file, root)
        key = (f.rule_id, uri, f.service)
        rank = ranks.get(key, 0)
        ranks[key] = rank + 1
        text = f.message if not f.fix else f"{f.message}\nFix: {f.fix}"
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": LEVEL[f.severity],
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": max(f.location.line, 1), "startColumn": max(f.location.column, 1)},
                    },
                    **({"logicalLocations": [{"name": f.service, "kind": "resource"}]} if f.service else {}),
                }
            ],
            "partialFingerprints": {FINGERPRINT: fingerprint(f, uri, rank)},
            "properties": {"service": f.service, "severity": f.severity.label},
        }
        if f.suppressed_by is not None:
            result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": f.suppressed_by}]
        results.append(result)

    notifications = [
        {
            "level": "error",
            "message": {"text": p.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(p.location.file, root)},
                        "region": {"startLine": max(p.location.line, 1), "startColumn": max(p.location.column, 1)},
                    }
                }
            ],
            "descriptor": {"id": "input-problem"},
        }
        for p in report.problems
    ]

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "slscheck",
                "semanticVersion": __version__,
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not report.problems,
                "toolExecutionNotifications": notifications,
            }
        ],
        "artifacts": [
            {"location": {"uri": uri}}
            for uri in sorted(
                {_uri(r.file, root) for r in report.results} | {_uri(p.location.file, root) for p in report.problems}
            )
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"summary": report.summary()},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: ValidationReport) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


__all__ = ["document", "fingerprint", "relative_path", "render"]
