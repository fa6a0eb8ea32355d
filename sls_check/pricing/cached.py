"""Which prices of a bill came from the user price cache, and from which Price List offer.

A cost line priced from the cache has a source ending in " (user cache)" (engine). This reads
the offer code, offer version and publication date of those entries' sources, once per
(table, Region), so every output can say which cached prices it used and how fresh they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from sls_check.model import CostLine
from sls_check.pricing.tables import PricingError, load_table

SUFFIX = " (user cache)"


def cache_uses(lines: Iterable[CostLine]) -> list[dict[str, str]]:
    """One record per (table, Region) priced from the cache: table, region, offer, offer_version,
    published, file; sorted. Empty when no line used the cache."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for line in lines:
        if not line.source.endswith(SUFFIX):
            continue
        table, region, rest = line.source[: -len(SUFFIX)].split(".", 2)
        if (table, region) in seen:
            continue
        record = {"table": table, "region": region, "offer": "", "offer_version": "", "published": "", "file": ""}
        try:
            prices = load_table(table).region_prices(region)
        except PricingError:
            prices = None
        if prices is not None:
            record["file"] = prices.path
            dim = rest.split("[", 1)[0]
            entry = prices.prices.get(dim)
            source = prices.sources.get(entry.source) if entry is not None else None
            if source is not None:
                record.update(offer=source.offer, offer_version=source.offer_version, published=source.published)
        seen[(table, region)] = record
    return [seen[k] for k in sorted(seen)]


def describe(use: dict[str, str]) -> str:
    """`sqs eu-central-1: AWSQueueService version 20261101000000, published 2026-11-01`."""
    offer = f"{use['offer']} version {use['offer_version']}" if use["offer"] else "no Price List offer recorded"
    published = f", published {use['published']}" if use["published"] else ""
    return f"{use['table']} {use['region']}: {offer}{published}"
