"""The Dockerfile: small, non-root, `slscheck` as the entrypoint; built and run where a Docker daemon answers.

The build needs the base image python:3.12-slim (from the local image store or a registry) and PyPI
for the dependencies; SLSCHECK_DOCKER_BASE names another base with Python 3.11+ and pip (the
Dockerfile's BASE argument), for a machine that cannot reach Docker Hub. Without a daemon, or without
a way to get the base image, the build test is skipped with the reason; the static checks always run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from sls_check import __version__

from .conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
TAG = "slscheck-test:latest"


def _final_stage() -> list[str]:
    stages = DOCKERFILE.split("\nFROM ")
    return [line.strip() for line in stages[-1].splitlines() if line.strip() and not line.startswith("#")]


def test_image_is_non_root_with_the_slscheck_entrypoint() -> None:
    final = _final_stage()
    assert final[0] == "${BASE}" and "ARG BASE=python:3.12-slim\n" in DOCKERFILE, "a slim base, replaceable"
    user = next(line for line in final if line.startswith("USER "))
    assert user.split()[1] not in ("root", "0")
    entry = next(line for line in final if line.startswith("ENTRYPOINT "))
    assert json.loads(entry.removeprefix("ENTRYPOINT ")) == ["slscheck"]
    assert "COPY --from=build /wheels /wheels" in final and not any(line.startswith("COPY . ") for line in final)
    # the package and every data folder the wheel ships are copied into the build stage
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    for folder in ("sls_check", *build["targets"]["wheel"]["force-include"]):
        assert f"COPY {folder} ./{folder}" in DOCKERFILE, folder


def _docker(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def image() -> str:
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    info = _docker("info", "--format", "{{.ServerVersion}}", timeout=30)
    if info.returncode != 0:
        pytest.skip(f"no Docker daemon answers (`docker info`: {info.stderr.strip().splitlines()[-1:]})")
    base = os.environ.get("SLSCHECK_DOCKER_BASE", "")
    built = _docker("build", *(["--build-arg", f"BASE={base}"] if base else []), "-t", TAG, str(ROOT))
    if built.returncode != 0:
        log = built.stdout + built.stderr
        if any(
            s in log for s in ("pull access denied", "failed to resolve source metadata", "dial tcp", "i/o timeout")
        ):
            pytest.skip(f"cannot get the base image {base or 'python:3.12-slim'}: {log.strip()[-300:]}")
        pytest.fail(log[-3000:])
    return TAG


def test_image_runs_slscheck_as_non_root(image: str, tmp_path: Path) -> None:
    version = _docker("run", "--rm", image, "--version", timeout=120)
    assert version.returncode == 0 and version.stdout == f"slscheck {__version__}\n", version.stderr
    uid = _docker("run", "--rm", "--entrypoint", "id", image, "-u", timeout=120)
    assert uid.stdout.strip() == "10001"
    shutil.copy(ROOT / "samples" / "broken" / "lambda-memory.yaml", tmp_path / "bad.yaml")
    tmp_path.chmod(0o755)
    bad = _docker("run", "--rm", "-v", f"{tmp_path}:/work:ro", image, "validate", "bad.yaml", timeout=120)
    assert bad.returncode == 1 and "bad.yaml:10:16: error LMB001" in bad.stdout, bad.stdout + bad.stderr
