"""Every corpus-derived spec (../shared/corpus, imported) prices in each of the ten Regions shipped:
complete, or incomplete with every line that has no price named (service, dimension, Region), never
a refused bill and never a silent $0 line. Skips cleanly where ../shared is absent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sls_check.api import check
from sls_check.model import InputError
from sls_check.pricing.models import DIMENSIONS
from sls_check.pricing.report import run_cost

from .conftest import SHARED
from .test_regions import REGIONS

CORPUS = SHARED / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in {".yaml", ".yml"}) if CORPUS.exists() else []
needs_corpus = pytest.mark.skipif(not FILES, reason="../shared/corpus is absent (only in the team's workspace)")


@needs_corpus
def test_every_corpus_spec_prices_in_every_region() -> None:
    priced_somewhere = 0
    for path in FILES:
        try:
            spec = check(path)
        except InputError:
            continue  # the one genuinely broken template (tests/test_corpus.py names it)
        for region in REGIONS:
            # at 10 rps at each entry point, so that usage-priced lines are not all zero
            run = run_cost(spec, rps=[10], region=region, break_even=False)
            (scenario,) = run.scenarios
            report = scenario.report
            unpriced = [(s.service, ln.item) for s in report.services for ln in s.lines if not ln.priced]
            where = f"{path.parent.name} in {region}"
            assert [(m.service, m.item) for m in report.missing] == unpriced, where
            assert report.complete == (not unpriced), where
            for m in report.missing:
                assert m.dimension in DIMENSIONS[m.table] and m.region and m.reason, (where, m)
            for svc in report.services:
                assert svc.monthly == sum((ln.monthly for ln in svc.lines if ln.priced), Decimal(0)), where
            total = sum((svc.monthly for svc in report.services), Decimal(0))
            priced_somewhere += total > 0
    assert priced_somewhere > 0
