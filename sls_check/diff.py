"""Compare two versions of a spec: findings added and removed, monthly cost, quota headroom.

    compare(old, new, ...) -> Diff

Findings are matched by rule, service and rank among equal ones, never by line or message: a
line moved by an edit above it, or a number changed inside the message, is the same finding.
Cost is priced for each version at its own workload (or both at --rps); headroom rows are matched
by service, quota and check. The engines failing (a missing price) leaves a note, not an error.
The renderings are sls_check.reporters.diff.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sls_check.api import validate
from sls_check.model import Finding, InputError
from sls_check.overview import FileOverview, for_graph
from sls_check.reporters.numbers import cents
from sls_check.results import Diff, HeadroomDelta, ServiceDelta

if TYPE_CHECKING:
    from sls_check.config import Config
    from sls_check.pricing.engine import CostReport


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


def _line_key(service: str, item: str) -> tuple[str, str]:
    for suffix in (" (free tier)", " (above the last priced tier)"):
        item = item.removesuffix(suffix)
    return service, item.split(" (tier ")[0]


def _priced_part(report: CostReport, unpriced: set[tuple[str, str]]) -> dict[str, Decimal]:
    """service -> the sum of its lines that are priced in both versions."""
    out: dict[str, Decimal] = {}
    for svc in report.services:
        out[svc.service] = sum(
            (ln.monthly for ln in svc.lines if _line_key(svc.service, ln.item) not in unpriced), Decimal(0)
        )
    return out


def compare_cost(diff: Diff, old: FileOverview, new: FileOverview) -> None:
    """Like with like: a line not priced in either version is left out of both totals (and named),
    so a missing price is never a saving or an increase."""
    for label, o in (("old", old), ("new", new)):
        if o.cost_note:
            diff.cost_notes.append(f"{label}: {o.cost_note}")
    if old.cost is None or new.cost is None:
        return
    unpriced: set[tuple[str, str]] = set()
    for label, report in (("old", old.cost), ("new", new.cost)):
        for svc in report.services:
            for ln in svc.lines:
                if not ln.priced:
                    unpriced.add(_line_key(svc.service, ln.item))
                    diff.cost_left_out.append(f"{label}: {svc.service}: {ln.item} ({ln.source}): {ln.missing}")
    if unpriced:
        n = len(unpriced)
        diff.cost_notes.append(
            f"{n} line{'s' if n != 1 else ''} not priced in one version or both "
            f"({', '.join(f'{s} {i}' for s, i in sorted(unpriced))}) left out of both totals: "
            "compared like with like, a missing price is neither a saving nor an increase"
        )
    b_part, a_part = _priced_part(old.cost, unpriced), _priced_part(new.cost, unpriced)
    diff.old_cost, diff.new_cost = sum(b_part.values(), Decimal(0)), sum(a_part.values(), Decimal(0))
    before = {s.service: s for s in old.cost.services}
    after = {s.service: s for s in new.cost.services}
    for sid in sorted(before.keys() | after.keys()):
        b, a = before.get(sid), after.get(sid)
        delta = ServiceDelta(
            sid,
            (a or b).type,  # type: ignore[union-attr]
            b_part[sid] if b else None,
            a_part[sid] if a else None,
        )
        if b is None or a is None or cents(delta.delta) != 0:
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
            row.label,
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
