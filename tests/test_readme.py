"""The README stays true: the two commands first, a quick start whose commands print what it shows,
links that resolve; the spec reference (moved to docs/spec.md) equal to the schema."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sls_check.spec_reference import BEGIN, END, section

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SPEC_DOC = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")


def test_spec_reference_matches_the_schema() -> None:
    match = re.search(re.escape(BEGIN) + ".*?" + re.escape(END), SPEC_DOC, re.S)
    assert match, "docs/spec.md lacks the spec reference markers"
    assert match.group(0) == section(), "docs/spec.md spec reference drifted: run python scripts/update_readme_spec.py"


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    install_and_run, install_and_test = blocks[0].strip(), blocks[1].strip()
    assert "pip install ." in install_and_run and "slscheck validate samples/" in install_and_run
    sample = re.search(r"slscheck validate (samples/\S+)", install_and_run)
    assert sample and (ROOT / sample.group(1)).is_file()
    assert "pip install '.[test]'" in install_and_test and "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip\"? install '\.\[test\]'", ci) and re.search(r"python\"? -m pytest", ci)
    # the quick start comes right after them, before any reference
    assert README.index("```sh") < README.index("## Quick start") < README.index("## Commands")
    assert README.index("## Quick start") < 2500


def test_every_documented_key_is_in_the_schema() -> None:
    from sls_check.spec import arch_schema

    keys = set(re.findall(r"^\| `([a-z_0-9]+)` \|", section(), re.M))
    schema_text = str(arch_schema())
    assert keys and all(f"'{k}'" in schema_text for k in keys)


def _sessions() -> list[tuple[str, list[str]]]:
    """(command, printed lines) of every `$ slscheck ...` in the README's console blocks, in order."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            elif out:
                out[-1][1].append(line)
    return out


def _shape(line: str) -> str:
    """A line with its numbers masked: prices and quotas move with the data files, the layout must not."""
    return re.sub(r"\d[\d,.]*", "#", line.rstrip())


def test_quick_start_prints_what_the_readme_shows(tmp_path: Path) -> None:
    sessions = _sessions()
    assert [c.split()[1] for c, _ in sessions] == ["init", "validate", "validate", "cost", "limits"]
    exe = [sys.executable, "-c", "import sys; sys.argv[0] = 'slscheck'; from sls_check.cli import main; main()"]
    env = {"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for command, shown in sessions:
        got = subprocess.run(
            [*exe, *command.split()[1:]], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
        )
        assert got.returncode == 0, (command, got.stderr)
        printed = got.stdout.rstrip("\n").splitlines()
        if command.split()[1] in ("init", "validate"):  # no prices in these: exactly as shown
            assert printed == shown, command
        else:
            assert [_shape(x) for x in printed] == [_shape(x) for x in shown], (
                f"{command}: run python scripts/update_readme_quickstart.py"
            )


@pytest.mark.parametrize("doc", ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))])
def test_relative_links_resolve(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        assert ((ROOT / doc).parent / target).exists(), f"{doc}: broken link {target}"
