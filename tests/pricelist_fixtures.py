"""Offer files in the AWS Price List's own formats (JSON and CSV), made small, and a local server.

The shapes follow the Bulk API: the offer index (`offers.<code>.currentRegionIndexUrl`), the
region index (`regions.<region>.currentVersionUrl`), offer files with `products` and `terms`
(OnDemand and Reserved, priceDimensions with beginRange/endRange "Inf", pricePerUnit.USD), and
the CSV form with its five metadata rows. Prices below are made up for the tests.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DISCLAIMER = "This pricing list is for informational purposes only."
ON_DEMAND_TERM = "JRTCKXETXF"
RESERVED_TERM = "4NA7Y494T4"


@dataclass
class Rate:
    begin: str
    end: str  # "Inf" for open
    price: str
    unit: str = "Requests"
    description: str = ""
    currency: str = "USD"


@dataclass
class Product:
    sku: str
    family: str
    attributes: dict[str, str]
    rates: list[Rate]
    reserved: list[Rate] = field(default_factory=list)


def rate_code(sku: str, term: str, i: int) -> str:
    return f"{sku}.{term}.{6 + i}YS6EN2CT7"


def offer_json(code: str, version: str, products: list[Product]) -> bytes:
    doc: dict[str, Any] = {
        "formatVersion": "v1.0",
        "disclaimer": DISCLAIMER,
        "offerCode": code,
        "version": version,
        "publicationDate": f"{version[:4]}-{version[4:6]}-{version[6:8]}T00:00:00Z",
        "products": {},
        "terms": {"OnDemand": {}, "Reserved": {}},
    }
    for p in products:
        doc["products"][p.sku] = {"sku": p.sku, "productFamily": p.family, "attributes": p.attributes}
        for kind, term, rates in (("OnDemand", ON_DEMAND_TERM, p.rates), ("Reserved", RESERVED_TERM, p.reserved)):
            if not rates:
                continue
            dims = {}
            for i, r in enumerate(rates):
                code_ = rate_code(p.sku, term, i)
                dims[code_] = {
                    "rateCode": code_,
                    "description": r.description or f"{r.price} per {r.unit}",
                    "beginRange": r.begin,
                    "endRange": r.end,
                    "unit": r.unit,
                    "pricePerUnit": {r.currency: r.price},
                    "appliesTo": [],
                }
            doc["terms"][kind][p.sku] = {
                f"{p.sku}.{term}": {
                    "offerTermCode": term,
                    "sku": p.sku,
                    "effectiveDate": "2026-11-01T00:00:00Z",
                    "priceDimensions": dims,
                    "termAttributes": {},
                }
            }
    return json.dumps(doc, indent=4).encode()


def offer_csv(code: str, version: str, products: list[Product]) -> bytes:
    attr_names: list[str] = []
    for p in products:
        for k in p.attributes:
            if k not in attr_names:
                attr_names.append(k)
    # the CSV spells attribute names its own way: "usageType", "Group", "Region Code"
    csv_names = {"usagetype": "usageType", "group": "Group", "regionCode": "Region Code", "location": "Location"}
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    published = f"{version[:4]}-{version[4:6]}-{version[6:8]}T00:00:00Z"
    for row in (
        ["FormatVersion", "v1.0"],
        ["Disclaimer", DISCLAIMER],
        ["Publication Date", published],
        ["Version", version],
        ["OfferCode", code],
    ):
        w.writerow(row)
    head = ["SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate"]
    head += ["StartingRange", "EndingRange", "Unit", "PricePerUnit", "Currency", "RelatedTo"]
    head += ["LeaseContractLength", "PurchaseOption", "OfferingClass", "Product Family", "serviceCode"]
    head += [csv_names.get(a, a) for a in attr_names]
    w.writerow(head)
    for p in products:
        for kind, term, rates in (("OnDemand", ON_DEMAND_TERM, p.rates), ("Reserved", RESERVED_TERM, p.reserved)):
            for i, r in enumerate(rates):
                row = [p.sku, term, rate_code(p.sku, term, i), kind, r.description or r.price, "2026-11-01"]
                row += [r.begin, r.end, r.unit, r.price, r.currency, ""]
                row += ["1yr" if kind == "Reserved" else "", "", "", p.family, code]
                row += [p.attributes.get(a, "") for a in attr_names]
                w.writerow(row)
    return out.getvalue().encode()


def offer_index(codes: list[str]) -> bytes:
    offers = {
        c: {
            "offerCode": c,
            "versionIndexUrl": f"/offers/v1.0/aws/{c}/index.json",
            "currentVersionUrl": f"/offers/v1.0/aws/{c}/current/index.json",
            "currentRegionIndexUrl": f"/offers/v1.0/aws/{c}/current/region_index.json",
        }
        for c in codes
    }
    doc = {"formatVersion": "v1.0", "disclaimer": DISCLAIMER, "publicationDate": "2026-11-20T00:00:00Z"}
    return json.dumps({**doc, "offers": offers}, indent=2).encode()


def region_index(code: str, version: str, regions: list[str]) -> bytes:
    doc = {
        "formatVersion": "v1.0",
        "disclaimer": DISCLAIMER,
        "publicationDate": "2026-11-20T00:00:00Z",
        "regions": {
            r: {"regionCode": r, "currentVersionUrl": f"/offers/v1.0/aws/{code}/{version}/{r}/index.json"}
            for r in regions
        },
    }
    return json.dumps(doc, indent=2).encode()


class Site:
    """What the local server answers: path -> body; `cut` paths send half a body and hang up."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.cut: set[str] = set()
        self.requests: list[str] = []

    def offer(self, code: str, version: str, regions: dict[str, list[Product]]) -> None:
        self.files[f"/offers/v1.0/aws/{code}/current/region_index.json"] = region_index(code, version, list(regions))
        for region, products in regions.items():
            base = f"/offers/v1.0/aws/{code}/{version}/{region}/index"
            self.files[base + ".json"] = offer_json(code, version, products)
            self.files[base + ".csv"] = offer_csv(code, version, products)
        codes = sorted({p.split("/")[4] for p in self.files if p.startswith("/offers/v1.0/aws/") and p.count("/") > 4})
        self.files["/offers/v1.0/aws/index.json"] = offer_index(codes)


@contextmanager
def serve(site: Site) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            body = site.files.get(self.path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.path in site.cut:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
