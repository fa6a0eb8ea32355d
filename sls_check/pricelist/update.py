"""`slscheck prices update`: offer index -> region indexes -> offer files -> price tables.

    update(regions=["eu-central-1"], services=["lambda"], source=None, maintainer=False) -> Updated

Everything is fetched and parsed into a temporary folder first; the tables are written only
when every (table, Region) asked for was priced, so a failed download, a cut file, a price in
another currency or a dimension the map cannot find keeps the old tables as they were.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sls_check.paths import data_dir
from sls_check.pricelist.download import DownloadError, address, fetch, fetch_json, is_url
from sls_check.pricelist.mapping import GLOBAL, Built, MapError, Matcher, PriceListMap, TableMap, build, load_map
from sls_check.pricelist.offers import Offer, OfferError, read_offer
from sls_check.pricelist.write import GENERATOR, WriteError, check, commit, dump, read_existing, region_doc
from sls_check.pricing.tables import cache_dir, clear_cache, table_dir


class UpdateError(Exception):
    """The update did not happen; `problems` says why (each one line). Nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Fetched:
    table: str
    region: str
    offer_code: str
    version: str
    published: str
    url: str  # the AWS address of the offer file
    dimensions: int
    absent: list[str] = field(default_factory=list)  # optional dimensions the offer file does not have


@dataclass
class Updated:
    folder: Path
    files: list[Path] = field(default_factory=list)
    fetched: list[Fetched] = field(default_factory=list)


def map_path() -> Path:
    return data_dir("pricing") / "pricelist" / "map.yaml"


def _pick_tables(plmap: PriceListMap, services: list[str] | None) -> list[TableMap]:
    if not services:
        return list(plmap.tables.values())
    out: list[TableMap] = []
    by_offer = {t.offer.lower(): t for t in plmap.tables.values()}
    for name in services:
        table = plmap.tables.get(name) or by_offer.get(name.lower())
        if table is None:
            known = ", ".join(sorted(plmap.tables))
            raise UpdateError([f"<command line>:1:1: unknown service {name!r} (one of {known}, or an offer code)"])
        if table not in out:
            out.append(table)
    return out


def _source_id(offer_code: str, region: str) -> str:
    return "pl_" + "".join(c if c.isalnum() else "_" for c in f"{offer_code}_{region}".lower())


def update(
    *,
    regions: list[str] | None = None,
    services: list[str] | None = None,
    source: str | None = None,
    maintainer: bool = False,
    form: str = "json",
    folder: Path | None = None,
    today: dt.date | None = None,
) -> Updated:
    """Fetch, map and write; raises UpdateError (nothing written) with every problem found."""
    try:
        plmap = load_map(map_path())
    except MapError as exc:
        raise UpdateError([str(exc)]) from None
    tables = _pick_tables(plmap, services)
    wanted = regions or list(plmap.regions)
    src = source or plmap.endpoint
    if not is_url(src) and not Path(src).is_dir():
        raise UpdateError([f"<command line>:1:1: --source {src!r} is neither an http(s) address nor a folder"])
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    target = folder or (table_dir() if maintainer else cache_dir())
    if target is None:
        raise UpdateError(["the user price cache is turned off (SLSCHECK_PRICES_DIR is empty); use --maintainer"])

    problems: list[str] = []
    # (offer, region) -> tables: one download and one pass over the file serve them all
    jobs: dict[tuple[str, str], list[TableMap]] = {}
    for t in tables:
        for region in [GLOBAL] if t.scope == GLOBAL else wanted:
            jobs.setdefault((t.offer, region), []).append(t)

    built: dict[str, dict[str, dict[str, Any]]] = {}  # table -> region -> dimension -> entry
    sources: dict[str, dict[str, dict[str, str]]] = {}
    fetched: list[Fetched] = []
    with tempfile.TemporaryDirectory(prefix="slscheck-prices-") as work:
        tmp = Path(work)
        try:
            index = fetch_json(src, plmap.offer_index, tmp)
        except DownloadError as exc:
            raise UpdateError([f"offer index: {exc}"]) from None
        offers = index.get("offers") or {}
        region_indexes: dict[str, dict[str, Any]] = {}
        for (code, region), users in sorted(jobs.items()):
            try:
                path = _offer_path(src, code, region, offers, region_indexes, tmp)
            except (DownloadError, UpdateError) as exc:
                problems.append(f"{code} {region}: {exc}")
                continue
            if form == "csv":
                path = path[: -len(".json")] + ".csv" if path.endswith(".json") else path
            matchers = {t.table: Matcher(t, region, plmap.region_prefixes(region)) for t in users}

            def want(sku: str, attrs: dict[str, str], ms: dict[str, Matcher] = matchers) -> bool:
                return any([m(sku, attrs) for m in ms.values()])  # every matcher records its hits

            try:
                file = fetch(src, path, tmp)
                offer = read_offer(file, want, where=address(src, path))
                file.unlink()
            except (DownloadError, OfferError) as exc:
                problems.append(f"{code} {region}: {exc}")
                continue
            if offer.offer_code != code:
                problems.append(f"{code} {region}: the file is the offer of {offer.offer_code!r}")
                continue
            sid = _source_id(code, region)
            for t in users:
                entries, missing, absent = build(t, region, offer, matchers[t.table], sid)
                problems.extend(missing)
                _collect(t, region, entries, built)
                sources.setdefault(t.table, {})[sid] = _source(plmap, code, path, offer, src, day)
                fetched.append(
                    Fetched(
                        t.table,
                        region,
                        code,
                        offer.version,
                        offer.published,
                        sources[t.table][sid]["url"],
                        len(entries),
                        absent,
                    )
                )
    if problems:
        raise UpdateError(problems)
    return _write(plmap, built, sources, fetched, target, maintainer, day)


def _offer_path(
    src: str,
    code: str,
    region: str,
    offers: dict[str, Any],
    region_indexes: dict[str, dict[str, Any]],
    tmp: Path,
) -> str:
    info = offers.get(code)
    if not isinstance(info, dict):
        raise UpdateError(["the offer index has no such offer code"])
    if region == GLOBAL:
        return str(info["currentVersionUrl"])
    if code not in region_indexes:
        region_indexes[code] = fetch_json(src, str(info["currentRegionIndexUrl"]), tmp)
    entry = (region_indexes[code].get("regions") or {}).get(region)
    if not isinstance(entry, dict) or "currentVersionUrl" not in entry:
        raise UpdateError([f"the region index of {code} has no file for region {region}"])
    return str(entry["currentVersionUrl"])


def _collect(t: TableMap, region: str, entries: list[Built], built: dict[str, dict[str, dict[str, Any]]]) -> None:
    dims = built.setdefault(t.table, {}).setdefault(region, {})
    for b in entries:
        dims[b.dimension] = b.entry


def _source(plmap: PriceListMap, code: str, path: str, offer: Offer, src: str, day: str) -> dict[str, str]:
    url = plmap.endpoint + "/" + path.lstrip("/")
    via = f"AWS Price List Bulk API offer file ({offer.form}), publicationDate {offer.published}; "
    via += f"read by `{GENERATOR}`"
    if src != plmap.endpoint:
        via += f" from {address(src, path)}"
    out = {"url": url, "seen": day, "via": via, "offer": code, "offer_version": offer.version}
    if len(offer.published_date) == 10:
        out["published"] = offer.published_date
    return out


def _write(
    plmap: PriceListMap,
    built: dict[str, dict[str, dict[str, Any]]],
    sources: dict[str, dict[str, dict[str, str]]],
    fetched: list[Fetched],
    target: Path,
    maintainer: bool,
    day: str,
) -> Updated:
    files: dict[Path, str] = {}
    problems: list[str] = []
    packaged = table_dir()
    for table in sorted(built):
        for region, prices in sorted(built[table].items()):
            if region == GLOBAL:
                problems.append(f"{table}: global prices go to the table file, which the importer does not write yet")
                continue
            path = target / table / f"{region}.yaml"
            base, head = read_existing(path)
            if base is None and not maintainer:  # start from the packaged file: nothing it prices is lost
                base, _ = read_existing(packaged / table / f"{region}.yaml")
            if not maintainer or not head:
                head = f"# {table}, {region}: written by `{GENERATOR}` on {day} from the AWS Price List.\n"
                head += "# Layout: docs/pricing-data.md\n"
            doc = region_doc(base, table, region, sources[table], prices, day)
            try:
                check(doc, path)
            except WriteError as exc:
                problems.append(str(exc))
                continue
            files[path] = dump(doc, head)
    if problems:
        raise UpdateError(problems)
    try:
        commit(files)
    except WriteError as exc:
        raise UpdateError([str(exc)]) from None
    clear_cache()
    return Updated(target, sorted(files), fetched)
