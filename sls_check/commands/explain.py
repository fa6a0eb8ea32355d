"""`slscheck explain ID`: everything about one rule, offline."""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path
from typing import Any

import typer
import yaml

from sls_check.commands.common import complete_rule_ids
from sls_check.model import InputError, Location, Problem
from sls_check.reporters.common import _FIELD, readable
from sls_check.reporters.numbers import number as fmt
from sls_check.rules_engine.packs import Limit, Rule, RuleSet, load_rules


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


def _limit_names(rule: Rule, limits: dict[str, Limit]) -> list[str]:
    """Named limits a rule reads: in conditions, in named-check arguments (`limit:NAME`), in templates."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "limit" and isinstance(value, str):
                    found.append(value)
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, str) and node.startswith("limit:"):
            found.append(node[6:])

    visit([rule.when, rule.violation])
    found += [name[6:] for name in _FIELD.findall(rule.message + rule.fix) if name.startswith("limit:")]
    return [name for name in dict.fromkeys(found) if name in limits]


def _limit_line(limit: Limit) -> str:
    text = f"  {limit.name} = {fmt(limit.value)} {limit.unit}".rstrip()
    notes = []
    if limit.by_region:
        notes.append("in " + ", ".join(f"{r}: {fmt(v)}" for r, v in sorted(limit.by_region.items())))
    if limit.adjustable:
        keys = [limit.name, *([limit.account_key] if limit.account_key and limit.account_key != limit.name else [])]
        notes.append("adjustable: once AWS raised it, declare it as " + " or ".join(f"account.{k}" for k in keys))
    elif limit.adjustable is False:
        notes.append("not adjustable")
    if notes:
        text += f" ({'; '.join(notes)})"
    if limit.docs:
        text += f"\n    {limit.docs}" + (f" (checked {limit.checked})" if limit.checked else "")
    return text


def explain_text(rule: Rule, ruleset: RuleSet | None = None) -> str:
    parts = [
        f"{rule.id} {rule.name} ({rule.severity.label}, pack {rule.pack})",
        "",
        rule.summary,
        "",
        textwrap.fill(" ".join(rule.rationale.split()), width=88),
    ]
    if rule.conflict:
        parts += ["", "Sources disagree:", textwrap.fill(" ".join(rule.conflict.split()), width=88)]
    limits = ruleset.limits if ruleset else {}
    parts += [
        "",
        f"Applies to: {', '.join(rule.applies_to) if rule.applies_to else 'every service type'}",
        f"Reports: {readable(rule.message, limits)}",
        f"Fix: {readable(rule.fix, limits)}",
        f"AWS documentation: {rule.docs} (checked {rule.checked})",
    ]
    names = _limit_names(rule, limits)
    if names:
        parts += ["", "Limits it compares with (defaults; the spec's Region and account block may change them):"]
        parts += [_limit_line(limits[name]) for name in names]
    if rule.examples.get("bad") is not None:
        parts += ["", _example("Triggers it", rule.examples["bad"], rule.example_region).rstrip()]
    if rule.examples.get("good") is not None:
        parts += ["", _example("Does not", rule.examples["good"], rule.example_region).rstrip()]
    return "\n".join(parts) + "\n"


def explain(
    rule_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="A rule id (LMB001) or name (lambda-memory-range).",
        autocompletion=complete_rule_ids,
    ),
    rules: list[Path] = typer.Option([], "--rules", help="An extra rule pack to look in."),
) -> None:
    """Explain a rule: summary, rationale, AWS documentation, fix and an example."""
    ruleset = load_rules(list(rules))
    ref = rule_id.strip()
    rule = ruleset.find(ref) or ruleset.find(ref.lower())  # names are kebab-case: LAMBDA-MEMORY-RANGE too
    if rule is None:
        names = [r.id for r in ruleset.rules] + [r.name for r in ruleset.rules]
        prefixed = sorted(r.id for r in ruleset.rules if ref and r.id.startswith(ref.upper()))
        close = difflib.get_close_matches(ref, names, n=1, cutoff=0.6) or difflib.get_close_matches(
            ref.upper(), names, n=1, cutoff=0.6
        )
        if len(prefixed) > 1:  # `explain LMB`: an area, not one rule
            hint = (
                f"; {len(prefixed)} rules start with it ({prefixed[0]} to {prefixed[-1]}): `slscheck rules` lists them"
            )
        else:
            hint = f"; did you mean {close[0]}?" if close else "; `slscheck rules` lists them"
        raise InputError([Problem(Location("<command line>", 1, 1), f"unknown rule {rule_id!r}{hint}")])
    typer.echo(explain_text(rule, ruleset), nl=False)


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
