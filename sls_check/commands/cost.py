"""`slscheck cost ARCH.yaml`: the monthly bill per service and per line, at one or several rps.

Exit codes: 0 the bill was computed (a partial bill, with lines not priced, too, unless
--require-complete); 1 with --require-complete, a line is not priced; 2 the input could not be
checked (YAML, schema, usage), each problem as `file:line:col: message`.
"""

from __future__ import annotations

import io
from pathlib import Path

import typer

from sls_check.commands.common import (
    FREE_TIER,
    check_format,
    choice,
    free_tier_value,
    parse_rates,
    plain,
    print_console,
    refuse_overwriting_inputs,
    region_option,
    use_color,
    write_output,
)

FORMATS = ("text", "json", "markdown")


def _positive(value: float | None, option: str) -> float | None:
    # bounded too: 1e-320 tasks' worth of rps or an infinite vCPU count overflow the break-even arithmetic
    if value is not None and not 0.001 <= value <= 1_000_000:
        raise typer.BadParameter("must be a number from 0.001 to 1,000,000", param_hint=option)
    return value


def cost(
    file: Path = typer.Argument(..., help="Architecture spec file (YAML).", show_default=False),
    rps: str | None = typer.Option(
        None,
        "--rps",
        help="Entry requests per second; several as 10,100,1000 (one scenario each). Default: the spec's workload.",
    ),
    region: str | None = typer.Option(
        None,
        "--region",
        help="Price the services of the spec's region in this "
        "region instead (services pinned to another region keep theirs).",
    ),
    free_tier: str | None = typer.Option(
        None,
        "--free-tier",
        show_default=False,
        help="Subtract the free tier (once for the whole spec): none, always (the always-free allowances; "
        "also the bare --free-tier) or all; --no-free-tier is none. Default: the config's pricing.free_tier, "
        "else none. The same option as diff's.",
        **choice(FREE_TIER),
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="Output format.", **choice(FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    fargate_cpu: float | None = typer.Option(
        None,
        "--fargate-cpu",
        help="Break-even: vCPU per Fargate task (default 0.5, or the function's fargate_alternative).",
    ),
    fargate_memory_gb: float | None = typer.Option(
        None, "--fargate-memory-gb", help="Break-even: GB per Fargate task (default 1)."
    ),
    fargate_task_rps: float | None = typer.Option(
        None, "--fargate-task-rps", help="Break-even: rps one task sustains (default 50)."
    ),
    fargate_min_tasks: int | None = typer.Option(
        None, "--fargate-min-tasks", min=1, help="Break-even: tasks always running (default 2)."
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="Configuration file (default: .slscheck.yaml or [tool.slscheck] in pyproject.toml, found upwards).",
    ),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore configuration files."),
    require_complete: bool = typer.Option(
        False,
        "--require-complete",
        help="Exit 1 when any line of the bill is not priced (a price missing for the Region). "
        "Default: the partial bill is printed, marked incomplete, and the exit code is 0.",
    ),
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay for templates (default: slscheck.overlay.yaml beside the template)."
    ),
) -> None:
    """The monthly bill: every service, every priced line, the total; Lambda vs Fargate break-even."""
    from sls_check.api import cost as run
    from sls_check.reporters.cost import dumps, render_markdown

    fmt = check_format(fmt, FORMATS)
    refuse_overwriting_inputs(output, [file])
    rates = parse_rates(rps)
    if rates is not None and len(set(rates)) != len(rates):
        raise typer.BadParameter("the same value is given twice", param_hint="--rps")
    region = region_option(region)
    fargate = {
        "cpu": _positive(fargate_cpu, "--fargate-cpu"),
        "memory_gb": _positive(fargate_memory_gb, "--fargate-memory-gb"),
        "task_rps": _positive(fargate_task_rps, "--fargate-task-rps"),
        "min_tasks": fargate_min_tasks,
    }
    from sls_check.config import resolve

    settings = resolve(config, use_file=not no_config)  # pricing.region and pricing.free_tier
    chosen_region = region or settings.region
    tier: bool | str = free_tier_value(free_tier) or settings.free_tier or False
    result = run(file, rps=rates, region=chosen_region, free_tier=tier, fargate=fargate, overlay=overlay)
    if fmt == "json":
        write_output(dumps(result), output)
    elif fmt == "markdown":
        write_output(render_markdown(result), output)
    else:
        from rich.console import Console

        from sls_check.reporters.cost_text import render

        if output is not None:
            console = Console(record=True, no_color=True, width=120, file=io.StringIO(), highlight=False)
            console.print(render(result))
            write_output(plain(console.export_text()), output)
        else:
            color = use_color()
            print_console(render(result), color=color, width=None if color else 120)
    if not result.complete:
        n = len(result.missing)
        totals = "; ".join(s.report.total_text() for s in result.scenarios)
        typer.echo(
            f"{file}: warning: the bill is incomplete, {n} line{'s' if n != 1 else ''} not priced "
            f"(total {totals}); --require-complete makes this exit 1",
            err=True,
        )
        raise typer.Exit(1 if require_complete else 0)
    raise typer.Exit(0)


def register(app: typer.Typer) -> None:
    app.command("cost")(cost)
