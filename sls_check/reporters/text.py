"""Human output: findings grouped by file and service, severity coloured, a summary line.

Every finding line starts with file:line:col so editors and terminals can jump to it.
The result is a rich Text: printed with colour on a terminal, as plain text otherwise.
"""

from __future__ import annotations

from itertools import groupby

from rich.text import Text

from sls_check.model import Finding, Severity
from sls_check.reporters.escape import terminal
from sls_check.results import ValidationReport

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 or word == "info" else f"{n:,} {word}s"


def summary_line(report: ValidationReport) -> str:
    s = report.summary()
    text = (
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}, "
        f"{_plural(s['info'], 'info')} in {_plural(s['checked'], 'file')}"
    )
    extra = []
    if s["suppressed"]:
        extra.append(f"{s['suppressed']:,} suppressed")
    if s["input_problems"]:
        extra.append(f"{_plural(s['input_problems'], 'input problem')}: not checked")
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _finding(out: Text, f: Finding) -> None:
    out.append(f"    {terminal(str(f.location))}: ", style="dim")
    out.append(f.severity.label, style=STYLE[f.severity])
    out.append(f" {terminal(f.rule_id)} ", style="bold")
    out.append(f"{terminal(f.rule_name)}: ", style="dim")
    out.append(f"{terminal(f.message)}\n")
    if f.fix:
        out.append("      fix: ", style="green")
        out.append(f"{terminal(f.fix)}\n")
    if f.docs:
        out.append("      docs: ", style="dim")
        out.append(f"{terminal(f.docs)}\n", style="dim")


def render(report: ValidationReport, *, verbose: bool = False) -> Text:
    out = Text()
    for result in report.results:
        if not result.findings and not verbose:
            continue
        out.append(f"{terminal(result.file)}\n", style="bold underline")
        if not result.findings:
            out.append("  no findings\n", style="green")
        by_service = sorted(result.findings, key=lambda f: (f.service, f.sort_key()))
        for service, group in groupby(by_service, key=lambda f: f.service):
            out.append(f"  {terminal(service) or '(spec)'}\n", style="bold")
            for f in group:
                _finding(out, f)
        out.append("\n")
    worst = report.worst()
    out.append(summary_line(report) + "\n", style=STYLE[worst] if worst else "green")
    return out
