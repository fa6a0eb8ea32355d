"""`slscheck limits`: the rows as JSON data, Markdown (for a PR comment too) and plain text.

The coloured table is reporters.limits_text (rich); these return strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sls_check.reporters.escape import markdown_cell as _md
from sls_check.reporters.numbers import quantity as fmt

if TYPE_CHECKING:
    from sls_check.limits.catalog import Catalog
    from sls_check.limits.ceiling import Ceiling, Wall
    from sls_check.limits.rows import Row

COLUMNS = ("service", "quota", "limit", "needed", "unit", "headroom", "status", "adjustable")


def rows_json(rows: list[Row], ceiling: Ceiling | None = None) -> dict[str, Any]:
    """`{"rows": [...]}` as docs/architecture.md fixes it; `ceiling` only when --max asked for it."""
    out: dict[str, Any] = {"rows": [r.to_json() for r in rows]}
    if ceiling is not None:
        out["ceiling"] = ceiling.to_json()
    return out


def headroom_text(row: Row) -> str:
    return "-" if row.headroom is None else f"{row.headroom:g}%"


def cells(row: Row) -> list[str]:
    return [
        row.service,
        row.quota,
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
            out.append(f"{r.service} {r.quota}: {text}")
    return out


def _wall_text(w: Wall) -> str:
    r = w.row
    raise_it = "adjustable" if r.adjustable else "not adjustable"
    return (
        f"{fmt(w.rps)} requests/s average at each entry (peak {fmt(w.peak_rps)}): {r.service} reaches "
        f"{r.quota} = {fmt(r.limit)} {r.unit} ({raise_it})"
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
                f"| {_md(r.service)} | [{_md(r.quota)}]({r.docs}) | {fmt(r.limit)} {_md(r.unit)} "
                f"| {fmt(r.needed)} | {headroom_text(r)} | {status} | {'yes' if r.adjustable else 'no'} |"
            )
    else:
        lines.append("Every quota has at least 20 % headroom." if rows else "No quota applies.")
    if ceiling is not None:
        lines += ["", *(f"- {_md(line)}" for line in ceiling_lines(ceiling))]
    return "\n".join(lines) + "\n"


def rows_text(rows: list[Row], ceiling: Ceiling | None = None, *, header: str = "") -> str:
    """A plain, aligned table (no colour, no box characters) for pipes and files."""
    table = [list(COLUMNS), *(cells(r) for r in rows)]
    right = {2, 3, 5}
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    out = [header] if header else []
    for row in table:
        out.append(
            "  ".join(
                c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    extra = notes(rows)
    if extra:
        out += ["", *extra]
    if ceiling is not None:
        out += ["", *ceiling_lines(ceiling)]
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
