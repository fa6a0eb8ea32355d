"""docs/ci.md stays true: its configuration examples load, its hook pattern is the hook's, its formats exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sls_check.api import validate
from sls_check.config import load_config
from sls_check.reporters import FORMATS

from .conftest import ROOT, TODAY

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, re.DOTALL)


@pytest.mark.parametrize("lang,name", [("yaml", ".slscheck.yaml"), ("toml", "pyproject.toml")])
def test_config_examples_load_and_run(lang: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {"yaml": "# .slscheck.yaml", "toml": "[tool.slscheck]"}[lang]
    example = next(b for b in blocks(lang) if b.splitlines()[0] == first)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "team.yaml").write_text("pack: team\nrules: []\n", encoding="utf-8")
    (tmp_path / name).write_text(example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path / name)
    assert config.fail_on == "warning" and config.region == "eu-west-1" and config.free_tier == "always"
    assert config.suppress and all(s.reason for s in config.suppress)
    report = validate(
        [ROOT / "samples" / "web-api.yaml"], today=TODAY, config=config, extra_rules=config.rules
    )  # entries must name real rules, or this raises
    assert report.problems == []


def test_hook_pattern_and_formats_match_the_code() -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert f"`types_or: [{', '.join(hook['types_or'])}]`" in DOC and f"runs `{hook['entry']}`" in DOC
    table = re.findall(r"^\| `(\w+)` \|", DOC, re.MULTILINE)
    assert set(FORMATS) <= set(table)
