"""Suppressions: one record and one state machine for a spec's `suppress:` and the configuration's.

    Suppression          one entry, with its scope (a service of one spec, or config globs)
    screen(entries, ..)  -> (active, findings)   SUP002 unknown rule, SUP001 no reason, SUP004 expired
    apply_spec(..)       a spec's own suppressions on that spec's findings (+ SUP003 unused)
    apply_config(..)     the configuration's, across the files of a run (+ SUP003 unused)

A finding of a SUP rule is never suppressed. An entry whose rule is turned off by the
configuration's select/ignore is not reported as unused.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sls_check.model import Finding, Location
from sls_check.rules_engine.messages import engine_finding

if TYPE_CHECKING:
    from sls_check.results import FileResult
    from sls_check.rules_engine.packs import RuleSet
    from sls_check.spec import Spec

Enabled = Callable[[str], bool]


@dataclass(frozen=True)
class Suppression:
    """One `suppress` entry. In a spec, `service` is the id it sits under (matched exactly);
    in the configuration, `service` and `file` are globs (None: any)."""

    rule: str  # an id or a name, as written
    location: Location  # the entry itself
    reason: str = ""
    until: str | None = None
    service: str | None = None
    file: str | None = None  # config only: a glob, relative to the configuration file's folder
    index: int = 0  # position in its `suppress` list
    scope: str = "config"  # "spec" or "config"
    rule_at: Location | None = None  # where its keys are, for the findings about it
    until_at: Location | None = None
    service_at: Location | None = None

    @property
    def named(self) -> str:
        """The service a finding about this entry names."""
        return self.service or ""

    def covers(self, finding: Finding, spec_file: str) -> bool:
        if self.scope == "spec":
            return finding.service == self.service
        return file_matches(self, spec_file) and (
            self.service is None or fnmatch.fnmatchcase(finding.service, self.service)
        )


@dataclass
class Active:
    entry: Suppression
    rule_id: str
    uses: int = 0


def screen(entries: Iterable[Suppression], ruleset: RuleSet, today: dt.date) -> tuple[list[Active], list[Finding]]:
    """Entries that suppress, and the findings about those that cannot: unknown rule (SUP002),
    no reason (SUP001), past their `until` date (SUP004)."""
    active: list[Active] = []
    meta: list[Finding] = []
    for s in entries:
        rule = ruleset.find(s.rule)
        if rule is None:
            # an unknown rule in the configuration is about the entry, not a service
            named = s.named if s.scope == "spec" else ""
            meta.append(engine_finding(ruleset, "SUP002", named, s.rule_at or s.location, rule=s.rule))
        elif not s.reason.strip():
            meta.append(engine_finding(ruleset, "SUP001", s.named, s.location, rule=rule.id))
        elif s.until and dt.date.fromisoformat(s.until) < today:
            meta.append(
                engine_finding(ruleset, "SUP004", s.named, s.until_at or s.location, rule=rule.id, until=s.until)
            )
        else:
            active.append(Active(s, rule.id))
    return active, meta


def _suppress(findings: list[Finding], active: list[Active], spec_file: str) -> tuple[list[Finding], list[Finding]]:
    """(kept, suppressed): the first active entry that covers a finding takes it."""
    kept: list[Finding] = []
    hidden: list[Finding] = []
    for f in findings:
        hit = None
        if not f.rule_id.startswith("SUP"):
            hit = next((a for a in active if a.rule_id == f.rule_id and a.entry.covers(f, spec_file)), None)
        if hit is None:
            kept.append(f)
        else:
            hit.uses += 1
            hidden.append(replace(f, suppressed_by=hit.entry.reason.strip()))
    return kept, hidden


# ---- a spec's own suppressions ---------------------------------------------------------------------


def spec_entries(spec: Spec) -> list[Suppression]:
    out: list[Suppression] = []
    for sid, svc in spec.services.items():
        for i, entry in enumerate(svc.get("suppress", [])):
            path = ("services", sid, "suppress", i)
            out.append(
                Suppression(
                    rule=entry["rule"],
                    location=spec.locate(path),
                    reason=str(entry.get("reason") or ""),
                    until=entry.get("until"),
                    service=sid,
                    index=i,
                    scope="spec",
                    rule_at=spec.locate((*path, "rule")),
                    until_at=spec.locate((*path, "until")),
                )
            )
    return out


def apply_spec(
    spec: Spec, ruleset: RuleSet, findings: list[Finding], today: dt.date, enabled: Enabled | None = None
) -> tuple[list[Finding], list[Finding]]:
    """(findings, suppressed) after the spec's suppressions; the findings include SUP001-SUP004."""
    active, meta = screen(spec_entries(spec), ruleset, today)
    # a later entry for the same service and rule replaces an earlier one
    last: dict[tuple[str | None, str], Active] = {}
    for a in active:
        last[(a.entry.service, a.rule_id)] = a
    active = list(last.values())
    kept, hidden = _suppress(findings, active, spec.file)
    for a in active:
        if a.uses == 0 and (enabled is None or enabled(a.rule_id)):
            meta.append(engine_finding(ruleset, "SUP003", a.entry.named, a.entry.location, rule=a.rule_id))
    kept.extend(f for f in meta if enabled is None or enabled(f.rule_id))
    return kept, hidden


# ---- the configuration's ---------------------------------------------------------------------------


def relative_to(file: str, base: Path) -> str:
    path = Path(file)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def file_matches(s: Suppression, spec_file: str) -> bool:
    return (
        s.file is None
        or fnmatch.fnmatchcase(spec_file, s.file)
        or fnmatch.fnmatchcase(spec_file, s.file.removeprefix("./"))
    )


def apply_config(
    entries: list[Suppression],
    results: list[FileResult],
    ruleset: RuleSet,
    today: dt.date,
    base: Path,
    enabled: Enabled | None = None,
) -> list[Finding]:
    """The configuration's suppressions, in place on the results of a run; returns SUP001-SUP004
    about them. Unused (SUP003) only when its scope was checked: a pre-commit run over some of
    the specs must not call a suppression for another spec's service dead."""
    active, meta = screen(entries, ruleset, today)
    in_scope = [False] * len(active)
    for result in results:
        spec_file = relative_to(result.file, base)
        services = set(result.graph.services) if result.graph is not None else set()
        for i, a in enumerate(active):
            s = a.entry
            if file_matches(s, spec_file) and (
                s.service is None or any(fnmatch.fnmatchcase(sid, s.service) for sid in services)
            ):
                in_scope[i] = True
        result.findings, hidden = _suppress(result.findings, active, spec_file)
        result.suppressed.extend(hidden)
        result.suppressed.sort(key=Finding.sort_key)
    for i, a in enumerate(active):
        s = a.entry
        if a.uses == 0 and in_scope[i] and (enabled is None or enabled(a.rule_id)):
            meta.append(engine_finding(ruleset, "SUP003", s.named, s.location, rule=a.rule_id))
        elif (
            a.uses == 0
            and s.service is not None
            and s.file is not None
            and not in_scope[i]
            and any(file_matches(s, relative_to(r.file, base)) for r in results)
        ):
            # the file was checked, but it has no such service: a typo or a renamed service
            meta.append(engine_finding(ruleset, "SUP003", s.service, s.service_at or s.location, rule=a.rule_id))
    if enabled is not None:
        meta = [f for f in meta if enabled(f.rule_id)]
    return meta
