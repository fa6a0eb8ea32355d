"""`slscheck graph ARCH.yaml --format mermaid|dot|markdown`: the services, their edges and traffic."""

from __future__ import annotations

from pathlib import Path

import typer

from sls_check.commands.common import IGNORE, SELECT, check_format, choice, one_rate, write_output

FORMATS = ("mermaid", "dot", "markdown")


def graph(
    file: Path = typer.Argument(..., help="Architecture spec file (YAML).", show_default=False),
    fmt: str = typer.Option(
        "mermaid",
        "--format",
        "-f",
        help="mermaid (renders on GitHub), dot (Graphviz), or markdown (a ```mermaid block).",
        **choice(FORMATS),
    ),
    rps: str | None = typer.Option(None, "--rps", help="Average entry requests per second (overrides workload)."),
    findings: bool = typer.Option(True, "--findings/--no-findings", help="Mark services that have findings."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the diagram to this file."),
    config_file: Path | None = typer.Option(None, "--config", help="Configuration file (default: found upwards)."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore any configuration file."),
    select: list[str] = SELECT,
    ignore: list[str] = IGNORE,
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay for templates (default: slscheck.overlay.yaml beside the template)."
    ),
) -> None:
    """Draw the architecture: services, edges with their traffic, services with findings marked."""
    from sls_check.api import validate
    from sls_check.config import resolve
    from sls_check.model import InputError
    from sls_check.reporters.diagram import RENDERERS

    fmt = check_format(fmt, FORMATS)
    config = resolve(config_file, use_file=not no_config).with_command_line(select, ignore)
    report = validate([file], rps=one_rate(rps), extra_rules=list(config.rules), config=config, overlay=overlay)
    if report.problems:
        raise InputError(report.problems)
    result = report.results[0]
    assert result.graph is not None
    marked = result.findings if findings else []
    write_output(RENDERERS[fmt](result.graph, marked), output)


def register(app: typer.Typer) -> None:
    app.command("graph")(graph)
