"""Deciding which rules run and at what severity, from select / ignore / severity entries.

    score(entry, rule_id, rule_name)  how specifically an entry names a rule
    Decisions(select, ignore, severity)
        .enabled(ruleset)    -> rule id -> bool  (the longest matching entry wins; a tie: ignore)
        .severity_for(f, ..) -> Severity          (the most specific severity entry)
        .problems(ruleset)   -> entries that match no rule (a typo would silently do nothing)

The flake8 split: sls_check.config reads the configuration (discovery, YAML and TOML,
positions, validation); this module decides. It knows nothing of files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sls_check.model import Finding, Location, Problem, Severity
from sls_check.schema_check import suggest

if TYPE_CHECKING:
    from sls_check.rules_engine.packs import RuleSet

# Engine rules that `select` never turns off: the findings about suppressions themselves, and
# internal errors (which no configuration can hide).
META_PREFIXES = ("SUP",)
ALWAYS_ON = frozenset({"SLS000"})
NAME_SCORE = 1_000  # a rule name is more specific than any id prefix
MAX_SUGGESTIONS = 20  # "did you mean" (difflib) for the first problems only


def score(entry: str, rule_id: str, rule_name: str) -> int:
    """How specifically entry names the rule: 0 not at all, the prefix length, or NAME_SCORE for its name."""
    if entry == rule_name:
        return NAME_SCORE
    e = entry.upper()
    return len(e) if rule_id.upper().startswith(e) else 0


@dataclass
class Decisions:
    select: list[str] | None = None  # None: every rule (the default); [] selects none
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, ruleset: RuleSet) -> Callable[[str], bool]:
        """A predicate rule id -> bool over the ruleset's rules (unknown ids: True)."""
        names = {r.id: r.name for r in ruleset.rules}
        select, ignore = self.select, self.ignore

        def decide(rule_id: str) -> bool:
            if rule_id in ALWAYS_ON:
                return True
            name = names.get(rule_id, "")
            best_select = max((score(e, rule_id, name) for e in select or []), default=0)
            best_ignore = max((score(e, rule_id, name) for e in ignore), default=0)
            if best_ignore and best_ignore >= best_select:
                return False
            if best_select:
                return True
            return select is None or rule_id.startswith(META_PREFIXES)

        return cache(decide)

    def severity_for(self, finding: Finding, names: dict[str, str]) -> Severity:
        best, found = 0, finding.severity
        for key, sev in self.severity.items():
            s = score(key, finding.rule_id, names.get(finding.rule_id, finding.rule_name))
            if s > best:
                best, found = s, sev
        return found

    def problems(self, ruleset: RuleSet, locate: Callable[[tuple[Any, ...], bool], Location]) -> list[Problem]:
        """Entries of select, ignore and severity that match no rule; `locate(path, key)` places them."""
        ids = [r.id for r in ruleset.rules]
        names = [r.name for r in ruleset.rules]
        # what score() matches, as sets: an entry is looked up once, not scored against every rule
        # (20,000 severity keys took 17 s), and only the first few misses get a "did you mean"
        prefixes = {rid.upper()[:n] for rid in ids for n in range(1, len(rid) + 1)}
        known = set(names)
        out: list[Problem] = []

        def miss(entry: str) -> bool:
            return entry not in known and entry.upper() not in prefixes

        def hint(entry: str) -> str:
            return suggest(entry, ids + names) if len(out) < MAX_SUGGESTIONS else ""

        for key, entries in (("select", self.select or []), ("ignore", self.ignore)):
            for i, entry in enumerate(entries):
                if miss(entry):
                    out.append(Problem(locate((key, i), False), f"{key}: {entry!r} matches no rule{hint(entry)}"))
        for entry in self.severity:
            if miss(entry):
                out.append(
                    Problem(locate(("severity", entry), True), f"severity: {entry!r} matches no rule{hint(entry)}")
                )
        return out
