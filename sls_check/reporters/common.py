"""Helpers the machine-readable reporters share: repository-relative paths and rule metadata."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from sls_check.model import Finding
from sls_check.reporters.numbers import number
from sls_check.results import ValidationReport
from sls_check.rules_engine.packs import Limit, Rule

_FIELD = re.compile(r"\{([A-Za-z0-9_.:-]+)\}")


def readable(template: str, limits: dict[str, Limit]) -> str:
    """A rule's message or fix template for people (explain, SARIF rule help): limits by their default
    value, every other placeholder as <name> (`{peer}` -> `<peer>`)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("limit:") and name[6:] in limits:
            return number(limits[name[6:]].value)
        return f"<{name}>"

    return _FIELD.sub(one, template)


@functools.cache
def _toplevel(cwd: str) -> Path | None:
    """The git work tree holding cwd (found by walking up to `.git`; `git rev-parse` as the fallback)."""
    here = Path(cwd)
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    try:
        got = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(got.stdout.strip()) if got.returncode == 0 and got.stdout.strip() else None


def repository_root() -> Path:
    """Where SARIF paths are relative to: the repository's top level (code scanning maps paths from
    there), also when slscheck runs in a subfolder; the working directory outside a repository.
    SLSCHECK_ROOT overrides it."""
    if os.environ.get("SLSCHECK_ROOT"):
        return Path(os.environ["SLSCHECK_ROOT"]).resolve()
    cwd = Path.cwd().resolve()
    return _toplevel(str(cwd)) or cwd


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
