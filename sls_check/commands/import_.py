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
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the spec to this file, and the editor schema its modeline names beside it unless it exists.",
    ),
    schema: str | None = typer.Option(
        None,
        "--schema",
        help="The schema file the editor modeline names, relative to the spec, written with -o unless it "
        "exists (default: arch.schema.json beside the spec), or a URL.",
    ),
) -> None:
    """Write the slscheck spec of one architecture's templates, each key commented with its template line."""
    from sls_check.commands.common import STDOUT_NAMES, region_option
    from sls_check.commands.init import SCHEMA_FILE, modeline_target
    from sls_check.importers import import_files
    from sls_check.importers.writer import render_spec
    from sls_check.rules_engine.packs import load_rules

    refuse_overwriting_inputs(output, list(files) + ([overlay] if overlay else []))
    imported = import_files(
        list(files), overlay=overlay, parameters=_parameters(parameter), region=region_option(region)
    )
    if schema is not None and any(c in schema for c in "\r\n"):  # it goes into a comment line
        raise typer.BadParameter("contains a line break", param_hint="--schema")
    to_file = output is not None and output.as_posix() not in STDOUT_NAMES
    # as `slscheck init` does: the modeline names a schema beside the spec, by a relative path (offline)
    if to_file:
        assert output is not None
        modeline, schema_file = modeline_target(schema, output)
    else:  # standard output: where the spec goes is not known; `slscheck schema -o` writes the file
        modeline, schema_file = (schema or f"./{SCHEMA_FILE}"), None
    write_output(render_spec(imported, load_rules(None), schema=modeline), output)
    if to_file:
        assert output is not None
        wrote = [output.as_posix()]
        if schema_file is not None:
            from sls_check.commands.schema import schema_text

            write_output(schema_text(), schema_file)
            wrote.append(f"{schema_file.as_posix()} (the editor schema; commit it with the spec)")
        write_output(f"wrote {' and '.join(wrote)}; next: slscheck validate {output.as_posix()}\n", None)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
