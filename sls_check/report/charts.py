"""The report's charts, drawn with matplotlib as static SVG (or PNG) from sls_check.report.collect.

matplotlib is the `report` extra: it is imported here only, when a chart is drawn (never by
validate, cost or limits). pyplot is not used (no global state, no GUI backend): each chart is a
matplotlib.figure.Figure saved through the SVG or Agg canvas. The SVG is deterministic: no date
in its metadata, a fixed hash salt per chart (ids differ between the charts of one page, so they
can all be inlined), text kept as text (svg.fonttype none) so the page stays small and readable,
and no mathtext (a `$` in a name is a dollar sign).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sls_check.graph import TRAFFIC_KINDS
from sls_check.model import Severity
from sls_check.report.collect import SpecReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class ChartsUnavailable(Exception):
    """matplotlib (the `report` extra) is not installed."""


SEVERITY_COLOURS = {
    Severity.ERROR: ("#c00000", "#ffe0e0"),
    Severity.WARNING: ("#b86e00", "#fff0d0"),
    Severity.INFO: ("#1f6feb", "#e0f0ff"),
}
STATUS_COLOURS = {"ok": "#2e8b57", "warn": "#d98200", "over": "#c00000"}
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
MAX_STACKED = 9  # services drawn on their own in the cost chart; the rest are "other"


@dataclass(frozen=True)
class Chart:
    key: str  # file stem for --charts: graph, cost, break-even, headroom, walls
    title: str
    figure: Figure


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable(
            "slscheck report needs matplotlib: pip install 'slscheck[report]' (or pip install matplotlib)"
        ) from None
    return matplotlib


RC = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "legend.fontsize": 8,
    "legend.frameon": False,
}


@contextmanager
def _style(salt: str) -> Iterator[None]:
    mpl = _matplotlib()
    with mpl.rc_context({**RC, "svg.hashsalt": f"slscheck-{salt}"}):
        yield


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def svg(chart: Chart) -> str:
    """The chart as an SVG document (deterministic for the same input and matplotlib version)."""
    buf = io.StringIO()
    with _style(chart.key):
        chart.figure.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def png(chart: Chart) -> bytes:
    buf = io.BytesIO()
    with _style(chart.key):
        chart.figure.savefig(buf, format="png", dpi=150, metadata={"Software": None})
    return buf.getvalue()


_ID = re.compile(r'(\sid="|url\(#|xlink:href="#|\shref="#)([^"()]+)')


def inline_svg(chart: Chart, prefix: str = "") -> str:
    """The SVG element alone, to go inside an HTML page (no XML declaration or doctype).

    matplotlib numbers its elements per figure (figure_1, patch_1, clip paths): with `prefix`, every
    id the SVG defines, and every reference to one, becomes `prefix-id`, so the charts of one page
    never share an id. Links to the page's own anchors (a service's findings) are left alone."""
    text = svg(chart)
    text = text[text.index("<svg") :].strip()
    if not prefix:
        return text
    defined = set(re.findall(r'\sid="([^"]+)"', text))

    def rename(m: re.Match[str]) -> str:
        return m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in defined else m.group(2))

    return _ID.sub(rename, text)


def _rps(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _usd(x: float) -> str:
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def _log_ticks(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _rps(v)))


# ---- the service graph ------------------------------------------------------------------------


def graph_chart(report: SpecReport, anchors: dict[str, str]) -> Chart:
    """Services as boxes in layers (requests flow left to right), traffic on the edges, services with
    findings filled in their worst severity's colour with their count; each box links to its findings."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from sls_check.report.layout import layered
    from sls_check.reporters.diagram import edge_traffic, marks

    graph = report.analysis.graph
    layout = layered(graph)
    marked = marks(report.findings)
    dx, dy, bw, bh = 3.3, 1.25, 2.3, 0.85
    width = max(layout.layers * dx, 4.0)
    height = max(layout.height * dy, 1.6)
    with _style("graph"):
        fig = _figure(width * 0.95, height * 0.95 + 0.2)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-0.3, width - dx + bw + 0.3)
        ax.set_ylim(-(height - dy) - bh / 2 - 0.25, bh / 2 + 0.25)
        ax.axis("off")
        centre = {n: (x * dx + bw / 2, -y * dy) for n, (x, y) in layout.pos.items()}
        pairs: dict[tuple[str, str], list[Any]] = {}
        for src, targets in graph.succ.items():
            for dst, edges in targets.items():
                pairs.setdefault((src, dst), []).extend(edges)
        for (src, dst), edges in sorted(pairs.items()):
            (x1, y1), (x2, y2) = centre[src], centre[dst]
            forward = x2 > x1 + 1e-9
            traffic = [e for e in edges if e.kind in TRAFFIC_KINDS]
            start = (x1 + bw / 2, y1) if forward else (x1, y1 - bh / 2)
            end = (x2 - bw / 2, y2) if forward else (x2, y2 + bh / 2 if y2 < y1 else y2 - bh / 2)
            if not forward and y2 > y1:
                start, end = (x1, y1 + bh / 2), (x2, y2 - bh / 2)
            arrow = FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=10,
                linewidth=1.2 if traffic else 0.8,
                linestyle="-" if traffic else (0, (4, 3)),
                color="#444444" if traffic else "#999999",
                connectionstyle="arc3,rad=0" if forward else "arc3,rad=0.35",
                shrinkA=0,
                shrinkB=1,
            )
            ax.add_patch(arrow)
            labels = [edge_traffic(graph, e) for e in traffic] or [e.kind.replace("_", " ") for e in edges]
            label = "; ".join(dict.fromkeys(x for x in labels if x))
            if label:
                mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
                ax.text(
                    mx,
                    my,
                    label,
                    fontsize=7,
                    ha="center",
                    va="center",
                    color="#222222" if traffic else "#777777",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9},
                )
        for sid, (cx, cy) in centre.items():
            svc = graph.services[sid]
            mark = marked.get(sid)
            stroke, fill = SEVERITY_COLOURS[mark[0]] if mark else ("#555555", "#f6f8fa")
            box = FancyBboxPatch(
                (cx - bw / 2, cy - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                linewidth=2.0 if mark else 1.0,
                edgecolor=stroke,
                facecolor=fill,
            )
            box.set_url(f"#{anchors[sid]}")
            box.set_gid(f"node-{anchors[sid]}")
            ax.add_patch(box)
            t = ax.text(cx, cy + 0.17, sid, ha="center", va="center", fontsize=8.5, fontweight="bold")
            t.set_url(f"#{anchors[sid]}")
            rate = report.analysis.graph.traffic.get(sid)
            sub = svc.type + (f" · {_rps(rate.rps)} rps" if rate is not None and rate.rps > 0 else "")
            ax.text(cx, cy - 0.05, sub, ha="center", va="center", fontsize=7, color="#555555")
            if mark:
                n = mark[1]
                badge = ax.text(
                    cx,
                    cy - 0.27,
                    f"{n} {'finding' if n == 1 else 'findings'} ({mark[0].label})",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=stroke,
                    fontweight="bold",
                )
                badge.set_url(f"#{anchors[sid]}")
    return Chart("graph", "Service graph", fig)


# ---- cost against traffic ---------------------------------------------------------------------


def cost_series(report: SpecReport) -> tuple[list[float], list[tuple[str, list[float]]]]:
    """The sweep's rates and each service's monthly bill at them (cents, as in `cost --format json`),
    biggest at the top rate first, services beyond MAX_STACKED summed as "other"."""
    assert report.sweep is not None
    rates = [float(s.rps or 0.0) for s in report.sweep.scenarios]
    per: dict[str, list[float]] = {}
    for s in report.sweep.scenarios:
        for svc in s.report.services:
            per.setdefault(svc.service, []).append(round(float(svc.monthly), 2))
    ranked = sorted(((k, v) for k, v in per.items() if any(v)), key=lambda kv: (-kv[1][-1], -max(kv[1]), kv[0]))
    if len(ranked) > MAX_STACKED:
        rest = ranked[MAX_STACKED - 1 :]
        other = [round(sum(v[i] for _, v in rest), 2) for i in range(len(rates))]
        ranked = [*ranked[: MAX_STACKED - 1], (f"other ({len(rest)} services)", other)]
    return rates, ranked


def cost_chart(report: SpecReport) -> Chart | None:
    """Two panels on one log traffic axis: the bill stacked by service (USD a month), and each service's
    share of it (which service dominates where). Price tiers first reached, the spec's workload and the
    quota walls are marked on both."""
    if report.sweep is None:
        return None
    rates, series = cost_series(report)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    totals = [round(float(s.total), 2) for s in report.sweep.scenarios]
    with _style("cost"):
        fig = _figure(9.4, 6.2)
        ax = fig.add_axes((0.11, 0.42, 0.64, 0.52))
        share = fig.add_axes((0.11, 0.08, 0.64, 0.24), sharex=ax)
        if series:
            ax.stackplot(
                rates,
                [v for _, v in series],
                labels=[k for k, _ in series],
                colors=colours,
                alpha=0.9,
                linewidth=0.3,
                edgecolor="white",
            )
            shares = [
                [(v[i] / totals[i] * 100.0) if totals[i] > 0 else 0.0 for i in range(len(rates))] for _, v in series
            ]
            share.stackplot(rates, shares, colors=colours, alpha=0.9, linewidth=0.3, edgecolor="white")
        ax.plot(rates, totals, color="#222222", linewidth=1.0, label="total")
        for x, y in zip(rates, totals, strict=True):
            if x in (1, 10, 100, 1000, 10000) or x == rates[-1]:
                ax.annotate(_usd(y), (x, y), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=7)
        ax.set_xscale("log")
        ax.set_xlim(rates[0], rates[-1])
        ax.set_ylim(0, max([*totals, 1.0]) * 1.1)
        _log_ticks(ax)
        ax.yaxis.set_major_formatter(_money_formatter())
        ax.set_ylabel("USD per month")
        partial = any(getattr(s.report, "missing", None) for s in report.sweep.scenarios)
        ax.set_title(
            f"Monthly bill against entry traffic ({FREE_TIER_TITLE.get(report.sweep.free_tier, '')})"
            + (": at least (lines without a price)" if partial else ""),
            loc="left",
            color="#c00000" if partial else "#000000",
        )
        share.set_ylim(0, 100)
        share.set_ylabel("share of the bill, %" if not partial else "share of the priced part, %")
        share.set_xlabel("entry traffic, requests/s (average, at each entry point; log scale)")
        for a in (ax, share):
            a.grid(True, which="major", color="#e5e5e5", linewidth=0.6)
        ax.tick_params(labelbottom=True)
        marked_tier = False
        for s in report.sweep.scenarios:
            if s.crossed and s.rps is not None:
                for a in (ax, share):
                    a.axvline(
                        s.rps,
                        color="#7a4fa0",
                        linestyle=":",
                        linewidth=1.0,
                        label=None if marked_tier or a is share else "price tier first reached",
                    )
                marked_tier = True
                ax.text(
                    s.rps,
                    ax.get_ylim()[1] * 0.98,
                    " " + "; ".join(_short_tier(c) for c in s.crossed),
                    rotation=90,
                    va="top",
                    ha="right",
                    fontsize=6,
                    color="#7a4fa0",
                )
        entry = report.entry_rps
        if report.bill is not None and rates[0] <= entry <= rates[-1]:
            total = float(report.bill.scenarios[0].total)
            for a in (ax, share):
                a.axvline(entry, color="#000000", linewidth=1.4)
            ax.plot([entry], [total], marker="o", color="#000000")
            ax.annotate(
                f"workload {_rps(entry)} rps: {'at least ' if _unpriced(report.bill.scenarios[0]) else ''}"
                f"{_usd(total)}/month",
                (entry, total),
                xytext=(6, 14),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#000000", "lw": 0.6},
            )
        if report.limits is not None and report.limits.ceiling is not None:
            shown = [
                (i, w.rps) for i, w in enumerate(report.limits.ceiling.walls, start=1) if rates[0] <= w.rps <= rates[-1]
            ]
            for n, (_, rps) in enumerate(shown):
                for a in (ax, share):
                    a.axvline(
                        rps,
                        color="#c00000",
                        linestyle="--",
                        linewidth=1.1,
                        label="quota wall (section 5)" if n == 0 and a is ax else None,
                    )
            for group in _close(shown):  # walls a few per cent apart share one label
                ax.text(
                    group[0][1],
                    ax.get_ylim()[1] * 0.5,
                    ("wall " if len(group) == 1 else "walls ") + ", ".join(str(i) for i, _ in group) + " ",
                    rotation=90,
                    va="center",
                    ha="right",
                    fontsize=6.5,
                    color="#c00000",
                )
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
        unpriced = sorted({sid for s in report.sweep.scenarios for sid in _unpriced(s)})
        if unpriced:
            fig.text(
                0.77,
                0.62,
                "not priced (no price in the Region),\nnot in the stack:\n" + "\n".join(unpriced),
                fontsize=7.5,
                color="#c00000",
                va="top",
            )
    return Chart("cost", "Monthly bill against entry traffic", fig)


def _unpriced(scenario: Any) -> list[str]:
    """Services with a line the price tables could not price (a partial bill)."""
    return sorted({m.service for m in getattr(scenario.report, "missing", None) or []})


def _close(points: list[tuple[int, float]], factor: float = 1.15) -> list[list[tuple[int, float]]]:
    """Consecutive (label, rps) points within `factor` of the group's first, grouped."""
    groups: list[list[tuple[int, float]]] = []
    for p in points:
        if groups and p[1] <= groups[-1][0][1] * factor:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


FREE_TIER_TITLE = {"none": "no free tier", "always": "always-free allowances", "all": "all free-tier offers"}


def _short_tier(text: str) -> str:
    # "lambda duration_arm64 (eu-west-1) tier 2" -> "lambda duration_arm64 tier 2"
    head, _, tail = text.partition(" (")
    return f"{head}{' ' + tail.split(') ', 1)[1] if ') ' in tail else ''}"


def _money_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: _usd(v))


# ---- Lambda against Fargate ---------------------------------------------------------------------


@dataclass(frozen=True)
class BreakEvenSeries:
    service: str
    rates: list[float]  # entry rps
    lam: list[float | None]
    far: list[float | None]
    tasks: list[int]
    break_even_rps: float | None  # in the function's own rps
    break_even_entry: float | None  # the same point on the entry axis
    size: str
    note: str


def break_even_series(report: SpecReport) -> list[BreakEvenSeries]:
    if report.sweep is None or not report.sweep.scenarios:
        return []
    scenarios = report.sweep.scenarios
    out: list[BreakEvenSeries] = []
    for i, first in enumerate(scenarios[0].break_even):
        rows = [s.break_even[i] for s in scenarios]
        last, last_rate = rows[-1], float(scenarios[-1].rps or 0.0)
        ratio = last.rps / last_rate if last_rate > 0 else 0.0
        be = float(first.break_even_rps) if first.break_even_rps is not None else None
        out.append(
            BreakEvenSeries(
                first.service,
                [float(s.rps or 0.0) for s in scenarios],
                [None if b.lambda_monthly is None else round(float(b.lambda_monthly), 2) for b in rows],
                [None if b.fargate_monthly is None else round(float(b.fargate_monthly), 2) for b in rows],
                [b.fargate_tasks for b in rows],
                be,
                be / ratio if be is not None and ratio > 0 else None,
                first.size.describe(),
                first.note,
            )
        )
    return out


def break_even_chart(report: SpecReport) -> Chart | None:
    series = break_even_series(report)
    if not series:
        return None
    cols = 1 if len(series) == 1 else 2
    rows = math.ceil(len(series) / cols)
    with _style("break-even"):
        fig = _figure(4.6 * cols, 3.1 * rows)
        axes = fig.subplots(rows, cols, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(series):
                ax.axis("off")
                continue
            b = series[k]
            lam = [math.nan if v is None or v <= 0 else v for v in b.lam]
            far = [math.nan if v is None or v <= 0 else v for v in b.far]
            ax.plot(b.rates, lam, color=PALETTE[0], linewidth=1.6, label="Lambda")
            ax.plot(b.rates, far, color=PALETTE[1], linewidth=1.6, drawstyle="steps-post", label="Fargate, always on")
            ax.set_xscale("log")
            if any(not math.isnan(v) for v in lam + far):
                ax.set_yscale("log")
            ax.set_xlim(b.rates[0], b.rates[-1])
            _log_ticks(ax)
            ax.yaxis.set_major_formatter(_money_formatter())
            ax.grid(True, which="major", color="#e5e5e5", linewidth=0.6)
            ax.set_title(b.service, loc="left")
            ax.set_xlabel("entry requests/s", fontsize=8)
            ax.tick_params(labelsize=7)
            if b.break_even_entry is not None and b.rates[0] <= b.break_even_entry <= b.rates[-1]:
                ax.axvline(b.break_even_entry, color="#c00000", linestyle="--", linewidth=1.1)
                ax.text(
                    b.break_even_entry,
                    0.03,
                    f" break-even {_rps(b.break_even_entry)} rps entry\n"
                    f" ({_rps(b.break_even_rps or 0)} rps at the function)",
                    transform=ax.get_xaxis_transform(),
                    fontsize=6.5,
                    color="#c00000",
                )
            elif b.note:
                ax.text(
                    0.02,
                    0.02,
                    "Fargate never cheaper" if b.break_even_rps is None else "",
                    fontsize=7,
                    transform=ax.transAxes,
                    color="#555555",
                )
            entry = report.entry_rps
            if b.rates[0] <= entry <= b.rates[-1]:
                ax.axvline(entry, color="#000000", linewidth=1.0)
            ax.legend(loc="upper left", fontsize=7)
        fig.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.14, hspace=0.55, wspace=0.3)
    return Chart("break-even", "Lambda against always-on Fargate", fig)


# ---- quotas -----------------------------------------------------------------------------------------


MAX_ROWS = 40


def headroom_chart(report: SpecReport) -> Chart | None:
    if report.limits is None or not report.limits.rows:
        return None
    rows = report.limits.rows[:MAX_ROWS]
    n = len(rows)
    with _style("headroom"):
        fig = _figure(9.0, 0.28 * n + 1.2)
        ax = fig.add_axes((0.38, 0.8 / (0.28 * n + 1.2), 0.57, 1 - 1.15 / (0.28 * n + 1.2)))
        used = [min(r.used * 100.0, 150.0) if math.isfinite(r.used) else 150.0 for r in rows]
        ys = list(range(n))
        ax.barh(ys, used, color=[STATUS_COLOURS[r.status] for r in rows], height=0.65)
        ax.set_yticks(ys, [f"{r.service} · {r.quota}" for r in rows], fontsize=7.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 155)
        ax.axvline(80, color="#d98200", linestyle=":", linewidth=1)
        ax.axvline(100, color="#c00000", linestyle="--", linewidth=1)
        for y, r, u in zip(ys, rows, used, strict=True):
            text = f"{r.used * 100:.1f}%" if math.isfinite(r.used) else "no limit left"
            ax.text(u + 1.5, y, text + ("+" if r.used * 100 > 150 else ""), va="center", fontsize=7)
        ax.set_xlabel("share of the limit used at the spec's workload (peak), %")
        ax.set_title("Quota headroom at the workload", loc="left")
    return Chart("headroom", "Quota headroom at the workload", fig)


def walls_chart(report: SpecReport) -> Chart | None:
    if report.limits is None or report.limits.ceiling is None:
        return None
    walls = report.limits.ceiling.walls
    lo, hi = report.rates[0], report.rates[-1]
    if walls:
        lo, hi = min(lo, *(w.rps for w in walls if w.rps > 0), hi), max(hi, *(w.rps * 1.5 for w in walls))
    with _style("walls"):
        fig = _figure(9.0, 0.45 * max(len(walls), 1) + 1.4)
        ax = fig.add_axes((0.08, 0.3, 0.88, 0.55))
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        _log_ticks(ax)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("entry traffic, requests/s (average at each entry point)")
        ax.set_title("Quota walls: where traffic meets a quota (first, then the next ones if raised)", loc="left")
        if not walls:
            ax.text(0.5, 0.5, "no quota is reached at any entry rate", transform=ax.transAxes, ha="center")
        for i, w in enumerate(walls):
            y = len(walls) - i
            colour = "#c00000" if i == 0 else "#d98200"
            ax.plot([lo, w.rps], [y, y], color=colour, linewidth=1.0, alpha=0.5)
            ax.plot([w.rps], [y], marker="|", markersize=16, markeredgewidth=2.5, color=colour)
            ax.text(
                w.rps,
                y + 0.22,
                f"wall {i + 1} at {_rps(w.rps)} rps: {w.row.service} {w.row.quota} = {w.row.limit:g} {w.row.unit}"
                f" ({'adjustable' if w.row.adjustable else 'not adjustable'})",
                ha="right" if w.rps > math.sqrt(lo * hi) else "left",
                fontsize=7.5,
                color=colour,
            )
        if walls:
            ax.axvspan(walls[0].rps, hi, color="#c00000", alpha=0.06)
        ax.set_ylim(0.4, len(walls) + 0.9)
        entry = report.entry_rps
        if lo <= entry <= hi and entry > 0:
            ax.axvline(entry, color="#000000", linewidth=1.2)
            ax.text(entry, 0.45, f" workload {_rps(entry)} rps", fontsize=7.5)
    return Chart("walls", "Quota walls on the traffic axis", fig)


ChartMaker = Callable[[SpecReport], "Chart | None"]


def charts(report: SpecReport, anchors: dict[str, str]) -> list[Chart]:
    """Every chart of one spec's page, in page order (graph, cost, break-even, headroom, walls)."""
    _matplotlib()
    out = [graph_chart(report, anchors)]
    for make in (cost_chart, break_even_chart, headroom_chart, walls_chart):
        chart = make(report)
        if chart is not None:
            out.append(chart)
    return out
