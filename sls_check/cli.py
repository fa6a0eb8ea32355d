"""The command line: typer app, one module per command under sls_check.commands.

Only this module and the commands print or exit. Every input problem leaves as
`file:line:col: message` lines on stderr with exit code 2, never as a traceback
(set SLSCHECK_DEBUG=1 to see one).
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

try:  # typer 0.28 carries its own copy of click; earlier versions use click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[no-redef]

from sls_check import __version__
from sls_check.loader import reset_inputs
from sls_check.model import InputError

# Each module has `register(app)`. Listed, not discovered, so the order of --help is stable.
COMMANDS = (
    "validate",
    "cost",
    "limits",
    "report",
    "diff",
    "graph",
    "import",
    "rules",
    "explain",
    "init",
    "schema",
    "prices",
)

app = typer.Typer(
    name="slscheck",
    help="Check an AWS serverless architecture before it is deployed: rules, cost, quotas.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slscheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Check an AWS serverless architecture before it is deployed: rules, cost, quotas."""


for _name in COMMANDS:  # a listed command whose module is missing fails here, loudly: never a silent gap
    # `import` is a Python keyword: its module is commands/import_.py
    importlib.import_module(f"sls_check.commands.{_name}{'_' if _name == 'import' else ''}").register(app)


def one_line(text: str) -> str:
    """A problem stays on its line even when a file name or a value carries a line break."""
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in text)


def report_input_error(err: InputError) -> None:
    for line in dict.fromkeys(one_line(str(problem)) for problem in err.problems):  # once, even for many files
        typer.echo(line, err=True)


def usage_problem(err: click_errors.ClickException) -> str:
    """A usage error (bad option value, unknown option, missing argument) as one line, like every input
    problem: `<command line>:1:1: message (see `slscheck CMD --help`)`."""
    message = " ".join(err.format_message().split())
    ctx = getattr(err, "ctx", None)
    words: list[str] = []
    while ctx is not None and ctx.parent is not None:  # the subcommand's name, not `python -m ...`
        words.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    hint = f" (see `{' '.join(['slscheck', *words, '--help'])}`)" if isinstance(err, click_errors.UsageError) else ""
    return one_line(f"<command line>:1:1: {message}{hint}")


def command() -> typer.core.TyperGroup:
    """The click command of the app, with path parameters that leave reading to us: a spec, a
    configuration or a rule pack that cannot be read is an input problem at file:1:1 (and `validate`
    goes on with its other files), not click's usage error that stops everything."""
    group = typer.main.get_command(app)
    for sub in getattr(group, "commands", {}).values():
        for param in sub.params:
            if getattr(param.type, "readable", None) is True:
                param.type.readable = False
    return group  # type: ignore[return-value]


def _utf8_stdout() -> None:
    """Reports are UTF-8 (names, ✅, →): a redirect on Windows (cp1252) must not fail on them."""
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        if stream.isatty():
            stream.reconfigure(errors="replace")
        else:
            stream.reconfigure(encoding="utf-8")


def main() -> None:
    debug = bool(os.environ.get("SLSCHECK_DEBUG"))
    _utf8_stdout()
    reset_inputs()  # `-o` refuses the files this command reads; in-process runs (tests) start afresh
    try:
        # Not standalone: click would print a usage error as a block of lines; ours is one line.
        from sls_check.commands.common import normalize_free_tier

        code = command()(args=normalize_free_tier(sys.argv[1:]), standalone_mode=False)
    except InputError as err:
        report_input_error(err)
        sys.exit(2)
    except click_errors.ClickException as err:
        if type(err).__name__ == "NoArgsIsHelpError":  # `slscheck` alone, `slscheck cost`: the help
            err.show()
        else:
            typer.echo(usage_problem(err), err=True)
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("slscheck: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `slscheck rules | head -1`: the reader left; nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:
        if debug:
            raise
        typer.echo(
            f"slscheck: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
            "(set SLSCHECK_DEBUG=1 for the traceback; please report it)",
            err=True,
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
