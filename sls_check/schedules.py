"""EventBridge schedule expressions as rates: rate(...), cron(...) and at(...).

The rate of a schedule is arithmetic on its expression, never a guess: `rate(5 minutes)` fires
once every 300 s; `cron(m h dom month dow year)` fires (minutes x hours) times on each matching
day, days counted over a 730-hour month (the pricing month); `at(...)` fires once (rate 0 over
a month). A cron field slscheck does not count (L, W, #, a year that does not recur) gives None:
the rate is then unknown and left to the service's `rps`/`monthly_requests`.
The syntax is EventBridge's (a value and a unit, singular for 1; six cron fields, one of
day-of-month and day-of-week `?`); the parser was not checked against a page this session.
"""

from __future__ import annotations

import re

from sls_check.graph import SECONDS_PER_MONTH

DAYS_PER_MONTH = 730 / 24

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_S = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
_DAYS = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}


def _values(field: str, lo: int, hi: int, names: dict[str, int] | None = None) -> set[int] | None:
    """The values a cron field matches, or None when it uses syntax not counted here."""
    out: set[int] = set()
    for part in field.upper().split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) < 1:
                return None
            step = int(step_text)
        if part in ("*", "?"):
            start, end = lo, hi
        elif "-" in part:
            a, b = part.split("-", 1)
            first, last = _number(a, names), _number(b, names)
            if first is None or last is None:
                return None
            start, end = first, last
        else:
            value = _number(part, names)
            if value is None:
                return None
            start, end = value, (hi if step > 1 else value)
        if not (lo <= start <= hi and lo <= end <= hi) or start > end:
            return None
        out.update(range(start, end + 1, step))
    return out


def _number(text: str, names: dict[str, int] | None) -> int | None:
    if text.isdigit():
        return int(text)
    if names and text in names:
        return names[text]
    return None


def _cron_per_month(body: str) -> float | None:
    fields = body.split()
    if len(fields) != 6:
        return None
    minute, hour, dom, month, dow, year = fields
    minutes, hours = _values(minute, 0, 59), _values(hour, 0, 23)
    months = _values(month, 1, 12, _MONTHS)
    if minutes is None or hours is None or months is None or year.strip() not in ("*", "?"):
        return None
    month_share = len(months) / 12
    if dom in ("*", "?") and dow in ("*", "?"):
        days = DAYS_PER_MONTH
    elif dom == "?":
        weekdays = _values(dow, 1, 7, _DAYS)
        if weekdays is None:
            return None
        days = DAYS_PER_MONTH * len(weekdays) / 7
    elif dow == "?":
        monthdays = _values(dom, 1, 31)
        if monthdays is None:
            return None
        days = float(len(monthdays))
    else:
        return None  # AWS requires one of day-of-month and day-of-week to be ?
    return len(minutes) * len(hours) * days * month_share


def schedule_rate(expression: str) -> float | None:
    """Invocations per second of a schedule expression, or None when it cannot be counted."""
    text = expression.strip()
    m = _RATE.match(text)
    if m:
        value, unit = int(m.group(1)), m.group(2)
        if value < 1 or (value == 1) != unit.endswith(("minute", "hour", "day")):
            return None  # rate(1 minutes) and rate(5 minute) are refused by EventBridge
        return 1.0 / (value * _UNIT_S[unit])
    if text.startswith("at(") and text.endswith(")"):
        return 0.0
    if text.startswith("cron(") and text.endswith(")"):
        per_month = _cron_per_month(text[5:-1])
        return None if per_month is None else per_month / SECONDS_PER_MONTH
    return None
