"""Packaging: build the wheel, install it in a fresh virtual environment, run slscheck outside the checkout.

This is the one slow test (a venv and a pip install). It proves that rules/, pricing/,
quotas/ and schemas/ ship inside the wheel and that nothing reads the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from sls_check.rules_engine.packs import load_rules

from .conftest import ROOT

OFFLINE = (
    "Could not find a version",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "No matching distribution",
    "Network is unreachable",
    "ProxyError",
)


def _run(cmd: list[str], cwd: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, env=env, **kw)  # type: ignore[call-overload,no-any-return]


pytestmark = pytest.mark.slow  # builds and installs a wheel: CI runs it, the fast loop skips it


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    # build from a copy, so build artefacts never land in the checkout
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", ".ci-venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache"
        ),
    )
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work / "dist"), str(src)], work)
    if built.returncode != 0 and any(s in built.stdout + built.stderr for s in OFFLINE):
        pytest.skip(f"cannot reach the package index to build the wheel: {built.stderr.strip()[-200:]}")
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("slscheck-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    got = _run([str(py), "-m", "pip", "install", "-q", str(wheel)], work)
    if got.returncode != 0 and any(s in got.stdout + got.stderr for s in OFFLINE):
        pytest.skip(f"cannot reach the package index to install dependencies: {got.stderr.strip()[-200:]}")
    assert got.returncode == 0, got.stdout + got.stderr
    return env_dir


def _slscheck(env_dir: Path) -> str:
    return str(env_dir / ("Scripts" if os.name == "nt" else "bin") / "slscheck")


def test_installed_wheel_validates_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    shutil.copy(ROOT / "samples" / "web-api.yaml", tmp_path / "arch.yaml")
    shutil.copy(ROOT / "samples" / "broken" / "lambda-memory.yaml", tmp_path / "bad.yaml")
    ok = _run([_slscheck(installed), "validate", "arch.yaml"], tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _run([_slscheck(installed), "validate", "bad.yaml", "--format", "json"], tmp_path)
    assert bad.returncode == 1
    assert [f["rule_id"] for f in json.loads(bad.stdout)["findings"]] == ["LMB001"]


def test_installed_wheel_prices_and_measures_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    """Every command runs from the wheel (a command module missing from it would fail here)."""
    shutil.copy(ROOT / "samples" / "web-api.yaml", tmp_path / "arch.yaml")
    cost = _run([_slscheck(installed), "cost", "arch.yaml", "--format", "json"], tmp_path)
    assert cost.returncode == 0, cost.stdout + cost.stderr
    assert json.loads(cost.stdout)["total"] > 0
    limits = _run([_slscheck(installed), "limits", "arch.yaml", "--format", "json"], tmp_path)
    assert limits.returncode == 0, limits.stdout + limits.stderr
    assert {r["status"] for r in json.loads(limits.stdout)["rows"]} <= {"ok", "warn", "over"}


def test_installed_wheel_carries_its_data(installed: Path, tmp_path: Path) -> None:
    rules = _run([_slscheck(installed), "rules", "--format", "json"], tmp_path)
    assert rules.returncode == 0
    assert sorted(r["id"] for r in json.loads(rules.stdout)["rules"]) == sorted(r.id for r in load_rules().rules)
    schema = _run([_slscheck(installed), "schema"], tmp_path)
    assert json.loads(schema.stdout)["title"]
    py = installed / ("Scripts" if os.name == "nt" else "bin") / "python"
    where = _run([str(py), "-c", "import sls_check.paths as p; print(p.data_dir('pricing'))"], tmp_path)
    assert "_data" in where.stdout and str(ROOT) not in where.stdout
