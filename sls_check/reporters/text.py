"""Human output: findings grouped by file and service, severity coloured, a summary line.

Every finding line starts with file:line:col so editors and terminals can jump to it.
The result is a rich Text: printed with colour on a terminal, as plain text otherwise.

With a `width` (standard output is a terminal) a long finding is wrapped at word boundaries,
its continuation lines indented under the message, `fix:` and `docs:` lines likewise; a word
longer than the line (a URL) is never cut. Without one (a pipe, a file, a CI log) every finding
stays one line, as ruff and flake8 print them, so `grep` and editors see `file:line:col: ...`
whole.
"""

from __future__ import annotations

import re
from itertools import groupby

from rich.text import Text

from sls_check.model import Finding, Severity
from sls_check.reporters.escape import terminal
from sls_check.results import ValidationReport

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 or word == "info" else f"{n:,} {word}s"


def summary_line(report: ValidationReport) -> str:
    s = report.summary()
    text = (
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}, "
        f"{_plural(s['info'], 'info')} in {_plural(s['checked'], 'file')}"
    )
    extra = []
    if s["suppressed"]:
        extra.append(f"{s['suppressed']:,} suppressed")
    if s["input_problems"]:
        extra.append(f"{_plural(s['input_problems'], 'input problem')}: not checked")
    return text + (f" ({'; '.join(extra)})" if extra else "")


MESSAGE_INDENT = " " * 8  # continuation of a finding's message: under the location, one step in
FIX_INDENT = " " * len("      fix: ")
DOCS_INDENT = " " * len("      docs: ")


def wrap(line: Text, width: int | None, indent: str, keep: int = 0) -> Text:
    """`line` (no line break in it) broken at spaces so that no line passes `width`, the lines after
    the first starting with `indent`; never within its first `keep` characters (the location, the
    severity, the rule id and name stay together), and a word longer than a line (a URL) is never
    cut nor moved onto a line of its own. None: unchanged."""
    plain = line.plain
    if width is None or len(plain) <= width:
        return line
    room = max(width - len(indent), 20)
    starts: list[int] = [0]
    end = 0  # where the current line's last word ends
    for word in re.finditer(r"\S+", plain):
        limit = width if len(starts) == 1 else room
        offset = 0 if len(starts) == 1 else starts[-1]
        too_long = word.end() - word.start() > room
        if word.start() >= keep and end > starts[-1] and word.end() - offset > limit and not too_long:
            starts.append(word.start())
        end = word.end()
    if len(starts) == 1:
        return line
    out = Text()
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else len(plain)
        piece = line[start:stop]
        piece.rstrip()
        if i:
            out.append("\n" + indent)
        out.append_text(piece)
    return out


def _finding(out: Text, f: Finding, width: int | None) -> None:
    head = Text()
    head.append(f"    {terminal(str(f.location))}: ", style="dim")
    head.append(f.severity.label, style=STYLE[f.severity])
    head.append(f" {terminal(f.rule_id)} ", style="bold")
    head.append(f"{terminal(f.rule_name)}: ", style="dim")
    keep = len(head.plain)
    head.append(terminal(f.message))
    out.append_text(wrap(head, width, MESSAGE_INDENT, keep))
    out.append("\n")
    if f.fix:
        fix = Text()
        fix.append("      fix: ", style="green")
        fix.append(terminal(f.fix))
        out.append_text(wrap(fix, width, FIX_INDENT))
        out.append("\n")
    if f.docs:
        docs = Text(style="dim")
        docs.append("      docs: ")
        docs.append(terminal(f.docs))
        out.append_text(wrap(docs, width, DOCS_INDENT))
        out.append("\n")


def render(report: ValidationReport, *, verbose: bool = False, width: int | None = None) -> Text:
    out = Text()
    for result in report.results:
        if not result.findings and not verbose:
            continue
        out.append(f"{terminal(result.file)}\n", style="bold underline")
        if not result.findings:
            out.append("  no findings\n", style="green")
        by_service = sorted(result.findings, key=lambda f: (f.service, f.sort_key()))
        for service, group in groupby(by_service, key=lambda f: f.service):
            out.append(f"  {terminal(service) or '(spec)'}\n", style="bold")
            for f in group:
                _finding(out, f, width)
        out.append("\n")
    worst = report.worst()
    out.append(summary_line(report) + "\n", style=STYLE[worst] if worst else "green")
    return out
