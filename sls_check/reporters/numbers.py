"""Numbers and money as text: the one home of every formatter the messages and reports use.

    number(value)        rule messages: 1,024 / 0.125 / lists joined / VPC maps by id
    quantity(x)          quota rows: 1,234 / 1,234.5 / 0.0223 (three significant figures below 1)
    figure(x)            Markdown summaries: 1,250 / 12.5 / 0.0223
    usd(value)           $1,234.56 (half-up to the cent); `missing` for None
    usd_signed(value)    +$3.20 / -$3.20 / ±$0.00
    usd_delta(value)     +$41 / -$3.20 / ±$0: whole dollars from $10 on
    unit_price(value)    $0.20 or every digit of $0.0000166667
    amount(value)        a Decimal quantity of usage: 1,000,000 / 0.5 / 1.23e-07
    percent_delta(p)     +12 % / -3.5 % / ±0 %; `new` for None
    headroom(h)          quota headroom: +94.5 % / 0.0 % / -6,566.7 %; `-` for None (every report alike)

A leaf module (no imports from sls_check): engines may use it for their messages, reporters
for their tables. Money is rounded half-up, to the cent, only here, for display.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def cents(value: Decimal | float) -> Decimal:
    """Half-up to the cent (a float goes through its shortest repr, so 0.1 stays 0.10)."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: Any) -> str:
    """Numbers with thousands separators and no trailing zeros; lists joined; VPC maps by id."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return ", ".join(number(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return str(value["id"]) if "id" in value else ", ".join(f"{k}={number(v)}" for k, v in value.items())
    if value is None:
        return "none"
    return str(value)


def quantity(x: float) -> str:
    """1,234 or 1,234.5 or 0.25: readable, and deterministic."""
    if abs(x - round(x)) < 5e-4:
        return f"{round(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) >= 1 else f"{x:.3g}"


def figure(x: float) -> str:
    """1,250 / 12.5 / 0.0223: three significant figures below 100, whole numbers above."""
    if abs(x) >= 100 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.3g}"


def usd(value: Decimal | float | None, *, missing: str = "n/a") -> str:
    if value is None:
        return missing
    amount = cents(value)
    text = f"${abs(amount):,.2f}"
    return f"-{text}" if amount < 0 else text


def usd_signed(value: Decimal | float) -> str:
    amount = cents(value)
    text = f"${abs(amount):,.2f}"
    return f"+{text}" if amount > 0 else (f"-{text}" if amount < 0 else f"±{text}")


def usd_delta(value: Decimal) -> str:
    """+$41 / -$3.20 / ±$0: whole dollars from $10 on, cents below."""
    if cents(value) == 0:
        return "±$0"
    amount = abs(value)
    text = f"${amount:,.0f}" if amount >= 10 else f"${cents(amount):,.2f}"
    return ("+" if value > 0 else "-") + text


def unit_price(value: Decimal) -> str:
    if value == value.quantize(CENT):
        return f"${value:,.2f}"
    return f"${value.normalize():f}"


def amount(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:.2e}"


def percent_delta(value: float | None) -> str:
    if value is None:
        return "new"
    if round(value, 1) == 0:
        return "±0 %"
    text = f"{abs(value):.0f}" if abs(value) >= 10 else f"{abs(value):.1f}"
    return f"{'+' if value > 0 else '-'}{text} %"


def headroom(value: float | None) -> str:
    """Per cent of a limit left, the same in every report: one decimal, a sign, a space before %."""
    if value is None:
        return "-"
    if round(value, 1) == 0:
        return "0.0 %"
    return f"{value:+,.1f} %"
