"""Helpers of the hostile-input regression tests (tests/test_hostile_*.py): one reproducer of the
fuzzing review (../shared/reference/review/robustness.md) per test, each asserting the exit code and
the exact `file:line:col: message` line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import SAMPLES, run_cli

LINE = re.compile(r"^[^\n]+:\d+:\d+: \S[^\n]*$")
BIG = str(2**1024)  # 309 digits: larger than any float
WEB_API = (SAMPLES / "web-api.yaml").read_text()
RULE = (
    '{id: TST001, name: hostile, severity: warning, summary: s, rationale: r, docs: "https://example.com", '
    'checked: 2026-01-01, message: "{service}", fix: f, applies_to: [lambda], '
)


def spec(services: str, top: str = "") -> str:
    return f"slscheck: 1\nname: x\nregion: eu-west-1\n{top}services:\n{services}"


def pack(violation: str) -> str:
    return f"pack: team\nrules:\n  - {RULE}violation: {violation}}}\n"


def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cwd: Path, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return run_cli(capsys, monkeypatch, cwd, *args)


def problems(code: int, err: str) -> list[str]:
    """Exit 2, and every stderr line one `file:line:col: message`, no traceback, no internal error."""
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert lines, "no message on stderr"
    for line in lines:
        assert LINE.match(line), f"not one `file:line:col: message` line: {line!r}"
    return lines


def one_problem(code: int, err: str) -> str:
    (line,) = problems(code, err)
    return line
