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
