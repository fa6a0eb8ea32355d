"""`slscheck import TEMPLATE... [--overlay O] [-o arch.yaml]`: the slscheck spec of templates, for review."""

from __future__ import annotations

from pathlib import Path

import typer

from sls_check.commands.common import refuse_overwriting_inputs, write_output


def _parameters(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--parameter")
        out[key.strip()] = value
    return out


def import_(
    files: list[Path] = typer.Argument(
        ...,
        metavar="TEMPLATE...",
        help="CloudFormation/SAM templates (YAML or JSON) or serverless.yml files.",
        show_default=False,
    ),
    overlay: Path | None = typer.Option(
        None, "--overlay", help="Usage overlay (default: slscheck.overlay.yaml beside the template)."
    ),
    parameter: list[str] = typer.Option(
        [], "--parameter", "-p", help="A template parameter value, KEY=VALUE (repeatable)."
    ),
    region: str | None = typer.Option(None, "--region", help="Region of the stacks that the overlay gives none."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the spec to this file."),
) -> None:
    """Write the slscheck spec of one architecture's templates, each key commented with its template line."""
    from sls_check.commands.common import region_option
    from sls_check.importers import import_files
    from sls_check.importers.writer import render_spec
    from sls_check.rules_engine.packs import load_rules

    refuse_overwriting_inputs(output, list(files) + ([overlay] if overlay else []))
    imported = import_files(
        list(files), overlay=overlay, parameters=_parameters(parameter), region=region_option(region)
    )
    write_output(render_spec(imported, load_rules(None)), output)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
