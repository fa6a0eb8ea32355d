"""Helpers the machine-readable reporters share: repository-relative paths and rule metadata."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from sls_check.model import Finding
from sls_check.results import ValidationReport
from sls_check.rules_engine.packs import Rule


def relative_path(file: str, root: Path | None = None) -> str:
    """The file as a forward-slash path relative to root (the working directory), when it is inside it.

    CI tools match paths against the repository checkout, so `./specs/a.yaml`,
    `specs/a.yaml` and `/home/runner/work/x/x/specs/a.yaml` must all come out as `specs/a.yaml`.
    """
    base = (root or Path.cwd()).resolve()
    path = Path(file)
    absolute = path if path.is_absolute() else base / path
    try:
        rel = Path(os.path.normpath(absolute)).relative_to(base)
    except ValueError:
        return Path(os.path.normpath(absolute)).as_posix()
    return PurePosixPath(*rel.parts).as_posix() if rel.parts else "."


def uri_reference(file: str, root: Path | None = None) -> str:
    """A relative URI reference (RFC 3986) for SARIF: percent-encoded, never a bare Windows or `a:b` path."""
    rel = relative_path(file, root)
    if rel.startswith("/"):
        return "file://" + quote(rel, safe="/")
    # everything but "/" is percent-encoded: a space, and a ":" that would make "a:b.yaml" a URI with scheme "a"
    return quote(rel, safe="/")


def rule_table(report: ValidationReport) -> dict[str, Rule]:
    """Rule id -> rule, from the run's ruleset (or the built-in packs when the report has none)."""
    ruleset = report.ruleset
    if ruleset is None:
        from sls_check.rules_engine.packs import load_rules

        ruleset = load_rules()
    return dict(ruleset.by_id)


def all_findings(report: ValidationReport) -> list[Finding]:
    """Shown and suppressed findings, in the report's order (file, line, column, rule)."""
    return sorted([*report.findings, *report.suppressed], key=Finding.sort_key)
