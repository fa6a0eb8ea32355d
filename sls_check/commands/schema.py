"""`slscheck schema`: print a JSON Schema (the spec's by default) for editors and tools."""

from __future__ import annotations

import typer

from sls_check.commands.common import check_format
from sls_check.paths import data_dir


def schema(
    name: str = typer.Option("arch", "--name", help="Which schema: arch (the spec) or another in schemas/."),
) -> None:
    """Print the JSON Schema of the spec format (for editors: yaml-language-server, VS Code)."""
    folder = data_dir("schemas")
    available = tuple(sorted(p.name.removesuffix(".schema.json") for p in folder.glob("*.schema.json")))
    name = check_format(name, available, "--name") if name != "arch" else name
    typer.echo((folder / f"{name}.schema.json").read_text(encoding="utf-8"), nl=False)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
