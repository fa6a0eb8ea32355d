"""Real SAM/CloudFormation and Serverless Framework files from ../shared/corpus.

They are not slscheck specs, so each must be rejected cleanly: exit 2, one
`file:line:col: message` line per problem, never a traceback. CloudFormation's
short-form tags (!Ref, !GetAtt, !Sub) are the common trap: a safe loader must
refuse them with a position, not crash.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sls_check.api import validate

from .conftest import ROOT, SHARED, needs_shared

CORPUS = SHARED / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in {".yaml", ".yml"}) if CORPUS.exists() else []


@pytest.mark.skipif(not FILES, reason="../shared/corpus is absent (only in the team's workspace)")
def test_every_corpus_file_is_rejected_with_positions() -> None:
    report = validate(FILES)
    assert report.results == []  # none of them is a spec
    files_with_problems = {p.location.file for p in report.problems}
    assert len(files_with_problems) == len(FILES)
    for problem in report.problems:
        assert problem.location.line >= 1 and problem.location.column >= 1
        assert problem.message and "\n" not in problem.message


def test_cli_on_the_whole_corpus_has_no_traceback() -> None:
    corpus = needs_shared("corpus")
    files = [str(p) for p in sorted(corpus.rglob("*.y*ml"))]
    proc = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", *files], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) >= len(files)
    for line in lines:
        assert re.match(r"^.+\.ya?ml:\d+:\d+: \S", line), line
