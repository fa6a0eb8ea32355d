"""docs/install.md as written: pip (and pipx, uv where installed) from the repository's git address.

The address is a local clone's `git+file://` URL instead of `https://github.com/OWNER/slscheck` (the
one placeholder of the docs). pip fetches the build backend and the dependencies from the package
index: offline, the test is skipped with the reason. It takes about half a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from sls_check import __version__

from .conftest import ROOT
from .test_precommit import SNAPSHOT, _git
from .test_wheel import OFFLINE

DOC = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
URL = "git+https://github.com/OWNER/slscheck"


def _commands(tool: str) -> list[str]:
    """The documented install lines for one tool (`pip install "git+..."`, `pipx install ...`)."""
    blocks = re.findall(r"```sh\n(.*?)```", DOC, re.S)
    return [
        line.strip() for b in blocks for line in b.splitlines() if re.search(rf"(^|/){tool} (tool )?install ", line)
    ]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this checkout's working tree, as a user's clone or GitHub would."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("slscheck-repo")
    for name in (*SNAPSHOT, "LICENSE"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_data"))
        elif src.exists():
            shutil.copy2(src, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")
    return repo


def _run(cmd: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, shell=True, cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=False)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    return {**env, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", **extra}


def test_the_documented_pip_command(clone: Path, tmp_path: Path) -> None:
    (line,) = [c for c in _commands("pip") if URL in c]
    assert line == f'~/.venvs/slscheck/bin/pip install "{URL}"'
    venv.create(tmp_path / ".venvs" / "slscheck", with_pip=True)  # the line before it in the docs
    env = _env(tmp_path)
    got = _run(line.replace(URL, f"git+file://{clone}"), tmp_path, env)
    if got.returncode != 0 and any(s in got.stdout + got.stderr for s in OFFLINE):
        pytest.skip(f"cannot reach the package index: {got.stderr.strip()[-200:]}")
    assert got.returncode == 0, got.stdout + got.stderr
    bindir = tmp_path / ".venvs" / "slscheck" / ("Scripts" if os.name == "nt" else "bin")
    version = _run(f"{bindir / 'slscheck'} --version", tmp_path, env)
    assert version.stdout == f"slscheck {__version__}\n"
    shutil.copy(ROOT / "samples" / "broken" / "lambda-memory.yaml", tmp_path / "bad.yaml")
    bad = _run(f"{bindir / 'slscheck'} validate bad.yaml", tmp_path, env)
    assert bad.returncode == 1 and "bad.yaml:10:16: error LMB001" in bad.stdout


@pytest.mark.parametrize("tool", ["pipx", "uv"])
def test_the_documented_tool_installs(tool: str, clone: Path, tmp_path: Path) -> None:
    (line,) = _commands(tool)
    assert line == f'{tool} {"tool " if tool == "uv" else ""}install "{URL}"'
    exe = shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip(f"{tool} is not installed (docs/install.md records a manual check of this command)")
    bindir = tmp_path / "bin"
    env = _env(
        tmp_path,
        PIPX_HOME=str(tmp_path / "pipx"),
        PIPX_BIN_DIR=str(bindir),
        UV_TOOL_DIR=str(tmp_path / "uv-tools"),
        UV_TOOL_BIN_DIR=str(bindir),
    )
    got = _run(line.replace(URL, f"git+file://{clone}").replace(tool, exe, 1), tmp_path, env)
    if got.returncode != 0 and any(s in got.stdout + got.stderr for s in (*OFFLINE, "Failed to fetch")):
        pytest.skip(f"cannot reach the package index: {got.stderr.strip()[-200:]}")
    assert got.returncode == 0, got.stdout + got.stderr
    assert _run(f"{bindir / 'slscheck'} --version", tmp_path, env).stdout == f"slscheck {__version__}\n"
