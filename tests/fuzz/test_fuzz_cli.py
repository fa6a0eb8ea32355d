"""Properties of every command on generated input: specs from arch.schema.json and configurations
from config.schema.json, near-valid with hostile values mixed in (tests/fuzz/strategies.py).

For each input, each command runs twice: the two runs must agree byte for byte (deterministic
output), and each must keep the promise (runner.check_promise). Time is bounded by the profile's
deadline (conftest.py), not by timed asserts.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from .runner import check_promise, slscheck
from .strategies import configs, overlays, specs, to_toml, to_yaml

COMMANDS = [
    ["validate", "arch.yaml", "-f", "json"],
    ["validate", "arch.yaml"],
    ["validate", "arch.yaml", "-f", "sarif"],
    ["validate", "arch.yaml", "-f", "junit"],
    ["validate", "arch.yaml", "-f", "github"],
    ["validate", "arch.yaml", "-f", "markdown"],
    ["cost", "arch.yaml", "-f", "json"],
    ["cost", "arch.yaml"],
    ["limits", "arch.yaml", "-f", "json"],
    ["limits", "arch.yaml", "--max"],
    ["graph", "arch.yaml", "--format", "mermaid"],
    ["graph", "arch.yaml", "--format", "dot"],
]
WORK = Path(tempfile.mkdtemp(prefix="slscheck-fuzz-"))


def run_twice(cwd: Path, args: list[str]) -> None:
    first = slscheck(cwd, *args)
    event(f"{args[0]} exit {first[0]}")
    check_promise(*first, " ".join(args))
    assert slscheck(cwd, *args) == first, f"{' '.join(args)}: two runs differ"


@given(doc=specs(), command=st.sampled_from(COMMANDS), more=st.sampled_from(COMMANDS))
def test_commands_on_generated_specs(doc: dict, command: list[str], more: list[str]) -> None:
    (WORK / "arch.yaml").write_text(to_yaml(doc), encoding="utf-8")
    for args in dict.fromkeys(map(tuple, (command, more))):
        run_twice(WORK, [*args, "--no-config"] if args[0] == "validate" else list(args))


@given(doc=specs(hostile=False))
def test_valid_specs_through_the_api(doc: dict) -> None:
    (WORK / "arch.yaml").write_text(to_yaml(doc), encoding="utf-8")
    run_twice(WORK, ["validate", "arch.yaml", "--no-config", "-f", "json", "--rps", "100"])


@given(config=configs(), toml=st.booleans())
def test_generated_configurations(config: dict, toml: bool) -> None:
    folder = WORK / "config"
    folder.mkdir(exist_ok=True)
    for name in (".slscheck.yaml", "pyproject.toml"):
        (folder / name).unlink(missing_ok=True)
    (folder / "arch.yaml").write_text((Path(__file__).parents[2] / "samples" / "web-api.yaml").read_text())
    if toml:
        (folder / "pyproject.toml").write_text(to_toml(config), encoding="utf-8")
    else:
        (folder / ".slscheck.yaml").write_text(to_yaml(config), encoding="utf-8")
    run_twice(folder, ["validate", "arch.yaml", "-f", "json"])


TEMPLATE = Path(__file__).parents[2] / "docs" / "examples" / "sam-orders" / "template.yaml"


@given(overlay=overlays(), command=st.sampled_from(["validate", "cost", "limits"]))
def test_generated_overlays_on_a_template(overlay: dict, command: str) -> None:
    folder = WORK / "overlay"
    folder.mkdir(exist_ok=True)
    (folder / "template.yaml").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "slscheck.overlay.yaml").write_text(to_yaml(overlay), encoding="utf-8")
    args = [command, "template.yaml", "--overlay", "slscheck.overlay.yaml"]
    run_twice(folder, [*args, "--no-config", "-f", "json"] if command == "validate" else [*args, "-f", "json"])
