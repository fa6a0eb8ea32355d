"""Run slscheck in process, as a user would, with outputs captured: (exit code, stdout, stderr)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from pathlib import Path

from sls_check.cli import main

LINE = re.compile(r"^[^\n]+:\d+:\d+: \S[^\n]*$")


def slscheck(cwd: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_argv = os.getcwd(), sys.argv
    os.chdir(cwd)
    sys.argv = ["slscheck", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
    return code, out.getvalue(), err.getvalue()


def check_promise(code: int, out: str, err: str, what: str) -> None:
    """The promise of the CLI for any input: exit 0, 1 or 2; exit 2 with one positioned line per
    problem; no traceback, no bare internal error, no internal-error finding."""
    context = f"{what}: exit {code}\nstdout: {out[-2000:]}\nstderr: {err[-2000:]}"
    assert code in (0, 1, 2), context
    assert "Traceback" not in err and "internal error" not in err, context
    assert "SLS000" not in out and "internal-error" not in out, context
    if code == 2:
        lines = err.splitlines()
        assert lines, context
        for line in lines:
            assert LINE.match(line), f"not a `file:line:col: message` line: {line!r}\n{context}"
