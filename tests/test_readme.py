"""The README stays true: the two commands first, the spec reference equal to the schema."""

from __future__ import annotations

import re

from sls_check.spec_reference import BEGIN, END, section

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_spec_reference_matches_the_schema() -> None:
    match = re.search(re.escape(BEGIN) + ".*?" + re.escape(END), README, re.S)
    assert match, "README.md lacks the spec reference markers"
    assert match.group(0) == section(), "README spec reference drifted: run python scripts/update_readme_spec.py"


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    install_and_run, install_and_test = blocks[0].strip(), blocks[1].strip()
    assert "pip install ." in install_and_run and "slscheck validate samples/" in install_and_run
    sample = re.search(r"slscheck validate (samples/\S+)", install_and_run)
    assert sample and (ROOT / sample.group(1)).is_file()
    assert "pip install '.[test]'" in install_and_test and "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip\"? install '\.\[test\]'", ci) and re.search(r"python\"? -m pytest\n", ci)


def test_every_documented_key_is_in_the_schema() -> None:
    from sls_check.spec import arch_schema

    keys = set(re.findall(r"^\| `([a-z_0-9]+)` \|", section(), re.M))
    schema_text = str(arch_schema())
    assert keys and all(f"'{k}'" in schema_text for k in keys)
