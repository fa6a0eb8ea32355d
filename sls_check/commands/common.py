"""Helpers shared by the commands: option parsing, exit codes, writing outputs whole."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path

import typer

from sls_check.model import InputError, Severity

FAIL_ON = ("error", "warning", "info", "never")


def fail_threshold(value: str) -> Severity | None:
    """The lowest severity that fails the run; None for `never`."""
    value = value.strip().lower()
    if value not in FAIL_ON:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(FAIL_ON)}", param_hint="--fail-on")
    return None if value == "never" else Severity.parse(value)


def exit_code(worst: Severity | None, threshold: Severity | None) -> int:
    """1 when the worst finding (or row) is at or above the threshold, else 0 (also for `never`)."""
    if threshold is None or worst is None:
        return 0
    return 1 if worst >= threshold else 0


def check_format(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}", param_hint=option)
    return value


_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$")


def region_option(value: str | None) -> str | None:
    """A --region value, stripped; a string that is no AWS region code is a usage error."""
    if value is None:
        return None
    if not _REGION.match(value.strip()):
        raise typer.BadParameter(f"{value!r} is not an AWS region code (e.g. eu-west-1)", param_hint="--region")
    return value.strip()


def parse_rates(text: str | None, option: str = "--rps") -> list[float] | None:
    """'100' or '10,100,1000' -> floats; a bad value is a usage error (exit 2)."""
    if text is None:
        return None
    rates: list[float] = []
    for part in text.split(","):
        try:
            rate = float(part.strip().replace("_", ""))
        except ValueError:
            raise typer.BadParameter(f"{part.strip()!r} is not a number", param_hint=option) from None
        if not rate >= 0 or rate == float("inf"):
            raise typer.BadParameter(f"{part.strip()!r} must be a finite number >= 0", param_hint=option)
        rates.append(rate)
    return rates


def one_rate(text: str | None, option: str = "--rps") -> float | None:
    rates = parse_rates(text, option)
    if rates is None:
        return None
    if len(rates) != 1:
        raise typer.BadParameter("takes one value here", param_hint=option)
    return rates[0]


def refuse_overwriting_inputs(output: Path | None, inputs: list[Path]) -> None:
    """`-o arch.yaml` on arch.yaml would replace the spec with the report: a usage error."""
    if output is None:
        return
    target = output.resolve()
    for path in inputs:
        if path.resolve() == target:
            raise typer.BadParameter(
                f"{output} is one of the input files; the report would replace it", param_hint="--output"
            )


def write_output(text: str, output: Path | None) -> None:
    """Print, or write the file whole (a temporary file renamed into place)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = output.resolve()
    if target.is_dir():
        raise InputError.single(str(output), 1, 1, "cannot write the output: is a directory")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fh.fileno(), 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:  # never leave the half-way file behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise InputError.single(str(output), 1, 1, f"cannot write the output: {exc.strerror or exc}") from None


def use_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
