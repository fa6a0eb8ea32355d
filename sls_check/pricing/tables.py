"""Price tables: one table file per service area plus one file per Region, each read when first needed.

Layout (docs/pricing-data.md): pricing/<table>.yaml holds the title, the free tier and the
`global` prices; pricing/<table>/<region>.yaml holds one Region's prices. Pricing a spec
reads only the Region files it asks for, so start-up does not grow with the Regions shipped.
A user cache (SLSCHECK_PRICES_DIR, else ~/.cache/slscheck/prices, written by
`slscheck prices update`) with the same layout is preferred file by file; a price read from
it says so (PriceEntry.origin).

A price missing for a Region is a PriceMissing naming the table, the dimension and the Region;
there is no fallback to another Region. `global` entries are Region-independent prices
(CloudFront, Lambda@Edge, ACM), looked up only when the Region itself has no entry.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from sls_check.paths import data_dir
from sls_check.reporters.escape import markdown_cell

GLOBAL = "global"
# The ten most used Regions every price table ships a file for (issue 12; docs/pricing-coverage.md)
SHIPPED_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "eu-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-south-1",
)

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
    offer: str = ""  # Price List offer code (AWSLambda, ...), when the figure comes from an offer file
    offer_version: str = ""
    published: str = ""  # the offer file's publicationDate


@dataclass(frozen=True)
class Tier:
    upto: Decimal | None  # cumulative upper bound in base units; None = open
    price: Decimal
    confirmed: bool
    source: str
    sku: str = ""
    rate_code: str = ""


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
    assumption: str = ""  # the usage assumption the price rests on, when the table makes one
    origin: str = "package"  # "package" (pricing/ in slscheck) or "cache" (the user price cache)

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


@dataclass(frozen=True)
class NotPriced:
    """A dimension a Region file says is not priced there on purpose (AWS does not offer it, or the
    price depends on something the spec does not say), with the reason shown on the bill."""

    table: str
    region: str
    dimension: str
    reason: str


@dataclass
class RegionPrices:
    region: str
    prices: dict[str, PriceEntry]
    sources: dict[str, Source]
    not_priced: dict[str, NotPriced] = field(default_factory=dict)
    origin: str = "package"
    path: str = ""


@dataclass
class PriceTable:
    """One service area. Region files are read on first use (`region_prices`), one at a time."""

    name: str
    title: str
    sources: dict[str, Source]
    free_tier: dict[str, Allowance] = field(default_factory=dict)
    global_prices: dict[str, PriceEntry] = field(default_factory=dict)
    directories: tuple[Path, ...] = ()
    not_priced: dict[str, str] = field(default_factory=dict)  # dimension -> reason, in every Region
    _loaded: dict[str, RegionPrices | None] = field(default_factory=dict, repr=False)

    def region_prices(self, region: str) -> RegionPrices | None:
        """The prices of one Region (None: no file for it), read once."""
        if region == GLOBAL:
            return RegionPrices(GLOBAL, self.global_prices, self.sources)
        if region not in self._loaded:
            self._loaded[region] = self._read_region(region)
        return self._loaded[region]

    def _read_region(self, region: str) -> RegionPrices | None:
        if not REGION_RE.match(region):
            return None
        for i, directory in enumerate(self.directories):
            path = directory / self.name / f"{region}.yaml"
            if path.is_file():
                origin = "cache" if i < len(self.directories) - 1 else "package"
                return _parse_region(self.name, region, _read_yaml(path), path, origin)
        return None

    def source(self, entry: PriceEntry, sid: str | None = None) -> Source:
        """The Source record of an entry (or of one of its tiers)."""
        sid = sid or entry.source
        if entry.region != GLOBAL:
            rp = self.region_prices(entry.region)
            if rp is not None and sid in rp.sources:
                return rp.sources[sid]
        return self.sources[sid]

    def lookup(self, dimension: str, region: str) -> PriceEntry | NotPriced | None:
        rp = self.region_prices(region)
        if rp is not None:
            if dimension in rp.prices:
                return rp.prices[dimension]
            if dimension in rp.not_priced:
                return rp.not_priced[dimension]
        if dimension in self.global_prices:
            return self.global_prices[dimension]
        if dimension in self.not_priced:
            return NotPriced(self.name, region, dimension, self.not_priced[dimension])
        return None

    def entry(self, dimension: str, region: str, service: str = "") -> PriceEntry:
        found = self.lookup(dimension, region)
        if isinstance(found, PriceEntry):
            return found
        raise PriceMissing(self.name, dimension, region, service, found.reason if found else "")

    @property
    def regions(self) -> dict[str, dict[str, PriceEntry]]:
        """Every shipped Region's prices (reads every Region file: for docs and tests, not for pricing)."""
        out: dict[str, dict[str, PriceEntry]] = {}
        if self.global_prices:
            out[GLOBAL] = self.global_prices
        for region in self.region_names():
            rp = self.region_prices(region)
            if rp is not None:
                out[region] = rp.prices
        return out

    def region_names(self) -> list[str]:
        """The Regions with a file, from the directory listing (no file is read)."""
        names: set[str] = set()
        for directory in self.directories:
            folder = directory / self.name
            if folder.is_dir():
                names.update(p.stem for p in folder.glob("*.yaml") if REGION_RE.match(p.stem))
        return sorted(names)

    def regions_with(self, dimension: str) -> list[str]:
        return sorted(r for r, dims in self.regions.items() if dimension in dims)


REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]+$")


def _dec(value: Any, where: str) -> Decimal:
    if not isinstance(value, str):
        raise PricingError(f"{where}: figures must be strings (got {value!r})")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise PricingError(f"{where}: not a decimal: {value!r}") from None


def _sources(doc: dict[str, Any]) -> dict[str, Source]:
    return {
        sid: Source(
            sid,
            str(s["url"]),
            str(s["seen"]),
            str(s.get("via", "")),
            str(s.get("note", "")),
            str(s.get("offer", "")),
            str(s.get("offer_version", "")),
            str(s.get("published", "")),
        )
        for sid, s in (doc.get("sources") or {}).items()
    }


def _entries(
    name: str, region: str, dims: Any, sources: dict[str, Source], path: Path, origin: str
) -> dict[str, PriceEntry]:
    def src(sid: Any, where: str) -> str:
        if sid not in sources:
            raise PricingError(f"{path}: {where}: unknown source {sid!r}")
        return str(sid)

    out: dict[str, PriceEntry] = {}
    for dim, raw in (dims or {}).items():
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
                    str(t.get("sku", raw.get("sku", ""))),
                    str(t.get("rate_code", "")),
                )
                for t in raw["tiers"]
            )
        else:
            tiers = (
                Tier(
                    None,
                    _dec(raw["price"], where),
                    confirmed,
                    entry_src,
                    str(raw.get("sku", "")),
                    str(raw.get("rate_code", "")),
                ),
            )
        out[dim] = PriceEntry(
            name,
            region,
            dim,
            str(raw["unit"]),
            _dec(raw.get("per", "1"), where),
            tiers,
            entry_src,
            confirmed,
            str(raw.get("note", "")),
            str(raw.get("assumption", "")),
            origin,
        )
    return out


def _parse(name: str, doc: Any, path: Path, directories: tuple[Path, ...] = ()) -> PriceTable:
    """The table file pricing/<name>.yaml: title, sources, free tier, global prices."""
    if not isinstance(doc, dict) or doc.get("table") != name or "region" in doc:
        raise PricingError(f"{path}: expected the table file of price table {name!r}")
    sources = _sources(doc)
    free = {
        aid: Allowance(
            name,
            aid,
            _dec(a["quantity"], f"{path.name}: free_tier.{aid}"),
            str(a["unit"]),
            tuple(a["covers"]),
            str(a["kind"]),
            str(a.get("source")),
            bool(a.get("confirmed")),
            str(a.get("note", "")),
            str(a.get("scope", "account")),
        )
        for aid, a in (doc.get("free_tier") or {}).items()
    }
    for aid, a in free.items():
        if a.source not in sources:
            raise PricingError(f"{path}: free_tier.{aid}: unknown source {a.source!r}")
    glob = _entries(name, GLOBAL, doc.get("global"), sources, path, "package")
    not_priced = {str(dim): str(reason) for dim, reason in (doc.get("not_priced") or {}).items()}
    return PriceTable(name, str(doc.get("title", name)), sources, free, glob, directories, not_priced=not_priced)


def _parse_region(name: str, region: str, doc: Any, path: Path, origin: str) -> RegionPrices:
    """A Region file pricing/<name>/<region>.yaml."""
    if not isinstance(doc, dict) or doc.get("table") != name or doc.get("region") != region:
        raise PricingError(f"{path}: expected the {region} prices of table {name!r} (table: {name}, region: {region})")
    try:
        sources = _sources(doc)
        prices = _entries(name, region, doc.get("prices"), sources, path, origin)
        not_priced = {
            dim: NotPriced(name, region, dim, str(reason)) for dim, reason in (doc.get("not_priced") or {}).items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise PricingError(f"{path}: malformed price table ({exc!r})") from None
    return RegionPrices(region, prices, sources, not_priced, origin, str(path))


def table_dir() -> Path:
    return data_dir("pricing")


def cache_dir() -> Path | None:
    """The user price cache (written by `slscheck prices update`): SLSCHECK_PRICES_DIR, else
    $XDG_CACHE_HOME/slscheck/prices (~/.cache/slscheck/prices). SLSCHECK_PRICES_DIR="" turns it off."""
    env = os.environ.get("SLSCHECK_PRICES_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slscheck" / "prices"


_DIRS: dict[tuple[str | None, ...], tuple[Path, ...]] = {}


def table_dirs() -> tuple[Path, ...]:
    """Where table files are looked for, first found wins: the user cache (when it exists), then pricing/.
    Decided once per process for the environment it sees (clear_cache() forgets it)."""
    key = tuple(os.environ.get(name) for name in ("SLSCHECK_PRICES_DIR", "XDG_CACHE_HOME", "HOME"))
    found = _DIRS.get(key)
    if found is None:
        cache = cache_dir()
        packaged = table_dir()
        if cache is not None and cache.is_dir() and cache.resolve() != packaged.resolve():
            found = (cache, packaged)
        else:
            found = (packaged,)
        _DIRS[key] = found
    return found


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PricingError(f"price table file not readable at {path}: {exc.strerror}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader subclass
    except yaml.YAMLError as exc:
        raise PricingError(f"{path}: invalid YAML: {exc}") from None


def load_table(name: str, directory: str | None = None) -> PriceTable:
    """The table <name> (its table file parsed once per process; Region files on first use)."""
    dirs = (Path(directory),) if directory else table_dirs()
    return _load_table(name, dirs)


@cache
def _load_table(name: str, dirs: tuple[Path, ...]) -> PriceTable:
    for i, directory in enumerate(dirs):
        path = directory / f"{name}.yaml"
        if path.is_file() or i == len(dirs) - 1:
            break
    if not path.is_file():
        raise PricingError(f"price table {name!r} not found at {path}")
    doc = _read_yaml(path)
    try:
        return _parse(name, doc, path, dirs)
    except (KeyError, TypeError, AttributeError) as exc:
        raise PricingError(f"{path}: malformed price table ({exc!r})") from None


def clear_cache() -> None:
    """Forget every table read so far (after `slscheck prices update`, or in tests)."""
    _load_table.cache_clear()
    _DIRS.clear()


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
    "eventbridge",
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
        table = load_table(name, str(table_dir()))
        for region in sorted(table.regions):
            for _, entry in sorted(table.regions[region].items()):
                for i, tier in enumerate(entry.tiers):
                    if tier.confirmed:
                        continue
                    ref = entry.ref + (f"[tier {i + 1}]" if entry.tiered else "")
                    out.append(
                        Unconfirmed(
                            ref, f"{tier.price} USD per {entry.unit}", table.source(entry, tier.source).url, entry.note
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
