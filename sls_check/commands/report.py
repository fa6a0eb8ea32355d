"""`slscheck report ARCH...`: one self-contained HTML page (graph, findings, cost against traffic,
Lambda vs Fargate, quota headroom and walls, assumptions and sources); the charts as files on request.

Exit codes: 0 the page was written; 2 an input could not be checked or the `report` extra
(matplotlib) is not installed, each problem on one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sls_check.commands.common import (
    check_format,
    one_rate,
    parse_rates,
    refuse_overwriting_inputs,
    region_option,
    write_output,
)
from sls_check.model import InputError, Location, Problem

if TYPE_CHECKING:
    from sls_check.report.charts import Chart

CHART_FORMATS = ("svg", "png")


def _range(text: str | None) -> tuple[float, float]:
    from sls_check.report.collect import DEFAULT_RANGE

    rates = parse_rates(text, "--rps-range")
    if rates is None:
        return DEFAULT_RANGE
    if len(rates) != 2 or not 0 < rates[0] < rates[1]:
        raise typer.BadParameter("takes LO,HI with 0 < LO < HI (e.g. 0.1,10000)", param_hint="--rps-range")
    if rates[1] / rates[0] > 1e12:
        raise typer.BadParameter("spans more than 12 decades", param_hint="--rps-range")
    return rates[0], rates[1]


def _formats(text: str) -> list[str]:
    out = [check_format(part, CHART_FORMATS, "--chart-format") for part in text.split(",")]
    return list(dict.fromkeys(out))


def report(
    files: list[Path] = typer.Argument(..., metavar="ARCH...", help="Architecture spec files.", show_default=False),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the page to this file (default: stdout)."),
    rps: str | None = typer.Option(None, "--rps", help="Average entry requests per second (overrides workload)."),
    peak_rps: str | None = typer.Option(None, "--peak-rps", help="Peak entry requests per second."),
    rps_range: str | None = typer.Option(
        None, "--rps-range", help="Traffic axis of the charts as LO,HI requests/s (default 0.1,10000)."
    ),
    region: str | None = typer.Option(None, "--region", help="Price the spec's region's services in this region."),
    free_tier: bool | None = typer.Option(
        None, "--free-tier/--no-free-tier", show_default=False, help="Subtract the always-free allowances."
    ),
    charts: Path | None = typer.Option(
        None, "--charts", help="Also write every chart into this folder (graph.svg, cost.svg, ...)."
    ),
    chart_format: str = typer.Option("svg", "--chart-format", help="Chart files: svg, png or svg,png."),
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay for templates (default: slscheck.overlay.yaml beside the template)."
    ),
    config_file: Path | None = typer.Option(
        None,
        "--config",
        help="Configuration file (default: .slscheck.yaml or [tool.slscheck] in pyproject.toml, found upwards).",
    ),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore any configuration file."),
) -> None:
    """One self-contained HTML page: graph, findings, cost against traffic, Lambda vs Fargate, quota walls."""
    from sls_check.config import resolve

    refuse_overwriting_inputs(output, [*files, *([overlay] if overlay else [])])
    rate_range = _range(rps_range)
    formats = _formats(chart_format)
    region = region_option(region)
    config = resolve(config_file, use_file=not no_config)
    try:
        from sls_check.report import charts as charts_module
        from sls_check.report.html import render

        charts_module._matplotlib()
    except charts_module.ChartsUnavailable as exc:
        raise InputError([Problem(_cmdline(), str(exc))]) from None
    from sls_check.report.collect import collect

    tier: bool | str = free_tier if free_tier is not None else (config.free_tier or False)
    reports = []
    problems: list[Problem] = []
    for path in files:
        try:
            reports.append(
                collect(
                    path,
                    rps=one_rate(rps),
                    peak_rps=one_rate(peak_rps, "--peak-rps"),
                    rate_range=rate_range,
                    region=region or config.region,
                    free_tier=tier,
                    config=config,
                    extra_rules=list(config.rules) or None,
                    overlay=overlay,
                )
            )
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    drawn: list[list[Chart]] = []
    page = render(reports, drawn)
    write_output(page, output)
    if charts is not None:
        _write_charts(charts, drawn, formats)
    raise typer.Exit(0)


def _cmdline() -> Location:
    return Location("<command line>", 1, 1)


def _write_charts(folder: Path, drawn: list[list[Chart]], formats: list[str]) -> None:
    from sls_check.report.charts import png, svg

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.single(str(folder), 1, 1, f"cannot create the charts folder: {exc.strerror or exc}") from None
    many = len(drawn) > 1
    for i, made in enumerate(drawn, start=1):
        for chart in made:
            stem = f"{i}-{chart.key}" if many else chart.key
            for fmt in formats:
                target = folder / f"{stem}.{fmt}"
                if fmt == "svg":
                    write_output(svg(chart), target)
                else:
                    try:
                        target.write_bytes(png(chart))
                    except OSError as exc:
                        raise InputError.single(str(target), 1, 1, f"cannot write: {exc.strerror or exc}") from None


def register(app: typer.Typer) -> None:
    app.command("report")(report)
