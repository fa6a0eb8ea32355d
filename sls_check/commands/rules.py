"""`slscheck rules`: every rule (id, name, severity, summary); markdown for the README table."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from sls_check.commands.common import check_format, choice, write_output
from sls_check.reporters.escape import markdown_cell as _cell
from sls_check.rules_engine.packs import Rule, load_rules


def markdown(rules: list[Rule]) -> str:
    lines = ["| id | name | severity | applies to | summary |", "|---|---|---|---|---|"]
    for r in rules:
        types = ", ".join(r.applies_to) if r.applies_to else "any"
        lines.append(f"| [{r.id}]({r.docs}) | {r.name} | {r.severity.label} | {types} | {_cell(r.summary)} |")
    return "\n".join(lines) + "\n"


def text(rules: list[Rule]) -> str:
    width = max((len(r.name) for r in rules), default=0)
    return "".join(f"{r.id}  {r.name:<{width}}  {r.severity.label:<7}  {r.summary}\n" for r in rules)


def as_json(rules: list[Rule]) -> str:
    return (
        json.dumps(
            {
                "rules": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity.label,
                        "pack": r.pack,
                        "summary": r.summary,
                        "applies_to": list(r.applies_to) if r.applies_to else None,
                        "docs": r.docs,
                        "checked": r.checked,
                    }
                    for r in rules
                ]
            },
            indent=2,
        )
        + "\n"
    )


def rules_command(
    fmt: str = typer.Option("text", "--format", "-f", help="Output format.", **choice(("text", "json", "markdown"))),
    rules: list[Path] = typer.Option([], "--rules", help="An extra rule pack to include."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """List every rule: id, name, default severity, summary."""
    fmt = check_format(fmt, ("text", "json", "markdown"))
    ruleset = load_rules(list(rules))
    ordered = sorted(ruleset.rules, key=lambda r: r.id)
    write_output({"text": text, "json": as_json, "markdown": markdown}[fmt](ordered), output)


def register(app: typer.Typer) -> None:
    app.command("rules")(rules_command)
