"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=specs/shop.yaml,line=12,col=7,title=LMB004 lambda-environment-size::message

Escaping follows the runner's rules (actions/toolkit command.ts): in the message `%`, CR and LF
become %25, %0D and %0A; in a property value `:` and `,` also become %3A and %2C. `%` goes
first, or the other escapes would be escaped again. Without it a path with a comma or a message
with a newline silently loses the annotation.
Input problems (files that could not be checked) are `::error` annotations too; suppressed
findings are not annotated. A last `::notice` line carries the summary.
"""

from __future__ import annotations

from sls_check.model import Severity
from sls_check.reporters.common import relative_path
from sls_check.reporters.escape import github_data, github_property
from sls_check.results import ValidationReport

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


escape_data = github_data  # the one escaper per format lives in reporters/escape.py
escape_property = github_property


def command(name: str, message: str, **props: str | int) -> str:
    inner = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{name} {inner}::{escape_data(message)}" if inner else f"::{name}::{escape_data(message)}"


def render(report: ValidationReport) -> str:
    lines: list[str] = []
    for p in report.problems:
        lines.append(
            command(
                "error",
                p.message,
                file=relative_path(p.location.file),
                line=p.location.line,
                col=p.location.column,
                title="slscheck: input problem",
            )
        )
    for f in report.findings:
        message = f"{f.message}\nFix: {f.fix}" if f.fix else f.message
        lines.append(
            command(
                COMMAND[f.severity],
                message,
                file=relative_path(f.location.file),
                line=f.location.line,
                col=f.location.column,
                title=f"{f.rule_id} {f.rule_name}",
            )
        )
    s = report.summary()
    summary = (
        f"slscheck: {s['errors']} error(s), {s['warnings']} warning(s), {s['info']} info in "
        f"{s['checked']} file(s); {s['suppressed']} suppressed; {s['input_problems']} input problem(s)"
    )
    lines.append(command("notice", summary))
    return "\n".join(lines) + "\n"
