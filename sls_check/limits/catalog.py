"""Quotas as data: load quotas/*.yaml into named quotas and limit checks.

The files are validated against schemas/quotas.schema.json by the test suite;
here we only read them (a pre-commit run should not pay for a schema check of
shipped data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sls_check.data_cache import load_checked
from sls_check.paths import data_dir


@dataclass(frozen=True)
class Quota:
    name: str
    title: str
    value: float
    unit: str
    scope: str
    adjustable: bool
    docs: str
    checked: str
    status: str  # confirmed | reference | unconfirmed | conflict
    account_key: str | None = None
    by_region: Mapping[str, float] = field(default_factory=dict)
    note: str = ""

    def resolve(self, region: str, account: Mapping[str, Any] | None = None) -> float:
        """The quota in force: the account block's override (under the quota's name or its account key),
        else the region's value, else the default."""
        if account:
            for key in (self.name, self.account_key):
                if key and account.get(key) is not None:
                    return float(account[key])
        return float(self.by_region.get(region, self.value))

    @property
    def confirmed(self) -> bool:
        """Read at an AWS source (here or in the team reference); unconfirmed and contested figures are not."""
        return self.status in ("confirmed", "reference")

    def as_limit(self) -> dict[str, Any]:
        """The shape of a rule pack's named limit (value, unit, docs, checked, by_region)."""
        return {
            "value": self.value,
            "unit": self.unit,
            "docs": self.docs,
            "checked": self.checked,
            "by_region": dict(self.by_region),
        }


@dataclass(frozen=True)
class Check:
    """One kind of limits row; its warn/over rows become findings with this rule id."""

    name: str
    rule_id: str
    rule_name: str
    summary: str
    fix: str
    soft: bool = False  # transient or spill-over: never an error, not a ceiling wall
    covered_by: str | None = None  # a pack rule that reports the same configuration: validate leaves it to that


@dataclass(frozen=True)
class Catalog:
    quotas: Mapping[str, Quota]
    checks: Mapping[str, Check]

    def value(self, name: str, region: str, account: Mapping[str, Any] | None = None) -> float:
        return self.quotas[name].resolve(region, account)

    def named_limits(self) -> dict[str, dict[str, Any]]:
        """Every quota as a named limit, for the rule engine's `limit:` conditions."""
        return {name: q.as_limit() for name, q in sorted(self.quotas.items())}


def _quota(name: str, raw: dict[str, Any]) -> Quota:
    return Quota(
        name=name,
        title=raw["title"],
        value=float(raw["value"]),
        unit=raw["unit"],
        scope=raw["scope"],
        adjustable=bool(raw["adjustable"]),
        docs=raw["docs"],
        checked=str(raw["checked"]),
        status=raw["status"],
        account_key=raw.get("account_key"),
        by_region={k: float(v) for k, v in (raw.get("by_region") or {}).items()},
        note=raw.get("note", ""),
    )


def _check(name: str, raw: dict[str, Any]) -> Check:
    return Check(
        name=name,
        rule_id=raw["rule_id"],
        rule_name=raw["rule_name"],
        summary=raw["summary"],
        fix=raw["fix"],
        soft=bool(raw.get("soft", False)),
        covered_by=raw.get("covered_by"),
    )


def read_catalog(folder: Path) -> Catalog:
    quotas: dict[str, Quota] = {}
    checks: dict[str, Check] = {}
    rule_ids: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = load_checked(path, "quotas", lambda d: None).data  # shared with the rule packs' cache
        for name, raw in (data.get("quotas") or {}).items():
            if name in quotas:
                raise ValueError(f"{path.name}: quota {name} is defined twice")
            quotas[name] = _quota(name, raw)
        for name, raw in (data.get("checks") or {}).items():
            check = _check(name, raw)
            if name in checks or check.rule_id in rule_ids:
                raise ValueError(f"{path.name}: check {name} ({check.rule_id}) is defined twice")
            checks[name] = check
            rule_ids[check.rule_id] = name
    return Catalog(quotas, checks)


@cache
def load_catalog(folder: str | None = None) -> Catalog:
    """The shipped quotas (cached); `folder` reads another copy (tests)."""
    return read_catalog(Path(folder) if folder else data_dir("quotas"))
