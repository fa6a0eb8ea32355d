"""`slscheck prices status`: what the user price cache holds, read from its Region files."""

from __future__ import annotations

from pathlib import Path

import yaml

from sls_check.pricing.tables import REGION_RE, PricingError, cache_dir, load_yaml


def cached() -> tuple[list[str], Path | None]:
    """One line per cached Region file (table, Region, offer versions and dates), and the folder."""
    folder = cache_dir()
    if folder is None or not folder.is_dir():
        return [], folder
    rows: list[str] = []
    for path in sorted(folder.glob("*/*.yaml")):
        if not REGION_RE.match(path.stem):
            continue
        try:
            doc = load_yaml(path)
        except (OSError, PricingError, ValueError, yaml.YAMLError) as exc:
            rows.append(f"{path.parent.name} {path.stem}: unreadable ({exc})")
            continue
        if not isinstance(doc, dict):
            rows.append(f"{path.parent.name} {path.stem}: not a Region file")
            continue
        offers = sorted(
            {
                f"{s.get('offer')} version {s.get('offer_version')}, published {s.get('published', '?')}"
                for s in (doc.get("sources") or {}).values()
                if isinstance(s, dict) and s.get("offer")
            }
        )
        written = (doc.get("generated") or {}).get("at", "?")
        rows.append(f"{path.parent.name} {path.stem}: {'; '.join(offers) or 'no Price List offer'}; written {written}")
    return rows, folder
