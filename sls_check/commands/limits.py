"""`slscheck limits ARCH.yaml`: headroom of every quota at a traffic, and with --max the ceiling."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from sls_check.commands.common import (
    check_format,
    choice,
    exit_code,
    fail_threshold,
    one_rate,
    refuse_overwriting_inputs,
    stdout_console,
    text_width,
    use_color,
    write_output,
)
from sls_check.reporters.escape import terminal

FORMATS = ("text", "json", "markdown")


def limits(
    file: Path = typer.Argument(..., metavar="ARCH", help="Architecture spec file (YAML).", show_default=False),
    rps: str | None = typer.Option(None, "--rps", help="Average entry requests per second (overrides workload)."),
    peak_rps: str | None = typer.Option(None, "--peak-rps", help="Peak entry requests per second."),
    ceiling: bool = typer.Option(
        False, "--max", help="Find the highest entry rps before the first quota, and the next two walls."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="Output format.", **choice(FORMATS)),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        show_default=False,
        help="Exit 1 when a row is at or above: error (over), warning (warn), never "
        "(default: the config's fail_on, else error; info counts as warning here).",
        **choice(("error", "warning", "never")),
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay for templates (default: slscheck.overlay.yaml beside the template)."
    ),
    config_file: Path | None = typer.Option(None, "--config", help="Configuration file (default: found upwards)."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore any configuration file."),
) -> None:
    """Quota headroom at a traffic: limit, need, headroom and status per (service, quota), worst first."""
    from sls_check.api import limits as run
    from sls_check.limits.findings import worst_severity
    from sls_check.reporters.limits import rows_json, rows_markdown, rows_text, traffic_line

    fmt = check_format(fmt, FORMATS)
    refuse_overwriting_inputs(output, [file])
    from sls_check.config import resolve

    config = resolve(config_file, use_file=not no_config)  # defaults < file < command line, as in validate
    chosen = fail_on if fail_on is not None else (config.fail_on or "error")
    threshold = fail_threshold("warning" if chosen == "info" else chosen)
    result = run(file, rps=one_rate(rps), peak_rps=one_rate(peak_rps, "--peak-rps"), ceiling=ceiling, overlay=overlay)
    graph = result.analysis.graph
    header = f"{graph.name}: {traffic_line(graph.entry_rps, graph.entry_peak_rps)}"  # escaped by each format
    if fmt == "json":
        write_output(json.dumps(rows_json(result.rows, result.ceiling), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "markdown":
        write_output(rows_markdown(result.rows, result.ceiling, title=header), output)
    elif output is not None or not use_color():
        # a pipe or a file: laid out for COLUMNS when it is set, else for 80 columns (no colour)
        write_output(rows_text(result.rows, result.ceiling, header=terminal(header), width=text_width()), output)
    else:
        from sls_check.reporters.limits_text import print_table

        with stdout_console(color=True) as console:  # the terminal's width
            print_table(result, terminal(header), console)
    raise typer.Exit(exit_code(worst_severity(result.rows), threshold))


def register(app: typer.Typer) -> None:
    app.command("limits")(limits)
