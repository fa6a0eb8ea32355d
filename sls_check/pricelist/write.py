"""Write imported prices as Region files (pricing/<table>/<region>.yaml, docs/pricing-data.md).

Into the user cache (default) or, for a maintainer, into pricing/ of the checkout. A Region
file written starts from the one it replaces (the cache's, else the packaged one), so the
dimensions the Price List map does not cover stay as they were (with their sources); the
imported dimensions replace theirs. Each document is checked against the price table schema
and parsed as the engine parses it before anything is written; then every file is written to
a temporary file beside it and renamed into place, all renames after all writes, so an error
leaves the old tables as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sls_check.paths import data_dir
from sls_check.pricing.tables import PricingError, _parse_region, load_yaml
from sls_check.schema_check import Validator

GENERATOR = "slscheck prices update"


class WriteError(Exception):
    """A table that would not load, or a file that cannot be written."""


def region_doc(
    base: dict[str, Any] | None,
    table: str,
    region: str,
    sources: dict[str, dict[str, str]],
    prices: dict[str, dict[str, Any]],
    day: str,
) -> dict[str, Any]:
    """The Region file: `base` (the file it replaces, or None) with the imported prices put in."""
    old = dict(base or {})
    kept = {d: e for d, e in (old.get("prices") or {}).items() if d not in prices}
    merged = {**kept, **prices}
    not_priced = {d: r for d, r in (old.get("not_priced") or {}).items() if d not in merged}
    used = {e.get("source") for e in merged.values()}
    used |= {t.get("source") for e in merged.values() for t in e.get("tiers", []) if t.get("source")}
    all_sources = {**(old.get("sources") or {}), **sources}
    doc: dict[str, Any] = {
        "table": table,
        "region": region,
        "currency": "USD",
        "generated": {"by": GENERATOR, "at": day},
        "sources": {k: v for k, v in all_sources.items() if k in used},
        "prices": {d: merged[d] for d in sorted(merged)},
    }
    if not_priced:
        doc["not_priced"] = not_priced
    return doc


@cache
def _validator() -> Validator:
    schema = json.loads((data_dir("schemas") / "pricing.schema.json").read_text(encoding="utf-8"))
    return Validator(schema)


def check(doc: dict[str, Any], path: Path) -> None:
    """Raise WriteError unless `doc` matches the schema and loads as a Region file."""
    errors = _validator().validate(doc)
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.path) or "the file"
        raise WriteError(f"{path}: the Region file would not match the price table schema: {where}: {first.message}")
    try:
        _parse_region(str(doc["table"]), str(doc["region"]), doc, path, "cache")
    except PricingError as exc:
        raise WriteError(f"{path}: the Region file would not load: {exc}") from None


def read_existing(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The file at `path` as data, and the comment lines it starts with (kept on rewrite)."""
    if not path.is_file():
        return None, ""
    head = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    data = load_yaml(path)
    return (data if isinstance(data, dict) else None), "".join(f"{h}\n" for h in head)


class _Dumper(yaml.SafeDumper):
    """Decimal strings stay quoted strings ("0.20"), as the tables require."""


def dump(doc: dict[str, Any], head: str = "") -> str:
    return head + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def commit(files: dict[Path, str]) -> None:
    """Write every file whole, then rename them all into place; on an error nothing is replaced."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((Path(name), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                os.fchmod(fh.fileno(), 0o644)  # as a checked-in table, not mkstemp's 0600
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
    except OSError as exc:
        for written, _ in temps:
            with contextlib.suppress(OSError):
                written.unlink()
        raise WriteError(f"cannot write the price tables: {exc.strerror or exc}") from None
    for written, target in temps:
        os.replace(written, target)
