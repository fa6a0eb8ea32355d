"""`slscheck limits`: the rows as JSON data, Markdown (for a PR comment too) and plain text.

The coloured table is reporters.limits_text (rich); these return strings.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from sls_check.reporters.escape import markdown_cell as _md
from sls_check.reporters.numbers import headroom as room
from sls_check.reporters.numbers import quantity as fmt

if TYPE_CHECKING:
    from sls_check.limits.catalog import Catalog
    from sls_check.limits.ceiling import Ceiling, Wall
    from sls_check.limits.rows import Row

COLUMNS = ("service", "quota", "limit", "needed", "unit", "headroom", "status", "adjustable")
RIGHT = frozenset({2, 3, 5})  # the number columns
INDENT = " " * 6  # a record's continuation lines, under its service
DEFAULT_WIDTH = 80  # text that goes to a pipe or a file, unless COLUMNS says otherwise


def rows_json(rows: list[Row], ceiling: Ceiling | None = None) -> dict[str, Any]:
    """`{"rows": [...]}` as docs/architecture.md fixes it; `ceiling` only when --max asked for it."""
    out: dict[str, Any] = {"rows": [r.to_json() for r in rows]}
    if ceiling is not None:
        out["ceiling"] = ceiling.to_json()
    return out


def headroom_text(row: Row) -> str:
    return room(row.headroom)


def cells(row: Row) -> list[str]:
    return [
        row.service,
        row.label,
        fmt(row.limit),
        fmt(row.needed),
        row.unit,
        headroom_text(row),
        row.status,
        "yes" if row.adjustable else "no",
    ]


def traffic_line(entry_rps: float, entry_peak_rps: float) -> str:
    if entry_rps <= 0 and entry_peak_rps <= 0:
        return "No entry traffic (give --rps or a workload): only configured sizes and pinned rates are checked."
    return (
        f"Demand at peak: {fmt(entry_peak_rps)} requests/s at each entry point "
        f"(average {fmt(entry_rps)}); statuses: warn at 80 % of a limit, over above it."
    )


def notes(rows: list[Row]) -> list[str]:
    """How the warn and over rows were computed (the notes carry the arithmetic)."""
    out = []
    for r in rows:
        if r.status == "ok":
            continue
        text = "; ".join(part for part in (r.note, r.judged()[1]) if part)
        if text:
            out.append(f"{r.service}, {r.label}: {text}")
    return out


def row_notes(row: Row) -> list[str]:
    """The arithmetic of a warn or over row (none for ok rows), one entry per part."""
    if row.status == "ok":
        return []
    return [part for part in (row.note, row.judged()[1]) if part]


def _wall_text(w: Wall) -> str:
    r = w.row
    raise_it = "adjustable" if r.adjustable else "not adjustable"
    return (
        f"{fmt(w.rps)} requests/s average at each entry (peak {fmt(w.peak_rps)}): {r.service} reaches "
        f"{r.label} = {fmt(r.limit)} {r.unit} ({raise_it})"
    )


def ceiling_lines(ceiling: Ceiling) -> list[str]:
    if not ceiling.walls:
        return ["Ceiling: no quota is reached at any entry rate (nothing in the model grows with traffic)."]
    first, *rest = ceiling.walls
    lines = [f"Ceiling: {_wall_text(first)}."]
    for i, w in enumerate(rest, start=2):
        lines.append(f"Then, if raised, wall {i}: {_wall_text(w)}.")
    return lines


def rows_markdown(
    rows: list[Row], ceiling: Ceiling | None = None, *, title: str | None = None, only_problems: bool = False
) -> str:
    """A GitHub-flavoured Markdown table, worst first; reusable for a PR comment.

    `only_problems` keeps the warn and over rows (a short comment); the ceiling follows the table.
    """
    shown = [r for r in rows if r.status != "ok"] if only_problems else rows
    lines = [f"### {_md(title)}", ""] if title else []
    if shown:
        lines += [
            "| service | quota | limit | needed | headroom | status | adjustable |",
            "|---|---|---:|---:|---:|---|---|",
        ]
        for r in shown:
            status = f"**{r.status}**" if r.status != "ok" else r.status
            lines.append(
                f"| {_md(r.service)} | [{_md(r.label)}]({r.docs}) | {fmt(r.limit)} {_md(r.unit)} "
                f"| {fmt(r.needed)} | {headroom_text(r)} | {status} | {'yes' if r.adjustable else 'no'} |"
            )
    else:
        lines.append("Every quota has at least 20 % headroom." if rows else "No quota applies.")
    if ceiling is not None:
        lines += ["", *(f"- {_md(line)}" for line in ceiling_lines(ceiling))]
    return "\n".join(lines) + "\n"


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Lines of at most `width` (a word longer than that stays whole: a URL is never cut), the first
    starting with `first` (default `indent`), the others with `indent`."""
    return textwrap.wrap(
        text,
        width=max(width, len(indent) + 20),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [(indent if first is None else first).rstrip()]


def table_lines(rows: list[Row]) -> list[str]:
    """The rows as a plain aligned table (header first), at its natural width."""
    table = [list(COLUMNS), *(cells(r) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    return [
        "  ".join(
            c.rjust(w) if i in RIGHT else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]


def record_lines(row: Row, width: int) -> list[str]:
    """One row as a record that any width can show: `STATUS  service: quota title`, then under it
    the numbers and the arithmetic, indented; the status word starts the record at column 0."""
    adjustable = "adjustable" if row.adjustable else "not adjustable"
    out = wrap(f"{row.service}: {row.label}", width, INDENT, f"{row.status:<4}  ")
    out += wrap(
        f"needs {fmt(row.needed)} of {fmt(row.limit)} {row.unit}; headroom {room(row.headroom)}; {adjustable}",
        width,
        INDENT,
    )
    for part in row_notes(row):
        out += wrap(part, width, INDENT)
    return out


def rows_text(rows: list[Row], ceiling: Ceiling | None = None, *, header: str = "", width: int = DEFAULT_WIDTH) -> str:
    """Plain text for pipes and files (no colour, no box characters, no trailing spaces), readable at
    `width`: the aligned table when it fits, else one record per row (every row names its service
    and its quota, never cut into `…`)."""
    out = wrap(header, width) if header else []
    table = table_lines(rows)
    if max(len(line) for line in table) <= width:
        out += table
        extra = notes(rows)
        if extra:
            out.append("")
            for line in extra:
                out += wrap(line, width, "  ", "")
    else:
        if out:
            out.append("")
        for r in rows:
            out += record_lines(r, width)
        if not rows:
            out.append("No quota applies.")
    if ceiling is not None:
        out.append("")
        for line in ceiling_lines(ceiling):
            out += wrap(line, width, "  ", "")
    return "\n".join(out) + "\n"


def quota_table_markdown(catalog: Catalog) -> str:
    """Every quota of quotas/ as a Markdown table (docs/limits.md embeds it; a test keeps it current)."""
    lines = [
        "| quota | default | unit | by Region | adjustable (account key) | status | source (checked) |",
        "|---|---:|---|---|---|---|---|",
    ]
    for q in sorted(catalog.quotas.values(), key=lambda q: q.name):
        by_value: dict[float, list[str]] = {}
        for region, value in sorted(q.by_region.items()):
            by_value.setdefault(value, []).append(region)
        regions = "; ".join(f"{fmt(v)}: {', '.join(rs)}" for v, rs in sorted(by_value.items()))
        keys = [q.name, *([q.account_key] if q.account_key and q.account_key != q.name else [])]
        adjustable = ("yes (" + " or ".join(f"`account.{k}`" for k in keys) + ")") if q.adjustable else "no"
        lines.append(
            f"| `{q.name}` | {fmt(q.value)} | {_md(q.unit)} | {_md(regions) or '-'} | {adjustable} "
            f"| {q.status} | [{_md(q.title)}]({q.docs}) ({q.checked}) |"
        )
    return "\n".join(lines) + "\n"
