"""Regenerate the rule table and the service-to-rules table of docs/rules.md from the rule packs.

Only the text between `<!-- rules:begin -->` / `<!-- rules:end -->` and between
`<!-- service-rules:begin -->` / `<!-- service-rules:end -->` is rewritten; tests/test_rule_packs.py
fails when either section drifts from the packs.

    python scripts/update_readme_rules.py          # rewrite docs/rules.md
    python scripts/update_readme_rules.py --check  # exit 1 when docs/rules.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sls_check.commands.rules import markdown  # noqa: E402
from sls_check.rules_engine.packs import RuleSet, load_rules  # noqa: E402
from sls_check.spec import arch_schema  # noqa: E402

RULES = ("<!-- rules:begin -->", "<!-- rules:end -->")
SERVICE_RULES = ("<!-- service-rules:begin -->", "<!-- service-rules:end -->")


def rule_table(ruleset: RuleSet) -> str:
    """The same text as `slscheck rules --format markdown`."""
    return markdown(sorted(ruleset.rules, key=lambda r: r.id))


def service_table(ruleset: RuleSet) -> str:
    """One row per service type of the spec: the rules that check it (pack rules and the limits calculator's)."""
    types: list[str] = arch_schema()["$defs"]["service"]["properties"]["type"]["enum"]
    rules = sorted((r for r in ruleset.rules if not r.engine or r.applies_to), key=lambda r: r.id)
    lines = ["| service type | rules |", "|---|---|"]
    for svc_type in types:
        ids = [r.id for r in rules if r.applies_to and svc_type in r.applies_to]
        lines.append(f"| `{svc_type}` | {', '.join(ids) if ids else '-'} |")
    every = [r.id for r in rules if not r.applies_to and not r.engine]
    if every:
        lines.append(f"| every type (along its edges) | {', '.join(every)} |")
    return "\n".join(lines) + "\n"


def replace_section(text: str, markers: tuple[str, str], body: str) -> str:
    begin, end = markers
    if begin not in text or end not in text:
        raise SystemExit(f"docs/rules.md lacks the markers {begin} / {end}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body.strip(chr(10))}\n{end}{tail}"


def updated(text: str, ruleset: RuleSet) -> str:
    text = replace_section(text, RULES, rule_table(ruleset))
    return replace_section(text, SERVICE_RULES, service_table(ruleset))


def main(argv: list[str]) -> int:
    readme = ROOT / "docs" / "rules.md"
    text = readme.read_text(encoding="utf-8")
    new = updated(text, load_rules())
    if "--check" in argv:
        if new != text:
            print("docs/rules.md rule tables are out of date: run python scripts/update_readme_rules.py")
            return 1
        return 0
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("docs/rules.md rule tables updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
