"""A limits row (one quota of one service at one traffic) and the context models share."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sls_check.graph import TRAFFIC_KINDS, Edge, Service, ServiceGraph
from sls_check.limits.catalog import Catalog
from sls_check.model import Severity

WARN_AT = 0.8  # used share at which a row turns from ok to warn
_EPS = 1e-9


@dataclass(frozen=True)
class Row:
    service: str  # a service id, or "account:REGION" for sums over the account
    quota: str  # a quota name from quotas/, or the spec key that sets the limit
    check: str  # the check (rule) the row belongs to
    limit: float
    needed: float
    unit: str
    adjustable: bool
    docs: str
    region: str = ""
    note: str = ""
    soft: bool = False
    traffic: bool = True  # needed grows with traffic (the ceiling search uses only these)
    confirmed: bool = True  # False when the quota figure could not be confirmed at its source
    figure: str = "confirmed"  # the quota's status in quotas/ (confirmed, reference, unconfirmed, conflict)
    alternative: float | None = None  # a contested quota's other published figure in the Region
    overridden: bool = False  # the account block sets the figure (the account's own, not contested)
    covered_by: str | None = None  # a pack rule that reports this row's configuration (validate leaves it to that)
    title: str = ""  # the quota's human name: its title in quotas/, or what the spec key sets

    @property
    def label(self) -> str:
        """What a person reads for the quota ("Concurrent executions (account, per Region)")."""
        return self.title or self.quota

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.service, self.quota, self.check)

    @property
    def used(self) -> float:
        if self.limit <= 0:
            return math.inf if self.needed > _EPS else 0.0
        return self.needed / self.limit

    @property
    def status(self) -> str:
        if self.needed > self.limit * (1 + _EPS) + _EPS:
            return "over"
        if self.used >= WARN_AT - _EPS:
            return "warn"
        return "ok"

    @property
    def headroom(self) -> float | None:
        """Per cent of the limit left (negative when over); None for a zero limit."""
        if self.limit <= 0:
            return None
        # rounded down to 0.1 %, never up: 20 of 40,000 is "+99.9 %", not a "+100.0 %" that reads as unused
        return math.floor((self.limit - self.needed) / self.limit * 1000.0 + 1e-6) / 10

    def judged(self) -> tuple[Severity | None, str]:
        """The one severity policy of limit rows, for `validate` and `limits` alike: ok -> none;
        warn (80 % or more) -> warning; over -> error, unless the row is soft (a spill-over, a
        transient or an assumption), or its figure is unconfirmed, or contested and the need is
        not over every published figure: then a warning, with the reason."""
        if self.status == "ok":
            return None, ""
        if self.status == "warn":
            return Severity.WARNING, ""
        if self.soft:
            return Severity.WARNING, (
                "a warning, not an error: the limit is a spill-over or a transient, or the figure rests on an "
                "assumption (a queue buffers the backlog, or the timeout stands in for duration_ms)"
            )
        if self.overridden or self.confirmed:
            return Severity.ERROR, ""
        if self.figure == "conflict" and self.alternative is not None:
            if self.needed > max(self.limit, self.alternative) * (1 + _EPS) + _EPS:
                return Severity.ERROR, ""
            return Severity.WARNING, (
                f"a warning, not an error: AWS sources give {self.alternative:,.10g} as well as {self.limit:,.10g} "
                f"{self.unit} and the need is not over both (slscheck explain tells the sources)"
            )
        if self.figure == "conflict":
            return Severity.WARNING, (
                f"a warning, not an error: AWS sources disagree on the figure {self.limit:,.10g} {self.unit} "
                "(slscheck explain tells the sources); declare the account's figure to make it certain"
            )
        return Severity.WARNING, (
            f"a warning, not an error: the figure {self.limit:,.10g} {self.unit} could not be confirmed at an AWS "
            "page (slscheck explain tells the sources); declare the account's figure to make it certain"
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "service": self.service,
            "quota": self.quota,
            "limit": json_number(self.limit),
            "needed": json_number(self.needed),
            "headroom": self.headroom,
            "status": self.status,
            "unit": self.unit,
            "adjustable": self.adjustable,
            "docs": self.docs,
            "title": self.label,
        }
        severity, reason = self.judged()
        out["severity"] = severity.label if severity is not None else None
        if reason:
            out["severity_reason"] = reason
        return out


def json_number(x: float) -> float | int:
    """A JSON number: 12 significant digits (no float noise such as 0.30000000000000004, and no loss
    on small quantities: 0.09765625 MiB/s stays 0.09765625), an int when whole."""
    r = float(f"{x:.12g}")
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def sort_rows(rows: list[Row]) -> list[Row]:
    """Worst first: most used share, then service and quota for a stable order."""
    return sorted(rows, key=lambda r: (-min(r.used, 1e18), r.service, r.quota, r.check))


class Context:
    """What every demand model needs: the graph, the quotas and the account overrides."""

    def __init__(self, graph: ServiceGraph, catalog: Catalog, account: Mapping[str, Any]):
        self.graph = graph
        self.catalog = catalog
        self.account = account

    def value(self, quota: str, region: str) -> float:
        return self.catalog.value(quota, region, self.account)

    def services(self, *types: str) -> list[Service]:
        return [s for _, s in sorted(self.graph.services.items()) if s.type in types]

    def peak(self, sid: str) -> float:
        t = self.graph.traffic.get(sid)
        return max(t.peak_rps, t.rps) if t else 0.0

    def peak_reads(self, sid: str) -> float:
        t = self.graph.traffic.get(sid)
        return max(t.peak_reads_ps, t.reads_ps) if t else 0.0

    def peak_writes(self, sid: str) -> float:
        t = self.graph.traffic.get(sid)
        return max(t.peak_writes_ps, t.writes_ps) if t else 0.0

    def traffic_in(self, sid: str) -> list[Edge]:
        return self.graph.in_edges(sid, TRAFFIC_KINDS)

    def edge_peak(self, edge: Edge) -> float:
        """Requests per second that one edge carries at peak."""
        src = self.graph.services[edge.source]
        base = self.peak_writes(edge.source) if src.type in ("dynamodb", "s3") else self.peak(edge.source)
        return base * (edge.calls or 1.0)

    def row(
        self,
        *,
        service: str,
        quota: str,
        check: str,
        limit: float,
        needed: float,
        region: str = "",
        note: str = "",
        traffic: bool = True,
        unit: str | None = None,
        adjustable: bool | None = None,
        docs: str | None = None,
        soft: bool = False,
        covered_by: str | None = None,
        title: str | None = None,
    ) -> Row:
        q = self.catalog.quotas.get(quota)
        c = self.catalog.checks[check]
        if q is None and (unit is None or adjustable is None or docs is None or not title):
            raise KeyError(f"row quota {quota!r} is not in quotas/ and has no unit, adjustable, docs, title")
        # (a contested figure's research note is in `slscheck explain`, not in the row)
        overridden = q is not None and q.overridden(self.account)
        return Row(
            service=service,
            quota=quota,
            check=check,
            limit=float(limit),
            needed=float(needed),
            unit=unit if unit is not None else q.unit,  # type: ignore[union-attr]
            adjustable=adjustable if adjustable is not None else bool(q.adjustable),  # type: ignore[union-attr]
            docs=docs if docs is not None else q.docs,  # type: ignore[union-attr]
            region=region,
            note=note,
            soft=c.soft or soft,
            traffic=traffic,
            confirmed=q.confirmed if q is not None else True,
            covered_by=covered_by or c.covered_by,
            figure=q.status if q is not None else "confirmed",
            alternative=q.alternative_for(region) if q is not None and not overridden else None,
            overridden=overridden,
            title=title or (q.title if q is not None else ""),
        )


def account_id(region: str) -> str:
    """The service column of rows that sum over an account in a region."""
    return f"account:{region}"
