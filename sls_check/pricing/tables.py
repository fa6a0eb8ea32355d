"""Price tables: pricing/*.yaml read into Decimal, one file per service area, loaded on demand.

A price missing for a region is an error naming the table, the dimension and the region;
there is no fallback to another region. `global` entries are region-independent prices
(CloudFront, Lambda@Edge, ACM), looked up only when the region itself has no entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from sls_check.paths import data_dir
from sls_check.reporters.escape import markdown_cell

GLOBAL = "global"

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader that keeps `seen: 2026-11-26` a string (no date objects in the data)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


class PricingError(Exception):
    """A price the engine needs is not in the tables (or a table is broken)."""


class PriceMissing(PricingError):
    def __init__(self, table: str, dimension: str, region: str, service: str = "", detail: str = ""):
        self.table, self.dimension, self.region, self.service = table, dimension, region, service
        who = f"service {service!r}: " if service else ""
        more = f" ({detail})" if detail else ""
        super().__init__(f"{who}no {table} price for {dimension!r} in region {region}{more}")


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    seen: str
    via: str = ""
    note: str = ""


@dataclass(frozen=True)
class Tier:
    upto: Decimal | None  # cumulative upper bound in base units; None = open
    price: Decimal
    confirmed: bool
    source: str


@dataclass(frozen=True)
class PriceEntry:
    """One priced dimension in one region. Prices are per `per` base units."""

    table: str
    region: str
    dimension: str
    unit: str
    per: Decimal
    tiers: tuple[Tier, ...]
    source: str
    confirmed: bool
    note: str = ""

    @cached_property
    def ref(self) -> str:
        return f"{self.table}.{self.region}.{self.dimension}"

    @cached_property
    def tiered(self) -> bool:
        return len(self.tiers) > 1 or self.tiers[0].upto is not None


@dataclass(frozen=True)
class Allowance:
    table: str
    name: str
    quantity: Decimal
    unit: str
    covers: tuple[str, ...]
    kind: str  # "always" or "12_months"
    source: str
    confirmed: bool
    note: str = ""
    scope: str = "account"  # "account": once across regions; "region": once in each region

    @property
    def ref(self) -> str:
        return f"{self.table}.free_tier.{self.name}"


@dataclass
class PriceTable:
    name: str
    title: str
    sources: dict[str, Source]
    regions: dict[str, dict[str, PriceEntry]]
    free_tier: dict[str, Allowance] = field(default_factory=dict)

    def entry(self, dimension: str, region: str, service: str = "") -> PriceEntry:
        for key in (region, GLOBAL):
            found = self.regions.get(key, {}).get(dimension)
            if found is not None:
                return found
        raise PriceMissing(self.name, dimension, region, service)

    def regions_with(self, dimension: str) -> list[str]:
        return sorted(r for r, dims in self.regions.items() if dimension in dims)


def _dec(value: Any, where: str) -> Decimal:
    if not isinstance(value, str):
        raise PricingError(f"{where}: figures must be strings (got {value!r})")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise PricingError(f"{where}: not a decimal: {value!r}") from None


def _parse(name: str, doc: Any, path: Path) -> PriceTable:
    if not isinstance(doc, dict) or doc.get("table") != name:
        raise PricingError(f"{path}: expected a price table named {name!r}")
    sources = {
        sid: Source(sid, str(s["url"]), str(s["seen"]), str(s.get("via", "")), str(s.get("note", "")))
        for sid, s in (doc.get("sources") or {}).items()
    }

    def src(sid: Any, where: str) -> str:
        if sid not in sources:
            raise PricingError(f"{path}: {where}: unknown source {sid!r}")
        return str(sid)

    regions: dict[str, dict[str, PriceEntry]] = {}
    for region, dims in (doc.get("regions") or {}).items():
        for dim, raw in dims.items():
            where = f"{path.name}: {region}.{dim}"
            entry_src = src(raw.get("source"), where)
            confirmed = bool(raw.get("confirmed"))
            if "tiers" in raw:
                tiers = tuple(
                    Tier(
                        _dec(t["upto"], where) if "upto" in t else None,
                        _dec(t["price"], where),
                        bool(t.get("confirmed", confirmed)),
                        src(t.get("source", entry_src), where),
                    )
                    for t in raw["tiers"]
                )
            else:
                tiers = (Tier(None, _dec(raw["price"], where), confirmed, entry_src),)
            regions.setdefault(region, {})[dim] = PriceEntry(
                name,
                region,
                dim,
                str(raw["unit"]),
                _dec(raw.get("per", "1"), where),
                tiers,
                entry_src,
                confirmed,
                str(raw.get("note", "")),
            )
    free = {
        aid: Allowance(
            name,
            aid,
            _dec(a["quantity"], f"{path.name}: free_tier.{aid}"),
            str(a["unit"]),
            tuple(a["covers"]),
            str(a["kind"]),
            src(a.get("source"), f"free_tier.{aid}"),
            bool(a.get("confirmed")),
            str(a.get("note", "")),
            str(a.get("scope", "account")),
        )
        for aid, a in (doc.get("free_tier") or {}).items()
    }
    return PriceTable(name, str(doc.get("title", name)), sources, regions, free)


def table_dir() -> Path:
    return data_dir("pricing")


@cache
def load_table(name: str, directory: str | None = None) -> PriceTable:
    """The table pricing/<name>.yaml (parsed once per process)."""
    path = (Path(directory) if directory else table_dir()) / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PricingError(f"price table {name!r} not found at {path}: {exc.strerror}") from None
    try:
        doc = yaml.load(text, Loader=_Loader)  # a safe loader subclass
    except yaml.YAMLError as exc:
        raise PricingError(f"{path}: invalid YAML: {exc}") from None
    try:
        return _parse(name, doc, path)
    except (KeyError, TypeError, AttributeError) as exc:
        raise PricingError(f"{path}: malformed price table ({exc!r})") from None


def load_yaml(path: Path) -> Any:
    """Read any price table file as plain data (for schema tests)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


@dataclass(frozen=True)
class Unconfirmed:
    """A figure in the tables that was not confirmed at an AWS source."""

    ref: str  # table.region.dimension[tier n] or table.free_tier.name
    figure: str  # price or allowance, with its unit
    source: str  # the address it was read at
    note: str


TABLES = (
    "acm",
    "apigateway",
    "aurora",
    "cloudfront",
    "cognito",
    "data_transfer",
    "dax",
    "dynamodb",
    "fargate",
    "firehose",
    "lambda",
    "rds_proxy",
    "s3",
    "sns",
    "sqs",
    "stepfunctions",
)


def unconfirmed() -> list[Unconfirmed]:
    """Every price and free-tier figure marked `confirmed: false`, in table order (docs/cost.md lists them)."""
    out: list[Unconfirmed] = []
    for name in TABLES:
        table = load_table(name)
        for region in sorted(table.regions):
            for _, entry in sorted(table.regions[region].items()):
                for i, tier in enumerate(entry.tiers):
                    if tier.confirmed:
                        continue
                    ref = entry.ref + (f"[tier {i + 1}]" if entry.tiered else "")
                    out.append(
                        Unconfirmed(
                            ref, f"{tier.price} USD per {entry.unit}", table.sources[tier.source].url, entry.note
                        )
                    )
        for allowance in table.free_tier.values():
            if not allowance.confirmed:
                out.append(
                    Unconfirmed(
                        allowance.ref,
                        f"{allowance.quantity} {allowance.unit} a month",
                        table.sources[allowance.source].url,
                        allowance.note,
                    )
                )
    return out


BEGIN_UNCONFIRMED = (
    "<!-- BEGIN unconfirmed prices: generated; python -c 'from sls_check.pricing.tables import "
    "unconfirmed_markdown as u; print(u())' -->"
)
END_UNCONFIRMED = "<!-- END unconfirmed prices -->"


def unconfirmed_markdown() -> str:
    """The list of unconfirmed figures as the markdown table docs/cost.md carries between its markers."""
    rows = ["| entry | figure | read at | note |", "|---|---|---|---|"]
    for u in unconfirmed():
        note = markdown_cell(u.note)
        rows.append(f"| `{u.ref}` | {u.figure} | {u.source} | {note} |")
    return "\n".join([BEGIN_UNCONFIRMED, *rows, END_UNCONFIRMED])
