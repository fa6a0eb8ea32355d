"""The limits calculator's catalog: the quotas (sls_check.quotas, read once) and the limit checks.

A check is one kind of limits row; its warn and over rows become findings of the LIM rule
`rule_id`, whose metadata (name, summary, message, fix) lives only in rules/limits.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sls_check.quotas import Quota, QuotaFiles, load_quotas, read_quotas

__all__ = ["Catalog", "Check", "Quota", "load_catalog", "read_catalog"]


@dataclass(frozen=True)
class Check:
    """One kind of limits row; its warn/over rows become findings with this rule id."""

    name: str
    rule_id: str
    soft: bool = False  # transient or spill-over: never an error, not a ceiling wall
    covered_by: str | None = None  # a pack rule that reports the same configuration: validate leaves it to that


@dataclass(frozen=True)
class Catalog:
    quotas: Mapping[str, Quota]
    checks: Mapping[str, Check]

    def value(self, name: str, region: str, account: Mapping[str, Any] | None = None) -> float:
        return self.quotas[name].resolve(region, account)


def _check(name: str, raw: Mapping[str, Any]) -> Check:
    return Check(
        name=name,
        rule_id=raw["rule_id"],
        soft=bool(raw.get("soft", False)),
        covered_by=raw.get("covered_by"),
    )


def _catalog(files: QuotaFiles) -> Catalog:
    checks: dict[str, Check] = {}
    rule_ids: dict[str, str] = {}
    for name, (file, raw) in files.checks.items():
        check = _check(name, raw)
        if check.rule_id in rule_ids:
            raise ValueError(f"{file}: check {name} ({check.rule_id}) is defined twice")
        checks[name] = check
        rule_ids[check.rule_id] = name
    return Catalog(files.quotas, checks)


def read_catalog(folder: Path) -> Catalog:
    return _catalog(read_quotas(folder))


@cache
def load_catalog(folder: str | None = None) -> Catalog:
    """The shipped quotas and checks (cached); `folder` reads another copy (tests)."""
    return _catalog(load_quotas(folder))
