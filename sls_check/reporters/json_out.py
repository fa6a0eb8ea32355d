"""`--format json`: {"findings": [...], "summary": {...}} as docs/architecture.md fixes it, plus the
suppressed findings and the input problems (files that could not be checked)."""

from __future__ import annotations

import json
from typing import Any

from sls_check.results import ValidationReport


def document(report: ValidationReport) -> dict[str, Any]:
    return {
        "findings": [f.to_json() for f in report.findings],
        "summary": report.summary(),
        "suppressed": [f.to_json() for f in report.suppressed],
        "problems": [{**p.location.to_json(), "message": p.message} for p in report.problems],
    }


def render(report: ValidationReport) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
