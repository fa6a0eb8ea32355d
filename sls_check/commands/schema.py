"""`slscheck schema [-o FILE]`: print or write a JSON Schema (the spec's by default) for editors and tools."""

from __future__ import annotations

from pathlib import Path

import typer

from sls_check.commands.common import check_format, write_output
from sls_check.paths import data_dir


def schema_text(name: str = "arch") -> str:
    """The spec's schema ready for editors (markdownDescription, SchemaStore $id), or another in schemas/."""
    if name == "arch":
        from sls_check.editor_schema import editor_schema_text

        return editor_schema_text()
    return (data_dir("schemas") / f"{name}.schema.json").read_text(encoding="utf-8")


def available() -> tuple[str, ...]:
    return tuple(sorted(p.name.removesuffix(".schema.json") for p in data_dir("schemas").glob("*.schema.json")))


def schema(
    name: str = typer.Option(
        "arch", "--name", help=f"Which schema: {', '.join(available())} (arch: the spec).", metavar="NAME"
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write it to this file (e.g. arch.schema.json beside your specs)."
    ),
) -> None:
    """Print the JSON Schema of the spec format (for editors: yaml-language-server, VS Code), or write it with -o."""
    name = check_format(name, available(), "--name")
    write_output(schema_text(name), output)
    if output is not None:
        typer.echo(f"wrote {output.as_posix()}", err=True)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
