"""Named AWS numbers: the one type for a quota or limit, and the one reader of quotas/*.yaml.

    Quota                   a named figure: default value, per-Region values, account override
    read_quotas(folder)     -> QuotaFiles  (quotas, where each is defined, the raw `checks:`)
    load_quotas()           -> QuotaFiles  the shipped quotas/, read once per process

The rule engine's named limits (a pack's `limits:` and every quota here, one namespace) and the
limits calculator's catalog are both built from this; quotas/ is read once.
The files are validated against schemas/quotas.schema.json by the test suite; here we only
read them (a pre-commit run should not pay for a schema check of shipped data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sls_check.data_cache import load_checked
from sls_check.model import Location
from sls_check.paths import data_dir


@dataclass(frozen=True)
class Quota:
    """A named AWS number. From quotas/ every field is set; a rule pack's `limits:` entry sets
    value, unit, docs, checked and maybe by_region, account_key and adjustable."""

    name: str
    value: float
    unit: str = ""
    docs: str = ""
    checked: str = ""
    title: str = ""
    scope: str = ""
    adjustable: bool | None = None
    status: str = "confirmed"  # confirmed | reference | unconfirmed | conflict
    account_key: str | None = None
    by_region: Mapping[str, float] = field(default_factory=dict)
    note: str = ""
    # another published figure of a contested quota (status conflict), by Region where it differs
    alternative: float | None = None
    alternative_by_region: Mapping[str, float] = field(default_factory=dict)

    def resolve(self, region: str, account: Mapping[str, Any] | None = None) -> float:
        """The figure in force: the account block's override (under the quota's own name, or its
        older account key; null is not set), else the Region's value, else the default."""
        if account:
            for key in (self.name, self.account_key):
                if key and account.get(key) is not None:
                    return float(account[key])
        return float(self.by_region.get(region, self.value))

    def overridden(self, account: Mapping[str, Any] | None) -> bool:
        """The account block sets this figure (then it is the account's own, not a contested one)."""
        return bool(account) and any(
            key and account.get(key) is not None  # type: ignore[union-attr]
            for key in (self.name, self.account_key)
        )

    def alternative_for(self, region: str) -> float | None:
        """The other published figure in the Region (contested quotas only)."""
        if self.alternative is None:
            return None
        return float(self.alternative_by_region.get(region, self.alternative))

    @property
    def confirmed(self) -> bool:
        """Read at an AWS source (here or in the team reference); unconfirmed and contested figures are not."""
        return self.status in ("confirmed", "reference")


def quota(name: str, raw: Mapping[str, Any]) -> Quota:
    """One entry of quotas/*.yaml or of a rule pack's `limits:`."""
    return Quota(
        name=name,
        value=float(raw["value"]),
        unit=str(raw.get("unit", "")),
        docs=str(raw.get("docs", raw.get("source", ""))),
        checked=str(raw.get("checked", "")),
        title=str(raw.get("title", raw.get("description", name))),
        scope=str(raw.get("scope", "")),
        adjustable=raw.get("adjustable"),
        status=str(raw.get("status", "confirmed")),
        account_key=raw.get("account_key"),
        by_region={k: float(v) for k, v in (raw.get("by_region") or {}).items()},
        note=str(raw.get("note", "")),
        alternative=float(raw["alternative"]["value"]) if isinstance(raw.get("alternative"), Mapping) else None,
        alternative_by_region={k: float(v) for k, v in ((raw.get("alternative") or {}).get("by_region") or {}).items()},
    )


@dataclass(frozen=True)
class QuotaFiles:
    quotas: Mapping[str, Quota]
    origin: Mapping[str, Location]  # where each quota is defined (for "defined twice" problems)
    checks: Mapping[str, tuple[str, Mapping[str, Any]]]  # check name -> (file name, raw entry)


def read_quotas(folder: Path) -> QuotaFiles:
    quotas: dict[str, Quota] = {}
    origin: dict[str, Location] = {}
    checks: dict[str, tuple[str, Mapping[str, Any]]] = {}
    if not folder.is_dir():
        return QuotaFiles(quotas, origin, checks)
    for path in sorted(folder.glob("*.yaml")):
        doc = load_checked(path, "quotas", lambda d: None)
        for name, raw in (doc.data.get("quotas") or {}).items():
            if name in quotas:
                raise ValueError(f"{path.name}: quota {name} is defined twice")
            quotas[name] = quota(name, raw)
            origin[name] = doc.locate(("quotas", name), key=True)
        for name, raw in (doc.data.get("checks") or {}).items():
            if name in checks:
                raise ValueError(f"{path.name}: check {name} is defined twice")
            checks[name] = (path.name, raw)
    return QuotaFiles(quotas, origin, checks)


@cache
def load_quotas(folder: str | None = None) -> QuotaFiles:
    """The shipped quotas (cached); `folder` reads another copy (tests)."""
    return read_quotas(Path(folder) if folder else data_dir("quotas"))
