"""Distribution files agree: one version, a LICENSE matching pyproject, a changelog, one repository placeholder."""

from __future__ import annotations

import re
import tomllib

import pytest

from sls_check import __version__

from .conftest import ROOT, run_cli

PLACEHOLDER = "OWNER/slscheck"


def test_license_file_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_one_version_everywhere(capsys: object) -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    numbered = re.findall(r"^## (\d+\.\d+\.\d+)\b", changelog, re.M)
    assert numbered and numbered[0] == __version__, "the newest numbered CHANGELOG heading is the version"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "sls_check/__init__.py"


def test_cli_version_is_the_package_version(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli(capsys, monkeypatch, ROOT, "--version") == (0, f"slscheck {__version__}\n", "")


def test_docs_use_one_repository_placeholder() -> None:
    """Nothing documents an address nobody can reach: every link to the project's own repository is OWNER/slscheck."""
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / ".pre-commit-hooks.yaml"]
    for path in docs:
        text = path.read_text(encoding="utf-8")
        assert "github.com/slscheck/slscheck" not in text.replace("](https://github.com/slscheck/slscheck", ""), path
        assert "slscheck.dev" not in text, path
    install = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    assert f"**`{PLACEHOLDER}`** stands for" in install  # defined once, there
    assert sum(f"`{PLACEHOLDER}`** stands" in p.read_text(encoding="utf-8") for p in docs) == 1


def test_the_repository_address_is_defined_once_in_the_code() -> None:
    """sls_check.REPOSITORY is the one address the code names (SARIF, internal errors, rule packs via
    `{repository}`, the editor schema); pyproject's [project.urls] says the same."""
    from sls_check import ISSUES, REPOSITORY
    from sls_check.reporters.sarif import INFORMATION_URI
    from sls_check.rules_engine.packs import load_rules

    assert f"https://github.com/{PLACEHOLDER}" == REPOSITORY and f"{REPOSITORY}/issues" == ISSUES
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls == {"Homepage": REPOSITORY, "Issues": ISSUES}
    assert INFORMATION_URI == REPOSITORY
    rules = load_rules(None).by_id
    assert rules["SUP001"].docs == f"{REPOSITORY}#suppressions"
    assert rules["IMP001"].docs == f"{REPOSITORY}/blob/main/docs/import.md"
    assert rules["SLS000"].docs == ISSUES
    # no other spelling of the address in the code or the shipped data
    for folder in ("sls_check", "rules", "schemas"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".yaml", ".json"):
                text = path.read_text(encoding="utf-8")
                assert "github.com/slscheck" not in text, path
                if path != ROOT / "sls_check" / "__init__.py":
                    assert "github.com/OWNER/slscheck" not in text, path
