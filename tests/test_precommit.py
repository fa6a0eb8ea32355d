"""The pre-commit hook, run by the real pre-commit (from PyPI) on a temporary git repository.

pre-commit installs slscheck from a snapshot of this checkout into its own virtualenv, as it
would from GitHub, so this also proves the package installs with its data. It needs git and
PyPI: without them the test is skipped with the reason (set SLSCHECK_SKIP_PRECOMMIT=1 to skip
it on purpose; it takes about half a minute).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, run_cli, spec_yaml

# What the hook repository needs to install: the package, its data and its build metadata.
SNAPSHOT = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "sls_check",
    "rules",
    "pricing",
    "quotas",
    "runtimes",
    "importers",
    "schemas",
)
BAD = spec_yaml({"fn": {"type": "lambda", "runtime": "python3.12", "memory_mb": 64}})
GOOD = spec_yaml({"fn": {"type": "lambda", "runtime": "python3.12", "memory_mb": 256}})


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check, env=env)


@pytest.fixture(scope="module")
def pre_commit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("SLSCHECK_SKIP_PRECOMMIT"):
        pytest.skip("SLSCHECK_SKIP_PRECOMMIT is set")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if importlib.util.find_spec("pre_commit") is not None:  # installed beside pytest (pip install pre-commit)
        return Path(sys.executable)
    env_dir = tmp_path_factory.mktemp("pre-commit-venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pre-commit"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot install pre-commit from PyPI (offline?): {proc.stderr.strip()[-300:]}")
    return python


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's working tree (committed or not), as pre-commit clones it."""
    snap = tmp_path_factory.mktemp("slscheck-hook-repo")
    for name in SNAPSHOT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, snap / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_data"))
        elif src.exists():
            shutil.copy2(src, snap / name)
    _git(snap, "init", "-q")
    _git(snap, "add", "-A")
    _git(snap, "commit", "-q", "-m", "snapshot")
    return snap, _git(snap, "rev-parse", "HEAD").stdout.strip()


def _project(tmp: Path, repo: Path, rev: str) -> Path:
    project = tmp / "project"
    project.mkdir()
    _git(project, "init", "-q")
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": "slscheck"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project


def _run(python: Path, cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [str(python), "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=600,
    )


def test_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "slscheck")
    assert hook["entry"] == "slscheck validate --skip-unrecognized" and hook["language"] == "python"
    assert hook["types_or"] == ["yaml", "json"] and "files" not in hook  # by content, not by name


def test_hook_mode_checks_specs_by_content_and_skips_other_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "orders.yaml").write_text(BAD, encoding="utf-8")  # a spec, whatever its name
    (tmp_path / "spec.json").write_text(json.dumps(yaml.safe_load(BAD)), encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("not: [a spec\n", encoding="utf-8")  # not even valid YAML
    (tmp_path / "ci.yml").write_text("jobs: {}\n", encoding="utf-8")
    (tmp_path / "shop.arch.yaml").write_text("name: lost its version line\n", encoding="utf-8")
    files = ("orders.yaml", "spec.json", "notes.yaml", "ci.yml")
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "validate", "--skip-unrecognized", *files)
    assert code == 1 and err == ""
    assert "orders.yaml:8:16: error LMB001" in out and "spec.json:1:" in out
    assert "notes.yaml" not in out and "ci.yml" not in out
    assert out.rstrip().splitlines()[-1] == "2 errors, 0 warnings, 0 info in 2 files"
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "validate", "--skip-unrecognized", "notes.yaml", "ci.yml")
    assert (code, err) == (0, "")
    # named like a spec: checked, so a spec that lost `slscheck: 1` is reported, not skipped
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "validate", "--skip-unrecognized", "shop.arch.yaml")
    assert code == 2 and err.startswith("shop.arch.yaml:1:1: missing `slscheck: 1`"), err


@pytest.mark.slow
def test_try_repo_and_commit(pre_commit: Path, hook_repo: tuple[Path, str], tmp_path: Path) -> None:
    """try-repo fails on a bad staged spec; installed as a git hook, it blocks that commit and lets a good one in.

    (Each try-repo installs the hook into a fresh temporary store, about 25 s, so it runs once; the
    installed hook shares one environment for both commits.)
    """
    repo, rev = hook_repo
    project = _project(tmp_path, repo, rev)
    home = tmp_path / "pre-commit-home"
    (project / "infra").mkdir()
    spec = project / "infra" / "orders.yaml"  # a spec by content, not by name
    spec.write_text(BAD, encoding="utf-8")
    (project / "notes.yaml").write_text("not: [a spec\n", encoding="utf-8")  # not a spec: the hook skips it
    (project / "package.json").write_text('{"name": "web"}\n', encoding="utf-8")
    _git(project, "add", "-A")

    tried = _run(pre_commit, project, home, "try-repo", str(repo), "slscheck", "--ref", rev)
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert "infra/orders.yaml:8:16: error LMB001" in tried.stdout, tried.stdout
    assert "notes.yaml" not in tried.stdout and "package.json" not in tried.stdout

    installed = _run(pre_commit, project, home, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    blocked = _git(project, "commit", "-m", "bad spec", check=False)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "LMB001" in blocked.stdout + blocked.stderr
    assert _git(project, "rev-parse", "--verify", "HEAD", check=False).returncode != 0  # nothing committed

    spec.write_text(GOOD, encoding="utf-8")
    _git(project, "add", "-A")
    committed = _git(project, "commit", "-m", "good spec", check=False)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "slscheck" in committed.stdout + committed.stderr  # the hook ran, and passed
    assert _git(project, "log", "--oneline").stdout.count("\n") == 1
