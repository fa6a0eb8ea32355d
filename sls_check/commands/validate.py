"""`slscheck validate ARCH.yaml...`: rule findings (and quota findings at a traffic)."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import typer

from sls_check.commands.common import (
    FAIL_ON,
    IGNORE,
    SELECT,
    check_format,
    choice,
    exit_code,
    fail_threshold,
    one_rate,
    print_console,
    refuse_overwriting_inputs,
    terminal_width,
    use_color,
    write_output,
)
from sls_check.model import InputError, Problem
from sls_check.reporters import FORMATS, reporter


def output_plan(fmts: list[str], output: Path | None) -> dict[str, Path | None]:
    """`-f text -f sarif=a.sarif -f junit=b.xml` -> {format: file, or None for standard output}.

    Each format once; at most one goes to standard output (or to `-o FILE`), the others name a file.
    Order: the files first, standard output last, so what a person sees comes after the files exist.
    """
    plan: dict[str, Path | None] = {}
    to_stdout: list[str] = []
    for entry in fmts:
        name, sep, file = entry.partition("=")
        fmt = check_format(name, tuple(FORMATS))
        if fmt in plan or fmt in to_stdout:
            raise typer.BadParameter(f"{fmt} is given twice", param_hint="--format")
        if sep and not file.strip():
            raise typer.BadParameter(f"{entry!r} names no file after '='", param_hint="--format")
        if sep:
            plan[fmt] = Path(file)
        else:
            to_stdout.append(fmt)
    if len(to_stdout) > 1:
        raise typer.BadParameter(
            f"{', '.join(to_stdout)} would all go to standard output; write all but one to files (FORMAT=FILE)",
            param_hint="--format",
        )
    if to_stdout:
        plan[to_stdout[0]] = output
    elif output is not None:
        raise typer.BadParameter("every --format names its own file; -o has nothing to write", param_hint="--output")
    return plan


def show_problems(problems: list[Problem]) -> None:
    """The input problems under their file, as the findings are: the file's name and what happened
    to it on standard output, then its problems on standard error, each one `file:line:col: message`
    line (stderr stays nothing but problem lines, for scripts and editors)."""
    from rich.text import Text

    from sls_check.cli import report_input_error
    from sls_check.reporters.escape import terminal

    ordered = InputError(problems).problems  # by file, line, column
    for file, group in groupby(ordered, key=lambda p: p.location.file):
        found = list(group)
        head = Text()
        head.append(f"{terminal(file)}\n", style="bold underline")
        n = len(found)
        head.append(f"  not checked: {n} input problem{'s' if n != 1 else ''}\n", style="bold red")
        print_console(head, color=use_color(), soft_wrap=True)
        report_input_error(InputError(found))
        print_console(Text("\n"), color=use_color(), soft_wrap=True)


def validate(
    files: list[Path] = typer.Argument(
        ...,
        help="Specs, CloudFormation/SAM templates or serverless.yml files; directories (searched recursively, "
        "inputs found by content), globs such as 'infra/**/*.yaml' (quoted), or - for standard input.",
        show_default=False,
    ),
    fmts: list[str] = typer.Option(
        ["text"],
        "--format",
        "-f",
        help=f"Output format: {', '.join(FORMATS)}. Repeat it for several outputs in one run, each but one "
        "written to a file as FORMAT=FILE: -f text -f sarif=slscheck.sarif -f junit=slscheck.xml.",
        **choice(tuple(FORMATS), "[=FILE]"),
    ),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        show_default=False,
        **choice(FAIL_ON),
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
    select: list[str] = SELECT,
    ignore: list[str] = IGNORE,
    skip_unrecognized: bool = typer.Option(
        False,
        "--skip-unrecognized",
        help="Quietly skip named files that are neither specs nor templates by their content (the pre-commit "
        "hook's mode).",
    ),
    list_inputs: bool = typer.Option(
        False, "--list-inputs", help="Print the specs the arguments name (directories and globs expanded) and exit."
    ),
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay for templates (default: slscheck.overlay.yaml beside the template)."
    ),
) -> None:
    """Check specs against the rule packs; with traffic, against the quotas too."""
    from sls_check.api import validate as run
    from sls_check.config import resolve
    from sls_check.discovery import expand

    outputs = output_plan(fmts, output)
    for target in outputs.values():
        refuse_overwriting_inputs(target, list(files))
    files, not_found = expand(files, skip_unrecognized=skip_unrecognized)
    if list_inputs:
        write_output("".join(f"{p.as_posix()}\n" for p in files), None)
        if not_found:
            raise InputError(not_found)
        raise typer.Exit(0)
    config = resolve(config_file, use_file=not no_config).with_command_line(select, ignore)
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
    report.problems.extend(not_found)
    problems_shown = False
    for fmt, target in outputs.items():
        if fmt == "text":
            # wrapped at the terminal's width on a terminal; one line per finding otherwise (docs/commands.md)
            width = terminal_width() if target is None else None
            text = reporter("text").render(report, verbose=verbose, width=width)
            if target is not None:
                write_output(text.plain, target)
            elif report.problems:
                # the findings, then the input problems grouped under their file (the file's name on
                # stdout, each problem one `file:line:col: message` line on stderr), then the summary
                # line last, so a failing pre-commit run does not open with "0 errors"
                cut = text.plain.rstrip("\n").rfind("\n") + 1
                print_console(text[:cut], color=use_color(), soft_wrap=True)
                show_problems(report.problems)
                print_console(text[cut:], color=use_color(), soft_wrap=True)
                problems_shown = True
            else:
                print_console(text, color=use_color(), soft_wrap=True)
        elif fmt == "markdown":
            from sls_check.overview import overview

            context = overview(report, region=config.region, free_tier=config.free_tier or "none")
            write_output(reporter(fmt).render(report, context), target)
        else:
            write_output(reporter(fmt).render(report), target)
    if report.problems:
        if problems_shown:
            raise typer.Exit(2)
        raise InputError(report.problems)
    raise typer.Exit(exit_code(report.worst(), threshold))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
