"""Helpers shared by the commands: option parsing, exit codes, writing outputs whole."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from sls_check.loader import is_input
from sls_check.model import InputError, Severity

FAIL_ON = ("error", "warning", "info", "never")
FREE_TIER = ("none", "always", "all")  # cost and diff: the same values, the same meaning


def choice(values: tuple[str, ...] | list[str], suffix: str = "") -> dict[str, Any]:
    """typer.Option(**choice(FORMATS)): --help shows `[text|json|markdown]` and the shell completes them."""
    allowed = tuple(values)

    def complete(incomplete: str) -> list[str]:
        return [v for v in allowed if v.startswith(incomplete.lower())]

    return {"metavar": "[" + "|".join(allowed) + "]" + suffix, "autocompletion": complete}


def free_tier_value(value: str | None) -> str | None:
    """--free-tier none|always|all (cost and diff alike); None when not given."""
    if value is None:
        return None
    return check_format(value, FREE_TIER, "--free-tier")


def normalize_free_tier(argv: list[str]) -> list[str]:
    """The bare `--free-tier` (cost's old flag) means `--free-tier always`; `--no-free-tier` means none."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--no-free-tier":
            out += ["--free-tier", "none"]
        elif arg == "--free-tier" and (
            i + 1 >= len(argv)
            or argv[i + 1].startswith("-")
            or argv[i + 1].lower().endswith((".yaml", ".yml", ".json"))
            or os.path.exists(argv[i + 1])
        ):  # bare: what follows is another option or a spec
            out += ["--free-tier", "always"]
        else:
            out.append(arg)
    return out


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


# Names that mean standard output: `-o -`, and the device names of it (a pipe or a terminal behind
# them is not a file to replace, and a file behind them must be appended to, not replaced).
STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
STDOUT = "<stdout>"


def _to_stdout(text: str) -> None:
    stream = sys.stdout
    if stream is None:  # started with `>&-`
        raise InputError.single(STDOUT, 1, 1, "cannot write the output: standard output is closed")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise  # the reader left (`| head`): the CLI ends quietly
    except (OSError, ValueError) as exc:
        with contextlib.suppress(OSError, ValueError):  # no second error when Python flushes at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError.single(STDOUT, 1, 1, f"cannot write the output: {reason}") from None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_output(text: str, output: Path | None) -> None:
    """Print (no -o, or `-o -`), or write the file whole: a temporary file renamed into place.

    Only a regular file is ever replaced, and never an input of this run (the spec, a template or
    overlay, the configuration, a rule pack, the files of `diff` and `graph`): a FIFO or a device
    renamed over would become a regular file (as root, /dev/null for the whole system).
    """
    if output is None or output.as_posix() in STDOUT_NAMES:
        _to_stdout(text)
        return
    name = str(output)
    try:
        st: os.stat_result | None = os.stat(output)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError.single(name, 1, 1, f"cannot write the output: {_reason(exc)}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError.single(name, 1, 1, "cannot write the output: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputError.single(
                name,
                1,
                1,
                f"cannot write the output: is {_kind(st.st_mode)}; slscheck replaces only regular files "
                "(`-o -` writes to standard output)",
            )
        if is_input(st):
            raise InputError.single(
                name, 1, 1, "cannot write the output: it is an input of this run, and the report would replace it"
            )
    tmp = None
    try:
        target = output.resolve()
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fh.fileno(), 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
            fh.write(text)
        os.replace(tmp, target)
    except (OSError, RuntimeError) as exc:
        if tmp is not None:  # never leave the half-way file behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise InputError.single(name, 1, 1, f"cannot write the output: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links"
        if exc.errno == errno.ENAMETOOLONG:
            return "the file name is too long"
        return exc.strerror or str(exc)
    return "a loop of symbolic links" if "loop" in str(exc).lower() else str(exc)


@contextlib.contextmanager
def stdout_console(*, color: bool, width: int | None = None, soft_wrap: bool = False) -> Iterator[Any]:
    """A rich Console whose text goes to standard output through _to_stdout when the block ends (so a
    closed or full stdout is a one-line problem, as for every other output), colour only when asked."""
    import io
    import shutil

    from rich.console import Console

    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns if color else 120
    buffer = io.StringIO()
    yield Console(
        file=buffer, no_color=not color, force_terminal=color, highlight=False, soft_wrap=soft_wrap, width=width
    )
    _to_stdout(buffer.getvalue() if color else plain(buffer.getvalue()))


_BOX = str.maketrans({"─": "-", "━": "-", "│": "|", "┃": "|", "═": "=", "…": "..."})


def plain(text: str) -> str:
    """Text for a pipe, a file or a log: no trailing spaces (rich pads every table cell) and no
    box-drawing characters (a table rule becomes `---`)."""
    lines = [line.translate(_BOX).rstrip() for line in text.split("\n")]
    return "\n".join(lines)


def print_console(renderable: object, *, color: bool, width: int | None = None, soft_wrap: bool = False) -> None:
    with stdout_console(color=color, width=width, soft_wrap=soft_wrap) as console:
        console.print(renderable, end="")


def terminal_width() -> int | None:
    """The terminal's width when standard output is one (COLUMNS first, as every tool reads it), else None."""
    import shutil

    try:
        if not (sys.stdout is not None and sys.stdout.isatty()):
            return None
    except (OSError, ValueError):
        return None
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def text_width(default: int = 80) -> int:
    """The width text is laid out for: the terminal's; not on a terminal, COLUMNS when it is a
    sensible number, else `default` (deterministic: never the width of some other terminal)."""
    width = terminal_width()
    if width is not None:
        return width
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return default
    return columns if 20 <= columns <= 1000 else default


def use_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def complete_rule_ids(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of rule ids (and names) with their summaries: `slscheck explain LMB00<Tab>`."""
    from sls_check.rules_engine.packs import load_rules

    try:
        rules = load_rules().rules
    except Exception:  # completion must never print a traceback into the shell
        return []
    word = incomplete.split(",")[-1]
    head = incomplete[: len(incomplete) - len(word)]
    found = [(head + r.id, r.summary) for r in rules if r.id.upper().startswith(word.upper())]
    if not found and word:
        found = [(head + r.name, r.summary) for r in rules if r.name.startswith(word.lower())]
    return sorted(found)


# --select / --ignore, the same on every command that runs rules (validate, diff, graph).
SELECT: Any = typer.Option(
    [],
    "--select",
    help="Run only these rules: ids, id prefixes or names, comma-separated or repeated "
    "(the longest matching entry of --select and --ignore wins). Replaces the config's select.",
    metavar="RULES",
    autocompletion=complete_rule_ids,
)
IGNORE: Any = typer.Option(
    [],
    "--ignore",
    help="Do not run these rules (ids, prefixes or names), comma-separated or repeated. Replaces the config's ignore.",
    metavar="RULES",
    autocompletion=complete_rule_ids,
)
