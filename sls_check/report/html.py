"""`slscheck report`: one self-contained HTML page per run (one article per spec).

The page loads nothing: no script, no font, no style sheet, no image from anywhere (a
Content-Security-Policy meta forbids every load as a second belt); the charts are inline SVG
drawn by sls_check.report.charts. Every name, message and address is HTML-escaped; links go
only to http(s) addresses. The numbers the charts draw are also in a JSON block
(`<script type="application/json" id="slscheck-data">`, never executed) for tests and scripts.
The output has no timestamp: the same input gives the same page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from sls_check import __version__
from sls_check.graph import SECONDS_PER_MONTH
from sls_check.model import Finding
from sls_check.pricing.breakeven import DEFAULTS as FARGATE_DEFAULTS
from sls_check.report.charts import Chart, break_even_series, charts, cost_series, inline_svg
from sls_check.report.collect import Source, SpecReport, money
from sls_check.reporters.escape import html_attr
from sls_check.reporters.limits import ceiling_lines, headroom_text
from sls_check.results import FREE_TIER_NOTE

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1f2328}
header.page{background:#0d1117;color:#f0f6fc;padding:14px 24px}
header.page h1{margin:0;font-size:20px}
header.page p{margin:4px 0 0;color:#c9d1d9}
main{padding:0 24px 40px;max-width:1200px}
article{border-bottom:2px solid #d0d7de;padding-bottom:24px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 4px}
nav ol{margin:6px 0;padding-left:20px}
nav a,a{color:#0969da}
figure{margin:8px 0;overflow-x:auto}
figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{font-weight:600;padding:0 5px;border-radius:3px}
.sev-error{color:#c00000;background:#ffe0e0}.sev-warning{color:#8a5200;background:#fff0d0}.sev-info{color:#1f6feb;background:#e0f0ff}
.st-ok{color:#2e7d32}.st-warn{color:#b86e00;font-weight:600}.st-over{color:#c00000;font-weight:700}
.unconfirmed{color:#b86e00;font-weight:600}
.missing{color:#c00000}
ul.findings{list-style:none;padding-left:0}
ul.findings li{margin:6px 0;padding:6px 10px;border-left:4px solid #d0d7de;background:#f6f8fa}
ul.findings li.error{border-color:#c00000}ul.findings li.warning{border-color:#d98200}
ul.findings li.info{border-color:#1f6feb}
.loc{color:#57606a;font-family:ui-monospace,monospace;font-size:12px}
.fix{color:#1a7f37}
.problems{color:#c00000}
p.note,ul.assumptions,span.note{color:#57606a}
td.url{word-break:break-all;max-width:360px}
table ul{margin:0;padding-left:16px}
main table{max-width:100%}
"""


def h(text: object) -> str:
    """Text for an HTML element or a quoted attribute (the page quotes every attribute)."""
    return html_attr(str(text))


_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def link(url: str, text: str | None = None) -> str:
    """A link to an http(s) address; anything else stays text."""
    if url and _URL.match(url):
        return f'<a href="{h(url)}">{h(text if text is not None else url)}</a>'
    return h(text if text is not None else url)


def json_block(data: Any) -> str:
    """JSON inside <script type="application/json">: no `<` survives (no `</script>`, no `<!--`)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def anchors_for(report: SpecReport, prefix: str) -> dict[str, str]:
    """service id -> an element id (ids are checked names, but numbering keeps them unique across specs)."""
    return {sid: f"{prefix}-svc-{i}" for i, sid in enumerate(report.analysis.graph.services)}


def _rps(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def _figure(chart: Chart, prefix: str) -> str:
    svg = inline_svg(chart, f"{prefix}-{chart.key}")
    return f'<figure data-chart="{h(chart.key)}" aria-label="{h(chart.title)}">{svg}</figure>'


def _findings(report: SpecReport, anchors: dict[str, str]) -> str:
    out: list[str] = []
    if not report.findings:
        out.append("<p>No findings.</p>")
    for service, group in groupby(report.findings, key=lambda f: f.service):
        items: list[Finding] = list(group)
        anchor = anchors.get(service)
        head = h(service or "(spec)")
        out.append(f"<h3{f' id={chr(34)}{anchor}{chr(34)}' if anchor else ''}>{head}</h3>")
        out.append('<ul class="findings">')
        for f in items:
            sev = f.severity.label
            out.append(
                f'<li class="{sev}" data-rule="{h(f.rule_id)}"><span class="loc">{h(f.location)}</span> '
                f'<span class="sev sev-{sev}">{sev}</span> <b>{h(f.rule_id)}</b> {h(f.rule_name)}: {h(f.message)}'
                + (f'<br><span class="fix">fix: {h(f.fix)}</span>' if f.fix else "")
                + (f"<br>AWS: {link(f.docs)}" if f.docs else "")
                + "</li>"
            )
        out.append("</ul>")
    if report.suppressed:
        out.append(f'<p class="note">{len(report.suppressed)} suppressed (with their reasons in the spec).</p>')
    # services without findings still get their anchor, so every box of the graph links somewhere
    quiet = [sid for sid in anchors if sid not in {f.service for f in report.findings}]
    if quiet:
        out.append(
            '<p class="note">No findings: '
            + ", ".join(f'<span id="{anchors[s]}">{h(s)}</span>' for s in quiet)
            + "</p>"
        )
    return "\n".join(out)


def _bill_table(report: SpecReport) -> str:
    assert report.bill is not None
    s = report.bill.scenarios[0]
    rows = [
        "<table data-table='bill'><tr><th>service</th><th>type</th><th>item</th><th class=num>quantity</th>"
        "<th>unit</th><th class=num>unit price</th><th class=num>monthly</th></tr>"
    ]
    for svc in s.report.services:
        for ln in svc.lines:
            flag = ' <span class="unconfirmed">(price not confirmed)</span>' if "not confirmed" in ln.note else ""
            assumption = getattr(ln, "assumption", "")
            if assumption:
                flag += f'<br><span class="note">assumes {h(assumption)}</span>'
            if getattr(ln, "priced", True):
                price = f"<td class=num>{float(ln.unit_price):.6g}</td><td class=num>{money(ln.monthly)}</td>"
            else:  # a line without a price is shown as such, never as $0.00
                why = getattr(ln, "missing", "") or "no price"
                price = f"<td class='num missing' colspan=2>not priced: {h(why)}</td>"
            rows.append(
                f"<tr data-service='{h(svc.service)}'><td>{h(svc.service)}</td><td>{h(svc.type)}</td>"
                f"<td>{h(ln.item)}{flag}</td><td class=num>{float(ln.quantity):,.6g}</td><td>{h(ln.unit)}</td>"
                f"{price}</tr>"
            )
        if not svc.lines:
            rows.append(
                f"<tr data-service='{h(svc.service)}'><td>{h(svc.service)}</td><td>{h(svc.type)}</td>"
                "<td>(no billable usage)</td><td></td><td></td><td></td><td class=num>$0.00</td></tr>"
            )
    missing = _missing(s.report)
    label = "total" if not missing else f"at least (the priced lines; {len(missing)} not priced)"
    rows.append(f"<tr><th colspan=6>{h(label)}</th><th class=num data-total>{money(s.total)}</th></tr></table>")
    if missing:
        rows.append(
            '<p class="missing">Not priced (no price for the dimension in the Region): the bill is a lower bound.</p>'
            '<ul class="missing">' + "".join(f"<li>{h(m)}</li>" for m in missing) + "</ul>"
        )
    return "\n".join(rows)


def _missing(report: object) -> list[str]:
    """The bill's lines without a price (partial bills), each as one sentence."""
    out = []
    for m in getattr(report, "missing", None) or []:
        describe = getattr(m, "describe", None)
        out.append(describe() if callable(describe) else str(m))
    return out


def _sweep_table(report: SpecReport) -> str:
    rates, series = cost_series(report)
    assert report.sweep is not None
    head = "".join(f"<th class=num>{h(name)}</th>" for name, _ in series)
    rows = [
        "<table data-table='sweep'><tr><th class=num>entry rps</th><th class=num>total</th>"
        f"{head}<th>tiers first reached</th></tr>"
    ]
    for i, s in enumerate(report.sweep.scenarios):
        cells = "".join(f"<td class=num>{money(v[i])}</td>" for _, v in series)
        partial = _missing(s.report)
        lower = f" <span class='missing'>at least: {len(partial)} lines not priced</span>" if partial else ""
        rows.append(
            f"<tr><td class=num>{rates[i]:g}</td><td class=num>{money(s.total)}{lower}</td>{cells}"
            f"<td>{h('; '.join(s.crossed))}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _break_even(report: SpecReport) -> str:
    series = break_even_series(report)
    if not series:
        return "<p>No Lambda function to compare (Lambda@Edge is not compared).</p>"
    rows = [
        "<table data-table='break-even'><tr><th>function</th><th>Fargate size</th><th class=num>Fargate cheaper above "
        "(function rps)</th><th class=num>same point in entry rps</th><th>note</th></tr>"
    ]
    for b in series:
        rows.append(
            f"<tr><td>{h(b.service)}</td><td>{h(b.size)}</td>"
            f"<td class=num>{_rps(b.break_even_rps) if b.break_even_rps is not None else 'never'}</td>"
            f"<td class=num>{_rps(b.break_even_entry)}</td><td>{h(b.note)}</td></tr>"
        )
    rows.append("</table>")
    d = FARGATE_DEFAULTS
    rows.append(
        '<ul class="assumptions">'
        "<li>Each function is priced alone, without free tier, at the price tables' rates; its monthly cost is "
        "linear in its rps (provisioned concurrency and SnapStart are the fixed part).</li>"
        f"<li>The Fargate service runs max(min_tasks, ceil(rps / task_rps)) tasks around the clock (730 h); defaults "
        f"{h(d['cpu'])} vCPU, {h(d['memory_gb'])} GB, {h(d['task_rps'])} rps per task, "
        f"at least {h(d['min_tasks'])} tasks "
        "(two Availability Zones), on the function's architecture; a function's <code>fargate_alternative</code> "
        "or the cost command's options change them. Per-task capacity matters most: measure it.</li>"
        "<li>Not counted on either side: load balancer, NAT, data transfer, logs, idle headroom for peaks, "
        "and the time it takes to run containers.</li>"
        "<li>Tasks come in whole steps, so Lambda can be cheaper again just after a task is added: the break-even "
        "is the rps above which Fargate is never dearer.</li></ul>"
    )
    return "\n".join(rows)


def _limits_table(report: SpecReport) -> str:
    assert report.limits is not None
    rows = [
        "<table data-table='limits'><tr><th>service</th><th>quota</th><th class=num>limit</th><th class=num>needed</th>"
        "<th>unit</th><th class=num>headroom</th><th>status</th><th>adjustable</th></tr>"
    ]
    for r in report.limits.rows:
        rows.append(
            f"<tr><td>{h(r.service)}</td><td>{link(r.docs, r.quota)}</td><td class=num>{r.limit:,.6g}</td>"
            f"<td class=num>{r.needed:,.6g}</td><td>{h(r.unit)}</td><td class=num>{h(headroom_text(r))}</td>"
            f"<td class='st-{r.status}'>{r.status}</td><td>{'yes' if r.adjustable else 'no'}</td></tr>"
        )
    rows.append("</table>")
    if report.limits.ceiling is not None:
        rows.append("<ul>" + "".join(f"<li>{h(line)}</li>" for line in ceiling_lines(report.limits.ceiling)) + "</ul>")
    return "\n".join(rows)


def _sources(report: SpecReport) -> str:
    workload = report.bill.workload if report.bill is not None else ""
    free = FREE_TIER_NOTE.get(report.bill.free_tier, "") if report.bill is not None else ""
    out = [
        '<ul class="assumptions">',
        f"<li>Traffic: {h(workload or 'the spec workload')}; peak {_rps(report.analysis.graph.entry_peak_rps)} rps "
        "(quotas are checked at the peak, bills at the average).</li>",
        f"<li>A month is 730 hours ({SECONDS_PER_MONTH:,} seconds), as in the AWS Pricing Calculator; prices in USD, "
        f"list prices of Region {h(report.bill.region if report.bill else report.region)}; {h(free)}.</li>",
        "<li>The cost chart prices the spec at each entry rate of the axis "
        f"({len(report.rates)} rates from {report.rates[0]:g} to {report.rates[-1]:g} rps, log-spaced); "
        "services that pin their own traffic stay constant.</li>",
        "<li>Quota statuses: warn at 80 % of a limit, over above it; walls are the entry rps at which a quota "
        "is reached with the spec's peak-to-average shape.</li>",
        "</ul>",
        "<table data-table='sources'><tr><th>source</th><th>seen</th><th>figures taken from it</th></tr>",
    ]
    groups: dict[tuple[str, str, str], list[Source]] = {}
    for s in report.sources:
        groups.setdefault((s.url, s.seen, s.via), []).append(s)
    for (url, seen, via), entries in groups.items():
        items = []
        for s in entries:
            flag = "" if s.confirmed else ' <span class="unconfirmed">not confirmed</span>'
            note = f' <span class="note">({h(s.note)})</span>' if s.note else ""
            items.append(
                f"<li data-ref='{h(s.ref)}'>{h(s.kind)} <code>{h(s.ref)}</code>: {h(s.title)}{flag}{note}</li>"
            )
        how = f'<br><span class="note">read via: {h(via)}</span>' if via else ""
        out.append(
            f"<tr><td class='url'>{link(url)}{how}</td><td>{h(seen or '-')}</td><td><ul>{''.join(items)}</ul></td></tr>"
        )
    out.append("</table>")
    unconfirmed = sum(1 for s in report.sources if not s.confirmed)
    out.append(
        f'<p class="note">{unconfirmed} of {len(report.sources)} figures used on this page are not confirmed at an AWS '
        "source (marked); the others were read at the address given, on the date given (stored copies).</p>"
    )
    return "\n".join(out)


def _problems(lines: Iterable[str]) -> str:
    return '<ul class="problems">' + "".join(f"<li>{h(x)}</li>" for x in lines) + "</ul>"


SECTIONS = (
    ("graph", "Service graph"),
    ("findings", "Findings"),
    ("cost", "Monthly cost against traffic"),
    ("break-even", "Lambda against always-on Fargate"),
    ("quotas", "Quota headroom and walls"),
    ("sources", "Assumptions and sources"),
)


def article(report: SpecReport, index: int, drawn: list[list[Chart]] | None = None) -> str:
    prefix = f"s{index}"
    anchors = anchors_for(report, prefix)
    made = {c.key: c for c in charts(report, anchors)}
    if drawn is not None:  # the caller writes them as files too
        drawn.append(list(made.values()))
    g = report.analysis.graph
    title = report.name or report.file
    parts = [
        f'<article id="{prefix}" data-file="{h(report.file)}">',
        f"<h2 style='border:0;font-size:20px'>{h(title)} <span class='loc'>{h(report.file)}</span></h2>",
        f"<p>Region {h(report.region)}; entry traffic {_rps(g.entry_rps)} rps average, "
        f"{_rps(g.entry_peak_rps)} at peak; "
        f"{len(g.services)} services; {_count(report.findings)}.</p>",
        "<nav><ol>" + "".join(f'<li><a href="#{prefix}-{k}">{h(t)}</a></li>' for k, t in SECTIONS) + "</ol></nav>",
    ]

    def section(key: str, body: str) -> None:
        number = [k for k, _ in SECTIONS].index(key) + 1
        parts.append(f'<section id="{prefix}-{key}"><h2>{number}. {h(dict(SECTIONS)[key])}</h2>{body}</section>')

    section(
        "graph",
        _figure(made["graph"], prefix)
        + '<p class="note">Requests flow left to right; solid edges carry traffic (average '
        "rps), dashed ones are references. A coloured box has findings: click it.</p>",
    )
    section("findings", _findings(report, anchors))
    if report.cost_problems:
        section("cost", "<p>The bill could not be priced:</p>" + _problems(report.cost_problems))
        section("break-even", "<p>Not compared: the bill could not be priced.</p>")
    else:
        section(
            "cost",
            (_figure(made["cost"], prefix) if "cost" in made else "")
            + "<h3>The bill at the workload</h3>"
            + _bill_table(report)
            + "<details><summary>The bill at every rate of the chart</summary>"
            + _sweep_table(report)
            + "</details>",
        )
        section(
            "break-even", (_figure(made["break-even"], prefix) if "break-even" in made else "") + _break_even(report)
        )
    if report.limits is None:
        section("quotas", "<p>The quotas could not be computed:</p>" + _problems(report.limits_problems))
    else:
        body = "".join(_figure(made[k], prefix) for k in ("headroom", "walls") if k in made)
        section("quotas", body + _limits_table(report))
    section("sources", _sources(report))
    parts.append("</article>")
    return "\n".join(parts)


def _count(findings: list[Finding]) -> str:
    by: dict[str, int] = {}
    for f in findings:
        by[f.severity.label] = by.get(f.severity.label, 0) + 1
    if not by:
        return "no findings"
    return ", ".join(f"{n} {label}" for label, n in sorted(by.items(), key=lambda kv: kv[0]))


def render(reports: list[SpecReport], drawn: list[list[Chart]] | None = None) -> str:
    """The whole page. Deterministic: no date, no random ids. `drawn`, when given, receives every
    article's charts (for --charts: the files are the page's own figures, not drawn twice)."""
    names = ", ".join(r.name or r.file for r in reports)
    body = "\n".join(article(r, i + 1, drawn) for i, r in enumerate(reports))
    data = {"slscheck": __version__, "specs": [r.to_json() for r in reports]}
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>slscheck report: {h(names)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header class='page'><h1>slscheck report: {h(names)}</h1>"
        "<p>Architecture, findings, cost against traffic, Lambda vs Fargate and quota walls. "
        f"slscheck {h(__version__)}.</p>"
        "</header>\n<main>\n"
        f"{body}\n</main>\n"
        f'<script type="application/json" id="slscheck-data">{json_block(data)}</script>\n'
        "</body>\n</html>\n"
    )
