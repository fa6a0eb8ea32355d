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


@dataclass(frozen=True)
class CostLine:
    """One priced dimension of one service: quantity x unit_price = monthly (USD)."""

    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    monthly: Decimal
    # Which price-table entry the unit price came from ("lambda.us-east-1.duration_x86_64").
    source: str = ""
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "quantity": float(self.quantity),
            "unit": self.unit,
            "unit_price": float(self.unit_price),
            "monthly": float(round(self.monthly, 2)),
            "source": self.source,
            **({"note": self.note} if self.note else {}),
        }


@dataclass
class ServiceCost:
    service: str
    type: str
    lines: list[CostLine] = field(default_factory=list)

    @property
    def monthly(self) -> Decimal:
        return sum((line.monthly for line in self.lines), Decimal(0))
