"""`slscheck explain ID`: everything about one rule, offline."""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

import typer
import yaml

from sls_check.model import InputError, Location, Problem
from sls_check.rules_engine.packs import Rule, load_rules


def _shorten(value: object) -> object:
    """Long example strings (an oversized environment) are shown by their length."""
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:20]}... ({len(value):,} characters)"
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


def _example(title: str, services: object, region: str) -> str:
    spec = {"slscheck": 1, "name": "example", "region": region, "services": _shorten(services)}
    body = yaml.safe_dump(spec, sort_keys=False, default_flow_style=False, width=100)
    return f"{title}:\n{textwrap.indent(body, '  ')}"


def explain_text(rule: Rule) -> str:
    parts = [
        f"{rule.id} {rule.name} ({rule.severity.label}, pack {rule.pack})",
        "",
        rule.summary,
        "",
        textwrap.fill(" ".join(rule.rationale.split()), width=88),
    ]
    if rule.conflict:
        parts += ["", "Sources disagree:", textwrap.fill(" ".join(rule.conflict.split()), width=88)]
    parts += [
        "",
        f"Applies to: {', '.join(rule.applies_to) if rule.applies_to else 'every service type'}",
        f"Fix: {rule.fix}",
        f"AWS documentation: {rule.docs} (checked {rule.checked})",
    ]
    if rule.examples.get("bad") is not None:
        parts += ["", _example("Triggers it", rule.examples["bad"], rule.example_region).rstrip()]
    if rule.examples.get("good") is not None:
        parts += ["", _example("Does not", rule.examples["good"], rule.example_region).rstrip()]
    return "\n".join(parts) + "\n"


def explain(
    rule_id: str = typer.Argument(..., metavar="ID", help="A rule id (LMB001) or name (lambda-memory-range)."),
    rules: list[Path] = typer.Option([], "--rules", help="An extra rule pack to look in."),
) -> None:
    """Explain a rule: summary, rationale, AWS documentation, fix and an example."""
    ruleset = load_rules(list(rules))
    rule = ruleset.find(rule_id.strip())
    if rule is None:
        names = [r.id for r in ruleset.rules] + [r.name for r in ruleset.rules]
        close = difflib.get_close_matches(rule_id.strip(), names, n=1, cutoff=0.6) or \
            difflib.get_close_matches(rule_id.strip().upper(), names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else "; `slscheck rules` lists them"
        raise InputError([Problem(Location("<command line>", 1, 1), f"unknown rule {rule_id!r}{hint}")])
    typer.echo(explain_text(rule), nl=False)


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
