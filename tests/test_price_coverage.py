"""scripts/price_coverage.py: the per-table, per-Region coverage of the price tables (issue 12)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("price_coverage", ROOT / "scripts" / "price_coverage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["price_coverage"] = module
    spec.loader.exec_module(module)
    return module


pc = _script()


def test_docs_pricing_coverage_is_in_sync_with_the_data() -> None:
    text = (ROOT / "docs" / "pricing-coverage.md").read_text(encoding="utf-8")
    assert pc.updated(text, pc.markdown()) == text, "run python scripts/price_coverage.py"
    assert pc.main(["--check"]) == 0


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SRC = "sources: {s: {url: 'https://example.invalid/', seen: '2026-12-02'}}\n"


def _fixture(tmp_path: Path) -> Path:
    _write(
        tmp_path / "t.yaml",
        "table: t\ntitle: T\ncurrency: USD\n" + SRC + "free_tier: {}\n"
        "global:\n  g: {unit: GB, price: '1', source: s, confirmed: true}\n"
        "not_priced:\n  sms: by country\n",
    )
    _write(
        tmp_path / "t" / "r1.yaml",
        "table: t\nregion: r1\ncurrency: USD\n" + SRC + "prices:\n"
        "  a: {unit: GB, price: '1', source: s, confirmed: true}\n"
        "  b: {unit: GB, source: s, confirmed: true,\n"
        "      tiers: [{upto: '10', price: '2'}, {price: '1', confirmed: false}]}\n"
        "  c: {unit: GB, source: s, confirmed: true, tiers: [{upto: '10', price: '2'}]}\n",
    )
    _write(
        tmp_path / "t" / "r2.yaml",
        "table: t\nregion: r2\ncurrency: USD\n" + SRC + "prices:\n"
        "  a: {unit: GB, price: '1', source: s, confirmed: false}\n"
        "  d: {unit: GB, price: '1', source: s, confirmed: true}\n"
        "not_priced:\n  b: not sold here\n",
    )
    return tmp_path


def test_each_dimension_is_classified_as_the_engine_looks_it_up(tmp_path: Path) -> None:
    cov = pc.coverage(_fixture(tmp_path), regions=("r1", "r2", "r3"), tables=("t",))
    cells = {c.region: c for c in cov.cells}
    assert list(cells) == ["global", "r1", "r2", "r3"]
    assert (cells["global"].confirmed, cells["global"].unconfirmed) == (["g"], [])
    r1 = cells["r1"]
    # b has one unconfirmed tier; c's only tier is closed (usage above 10 is missing)
    assert (r1.confirmed, r1.unconfirmed, r1.capped) == (["a", "c"], ["b"], ["c"])
    assert r1.not_priced == {"sms": "by country"}  # the table file's not_priced holds in every Region
    assert r1.missing == ["d"]  # priced in r2, not here; g is global, so never missing
    r2 = cells["r2"]
    assert (r2.confirmed, r2.unconfirmed) == (["d"], ["a"])
    assert r2.not_priced == {"b": "not sold here", "sms": "by country"}
    assert r2.missing == ["c"]
    r3 = cells["r3"]
    assert not r3.has_file and r3.missing == ["a", "b", "c", "d"] and r3.not_priced == {"sms": "by country"}
    summary = pc.summary_markdown(cov, regions=("r1", "r2", "r3"))
    assert "| t | 2/1/1/1 | 1/1/2/1 | (0/0/1/4) | 1/0/0/0 |" in summary


def test_the_real_tables_name_what_is_missing() -> None:
    """Spot checks against the data: Lambda provisioned concurrency on arm64 is priced in us-east-1 only."""
    cov = pc.coverage()
    cells = {(c.table, c.region): c for c in cov.cells}
    assert "provisioned_concurrency_arm64" in cells[("lambda", "us-east-1")].confirmed
    assert "provisioned_concurrency_arm64" in cells[("lambda", "eu-west-1")].missing
    assert cells[("sns", "us-east-1")].not_priced["sms_deliveries"].startswith("SMS prices depend")
    assert {c.region for c in cov.cells if c.table == "cloudfront"} == {"global"}
