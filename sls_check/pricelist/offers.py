"""Read AWS Price List offer files (JSON or CSV) as a stream of on-demand prices.

An offer file of the Price List Bulk API, JSON form::

    {"formatVersion": "v1.0", "disclaimer": ..., "offerCode": "AWSLambda",
     "version": "20261101000000", "publicationDate": "2026-11-01T00:00:00Z",
     "products": {SKU: {"sku", "productFamily", "attributes": {"usagetype", "group", ...}}},
     "terms": {"OnDemand": {SKU: {OFFERTERM: {"priceDimensions": {RATECODE: {
         "rateCode", "description", "beginRange", "endRange" ("Inf" when open), "unit",
         "pricePerUnit": {"USD": "0.0000166667"}}}}}}, "Reserved": {...}}}

CSV form: five two-column metadata rows ("FormatVersion", "Disclaimer", "Publication Date",
"Version", "OfferCode"), then a header row starting with "SKU" and one row per price dimension
(SKU, OfferTermCode, RateCode, TermType, PriceDescription, ..., StartingRange, EndingRange, Unit,
PricePerUnit, Currency, ..., "Product Family", then the product attributes: "usageType", "Group",
"Group Description", "Region Code", ...).

Both are read incrementally: the CSV row by row, the JSON one product (or one SKU's terms) at a
time, so an offer file of hundreds of megabytes (AmazonRDS) never sits in memory whole. Only the
products a caller wants are kept. Attribute names are normalised (lower case, letters and digits
only) so `usagetype` (JSON) and `usageType` (CSV), `groupDescription` and `Group Description`
are the same key. Only on-demand terms are read; other terms (Reserved) are skipped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

ON_DEMAND = "OnDemand"
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_WS = re.compile(r"[ \t\r\n]*")


class OfferError(Exception):
    """An offer file that cannot be read (truncated, not an offer file, a price in another currency)."""


def norm(name: str) -> str:
    """An attribute name as both forms spell it: `usageType`, `usagetype`, `Usage Type` -> `usagetype`."""
    return _NON_ALNUM.sub("", name.lower())


@dataclass(frozen=True)
class Price:
    """One price dimension of one on-demand term."""

    sku: str
    rate_code: str
    begin: Decimal
    end: Decimal | None  # None: "Inf"
    unit: str
    price: Decimal
    currency: str
    description: str


@dataclass
class Offer:
    """What was kept of one offer file: its metadata, the wanted products and their prices."""

    offer_code: str = ""
    version: str = ""
    published: str = ""  # publicationDate, e.g. 2026-11-01T00:00:00Z
    form: str = "json"
    products: dict[str, dict[str, str]] = field(default_factory=dict)  # sku -> normalised attributes
    prices: dict[str, list[Price]] = field(default_factory=dict)  # sku -> on-demand prices

    @property
    def published_date(self) -> str:
        return self.published[:10]


Want = Callable[[str, dict[str, str]], bool]


def _decimal(text: Any, what: str, where: str) -> Decimal:
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        raise OfferError(f"{where}: {what} is not a number: {text!r}") from None


def _range_end(text: Any, where: str) -> Decimal | None:
    if str(text).strip() in ("Inf", ""):
        return None
    return _decimal(text, "endRange", where)


def _usd(per_unit: dict[str, Any], where: str) -> tuple[Decimal, str]:
    if "USD" in per_unit:
        return _decimal(per_unit["USD"], "pricePerUnit", where), "USD"
    given = ", ".join(sorted(per_unit)) or "none"
    raise OfferError(f"{where}: priced in {given}, not USD; only USD offer files are supported")


def _term_prices(sku: str, terms: Any, where: str) -> list[Price]:
    out: list[Price] = []
    if not isinstance(terms, dict):
        raise OfferError(f"{where}: terms of SKU {sku} are not an object")
    for term in terms.values():
        for rate_code, dim in (term.get("priceDimensions") or {}).items():
            at = f"{where}: rate code {rate_code}"
            price, currency = _usd(dim.get("pricePerUnit") or {}, at)
            out.append(
                Price(
                    sku,
                    str(dim.get("rateCode") or rate_code),
                    _decimal(dim.get("beginRange", "0") or "0", "beginRange", at),
                    _range_end(dim.get("endRange", "Inf"), at),
                    str(dim.get("unit", "")),
                    price,
                    currency,
                    str(dim.get("description", "")),
                )
            )
    return out


# --- JSON, incrementally --------------------------------------------------------------------


class _JsonStream:
    """Walk a JSON document object by object, decoding only small values whole."""

    def __init__(self, fh: TextIO, where: str, chunk: int = 1 << 16):
        self.fh, self.where, self.chunk = fh, where, chunk
        self.buf, self.pos, self.eof = "", 0, False
        self.decoder = json.JSONDecoder()

    def _more(self, size: int) -> bool:
        if self.eof:
            return False
        data = self.fh.read(size)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]  # always matches
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more(self.chunk):
                return ""

    def expect(self, char: str) -> None:
        got = self.peek()
        if got != char:
            found = repr(got) if got else "the end of the file"
            raise OfferError(f"{self.where}: not a complete offer file (expected {char!r}, found {found})")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        size = self.chunk
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # a value cut by the end of the buffer fails near that end: read on; an error
                # far from it (values here are small) is a broken file
                if len(self.buf) - exc.pos > 4096:
                    raise OfferError(f"{self.where}: invalid JSON ({exc.msg})") from None
                if not self._more(size):
                    raise OfferError(f"{self.where}: not a complete offer file (it ends inside a value)") from None
                size *= 2
                continue
            if end >= len(self.buf) and not self.eof and isinstance(value, (int, float)):
                self._more(size)  # a number may go on in the next chunk
                continue
            self.pos = end
            return value

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; the caller reads (or skips) each value."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise OfferError(f"{self.where}: invalid JSON (an object key is not a string)")
            self.expect(":")
            yield key
            sep = self.peek()
            self.pos += 1
            if sep == "}":
                return
            if sep != ",":
                found = repr(sep) if sep else "the end of the file"
                raise OfferError(f"{self.where}: not a complete offer file (expected ',' or '}}', found {found})")

    def skip(self) -> None:
        first = self.peek()
        if first == "{":
            for _ in self.members():
                self.skip()
        elif first == "[":
            self.pos += 1
            if self.peek() == "]":
                self.pos += 1
                return
            while True:
                self.skip()
                sep = self.peek()
                self.pos += 1
                if sep == "]":
                    return
                if sep != ",":
                    raise OfferError(f"{self.where}: not a complete offer file (inside an array)")
        else:
            self.value()

    def skip_members(self) -> None:
        """Skip an object whose members are each small (decoded whole by the C decoder: faster)."""
        for _ in self.members():
            self.value()

    def end(self) -> None:
        if self.peek() != "":
            raise OfferError(f"{self.where}: text after the end of the offer file")


_META = {"offerCode": "offer_code", "version": "version", "publicationDate": "published"}


def _read_json(fh: TextIO, want: Want, where: str, chunk: int) -> Offer:
    offer = Offer(form="json")
    s = _JsonStream(fh, where, chunk)
    pending: dict[str, Any] = {}  # on-demand terms seen before the products (not the usual order)
    seen_products = False
    for key in s.members():
        if key == "products":
            seen_products = True
            for sku in s.members():
                product = s.value()
                if not isinstance(product, dict):
                    raise OfferError(f"{where}: product {sku} is not an object")
                attrs = {norm(k): str(v) for k, v in (product.get("attributes") or {}).items()}
                attrs["productfamily"] = str(product.get("productFamily", ""))
                if want(sku, attrs):
                    offer.products[sku] = attrs
        elif key == "terms":
            for term_type in s.members():
                if term_type != ON_DEMAND:
                    s.skip_members()
                    continue
                for sku in s.members():
                    if seen_products and sku not in offer.products:
                        s.value()
                        continue
                    terms = s.value()
                    if seen_products:
                        offer.prices[sku] = _term_prices(sku, terms, where)
                    else:
                        pending[sku] = terms
        elif key in _META:
            setattr(offer, _META[key], str(s.value()))
        else:
            s.skip()
    s.end()
    for sku, terms in pending.items():
        if sku in offer.products:
            offer.prices[sku] = _term_prices(sku, terms, where)
    return offer


# --- CSV, row by row ------------------------------------------------------------------------

_CSV_META = {"OfferCode": "offer_code", "Version": "version", "Publication Date": "published"}
_CSV_PRICE = {
    "sku",
    "offertermcode",
    "ratecode",
    "termtype",
    "pricedescription",
    "effectivedate",
    "startingrange",
    "endingrange",
    "unit",
    "priceperunit",
    "currency",
    "relatedto",
    "leasecontractlength",
    "purchaseoption",
    "offeringclass",
}


def _read_csv(fh: TextIO, want: Want, where: str) -> Offer:
    offer = Offer(form="csv")
    reader = csv.reader(fh)
    header: list[str] | None = None
    for row in reader:
        if row and row[0] == "SKU":
            header = [norm(c) for c in row]
            break
        if len(row) >= 2 and row[0] in _CSV_META:
            setattr(offer, _CSV_META[row[0]], row[1])
    if header is None:
        raise OfferError(f'{where}: not a Price List CSV file (no header row starting with "SKU")')
    col = {name: i for i, name in enumerate(header)}
    for need in ("sku", "termtype", "priceperunit", "currency"):
        if need not in col:
            raise OfferError(f"{where}: the CSV header has no {need!r} column")
    attr_cols = [(i, name) for i, name in enumerate(header) if name not in _CSV_PRICE]
    width = len(header)

    def cell(row: list[str], name: str, default: str = "") -> str:
        i = col.get(name)
        return row[i] if i is not None else default

    line = 0
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) != width:
            raise OfferError(f"{where}:{line}: a row of {len(row)} fields under a header of {width} (a cut file?)")
        if cell(row, "termtype") != ON_DEMAND:
            continue
        sku = cell(row, "sku")
        if sku not in offer.products:
            attrs = {name: row[i] for i, name in attr_cols}
            if not want(sku, attrs):
                continue
            offer.products[sku] = attrs
        at = f"{where}:{line}"
        currency = cell(row, "currency")
        price, _ = _usd({currency: cell(row, "priceperunit")}, at)
        offer.prices.setdefault(sku, []).append(
            Price(
                sku,
                cell(row, "ratecode"),
                _decimal(cell(row, "startingrange", "0") or "0", "StartingRange", at),
                _range_end(cell(row, "endingrange", "Inf"), at),
                cell(row, "unit"),
                price,
                currency,
                cell(row, "pricedescription"),
            )
        )
    return offer


def read_offer(path: Path, want: Want, where: str = "", chunk: int = 1 << 16) -> Offer:
    """The wanted products of an offer file and their on-demand prices. The form (JSON or CSV)
    is told by the file's first character. Raises OfferError."""
    where = where or str(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            first = fh.read(1)
            fh.seek(0)
            if first == "{":
                offer = _read_json(fh, want, where, chunk)
            elif first == '"':
                offer = _read_csv(fh, want, where)
            else:
                raise OfferError(f"{where}: neither a JSON nor a CSV offer file")
    except UnicodeDecodeError:
        raise OfferError(f"{where}: not UTF-8 text") from None
    except csv.Error as exc:
        raise OfferError(f"{where}: invalid CSV ({exc})") from None
    if not offer.offer_code or not offer.version or not offer.published:
        raise OfferError(f"{where}: the offer file has no offerCode, version or publicationDate")
    return offer
