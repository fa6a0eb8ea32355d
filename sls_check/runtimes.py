"""The Lambda runtime table (runtimes/lambda.yaml) and the date of the run.

One data file says, for each runtime identifier, its family, whether it exists as a .zip
runtime and as a base image, its architectures, SnapStart support and AWS's deprecation,
block-create and block-update dates. The spec schema's runtime enum, LMB010 (SnapStart) and
LMB021 (deprecation) all read it.

The date of the run is today's, or SLSCHECK_TODAY (YYYY-MM-DD) when set, so a test (or a
reviewer who wants to know what next month brings) can fix it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from sls_check.model import InputError, Location, Problem
from sls_check.paths import data_dir

TODAY_ENV = "SLSCHECK_TODAY"

# libyaml's safe loader when PyYAML was built with it: the table is read by every `validate`
# and `cost` (the spec schema's runtime enum), and the pure-Python loader took ~0.1 s of it.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Runtime:
    id: str
    family: str
    zip: bool
    image: bool
    architectures: tuple[str, ...]
    snapstart: bool
    deprecation: dt.date | None
    block_create: dt.date | None
    block_update: dt.date | None
    successor: str | None
    source: str

    def stage(self, today: dt.date, warn_days: int) -> str:
        """ok, soon (within warn_days of deprecation), deprecated, create-blocked or update-blocked."""
        if self.block_update and today >= self.block_update:
            return "update-blocked"
        if self.block_create and today >= self.block_create:
            return "create-blocked"
        if self.deprecation and today >= self.deprecation:
            return "deprecated"
        if self.deprecation and (self.deprecation - today).days <= warn_days:
            return "soon"
        return "ok"


@dataclass(frozen=True)
class RuntimeTable:
    runtimes: dict[str, Runtime]
    warn_days: int
    source: str
    checked: str

    def zip_ids(self) -> list[str]:
        return [r.id for r in self.runtimes.values() if r.zip]

    def get(self, runtime_id: str) -> Runtime | None:
        return self.runtimes.get(runtime_id)


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError([Problem(Location(where, 1, 1), f"{value!r} is not a date (YYYY-MM-DD)")]) from None


@cache
def runtime_table() -> RuntimeTable:
    path = data_dir("runtimes") / "lambda.yaml"
    name = f"runtimes/{path.name}"
    with path.open(encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=_Loader)  # a safe loader
    if not isinstance(raw, dict) or not isinstance(raw.get("runtimes"), dict):
        raise InputError([Problem(Location(name, 1, 1), "needs a 'runtimes' map")])
    table: dict[str, Runtime] = {}
    for rid, entry in raw["runtimes"].items():
        if not isinstance(entry, dict):
            raise InputError([Problem(Location(name, 1, 1), f"runtime {rid!r} must be a map")])
        table[str(rid)] = Runtime(
            id=str(rid),
            family=str(entry.get("family", "")),
            zip=bool(entry.get("zip", True)),
            image=bool(entry.get("image", True)),
            architectures=tuple(entry.get("architectures") or ("x86_64",)),
            snapstart=bool(entry.get("snapstart", False)),
            deprecation=_date(entry.get("deprecation"), name),
            block_create=_date(entry.get("block_create"), name),
            block_update=_date(entry.get("block_update"), name),
            successor=entry.get("successor"),
            source=str(entry.get("source", "")),
        )
    return RuntimeTable(table, int(raw.get("warn_days", 180)), str(raw.get("source", "")), str(raw.get("checked", "")))


def run_date(today: dt.date | None = None) -> dt.date:
    """The date a run checks against: the argument, else SLSCHECK_TODAY, else today."""
    if today is not None:
        return today
    text = os.environ.get(TODAY_ENV, "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [Problem(Location("<environment>", 1, 1), f"{TODAY_ENV}={text!r} is not a date (YYYY-MM-DD)")]
        ) from None
