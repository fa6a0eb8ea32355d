"""Prices added to fill missing (table, Region) cells of docs/pricing-coverage.md (issue 12).

Each expected amount is hand arithmetic from the unit prices cited in the Region file, written out
next to the case (a month is 730 hours).
"""

from __future__ import annotations

from decimal import Decimal

from sls_check.pricing import money

from .conftest import PricedGraph

G = PricedGraph


def _lines(report, sid: str = "svc"):  # type: ignore[no-untyped-def]
    return {s.service: s for s in report.services}[sid].lines


def _amounts(report, sid: str = "svc") -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    return {ln.item: money(ln.monthly) for ln in _lines(report, sid) if ln.priced}


def test_fargate_us_east_2_x86_confirmed() -> None:
    # 2 tasks x 730 h, 1 vCPU, 2 GB: 1,460 vCPU-h x $0.04048 = $59.1008 -> $59.10;
    # 2,920 GB-h x $0.004445 = $12.9794 -> $12.98 (USE2-Fargate-vCPU-Hours:perCPU, USE2-Fargate-GB-Hours)
    r = G().add("svc", "fargate", tasks=2, cpu=1, memory_gb=2).price(region="us-east-2")
    assert _amounts(r) == {"vCPU": Decimal("59.10"), "Memory": Decimal("12.98")}
    assert r.complete
    assert all("not confirmed" not in ln.note for ln in _lines(r))


def test_fargate_us_east_2_arm_and_storage_are_marked_unconfirmed() -> None:
    # 1 task x 730 h, 0.5 vCPU, 1 GB, 30 GB storage, arm64: 365 vCPU-h x $0.03238 = $11.8187 -> $11.82;
    # 730 GB-h x $0.00356 = $2.5988 -> $2.60; 10 GB x 730 h x $0.000111 = $0.8103 -> $0.81
    r = G().add("svc", "fargate", cpu=0.5, memory_gb=1, ephemeral_storage_gb=30, architecture="arm64")
    report = r.price(region="us-east-2")
    assert _amounts(report) == {
        "vCPU": Decimal("11.82"),
        "Memory": Decimal("2.60"),
        "Ephemeral storage above 20 GB": Decimal("0.81"),
    }
    assert all("not confirmed" in ln.note for ln in _lines(report))


def test_fargate_ap_northeast_1() -> None:
    # x86, 2 tasks x 730 h, 2 vCPU, 4 GB: 2,920 vCPU-h x $0.05056 = $147.6352 -> $147.64;
    # 5,840 GB-h x $0.00553 = $32.2952 -> $32.30 (the quoting ADR's $0.1232/h per task x 1,460 h = $179.87)
    r = G().add("svc", "fargate", tasks=2, cpu=2, memory_gb=4).price(region="ap-northeast-1")
    assert _amounts(r) == {"vCPU": Decimal("147.64"), "Memory": Decimal("32.30")}
    # arm64, 1 task x 730 h, 2 vCPU, 4 GB: 1,460 x $0.04045 = $59.057 -> $59.06; 2,920 x $0.00442 = $12.9064 -> $12.91
    arm = G().add("svc", "fargate", cpu=2, memory_gb=4, architecture="arm64").price(region="ap-northeast-1")
    assert _amounts(arm) == {"vCPU": Decimal("59.06"), "Memory": Decimal("12.91")}
    assert all("not confirmed" not in ln.note for ln in _lines(arm))


def test_fargate_ap_northeast_1_ephemeral_storage_stays_missing() -> None:
    """The Tokyo source quotes no ephemeral-storage rate: the line is not priced, never another Region's rate."""
    r = G().add("svc", "fargate", ephemeral_storage_gb=50).price(region="ap-northeast-1")
    storage = [ln for ln in _lines(r) if ln.item == "Ephemeral storage above 20 GB"]
    assert len(storage) == 1 and not storage[0].priced
    assert not r.complete
