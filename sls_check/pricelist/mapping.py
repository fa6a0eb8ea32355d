"""The price-list map: which AWS product (offer code, usage type, attributes) is which slscheck
price dimension, and how its units convert. All of it is data, in pricing/pricelist/map.yaml;
this module only reads the map, matches products and turns AWS price dimensions into tiers.

A dimension matches a product when every attribute in its `match` equals the product's
(names compared case- and space-blind, so JSON's `usagetype` is CSV's `usageType`). `usagetype`
is given without its Region prefix: a product in eu-west-1 matches `Lambda-GB-Second` with
`EUW1-Lambda-GB-Second` or `EU-Lambda-GB-Second`, the prefixes the map lists for the Region
(us-east-1 has none on many offers). A product whose `regionCode` names another Region (an
inter-Region transfer in a Region's file) never matches.

Tiers: the price dimensions of the one on-demand term, ordered by beginRange, must run on
without gaps; an endRange of "Inf" is an open last tier. A zero-priced first tier followed by a
paid one (a free-tier rate code, "First 1,000,000 requests are free") is left to the price
table's `free_tier` allowance, and a zero-priced product next to a paid one for the same
dimension is a free-tier product: both are skipped and said so in the entry's note.
Conversions: `scale` is how many of our base units one AWS unit holds (default 1); `per` is the
base units in the quoted unit, as in the price tables. Price = AWS price x per / scale; tier
bound = AWS endRange x scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from sls_check.pricelist.offers import Offer, Price, norm

GLOBAL = "global"


class MapError(Exception):
    """The map is broken, or a dimension matches no product (or several) in an offer file."""


@dataclass(frozen=True)
class DimensionMap:
    table: str
    name: str
    match: tuple[tuple[str, str], ...]  # normalised attribute -> value; usagetype without prefix
    unit: str
    per: Decimal
    scale: Decimal
    source: str
    confirmed: bool
    optional: bool
    note: str


@dataclass(frozen=True)
class TableMap:
    table: str
    title: str
    offer: str
    scope: str  # "region" or "global"
    dimensions: tuple[DimensionMap, ...]


@dataclass(frozen=True)
class PriceListMap:
    path: Path
    endpoint: str
    offer_index: str
    regions: tuple[str, ...]
    prefixes: dict[str, tuple[str, ...]]
    sources: dict[str, dict[str, str]]
    tables: dict[str, TableMap]

    def region_prefixes(self, region: str) -> tuple[str, ...]:
        if region == GLOBAL:
            return ("",)
        if region not in self.prefixes:
            known = ", ".join(sorted(self.prefixes))
            raise MapError(
                f"{self.path.name}: no usage-type prefixes for region {region} (region_prefixes lists {known})"
            )
        return self.prefixes[region]


def _dec(value: Any, where: str) -> Decimal:
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise MapError(f"{where}: not a decimal: {value!r}") from None
    if not out > 0:
        raise MapError(f"{where}: must be above 0")
    return out


def load_map(path: Path) -> PriceListMap:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MapError(f"{path}: cannot read the price-list map: {exc}") from None
    if not isinstance(doc, dict) or doc.get("map") != 1:
        raise MapError(f"{path}: not a price-list map (`map: 1` missing)")
    try:
        sources = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in (doc.get("sources") or {}).items()}
        tables: dict[str, TableMap] = {}
        for tname, t in doc["tables"].items():
            dims: list[DimensionMap] = []
            for dname, d in t["dimensions"].items():
                where = f"{path.name}: {tname}.{dname}"
                source = str(d.get("source", ""))
                if source not in sources:
                    raise MapError(f"{where}: unknown source {source!r}")
                match = tuple(sorted((norm(str(k)), str(v)) for k, v in d["match"].items()))
                if not match:
                    raise MapError(f"{where}: an empty match would take any product")
                dims.append(
                    DimensionMap(
                        str(tname),
                        str(dname),
                        match,
                        str(d["unit"]),
                        _dec(d.get("per", "1"), where),
                        _dec(d.get("scale", "1"), where),
                        source,
                        bool(d.get("confirmed", False)),
                        bool(d.get("optional", False)),
                        str(d.get("note", "")),
                    )
                )
            scope = str(t.get("scope", "region"))
            if scope not in ("region", GLOBAL):
                raise MapError(f"{path.name}: {tname}: scope must be region or global")
            tables[str(tname)] = TableMap(str(tname), str(t.get("title", tname)), str(t["offer"]), scope, tuple(dims))
        return PriceListMap(
            path,
            str(doc["endpoint"]).rstrip("/"),
            str(doc["offer_index"]),
            tuple(str(r) for r in doc["regions"]),
            {str(r): tuple(str(p) for p in ps) for r, ps in doc["region_prefixes"].items()},
            sources,
            tables,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise MapError(f"{path}: malformed price-list map ({exc!r})") from None


def _matches(dim: DimensionMap, attrs: dict[str, str], region: str, prefixes: tuple[str, ...]) -> bool:
    code = attrs.get("regioncode", "")
    if region != GLOBAL and code and code != region:
        return False
    for key, want in dim.match:
        got = attrs.get(key)
        if got is None:
            return False
        if key == "usagetype":
            if not any(got == p + want for p in prefixes):
                return False
        elif got != want:
            return False
    return True


@dataclass
class Matcher:
    """Which dimensions of a table a product is, for one Region: the `want` filter of the reader."""

    table: TableMap
    region: str
    prefixes: tuple[str, ...]
    hits: dict[str, list[str]] = field(default_factory=dict)  # dimension -> SKUs
    near: dict[str, str] = field(default_factory=dict)  # dimension -> a usage type with an unlisted prefix

    def __call__(self, sku: str, attrs: dict[str, str]) -> bool:
        found = False
        for dim in self.table.dimensions:
            if _matches(dim, attrs, self.region, self.prefixes):
                self.hits.setdefault(dim.name, []).append(sku)
                found = True
            elif dim.name not in self.near:
                self._near_miss(dim, attrs)
        return found

    def _near_miss(self, dim: DimensionMap, attrs: dict[str, str]) -> None:
        """Remember a product that would match under a Region prefix the map does not list."""
        got = attrs.get("usagetype", "")
        want = dict(dim.match).get("usagetype")
        if not want or not got.endswith("-" + want) or attrs.get("regioncode", self.region) != self.region:
            return
        if all(attrs.get(k) == v for k, v in dim.match if k != "usagetype"):
            self.near[dim.name] = got


def _text(value: Decimal) -> str:
    out = format(value.normalize(), "f")
    return out


@dataclass(frozen=True)
class Built:
    """One dimension's entry as the price table writes it, with what was skipped."""

    dimension: str
    entry: dict[str, Any]


def _describe(dim: DimensionMap) -> str:
    return ", ".join(f"{k}={v}" for k, v in dim.match)


def _tiers(dim: DimensionMap, region: str, prices: list[Price], skipped: list[str]) -> list[Price]:
    where = f"{dim.table}.{dim.name} in {region}"
    ordered = sorted(prices, key=lambda p: p.begin)
    while len(ordered) > 1 and ordered[0].price == 0 and ordered[0].begin == 0:
        free = ordered.pop(0)
        skipped.append(f"free-tier rate code {free.rate_code} ({_text(free.begin)} to {_end(free)} {free.unit} at 0)")
    expected = ordered[0].begin
    for i, p in enumerate(ordered):
        if p.begin != expected:
            raise MapError(
                f"{where}: the price dimensions of SKU {p.sku} do not run on (a range begins at "
                f"{_text(p.begin)}, expected {_text(expected)})"
            )
        if p.end is None:
            if i != len(ordered) - 1:
                raise MapError(f'{where}: SKU {p.sku} has an open range ("Inf") before its last tier')
            break
        expected = p.end
    return ordered


def _end(p: Price) -> str:
    return "Inf" if p.end is None else _text(p.end)


def build(
    table: TableMap, region: str, offer: Offer, matcher: Matcher, source_id: str
) -> tuple[list[Built], list[str], list[str]]:
    """The price-table entries of `table` in `region` from one read offer file, the problems (a
    dimension that matches no product, unless optional, or several paid products) and the optional
    dimensions not found."""
    built: list[Built] = []
    problems: list[str] = []
    absent: list[str] = []
    for dim in table.dimensions:
        skus = [s for s in dict.fromkeys(matcher.hits.get(dim.name, [])) if offer.prices.get(s)]
        skipped: list[str] = []
        if len(skus) > 1:
            paid = [s for s in skus if any(p.price > 0 for p in offer.prices[s])]
            for s in skus:
                if s not in paid:
                    skipped.append(f"free-tier SKU {s} (priced 0)")
            skus = paid or skus[:1]
        if not skus:
            if dim.optional:
                absent.append(dim.name)
                continue
            hint = ""
            if dim.name in matcher.near:
                hint = (
                    f"; usage type {matcher.near[dim.name]!r} would match with a prefix that region_prefixes "
                    f"does not list for {region}"
                )
            problems.append(
                f"{table.table}.{dim.name}: no on-demand product of {offer.offer_code} in {region} matches "
                f"{_describe(dim)} (see {table.table}.{dim.name} in pricing/pricelist/map.yaml){hint}"
            )
            continue
        if len(skus) > 1:
            problems.append(
                f"{table.table}.{dim.name}: {len(skus)} paid products of {offer.offer_code} in {region} match "
                f"{_describe(dim)} (SKUs {', '.join(sorted(skus))}); narrow its match in pricing/pricelist/map.yaml"
            )
            continue
        sku = skus[0]
        try:
            tiers = _tiers(dim, region, offer.prices[sku], skipped)
        except MapError as exc:
            problems.append(str(exc))
            continue
        built.append(Built(dim.name, _entry(dim, offer, matcher, sku, tiers, skipped, source_id)))
    return built, problems, absent


def _entry(
    dim: DimensionMap,
    offer: Offer,
    matcher: Matcher,
    sku: str,
    tiers: list[Price],
    skipped: list[str],
    source_id: str,
) -> dict[str, Any]:
    usage = offer.products[sku].get("usagetype", "")
    note = f"AWS Price List, AWS unit {tiers[0].unit or '-'}"
    if skipped:
        note += "; skipped " + "; ".join(skipped) + " (the table file's free_tier covers it)"
    if dim.note:
        note += f"; {dim.note}"
    entry: dict[str, Any] = {"unit": dim.unit}
    if dim.per != 1:
        entry["per"] = _text(dim.per)

    def price(p: Price) -> str:
        return _text(p.price * dim.per / dim.scale)

    if len(tiers) == 1 and tiers[0].end is None:
        entry["price"] = price(tiers[0])
        entry["rate_code"] = tiers[0].rate_code
    else:
        rows: list[dict[str, Any]] = []
        for p in tiers:
            row: dict[str, Any] = {}
            if p.end is not None:
                row["upto"] = _text(p.end * dim.scale)
            row["price"] = price(p)
            row["rate_code"] = p.rate_code
            rows.append(row)
        entry["tiers"] = rows
    entry["source"] = source_id
    entry["confirmed"] = dim.confirmed
    entry["sku"] = sku
    if usage:
        entry["usage_type"] = usage
    entry["note"] = note
    return entry
