"""Core value types shared by every stage: severity, location, finding, cost line.

This module sits at the bottom of the import graph: it imports nothing of slscheck.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (error, warning, info)") from None


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: Severity
    service: str
    message: str
    fix: str
    docs: str
    location: Location
    # Why the finding was hidden (a suppression's reason), None when it is shown.
    suppressed_by: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule_id, self.service, self.message)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "rule_name": self.rule_name,
            "severity": self.severity.label,
            "service": self.service,
            "message": self.message,
            "fix": self.fix,
            "docs": self.docs,
            "location": self.location.to_json(),
        }
        if self.suppressed_by is not None:
            out["suppressed_by"] = self.suppressed_by
        return out


@dataclass(frozen=True)
class Problem:
    """An input problem: the file could not be checked (exit code 2)."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InputError(Exception):
    """Raised by the loader, the schema check and the graph builder; never escapes the CLI."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.location, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, line: int, column: int, message: str) -> InputError:
        return cls([Problem(Location(file, line, column), message)])


class TooLarge(ArithmeticError):
    """A spec's numbers (traffic, sizes, counts) make a quantity too large to compute: a monthly
    usage too large to price, or a quota demand that overflows. The pricing engine collects it with
    its missing prices, the limits calculator raises it; both become an input problem at the
    service's key (exit 2)."""

    def __init__(self, message: str, service: str = "", quota: str = ""):
        self.service, self.quota = service, quota
        super().__init__(message)

    @classmethod
    def to_price(cls, service: str, detail: str) -> TooLarge:
        return cls(
            f"service {service!r}: {detail} is too large to price; check the traffic, "
            "calls, reads/writes and sizes that lead to it",
            service,
        )

    @classmethod
    def demand(cls, service: str = "", quota: str = "") -> TooLarge:
        what = f"the demand on {quota}" if quota else "a demand on the quotas"
        return cls(
            f"{what} overflows (numbers beyond about 1.8e308); check the sizes and the traffic that lead to it",
            service,
            quota,
        )


# What no bill of slscheck charges, shown with every bill (docs/cost.md "Not charged").
NOT_CHARGED: tuple[str, ...] = (
    "NAT gateways and VPC endpoints (hourly and per GB)",
    "data transfer between Availability Zones and between Regions",
    "data transfer out other than the lines shown (S3, Lambda, DynamoDB egress)",
    "CloudWatch logs, metrics, alarms and X-Ray traces",
    "KMS keys and requests, Secrets Manager, Parameter Store",
    "Savings Plans, reserved capacity, Spot, credits and enterprise discounts",
    "taxes (VAT, GST, sales tax)",
    "AWS Support plans",
)


@dataclass(frozen=True)
class CostLine:
    """One priced dimension of one service: quantity x unit_price = monthly (USD).

    A line whose price is not known (`priced` false) keeps its usage and says why (`missing`);
    its unit price and monthly amount are unknown, never zero (monthly is 0 only internally,
    so that sums are the priced part: a lower bound)."""

    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    monthly: Decimal
    # Which price-table entry the unit price came from ("lambda.us-east-1.duration_x86_64").
    source: str = ""
    note: str = ""
    assumption: str = ""  # the usage assumption the line rests on, where the model made one
    priced: bool = True
    missing: str = ""  # why the line is not priced (no price for the dimension in the Region, ...)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "item": self.item,
            "quantity": float(self.quantity),
            "unit": self.unit,
            "unit_price": float(self.unit_price) if self.priced else None,
            "monthly": float(round(self.monthly, 2)) if self.priced else None,
            "source": self.source,
            "priced": self.priced,
        }
        if self.note:
            out["note"] = self.note
        if self.assumption:
            out["assumption"] = self.assumption
        if not self.priced:
            out["not_priced"] = self.missing
        return out


@dataclass(frozen=True)
class MissingPrice:
    """A cost line that could not be priced: which service, which price dimension, which Region."""

    service: str
    type: str
    item: str
    table: str
    dimension: str
    region: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {
            "service": self.service,
            "type": self.type,
            "item": self.item,
            "table": self.table,
            "dimension": self.dimension,
            "region": self.region,
            "reason": self.reason,
        }

    def describe(self) -> str:
        return f"{self.service}: {self.item} ({self.table} {self.dimension}, {self.region}): {self.reason}"


@dataclass
class ServiceCost:
    service: str
    type: str
    lines: list[CostLine] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(line.priced for line in self.lines)

    @property
    def monthly(self) -> Decimal:
        """The priced lines' sum (a lower bound when the service is not complete)."""
        return sum((line.monthly for line in self.lines), Decimal(0))
