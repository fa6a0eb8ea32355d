"""Files that are not files, and outputs that are not to be replaced (review A10-A12, C5, D1-D4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .hostile import WEB_API, cli, one_problem

REPLACE = "cannot write the output: it is an input of this run, and the report would replace it"
posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(WEB_API)
    return tmp_path


@posix
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "p.yaml", "--no-config"], "p.yaml:1:1"),
        (["validate", "a.yaml", "--no-config", "--rules", "p.yaml"], "p.yaml:1:1"),
        (["diff", "p.yaml", "a.yaml"], "p.yaml:1:1"),
    ],
)
def test_c5_a_fifo_without_a_writer(capsys, monkeypatch, work: Path, args: list[str], expected: str) -> None:
    os.mkfifo(work / "p.yaml")
    code, _, err = cli(capsys, monkeypatch, work, *args)
    assert one_problem(code, err) == f"{expected}: is a FIFO that no program writes to, not a spec file"


@posix
def test_c5_a_fifo_as_a_rule_pack_of_the_config(capsys, monkeypatch, work: Path) -> None:
    os.mkfifo(work / "p.yaml")
    (work / ".slscheck.yaml").write_text("rules: [p.yaml]\n")
    code, _, err = cli(capsys, monkeypatch, work, "validate", "a.yaml")
    assert one_problem(code, err) == "p.yaml:1:1: is a FIFO that no program writes to, not a spec file"


@posix
def test_a_fifo_with_a_writer_is_read(work: Path) -> None:
    """`slscheck validate <(cat a.yaml)` and `cat a.yaml > fifo &` keep working."""
    os.mkfifo(work / "p.yaml")
    writer = subprocess.Popen(["sh", "-c", "cat a.yaml > p.yaml"], cwd=work)
    run = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", "p.yaml", "--no-config"],
        cwd=work,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
    )
    writer.wait()
    assert (run.returncode, run.stderr) == (0, "")
    assert "in 1 file" in run.stdout


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_as_the_spec(capsys, monkeypatch, work: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} is absent")
    code, _, err = cli(capsys, monkeypatch, work, "validate", device, "--no-config")
    assert one_problem(code, err) == f"{device}:1:1: is a device, not a spec file"


@pytest.mark.parametrize("where", ["spec", "rules"])
def test_a10_a_symlink_loop(capsys, monkeypatch, work: Path, where: str) -> None:
    (work / "loop.yaml").symlink_to("loop.yaml")
    args = ["loop.yaml"] if where == "spec" else ["a.yaml", "--rules", "loop.yaml"]
    code, _, err = cli(capsys, monkeypatch, work, "validate", *args, "--no-config")
    assert one_problem(code, err) == "loop.yaml:1:1: cannot read: a loop of symbolic links"


@pytest.mark.parametrize("where", ["spec", "rules"])
def test_a11_a_name_longer_than_name_max(capsys, monkeypatch, work: Path, where: str) -> None:
    long = "r" * 300
    args = [long] if where == "spec" else ["a.yaml", "--rules", long]
    code, _, err = cli(capsys, monkeypatch, work, "validate", *args, "--no-config")
    assert one_problem(code, err) == f"{long}:1:1: cannot read: the file name is too long"


def _subprocess(args: list[str], cwd: Path, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sls_check", *args],
        cwd=cwd,
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("args", [["validate", "a.yaml", "-f", "json"], ["validate", "a.yaml"], ["rules"]])
def test_a12_stdout_closed(work: Path, args: list[str]) -> None:
    code = "import os, runpy, sys; os.close(1); sys.stdout = None; runpy.run_module('sls_check', run_name='__main__')"
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=work,
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
    )
    assert run.returncode == 2
    assert run.stderr == "<stdout>:1:1: cannot write the output: standard output is closed\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux's")
@pytest.mark.parametrize(
    "args", [["validate", "a.yaml", "-f", "json"], ["validate", "a.yaml"], ["rules"], ["cost", "a.yaml"]]
)
def test_a12_stdout_full(work: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        run = _subprocess(args, work, stdout=full)
    assert run.returncode == 2
    assert run.stderr == "<stdout>:1:1: cannot write the output: No space left on device\n"


def test_d1_graph_and_diff_refuse_their_inputs(capsys, monkeypatch, work: Path) -> None:
    (work / "b.yaml").write_text(WEB_API)
    code, _, err = cli(capsys, monkeypatch, work, "graph", "a.yaml", "-o", "a.yaml")
    assert one_problem(code, err) == f"a.yaml:1:1: {REPLACE}"
    code, _, err = cli(capsys, monkeypatch, work, "diff", "a.yaml", "b.yaml", "-o", "b.yaml")
    assert one_problem(code, err) == f"b.yaml:1:1: {REPLACE}"
    assert (work / "a.yaml").read_text() == WEB_API == (work / "b.yaml").read_text()


def test_d2_config_and_rule_pack_are_inputs(capsys, monkeypatch, work: Path) -> None:
    (work / ".slscheck.yaml").write_text("fail_on: never\n")
    (work / "team.yaml").write_text("pack: team\nrules: []\n")
    code, _, err = cli(capsys, monkeypatch, work, "validate", "a.yaml", "-o", ".slscheck.yaml")
    assert one_problem(code, err) == f".slscheck.yaml:1:1: {REPLACE}"
    code, _, err = cli(capsys, monkeypatch, work, "validate", "a.yaml", "--rules", "team.yaml", "-o", "team.yaml")
    assert one_problem(code, err) == f"team.yaml:1:1: {REPLACE}"
    assert (work / ".slscheck.yaml").read_text() == "fail_on: never\n"
    assert (work / "team.yaml").read_text() == "pack: team\nrules: []\n"


def test_a_symlink_to_an_input_is_an_input(capsys, monkeypatch, work: Path) -> None:
    (work / "link.txt").symlink_to("a.yaml")
    code, _, err = cli(capsys, monkeypatch, work, "graph", "a.yaml", "-o", "link.txt")
    assert one_problem(code, err) == f"link.txt:1:1: {REPLACE}"


@posix
def test_d3_a_fifo_is_never_replaced(capsys, monkeypatch, work: Path) -> None:
    os.mkfifo(work / "o.fifo")
    code, _, err = cli(capsys, monkeypatch, work, "validate", "a.yaml", "--no-config", "-o", "o.fifo")
    assert one_problem(code, err) == (
        "o.fifo:1:1: cannot write the output: is a FIFO; slscheck replaces only regular files "
        "(`-o -` writes to standard output)"
    )
    assert (work / "o.fifo").is_fifo()


def test_d3_a_device_is_never_replaced(capsys, monkeypatch, work: Path) -> None:
    code, _, err = cli(capsys, monkeypatch, work, "validate", "a.yaml", "--no-config", "-o", "/dev/null")
    assert one_problem(code, err) == (
        "/dev/null:1:1: cannot write the output: is a device; slscheck replaces only regular files "
        "(`-o -` writes to standard output)"
    )
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_d4_dash_and_dev_stdout_are_standard_output(work: Path, target: str) -> None:
    """`-o /dev/stdout | head` failed (the path resolved to a pipe), and to a file it replaced it."""
    (work / "out.json").write_text("kept\n")
    with open(work / "out.json", "a") as sink:
        run = _subprocess(["validate", "a.yaml", "--no-config", "-f", "json", "-o", target], work, stdout=sink)
    assert (run.returncode, run.stderr) == (0, "")
    text = (work / "out.json").read_text()
    assert text.startswith("kept\n{\n")
    assert '"findings": []' in text


def test_a_regular_file_is_replaced_whole(capsys, monkeypatch, work: Path) -> None:
    (work / "report.json").write_text("old")
    code, _, err = cli(
        capsys, monkeypatch, work, "validate", "a.yaml", "--no-config", "-f", "json", "-o", "report.json"
    )
    assert (code, err) == (0, "")
    assert (work / "report.json").read_text().startswith("{\n")
    assert sorted(p.name for p in work.iterdir()) == ["a.yaml", "report.json"]  # no temporary file left
