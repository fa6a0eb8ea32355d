"""Compare two versions of a spec: findings added and removed, monthly cost, quota headroom.

    compare(old, new, ...) -> Diff

Findings are matched by rule, service and rank among equal ones, never by line or message: a
line moved by an edit above it, or a number changed inside the message, is the same finding.
Cost is priced for each version at its own workload (or both at --rps); headroom rows are matched
by service, quota and check. The engines failing (a missing price) leaves a note, not an error.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sls_check.api import validate
from sls_check.model import Finding, InputError, Severity
from sls_check.overview import FileOverview, for_graph

if TYPE_CHECKING:
    from sls_check.config import Config

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ServiceDelta:
    service: str
    type: str
    old: Decimal | None  # None: the service is not in that version
    new: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.new or Decimal(0)) - (self.old or Decimal(0))


@dataclass(frozen=True)
class HeadroomDelta:
    service: str
    quota: str
    unit: str
    old: float | None  # per cent of the limit left; None: no such row in that version
    new: float | None
    old_status: str | None
    new_status: str | None


@dataclass
class Diff:
    old_file: str
    new_file: str
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    unchanged: int = 0
    old_cost: Decimal | None = None
    new_cost: Decimal | None = None
    cost_notes: list[str] = field(default_factory=list)
    services: list[ServiceDelta] = field(default_factory=list)
    headroom: list[HeadroomDelta] = field(default_factory=list)
    headroom_notes: list[str] = field(default_factory=list)

    @property
    def cost_delta(self) -> Decimal | None:
        if self.old_cost is None or self.new_cost is None:
            return None
        return self.new_cost - self.old_cost

    @property
    def cost_percent(self) -> float | None:
        delta = self.cost_delta
        if delta is None or not self.old_cost:
            return None
        return float(delta / self.old_cost * 100)

    def worst_added(self) -> Severity | None:
        return max((f.severity for f in self.added), default=None)

    def to_json(self) -> dict[str, Any]:
        def money(x: Decimal | None) -> float | None:
            return None if x is None else float(x.quantize(CENT))

        return {
            "old": self.old_file,
            "new": self.new_file,
            "findings": {
                "added": [f.to_json() for f in self.added],
                "removed": [f.to_json() for f in self.removed],
                "unchanged": self.unchanged,
            },
            "cost": {
                "currency": "USD",
                "old": money(self.old_cost),
                "new": money(self.new_cost),
                "delta": money(self.cost_delta),
                "percent": None if self.cost_percent is None else round(self.cost_percent, 1),
                "services": [
                    {
                        "service": s.service,
                        "type": s.type,
                        "old": money(s.old),
                        "new": money(s.new),
                        "delta": money(s.delta),
                    }
                    for s in self.services
                ],
                "notes": self.cost_notes,
            },
            "headroom": {
                "changes": [
                    {
                        "service": h.service,
                        "quota": h.quota,
                        "unit": h.unit,
                        "old": h.old,
                        "new": h.new,
                        "old_status": h.old_status,
                        "new_status": h.new_status,
                    }
                    for h in self.headroom
                ],
                "notes": self.headroom_notes,
            },
        }


def finding_keys(findings: list[Finding]) -> dict[tuple[str, str, int], Finding]:
    """(rule id, service, rank among findings of that rule and service) -> finding."""
    seen: Counter[tuple[str, str]] = Counter()
    out: dict[tuple[str, str, int], Finding] = {}
    for f in sorted(findings, key=Finding.sort_key):
        rank = seen[(f.rule_id, f.service)]
        seen[(f.rule_id, f.service)] += 1
        out[(f.rule_id, f.service, rank)] = f
    return out


def compare_findings(old: list[Finding], new: list[Finding]) -> tuple[list[Finding], list[Finding], int]:
    a, b = finding_keys(old), finding_keys(new)
    added = sorted((b[k] for k in b.keys() - a.keys()), key=Finding.sort_key)
    removed = sorted((a[k] for k in a.keys() - b.keys()), key=Finding.sort_key)
    return added, removed, len(a.keys() & b.keys())


def compare_cost(diff: Diff, old: FileOverview, new: FileOverview) -> None:
    for label, o in (("old", old), ("new", new)):
        if o.cost_note:
            diff.cost_notes.append(f"{label}: {o.cost_note}")
    if old.cost is None or new.cost is None:
        return
    diff.old_cost, diff.new_cost = old.cost.total, new.cost.total
    before = {s.service: s for s in old.cost.services}
    after = {s.service: s for s in new.cost.services}
    for sid in sorted(before.keys() | after.keys()):
        b, a = before.get(sid), after.get(sid)
        delta = ServiceDelta(
            sid,
            (a or b).type,  # type: ignore[union-attr]
            b.monthly if b else None,
            a.monthly if a else None,
        )
        if b is None or a is None or delta.delta.quantize(CENT) != 0:
            diff.services.append(delta)
    diff.services.sort(key=lambda s: (-abs(s.delta), s.service))


def compare_headroom(diff: Diff, old: FileOverview, new: FileOverview) -> None:
    for label, o in (("old", old), ("new", new)):
        if o.rows_note:
            diff.headroom_notes.append(f"{label}: {o.rows_note}")
    before = {r.key: r for r in old.rows}
    after = {r.key: r for r in new.rows}
    for key in before.keys() | after.keys():
        b, a = before.get(key), after.get(key)
        row = a or b
        assert row is not None
        h = HeadroomDelta(
            row.service,
            row.quota,
            row.unit,
            b.headroom if b else None,
            a.headroom if a else None,
            b.status if b else None,
            a.status if a else None,
        )
        if h.old != h.new or h.old_status != h.new_status:
            diff.headroom.append(h)
    # the tightest after the change first; rows that disappeared last
    diff.headroom.sort(key=lambda h: (h.new is None, h.new if h.new is not None else 0.0, h.service, h.quota))


def compare(
    old: Path,
    new: Path,
    *,
    rps: float | None = None,
    config: Config | None = None,
    extra_rules: list[Path] | None = None,
    region: str | None = None,
    free_tier: str | bool = "none",
    today: dt.date | None = None,
) -> Diff:
    """Both files are validated, priced and measured; an input problem in either raises InputError."""
    old_config = config.standing_in_for(str(new)) if config is not None else None
    reports = [
        validate([p], rps=rps, extra_rules=extra_rules, today=today, config=c)
        for p, c in ((old, old_config), (new, config))
    ]
    problems = [p for r in reports for p in r.problems]
    if problems:
        raise InputError(problems)
    before, after = (r.results[0] for r in reports)
    diff = Diff(before.file, after.file)
    # findings about the configuration itself (its suppressions) are the same on both sides
    old_findings = [f for r in reports[0].results for f in r.findings]
    new_findings = [f for r in reports[1].results for f in r.findings]
    diff.added, diff.removed, diff.unchanged = compare_findings(old_findings, new_findings)
    assert before.graph is not None and after.graph is not None
    o = for_graph(before.file, before.graph, region=region, free_tier=free_tier)
    n = for_graph(after.file, after.graph, region=region, free_tier=free_tier)
    compare_cost(diff, o, n)
    compare_headroom(diff, o, n)
    return diff


# ---- text and Markdown --------------------------------------------------------------------------


def usd_delta(value: Decimal) -> str:
    """+$41 / -$3.20 / ±$0: whole dollars from $10 on, cents below."""
    amount = abs(value)
    text = f"${amount:,.0f}" if amount >= 10 else f"${amount:,.2f}"
    if value.quantize(CENT) == 0:
        return "±$0"
    return ("+" if value > 0 else "-") + text


def usd(value: Decimal | None) -> str:
    return "-" if value is None else f"${value.quantize(CENT):,.2f}"


def percent(value: float | None) -> str:
    if value is None:
        return "new"
    if round(value, 1) == 0:
        return "±0 %"
    text = f"{abs(value):.0f}" if abs(value) >= 10 else f"{abs(value):.1f}"
    return f"{'+' if value > 0 else '-'}{text} %"


def cost_headline(diff: Diff) -> str:
    if diff.cost_delta is None:
        return "monthly estimate: not available"
    if diff.old_cost == 0 and diff.cost_delta != 0:
        return f"monthly estimate {usd_delta(diff.cost_delta)} (from $0)"
    return f"monthly estimate {usd_delta(diff.cost_delta)} ({percent(diff.cost_percent)})"


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
    return f"{'-' if value is None else f'{value:.1f} %'} ({status})"


def text(diff: Diff, max_rows: int = 10) -> str:
    out = [f"slscheck diff {diff.old_file} -> {diff.new_file}", headline(diff), ""]
    if diff.added:
        out.append("New findings:")
        out += [f"  + {f.location}: {f.severity.label} {f.rule_id} {f.rule_name}: {f.message}" for f in diff.added]
    if diff.removed:
        out.append("Fixed findings:")
        out += [f"  - {f.service or '(spec)'}: {f.rule_id} {f.rule_name}: {f.message}" for f in diff.removed]
    if diff.added or diff.removed:
        out.append("")
    if diff.cost_delta is not None:
        out.append(
            f"Monthly estimate: {usd(diff.old_cost)} -> {usd(diff.new_cost)} "
            f"({usd_delta(diff.cost_delta)}, {percent(diff.cost_percent)})"
        )
        for s in diff.services[:max_rows]:
            out.append(f"  {s.service:<24} {usd(s.old):>12} -> {usd(s.new):>12}  {usd_delta(s.delta)}")
    out += [f"  note: {n}" for n in diff.cost_notes]
    if diff.headroom:
        out += ["", "Quota headroom changes (tightest first):"]
        for h in diff.headroom[:max_rows]:
            out.append(f"  {h.service:<24} {h.quota:<40} {_room(h.old, h.old_status)} -> {_room(h.new, h.new_status)}")
        if len(diff.headroom) > max_rows:
            out.append(f"  ... and {len(diff.headroom) - max_rows} more")
    out += [f"  note: {n}" for n in diff.headroom_notes]
    return "\n".join(out).rstrip() + "\n"


def markdown(diff: Diff, max_rows: int = 15) -> str:
    from sls_check.reporters.markdown import BADGE, cell

    mark = "❌" if any(f.severity == Severity.ERROR for f in diff.added) else ("⚠️" if diff.added else "✅")
    out = [f"### {mark} slscheck: {headline(diff)}", "", f"`{cell(diff.old_file)}` → `{cell(diff.new_file)}`", ""]
    if diff.added:
        out += ["**New findings**", "", "| Severity | Rule | Service | Where | Finding |", "|---|---|---|---|---|"]
        for f in diff.added[:max_rows]:
            out.append(
                f"| {BADGE[f.severity]} | {f.rule_id} {cell(f.rule_name)} | `{cell(f.service or '-')}` | "
                f"`{f.location}` | {cell(f.message)} |"
            )
        out.append("")
    if diff.removed:
        out += [f"<details><summary>{len(diff.removed)} fixed</summary>", ""]
        out += [
            f"- {f.rule_id} {cell(f.rule_name)} on `{cell(f.service or '-')}`: {cell(f.message)}"
            for f in diff.removed[:max_rows]
        ]
        out += ["", "</details>", ""]
    if diff.cost_delta is not None:
        out += [
            f"**Monthly estimate** {usd(diff.old_cost)} → {usd(diff.new_cost)} "
            f"({usd_delta(diff.cost_delta)}, {percent(diff.cost_percent)})",
            "",
        ]
        if diff.services:
            out += ["| Service | Type | Before | After | Change |", "|---|---|--:|--:|--:|"]
            out += [
                f"| `{cell(s.service)}` | {s.type} | {usd(s.old)} | {usd(s.new)} | {usd_delta(s.delta)} |"
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
        out += [
            f"| `{cell(h.service)}` | {cell(h.quota)} | {_room(h.old, h.old_status)} | {_room(h.new, h.new_status)} |"
            for h in diff.headroom[:max_rows]
        ]
        if len(diff.headroom) > max_rows:
            out.append(f"\n… and {len(diff.headroom) - max_rows} more")
        out.append("")
    out += [f"- {cell(n)}" for n in diff.headroom_notes] + ([""] if diff.headroom_notes else [])
    out.append("<sub>slscheck diff · the exit code counts new findings only</sub>")
    return "\n".join(out).rstrip() + "\n"
