"""`slscheck init [NAME]`: write a commented starter spec that validates as it is."""

from __future__ import annotations

import os
import re
from pathlib import Path

import typer

from sls_check.model import InputError

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "arch.yaml"


def target_and_name(name: str | None, cwd: Path) -> tuple[Path, str]:
    """`init` -> arch.yaml named after the folder; `init shop` -> shop.arch.yaml; `init x/y.yaml` -> that file."""
    if name is None:
        return Path("arch.yaml"), cwd.resolve().name
    if name.endswith((".yaml", ".yml")):
        path = Path(name)
        stem = path.name.rsplit(".", 1)[0].removesuffix(".arch")
        if stem in ("arch", "architecture"):
            stem = (cwd / path).resolve().parent.name
        return path, stem
    return Path(f"{name}.arch.yaml"), name


def spec_name(raw: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", raw).strip("-.") or "my-architecture"
    return name.lower()


SCHEMA_FILE = "arch.schema.json"


def modeline_target(schema: str | None, spec: Path) -> tuple[str, Path | None]:
    """What the modeline names and the schema file to write (None: a URL, or a file that exists).

    Default: arch.schema.json beside the spec, named by a path relative to the spec, so completion
    works offline in a fresh project and the project keeps (and commits) its copy of the schema.
    """
    if schema is not None and re.match(r"^[a-z][a-z0-9+.-]*://", schema):
        return schema, None
    target = Path(schema) if schema is not None else spec.parent / SCHEMA_FILE
    relative = Path(os.path.relpath(target.resolve(), spec.resolve().parent)).as_posix()
    if not relative.startswith("../"):
        relative = f"./{relative}"
    return relative, (None if target.exists() else target)


def render(name: str, file: str, *, region: str = "us-east-1", schema: str | None = None) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    return (
        text.replace("@SCHEMA@", schema or f"./{SCHEMA_FILE}")
        .replace("@NAME@", name)
        .replace("@REGION@", region)
        .replace("@FILE@", file)
    )


def init(
    name: str | None = typer.Argument(
        None,
        help="Architecture name (writes NAME.arch.yaml) or a .yaml path. Default: arch.yaml, named after the folder.",
        show_default=False,
    ),
    region: str = typer.Option("us-east-1", "--region", help="The spec's default region."),
    schema: str | None = typer.Option(
        None,
        "--schema",
        help="The schema file the editor modeline names, relative to the spec, written unless it exists "
        "(default: arch.schema.json beside the spec), or a URL.",
    ),
) -> None:
    """Write a commented starter spec (with the editor schema modeline); never overwrites a file."""
    # The path and the schema go into comment lines of the template: a line break would end the
    # comment (a starter that does not parse); other unprintable characters are no better in a file name.
    for value, option in ((name, "NAME"), (schema, "--schema")):
        if value is not None and not value.isprintable():
            raise typer.BadParameter(
                f"{value!r} contains a line break or another unprintable character", param_hint=option
            )
    if name is not None and not name.strip(" ."):
        raise typer.BadParameter(
            f"{name!r} names no architecture (e.g. shop, or infra/shop.arch.yaml)", param_hint="NAME"
        )
    path, raw_name = target_and_name(name, Path.cwd())
    if not re.fullmatch(r"[a-z]{2}(-gov)?-[a-z]+-\d", region):
        raise typer.BadParameter(f"{region!r} is not an AWS region such as us-east-1", param_hint="--region")
    modeline, schema_file = modeline_target(schema, path)
    text = render(spec_name(raw_name), path.as_posix(), region=region, schema=modeline)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": fails if it exists, even in a race
            fh.write(text)
    except FileExistsError:
        raise InputError.single(
            path.as_posix(),
            1,
            1,
            "already exists; slscheck init does not overwrite (choose another NAME or remove the file)",
        ) from None
    except OSError as exc:
        raise InputError.single(path.as_posix(), 1, 1, f"cannot write: {exc.strerror or exc}") from None
    wrote = [path.as_posix()]
    if schema_file is not None:
        from sls_check.commands.common import write_output
        from sls_check.commands.schema import schema_text

        schema_file.parent.mkdir(parents=True, exist_ok=True)
        write_output(schema_text(), schema_file)
        wrote.append(f"{schema_file.as_posix()} (the editor schema; commit it with the spec)")
    typer.echo(f"wrote {' and '.join(wrote)}; next: slscheck validate {path.as_posix()}")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
