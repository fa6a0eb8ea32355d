"""Rule cases as data, sqlfluff-style: one YAML file per rule (or per family) under tests/rule_cases/.

Each file names the `rules` it is about and a list of named `cases`, each a whole spec and the
findings of those rules it must produce, with their positions (`at: "line:col"`); `expect: []`
says none. Findings of other rules are ignored, so a case stays about its rule. Options: `rps`,
`today` (YYYY-MM-DD, default the suite's fixed date).

    rules: [INT002, INT003]
    cases:
      - name: the 30 s default visibility is below a 31 s function timeout
        spec: |
          slscheck: 1
          ...
        expect:
          - {rule: INT002, at: "7:3"}
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from sls_check.build import build_graph
from sls_check.loader import load_text
from sls_check.rules_engine.packs import load_rules
from sls_check.rules_engine.runner import run_rules
from sls_check.spec import check_spec

from .conftest import TODAY

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(path.name, data["rules"], case, id=f"{path.stem}: {case['name']}"))
    return out


def found(spec: str, rules: list[str], *, rps: float | None = None, today: dt.date = TODAY) -> list[dict[str, str]]:
    checked = check_spec(load_text(spec.encode(), "arch.yaml"))
    result = run_rules(checked, build_graph(checked, rps=rps), load_rules(), today=today)
    return [
        {"rule": f.rule_id, "at": f"{f.location.line}:{f.location.column}"}
        for f in result.findings
        if f.rule_id in rules
    ]


@pytest.mark.parametrize(("file", "rules", "case"), _cases())
def test_rule_case(file: str, rules: list[str], case: dict[str, Any]) -> None:
    today = dt.date.fromisoformat(case["today"]) if "today" in case else TODAY
    got = found(case["spec"], rules, rps=case.get("rps"), today=today)
    assert got == case["expect"], f"{file}: {case['name']}"


def test_every_case_file_names_known_rules_and_distinct_cases() -> None:
    known = {r.id for r in load_rules().rules}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data["rules"]) <= known, path.name
        names = [c["name"] for c in data["cases"]]
        assert len(names) == len(set(names)) and names, path.name
