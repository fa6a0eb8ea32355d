"""`slscheck diff`: what a change does, as text and as a pull-request comment (JSON: Diff.to_json)."""

from __future__ import annotations

from decimal import Decimal

from sls_check.model import Finding, Severity
from sls_check.reporters.escape import markdown_cell as cell
from sls_check.reporters.escape import markdown_code as code
from sls_check.reporters.escape import terminal
from sls_check.reporters.markdown import BADGE
from sls_check.reporters.numbers import headroom, usd_delta
from sls_check.reporters.numbers import percent_delta as percent
from sls_check.reporters.numbers import usd as _usd
from sls_check.results import Diff


def usd(value: Decimal | None) -> str:
    return _usd(value, missing="-")


def cost_headline(diff: Diff) -> str:
    if diff.cost_delta is None:
        return "monthly estimate: not available"
    partial = f"; {len(diff.cost_left_out)} unpriced lines left out" if diff.cost_left_out else ""
    if diff.old_cost == 0 and diff.cost_delta != 0:
        return f"monthly estimate {usd_delta(diff.cost_delta)} (from $0{partial})"
    return f"monthly estimate {usd_delta(diff.cost_delta)} ({percent(diff.cost_percent)}{partial})"


def _count(findings: list[Finding]) -> str:
    n = len(findings)
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    text = f"{n} new finding{'s' if n != 1 else ''}"
    return f"{text} ({errors} error{'s' if errors != 1 else ''})" if errors else text


def headline(diff: Diff) -> str:
    parts = [_count(diff.added), f"{len(diff.removed)} fixed", cost_headline(diff)]
    return "; ".join(parts)


def _room(value: float | None, status: str | None) -> str:
    if value is None and status is None:
        return "-"
    return f"{headroom(value)} ({status})"


def text(diff: Diff, max_rows: int = 10) -> str:
    t = terminal
    out = [f"slscheck diff {t(diff.old_file)} -> {t(diff.new_file)}", t(headline(diff)), ""]
    if diff.added:
        out.append("New findings:")
        out += [
            f"  + {t(str(f.location))}: {f.severity.label} {t(f.rule_id)} {t(f.rule_name)}: {t(f.message)}"
            for f in diff.added
        ]
    if diff.removed:
        out.append("Fixed findings:")
        out += [
            f"  - {t(f.service) or '(spec)'}: {t(f.rule_id)} {t(f.rule_name)}: {t(f.message)}" for f in diff.removed
        ]
    if diff.added or diff.removed:
        out.append("")
    if diff.cost_delta is not None:
        like = " (lines priced in both versions)" if diff.cost_left_out else ""
        out.append(
            f"Monthly estimate{like}: {usd(diff.old_cost)} -> {usd(diff.new_cost)} "
            f"({usd_delta(diff.cost_delta)}, {percent(diff.cost_percent)})"
        )
        for s in diff.services[:max_rows]:
            out.append(f"  {s.service:<24} {usd(s.old):>12} -> {usd(s.new):>12}  {usd_delta(s.delta)}")
    out += [f"  note: {n}" for n in diff.cost_notes]
    if diff.headroom:
        out += ["", "Quota headroom changes (tightest first):"]
        for h in diff.headroom[:max_rows]:
            change = f"{_room(h.old, h.old_status)} -> {_room(h.new, h.new_status)}"
            out.append(f"  {t(h.service)}, {t(h.title or h.quota)}: {change}")
        if len(diff.headroom) > max_rows:
            out.append(f"  ... and {len(diff.headroom) - max_rows} more")
    out += [f"  note: {n}" for n in diff.headroom_notes]
    return "\n".join(out).rstrip() + "\n"


def markdown(diff: Diff, max_rows: int = 15) -> str:
    mark = "❌" if any(f.severity == Severity.ERROR for f in diff.added) else ("⚠️" if diff.added else "✅")
    out = [f"### {mark} slscheck: {headline(diff)}", "", f"{code(diff.old_file)} → {code(diff.new_file)}", ""]
    if diff.added:
        out += ["**New findings**", "", "| Severity | Rule | Service | Where | Finding |", "|---|---|---|---|---|"]
        for f in diff.added[:max_rows]:
            out.append(
                f"| {BADGE[f.severity]} | {f.rule_id} {cell(f.rule_name)} | {code(f.service or '-')} | "
                f"{code(str(f.location))} | {cell(f.message)} |"
            )
        out.append("")
    if diff.removed:
        out += [f"<details><summary>{len(diff.removed)} fixed</summary>", ""]
        out += [
            f"- {f.rule_id} {cell(f.rule_name)} on {code(f.service or '-')}: {cell(f.message)}"
            for f in diff.removed[:max_rows]
        ]
        out += ["", "</details>", ""]
    if diff.cost_delta is not None:
        like = " (lines priced in both versions)" if diff.cost_left_out else ""
        out += [
            f"**Monthly estimate**{like} {usd(diff.old_cost)} → {usd(diff.new_cost)} "
            f"({usd_delta(diff.cost_delta)}, {percent(diff.cost_percent)})",
            "",
        ]
        if diff.services:
            out += ["| Service | Type | Before | After | Change |", "|---|---|--:|--:|--:|"]
            out += [
                f"| {code(s.service)} | {s.type} | {usd(s.old)} | {usd(s.new)} | {usd_delta(s.delta)} |"
                for s in diff.services[:max_rows]
            ]
            out.append("")
    out += [f"- {cell(n)}" for n in diff.cost_notes] + ([""] if diff.cost_notes else [])
    if diff.headroom:
        out += [
            "**Quota headroom** (changed rows, tightest first)",
            "",
            "| Service | Quota | Before | After |",
            "|---|---|--:|--:|",
        ]
        out += [  # the quota's human name, as validate's Markdown shows it ("Concurrent executions ...")
            f"| {code(h.service)} | {cell(h.title or h.quota)} | {_room(h.old, h.old_status)} | "
            f"{_room(h.new, h.new_status)} |"
            for h in diff.headroom[:max_rows]
        ]
        if len(diff.headroom) > max_rows:
            out.append(f"\n… and {len(diff.headroom) - max_rows} more")
        out.append("")
    out += [f"- {cell(n)}" for n in diff.headroom_notes] + ([""] if diff.headroom_notes else [])
    out.append("<sub>slscheck diff · the exit code counts new findings only</sub>")
    return "\n".join(out).rstrip() + "\n"
