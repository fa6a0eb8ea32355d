"""The GitHub Action (action.yml) and the documented workflows (docs/ci.md).

- action.yml and every workflow in docs/ci.md validate against the public schemas for GitHub actions
  and workflows (SchemaStore's, vendored by the check-jsonschema package), and use current majors
  of the actions they call;
- the action's shell steps run here as the runner would run them, with GitHub's environment files in a
  temporary folder and a stand-in `gh` that keeps the pull request's comments in a JSON file: the
  comment is created once and then updated in place, for several specs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, spec_yaml
from .test_precommit import _git

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
CI_DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
# The current major version of every action we use or document (confirmed 2026-12-01; see docs/ci.md).
CURRENT = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "github/codeql-action/upload-sarif": "v4",
}


def _workflows() -> list[str]:
    """Every YAML block of docs/ci.md that is a whole workflow (it has `jobs:`)."""
    return [b for b in re.findall(r"```yaml\n(.*?)```", CI_DOC, re.S) if re.search(r"^jobs:", b, re.M)]


def _check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (it is in the test extra: pip install '.[test]')")
    return subprocess.run(
        [exe, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True, timeout=120, check=False
    )


def test_action_yml_matches_the_github_actions_schema() -> None:
    got = _check_jsonschema("vendor.github-actions", [ROOT / "action.yml"])
    assert got.returncode == 0, got.stdout + got.stderr
    assert ACTION["runs"]["using"] == "composite"


def test_documented_workflows_match_the_github_workflows_schema(tmp_path: Path) -> None:
    flows = _workflows()
    assert len(flows) >= 2, "docs/ci.md shows the action workflow and the step-by-step one"
    files = []
    for i, flow in enumerate(flows):
        files.append(tmp_path / f"workflow-{i}.yml")
        files[-1].write_text(flow, encoding="utf-8")
    got = _check_jsonschema("vendor.github-workflows", files)
    assert got.returncode == 0, got.stdout + got.stderr


def _uses(text: str) -> list[str]:
    return re.findall(r"uses:\s*([\w./-]+@[\w.-]+)", text)


def test_every_action_reference_is_a_current_major() -> None:
    refs = (
        _uses((ROOT / "action.yml").read_text(encoding="utf-8"))
        + _uses(CI_DOC)
        + _uses((ROOT / "README.md").read_text(encoding="utf-8"))
    )
    seen = set()
    for ref in refs:
        name, version = ref.rsplit("@", 1)
        if name == "OWNER/slscheck":
            assert version == "COMMIT", ref  # pinned to a commit, the placeholder docs/ci.md explains
            continue
        assert name in CURRENT, f"{ref}: add it to CURRENT with its current major"
        assert version == CURRENT[name], f"{ref}: the current major is {CURRENT[name]}"
        seen.add(name)
    assert seen == set(CURRENT)


def test_composite_steps_call_the_scripts_that_exist() -> None:
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            for script in re.findall(r'"\$GITHUB_ACTION_PATH/(action/[\w.]+)"', step["run"]):
                assert (ROOT / script).is_file(), script


# ---- the shell steps, run locally ------------------------------------------------------------------

FAKE_GH = r'''#!/usr/bin/env python3
"""A stand-in for `gh api` that keeps the pull request's comments in $FAKE_GH_STATE."""
import json, os, sys
args = sys.argv[1:]
state_file = os.environ["FAKE_GH_STATE"]
state = json.load(open(state_file)) if os.path.exists(state_file) else {"comments": [], "calls": []}
state["calls"].append(args)
assert args[0] == "api", args
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args[1:] if a.startswith("repos/"))
def body():
    value = args[args.index("-F") + 1].removeprefix("body=")
    return open(value[1:]).read() if value.startswith("@") else value
if method == "GET":
    jq = args[args.index("--jq") + 1]
    assert jq == '[.[] | select(.body | startswith("<!-- slscheck-diff -->"))][0].id // empty', jq
    hits = [c["id"] for c in state["comments"] if c["body"].startswith("<!-- slscheck-diff -->")]
    print(hits[0] if hits else "")
elif method == "POST":
    assert path.endswith("/issues/7/comments"), path
    state["comments"].append({"id": 1000 + len(state["comments"]), "body": body()})
    print(state["comments"][-1]["id"])
elif method == "PATCH":
    cid = int(path.rsplit("/", 1)[1])
    for c in state["comments"]:
        if c["id"] == cid:
            c["body"] = body()
    print(cid)
json.dump(state, open(state_file, "w"))
'''

API_V1 = {
    "api": {"type": "api_gateway", "api": "http", "connects": ["fn"]},
    "fn": {"type": "lambda", "runtime": "python3.12", "memory_mb": 512, "duration_ms": 100, "timeout_s": 10},
}
API_V2 = {**API_V1, "fn": {**API_V1["fn"], "memory_mb": 2048}}
BROKEN = {"fn": {"type": "lambda", "runtime": "python3.12", "memory_mb": 64}}


@pytest.fixture()
def runner(tmp_path: Path) -> dict[str, Any]:
    """A pull request's checkout: base commit with one spec, head with it changed, a new spec and a non-spec."""
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    (repo / "infra" / "api.yaml").write_text(spec_yaml(API_V1, workload={"rps": 20}), encoding="utf-8")
    (repo / "infra" / "ci.yml").write_text("jobs: {}\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD").stdout.strip()
    (repo / "infra" / "api.yaml").write_text(spec_yaml(API_V2, workload={"rps": 20}), encoding="utf-8")
    (repo / "infra" / "worker.yaml").write_text(spec_yaml(BROKEN), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "head")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "gh").write_text(FAKE_GH.replace("#!/usr/bin/env python3", f"#!{sys.executable}"), encoding="utf-8")
    (bindir / "slscheck").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sls_check "$@"\n', encoding="utf-8")
    for exe in bindir.iterdir():
        exe.chmod(0o755)
    files = {name: tmp_path / name for name in ("output", "summary", "path", "gh-state.json")}
    for name in ("output", "summary", "path"):
        files[name].write_text("", encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))},
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_STEP_SUMMARY": str(files["summary"]),
        "GITHUB_PATH": str(files["path"]),
        "GITHUB_REPOSITORY": "acme/shop",
        "RUNNER_TEMP": str(tmp_path),
        "FAKE_GH_STATE": str(files["gh-state.json"]),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return {"repo": repo, "base": base, "env": env, "files": files}


def _step(runner: dict[str, Any], script: str, **inputs: str) -> subprocess.CompletedProcess[str]:
    """Run one composite step as action.yml does: its `env:` (inputs), its script, in the checkout."""
    step = next(s for s in ACTION["runs"]["steps"] if script in s.get("run", ""))
    env = dict(runner["env"])
    for key, value in step.get("env", {}).items():  # the step's env, with the inputs we pass
        match = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", str(value))
        if match:
            default = ACTION["inputs"][match.group(1)].get("default", "")
            env[key] = inputs.get(match.group(1), default if not default.startswith("${{") else "")
    env.update({k: v for k, v in inputs.items() if k.isupper()})
    return subprocess.run(
        ["bash", str(ROOT / "action" / script)],
        cwd=runner["repo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def test_check_step_writes_sarif_annotations_and_summary(runner: dict[str, Any]) -> None:
    got = _step(runner, "check.sh", paths="infra/")
    assert got.returncode == 0, got.stderr  # the job fails in the last step, after upload and comment
    outputs = _outputs(runner["files"]["output"])
    assert outputs == {"sarif-file": "slscheck.sarif", "exit-code": "1"}
    sarif = json.loads((runner["repo"] / "slscheck.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("LMB001", "infra/worker.yaml")
    ]
    assert "::error file=infra/worker.yaml,line=8,col=16,title=LMB001" in got.stdout
    assert "ci.yml" not in got.stdout + got.stderr  # not a spec: skipped quietly
    summary = runner["files"]["summary"].read_text(encoding="utf-8")
    assert "LMB001" in summary and "infra/worker.yaml" in summary


def test_comment_is_created_once_then_updated(runner: dict[str, Any]) -> None:
    pr = {"PR_NUMBER": "7", "BASE_SHA": runner["base"], "GH_TOKEN": "t"}
    first = _step(runner, "comment.sh", paths="infra/", **pr)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.strip().endswith("created comment 1000")
    state = json.loads(runner["files"]["gh-state.json"].read_text(encoding="utf-8"))
    (comment,) = state["comments"]
    body = comment["body"]
    assert body.startswith("<!-- slscheck-diff -->\n## slscheck\n")
    assert "`infra/api.yaml` (base) → `infra/api.yaml`" in body  # the diff names the spec, not a temp file
    assert "**Monthly estimate**" in body and "`fn`" in body
    assert "### `infra/worker.yaml` is new in this pull request" in body
    assert "ci.yml" not in body
    assert _outputs(runner["files"]["output"])["comment-id"] == "1000"

    # the next push: the same comment is found by its marker and updated, never a second one
    (runner["repo"] / "infra" / "api.yaml").write_text(spec_yaml(API_V1, workload={"rps": 40}), encoding="utf-8")
    second = _step(runner, "comment.sh", paths="infra/", **pr)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.strip() == "updated comment 1000"
    state = json.loads(runner["files"]["gh-state.json"].read_text(encoding="utf-8"))
    assert [c["id"] for c in state["comments"]] == [1000] and state["comments"][0]["body"] != body
    methods = [c[c.index("--method") + 1] if "--method" in c else "GET" for c in state["calls"]]
    assert methods == ["GET", "POST", "GET", "PATCH"]
