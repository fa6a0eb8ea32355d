"""Write imported prices as price tables (the format of pricing/, schemas/pricing.schema.json).

Into the user cache (default) or, for a maintainer, into pricing/ of the checkout. Imported
Regions replace the same Regions' dimensions of the file written to; every other Region, the
free-tier allowances and the other sources stay. Each document is checked against the price
table schema and parsed as the engine parses it before anything is written; then every file is
written to a temporary file beside it and renamed into place, all renames after all writes, so
an error leaves the old tables as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from sls_check.paths import data_dir
from sls_check.pricing.tables import PricingError, _parse, load_yaml
from sls_check.schema_check import Validator


class WriteError(Exception):
    """A table that would not load, or a file that cannot be written."""


def merge(
    existing: dict[str, Any] | None,
    table: str,
    title: str,
    sources: dict[str, dict[str, str]],
    regions: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    """`existing` (or a new table) with the imported sources and Region dimensions put in."""
    doc: dict[str, Any] = (
        dict(existing) if existing else {"table": table, "title": title, "currency": "USD", "sources": {}}
    )
    doc["sources"] = {**(doc.get("sources") or {}), **sources}
    old_regions: dict[str, Any] = dict(doc.get("regions") or {})
    for region, dims in regions.items():
        old_regions[region] = {**(old_regions.get(region) or {}), **dims}
    doc["regions"] = {r: old_regions[r] for r in sorted(old_regions, key=lambda r: (r == "global", r))}
    used = {d.get("source") for dims in doc["regions"].values() for d in dims.values()}
    used |= {t.get("source") for dims in doc["regions"].values() for d in dims.values() for t in d.get("tiers", [])}
    used |= {a.get("source") for a in (doc.get("free_tier") or {}).values()}
    doc["sources"] = {k: v for k, v in doc["sources"].items() if k in used}  # none left unused
    return doc


def check(doc: dict[str, Any], path: Path) -> None:
    schema = json.loads((data_dir("schemas") / "pricing.schema.json").read_text(encoding="utf-8"))
    errors = Validator(schema).validate(doc)
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.path)
        raise WriteError(f"{path}: the table would not match the price table schema: {where}: {first.message}")
    try:
        _parse(str(doc["table"]), doc, path)
    except (PricingError, KeyError, TypeError) as exc:
        raise WriteError(f"{path}: the table would not load: {exc}") from None


def read_existing(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The table at `path` as data, and the comment lines it starts with (kept on rewrite)."""
    if not path.is_file():
        return None, ""
    text = path.read_text(encoding="utf-8")
    head = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    data = load_yaml(path)
    return (data if isinstance(data, dict) else None), "".join(f"{h}\n" for h in head)


def dump(doc: dict[str, Any], head: str = "") -> str:
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


def commit(files: dict[Path, str]) -> None:
    """Write every file whole, then rename them all into place; on an error nothing is replaced."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((Path(tmp), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                os.fchmod(fh.fileno(), 0o644)  # as a checked-in table, not mkstemp's 0600
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
    except OSError as exc:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise WriteError(f"cannot write the price tables: {exc.strerror or exc}") from None
    for tmp, target in temps:
        os.replace(tmp, target)
