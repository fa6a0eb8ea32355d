"""`slscheck validate ARCH.yaml...`: rule findings (and quota findings at a traffic)."""

from __future__ import annotations

from pathlib import Path

import typer

from sls_check.commands.common import (
    check_format,
    exit_code,
    fail_threshold,
    one_rate,
    print_console,
    refuse_overwriting_inputs,
    use_color,
    write_output,
)
from sls_check.model import InputError
from sls_check.reporters import FORMATS, reporter


def validate(
    files: list[Path] = typer.Argument(
        ..., help="Architecture specs, CloudFormation/SAM templates or serverless.yml files.", show_default=False
    ),
    fmt: str = typer.Option("text", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        show_default=False,
        help="Exit 1 when a finding is at or above: error, warning, info, never "
        "(default: the config's fail_on, else error).",
    ),
    rps: str | None = typer.Option(None, "--rps", help="Average entry requests per second (overrides workload)."),
    peak_rps: str | None = typer.Option(None, "--peak-rps", help="Peak entry requests per second."),
    rules: list[Path] = typer.Option(
        [], "--rules", help="An extra rule pack (YAML); may be repeated. Replaces the config's `rules`."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    no_limits: bool = typer.Option(False, "--no-limits", help="Skip the quota checks at the given traffic."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list files without findings."),
    config_file: Path | None = typer.Option(
        None,
        "--config",
        help="Configuration file (default: .slscheck.yaml or [tool.slscheck] in pyproject.toml, found upwards).",
    ),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore any configuration file."),
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay for templates (default: slscheck.overlay.yaml beside the template)."
    ),
) -> None:
    """Check specs against the rule packs; with traffic, against the quotas too."""
    from sls_check.api import validate as run
    from sls_check.config import resolve

    fmt = check_format(fmt, tuple(FORMATS))
    refuse_overwriting_inputs(output, list(files))
    config = resolve(config_file, use_file=not no_config)
    # defaults < file < command line: an option that was not given is None (or empty)
    threshold = fail_threshold(fail_on if fail_on is not None else (config.fail_on or "error"))
    report = run(
        files,
        rps=one_rate(rps),
        peak_rps=one_rate(peak_rps, "--peak-rps"),
        extra_rules=list(rules) if rules else list(config.rules),
        with_limits=not no_limits,
        config=config,
        overlay=overlay,
    )
    if fmt == "text":
        text = reporter("text").render(report, verbose=verbose)
        if output is not None:
            write_output(text.plain, output)
        else:
            print_console(text, color=use_color(), soft_wrap=True)
    elif fmt == "markdown":
        from sls_check.overview import overview

        context = overview(report, region=config.region, free_tier=config.free_tier or "none")
        write_output(reporter(fmt).render(report, context), output)
    else:
        write_output(reporter(fmt).render(report), output)
    if report.problems:
        raise InputError(report.problems)
    raise typer.Exit(exit_code(report.worst(), threshold))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
