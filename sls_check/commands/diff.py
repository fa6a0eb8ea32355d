"""`slscheck diff OLD.yaml NEW.yaml`: what a change does: findings, monthly cost, quota headroom."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from sls_check.commands.common import (
    FAIL_ON,
    FREE_TIER,
    IGNORE,
    SELECT,
    check_format,
    choice,
    exit_code,
    fail_threshold,
    free_tier_value,
    one_rate,
    region_option,
    write_output,
)

FORMATS = ("text", "markdown", "json")


def diff(
    old: Path = typer.Argument(
        ..., help="The spec before the change (e.g. from `git show main:arch.yaml`).", show_default=False
    ),
    new: Path = typer.Argument(..., help="The spec after the change.", show_default=False),
    fmt: str = typer.Option(
        "text", "--format", "-f", help="Output format (markdown: a pull-request comment).", **choice(FORMATS)
    ),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        **choice(FAIL_ON),
        show_default=False,
        help="Exit 1 when a NEW finding is at or above: error, warning, info, never "
        "(default: the config's fail_on, else error).",
    ),
    rps: str | None = typer.Option(
        None, "--rps", help="Price and measure both at this entry rps (default: each spec's workload)."
    ),
    region: str | None = typer.Option(
        None, "--region", help="Price in this region (default: config, else the spec's)."
    ),
    free_tier: str | None = typer.Option(
        None,
        "--free-tier",
        help="Free tier in the estimates: none, always (also the bare --free-tier) or all; --no-free-tier is "
        "none (default: config, else none). The same option as cost's.",
        **choice(FREE_TIER),
    ),
    rules: list[Path] = typer.Option([], "--rules", help="An extra rule pack; replaces the config's `rules`."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    config_file: Path | None = typer.Option(None, "--config", help="Configuration file (default: found upwards)."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore any configuration file."),
    select: list[str] = SELECT,
    ignore: list[str] = IGNORE,
) -> None:
    """Compare two versions of a spec: findings added and removed, monthly cost and quota headroom deltas."""
    from sls_check.config import resolve
    from sls_check.diff import compare
    from sls_check.reporters.diff import markdown, text

    fmt = check_format(fmt, FORMATS)
    config = resolve(config_file, use_file=not no_config).with_command_line(select, ignore)
    threshold = fail_threshold(fail_on if fail_on is not None else (config.fail_on or "error"))
    tier = free_tier_value(free_tier) or config.free_tier or "none"
    region = region_option(region)  # an unknown one was priced as "no estimate", exit 0
    result = compare(
        old,
        new,
        rps=one_rate(rps),
        config=config,
        extra_rules=list(rules) or list(config.rules),
        region=region or config.region,
        free_tier=tier,
    )
    if fmt == "json":
        write_output(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output((markdown if fmt == "markdown" else text)(result), output)
    raise typer.Exit(exit_code(result.worst_added(), threshold))


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
