"""`--format markdown`: a pull-request comment: findings, then monthly cost and quota headroom.

Written for GitHub's Markdown (it renders in GitLab and Bitbucket too): a headline that says
pass or fail, a findings table, suppressed findings folded away with their reasons, and, when
the caller passes the overview (sls_check.overview), the monthly estimate and the tightest
quotas of each spec. Table cells are escaped (`|`, newlines, `<`), and the findings table stops
at MAX_ROWS so the comment stays under GitHub's 65,536-character limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sls_check.model import Finding, Severity
from sls_check.reporters.common import relative_path
from sls_check.reporters.escape import markdown_cell as cell
from sls_check.reporters.escape import markdown_code as code
from sls_check.reporters.numbers import figure as num
from sls_check.reporters.numbers import headroom, usd
from sls_check.results import ValidationReport

if TYPE_CHECKING:
    from sls_check.overview import FileOverview

MAX_ROWS = 50
MAX_QUOTAS = 5
BADGE = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.INFO: "🔵 info"}
STATUS = {"over": "🔴 over", "warn": "🟠 warn", "ok": "🟢 ok"}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 or word == "info" else f"{n:,} {word}s"


def headline(report: ValidationReport) -> str:
    s = report.summary()
    if report.problems:
        mark = "⛔"
    elif s["errors"]:
        mark = "❌"
    elif s["warnings"]:
        mark = "⚠️"
    else:
        mark = "✅"
    counts = f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}, {_plural(s['info'], 'info')}"
    return f"### {mark} slscheck: {counts}"


def _where(f: Finding) -> str:
    return code(f"{relative_path(f.location.file)}:{f.location.line}:{f.location.column}")


def _rule(f: Finding) -> str:
    rid = f"[{f.rule_id}]({f.docs})" if f.docs.startswith(("http://", "https://")) else f.rule_id
    return f"{rid} {cell(f.rule_name)}"


def findings_section(report: ValidationReport) -> list[str]:
    s = report.summary()
    out = [
        headline(report),
        "",
        f"{_plural(s['checked'], 'file')} checked · {s['suppressed']:,} suppressed · "
        f"{_plural(s['input_problems'], 'input problem')}",
        "",
    ]
    if report.problems:
        out += ["**Could not be checked:**", ""]
        out += [f"- {code(str(p))}" for p in report.problems]
        out.append("")
    findings = sorted(report.findings, key=lambda f: (-f.severity, *f.sort_key()))
    if findings:
        out += ["| Severity | Rule | Service | Where | Finding |", "|---|---|---|---|---|"]
        for f in findings[:MAX_ROWS]:
            message = cell(f.message) + (f"<br>**Fix:** {cell(f.fix)}" if f.fix else "")
            out.append(f"| {BADGE[f.severity]} | {_rule(f)} | {code(f.service or '-')} | {_where(f)} | {message} |")
        if len(findings) > MAX_ROWS:
            out.append(f"\n… and {len(findings) - MAX_ROWS:,} more (run `slscheck validate` to see them all).")
        out.append("")
    elif not report.problems:
        out += ["No findings.", ""]
    if report.suppressed:
        out += [
            f"<details><summary>{len(report.suppressed):,} suppressed</summary>",
            "",
            "| Rule | Service | Where | Reason |",
            "|---|---|---|---|",
        ]
        for f in report.suppressed[:MAX_ROWS]:
            out.append(f"| {_rule(f)} | {code(f.service or '-')} | {_where(f)} | {cell(f.suppressed_by or '')} |")
        out += ["", "</details>", ""]
    return out


def cost_section(overviews: Sequence[FileOverview]) -> list[str]:
    out = ["#### Monthly estimate", "", "| Spec | Entry traffic | Monthly | Largest |", "|---|---|---|---|"]
    notes: list[str] = []
    for o in overviews:
        name = code(relative_path(o.file))
        if o.cost is None:
            out.append(f"| {name} | {o.rps:,.6g} rps | - | - |")
            notes.append(f"- {name}: {cell(o.cost_note)}")
            continue
        top = ", ".join(f"{cell(s.service)} {usd(s.monthly)}" for s in o.cost.top(3)) or "-"
        out.append(f"| {name} | {o.rps:,.6g} rps | **{usd(o.cost.total)}** | {top} |")
    return [*out, "", *notes, *([""] if notes else [])]


def headroom_section(overviews: Sequence[FileOverview]) -> list[str]:
    out = [
        "#### Quota headroom (tightest first)",
        "",
        "| Spec | Service | Quota | Needed at peak | Limit | Headroom |",
        "|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for o in overviews:
        name = code(relative_path(o.file))
        if o.rows_note:
            notes.append(f"- {name}: {cell(o.rows_note)}")
        for row in o.rows[:MAX_QUOTAS]:
            room = headroom(row.headroom)
            quota = cell(row.label)  # the quota's human name, also for a row a spec key sets
            unit = cell(row.unit)
            out.append(
                f"| {name} | {code(row.service)} | {quota} | {num(row.needed)} {unit} | "
                f"{num(row.limit)} {unit} | {STATUS.get(row.status, row.status)} {room} |"
            )
    if len(out) == 4:  # no spec has rows: the notes alone, under the heading (no empty table)
        out = out[:2]
    return [*out, *([""] if len(out) > 2 else []), *notes, *([""] if notes else [])]


def render(report: ValidationReport, overviews: Sequence[FileOverview] | None = None) -> str:
    out = findings_section(report)
    if overviews:
        out += cost_section(overviews)
        out += headroom_section(overviews)
    out.append("<sub>slscheck · exit code follows `--fail-on`</sub>")
    return "\n".join(out).rstrip() + "\n"
