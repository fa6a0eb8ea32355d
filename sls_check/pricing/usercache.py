"""The user's price cache: tables written by `slscheck prices update`, preferred by `cost`.

Where: $SLSCHECK_CACHE_DIR/prices when set (the tests set it), else
$XDG_CACHE_HOME/slscheck/prices, else ~/.cache/slscheck/prices. SLSCHECK_NO_PRICE_CACHE=1
turns it off. It holds one price table per file (<table>.yaml, the format of pricing/, only
the Regions fetched) and manifest.json: table -> region -> offer code, version, publication
date, address, date fetched.

A cached price replaces the shipped one dimension by dimension, in the Regions the cache
holds; everything else (other Regions, free-tier allowances, dimensions the Price List map does
not cover) stays as shipped. Every replaced entry is remembered, so the cost output can say
which prices came from the cache and from which offer version. This module reads only; it
imports nothing of the importer (sls_check.pricelist).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class CacheUse:
    """A price of the user cache: table.region.dimension and the offer it came from."""

    ref: str
    offer_code: str
    version: str
    published: str
    fetched: str
    file: str

    def to_json(self) -> dict[str, str]:
        return {
            "price": self.ref,
            "offer_code": self.offer_code,
            "offer_version": self.version,
            "published": self.published,
            "fetched": self.fetched,
            "file": self.file,
        }


_USED: dict[str, CacheUse] = {}


def cache_dir() -> Path | None:
    if os.environ.get("SLSCHECK_NO_PRICE_CACHE"):
        return None
    base = os.environ.get("SLSCHECK_CACHE_DIR")
    if base:
        return Path(base) / "prices"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "slscheck" / "prices"


def manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached_file(name: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{name}.yaml"
    return path if path.is_file() else None


def origin(ref: str) -> CacheUse | None:
    """The cache entry a price came from (ref: table.region.dimension), or None when shipped."""
    return _USED.get(ref)


def record(ref: str, use: CacheUse) -> None:
    _USED[ref] = use


def forget() -> None:
    _USED.clear()
