"""The configuration file: `.slscheck.yaml`, or `[tool.slscheck]` in pyproject.toml.

    find_config(start)         -> Path | None    the first one upwards from start
    load_config(path)          -> Config         validated (schemas/config.schema.json), InputError otherwise
    Config.enabled(ruleset)    -> rule id -> bool (select/ignore: the longest matching entry wins)
    Config.apply(results, ...) -> config suppressions and severity overrides, on the results of a run

This module reads (discovery, YAML and TOML loading, positions, validation); deciding lives in
sls_check.selection and the suppressions in sls_check.rules_engine.suppressions (shared with
the spec's own `suppress:` entries).

Precedence is defaults < file < command line: the CLI passes None for an option that was not
given, and only then does the file's value count. Every problem is an InputError with the
file:line:col of the offending key (TOML positions come from a small scan of the file's
lines, since tomllib keeps none).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sls_check.loader import (
    MAX_BYTES,
    MAX_DEPTH,
    Document,
    decode_text,
    display_name,
    finite_numbers,
    load_text,
    read_input,
)
from sls_check.model import Finding, InputError, Location, Problem, Severity
from sls_check.paths import data_dir
from sls_check.rules_engine.suppressions import Suppression, apply_config, file_matches, relative_to
from sls_check.schema_check import Validator
from sls_check.selection import Decisions, score

if TYPE_CHECKING:
    from sls_check.results import FileResult
    from sls_check.rules_engine.packs import RuleSet

CONFIG_NAMES = (".slscheck.yaml", ".slscheck.yml")
PYPROJECT = "pyproject.toml"
__all__ = ["Config", "Suppression", "find_config", "load_config", "resolve", "score"]


@dataclass
class Config:
    """The configuration in force: what the file (or the defaults) says. Deciding is
    sls_check.selection (select, ignore, severity) and rules_engine.suppressions."""

    path: Path | None = None  # None: no file (defaults only)
    file: str = ""  # display name of the file, for locations
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: str | None = None
    rules: list[Path] = field(default_factory=list)
    region: str | None = None
    free_tier: str | None = None
    suppress: list[Suppression] = field(default_factory=list)
    doc: Document | None = field(default=None, repr=False)
    # --select / --ignore of the command line: when given, each replaces the file's list (flake8's rule)
    cli_select: list[str] | None = None
    cli_ignore: list[str] | None = None

    def locate(self, path: tuple[Any, ...], *, key: bool = False) -> Location:
        if self.doc is None:
            return Location(self.file or "(config)", 1, 1)
        return self.doc.locate(path, key=key)

    @property
    def decisions(self) -> Decisions:
        select = self.cli_select if self.cli_select is not None else self.select
        ignore = self.cli_ignore if self.cli_ignore is not None else self.ignore
        return Decisions(select, ignore, self.severity)

    def with_command_line(self, select: list[str], ignore: list[str]) -> Config:
        """--select/--ignore (repeatable, comma-separated): a given option replaces the file's list."""

        def split(values: list[str]) -> list[str] | None:
            entries = [e.strip() for v in values for e in v.split(",") if e.strip()]
            return entries if values else None

        return replace(self, cli_select=split(select), cli_ignore=split(ignore))

    @property
    def base(self) -> Path:
        """The folder `file` globs of suppressions are relative to."""
        return self.path.parent if self.path else Path.cwd()

    def enabled(self, ruleset: RuleSet) -> Callable[[str], bool]:
        """A predicate rule id -> bool over the ruleset's rules (unknown ids: True)."""
        return self.decisions.enabled(ruleset)

    def severity_for(self, finding: Finding, names: dict[str, str]) -> Severity:
        return self.decisions.severity_for(finding, names)

    def problems(self, ruleset: RuleSet) -> list[Problem]:
        """Entries of select, ignore and severity that match no rule (a typo would silently do nothing):
        the file's at their lines, the command line's at `<command line>:1:1`."""
        own = Decisions(
            self.select if self.cli_select is None else None,
            self.ignore if self.cli_ignore is None else [],
            self.severity,
        )
        found = own.problems(ruleset, lambda path, key: self.locate(path, key=key))
        cli = Decisions(self.cli_select, self.cli_ignore or [], {})
        found += [  # "select: 'LMB99' matches no rule" -> "--select: ..."
            Problem(p.location, f"--{p.message}")
            for p in cli.problems(ruleset, lambda path, key: Location("<command line>", 1, 1))
        ]
        return found

    def standing_in_for(self, file: str) -> Config:
        """This configuration for a spec read from elsewhere that stands in for `file`.

        `slscheck diff /tmp/base.arch.yaml infra/shop.arch.yaml`: the old version must get the
        suppressions whose `file` glob matches the new one's path, or every such suppressed
        finding would show up as "fixed".
        """
        rel = relative_to(file, self.base)
        suppress = [replace(s, file=None) if s.file is not None and file_matches(s, rel) else s for s in self.suppress]
        return replace(self, suppress=suppress)

    def apply(
        self,
        results: list[FileResult],
        ruleset: RuleSet,
        *,
        today: dt.date | None = None,
        enabled: Callable[[str], bool] | None = None,
    ) -> list[Finding]:
        """Config suppressions, then severity overrides, in place on the FileResults of a run.

        Returns the findings about the configuration's own suppressions (SUP001-SUP004), located
        in the configuration file, with the overrides applied to them too.
        """
        today = today or dt.date.today()
        meta: list[Finding] = []
        if self.suppress:
            meta = apply_config(self.suppress, results, ruleset, today, self.base, enabled)
        if self.severity:
            names = {r.id: r.name for r in ruleset.rules}
            for result in results:
                result.findings = sorted(
                    (_with(f, self.severity_for(f, names)) for f in result.findings), key=Finding.sort_key
                )
                result.suppressed = [_with(f, self.severity_for(f, names)) for f in result.suppressed]
            meta = [_with(f, self.severity_for(f, names)) for f in meta]
        return sorted(meta, key=Finding.sort_key)


def _with(f: Finding, severity: Severity) -> Finding:
    return f if f.severity == severity else replace(f, severity=severity)


# ---- finding and loading ----------------------------------------------------------------------


def find_config(start: Path | None = None) -> Path | None:
    """`.slscheck.yaml` (or .yml), else a pyproject.toml with a [tool.slscheck] table, in start or a parent.

    A configuration file that is there but cannot be read (not UTF-8, a FIFO, unreadable, a TOML
    error) is an input problem, never skipped: a team's `rules`, `select` and `fail_on` must not
    vanish without a word. A pyproject.toml that has no [tool.slscheck] table is not ours.
    """
    folder = (start or Path.cwd()).resolve()
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.exists() or candidate.is_symlink():
                return candidate
        pyproject = d / PYPROJECT
        if pyproject.exists() and _parsed_toml(pyproject).section is not None:
            return pyproject
    return None


@cache
def config_schema() -> dict[str, Any]:
    with (data_dir("schemas") / "config.schema.json").open(encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def load_config(path: Path) -> Config:
    doc = _load_toml(path) if path.name.endswith(".toml") else _load_yaml(path)
    errors = Validator(config_schema()).validate(doc.data)
    if errors:
        raise InputError([Problem(doc.locate(e.path, key=e.at_key), e.message) for e in errors])
    return _build(path, doc)


def resolve(explicit: Path | None = None, *, use_file: bool = True, start: Path | None = None) -> Config:
    """The configuration in force: --config PATH, else the one found upwards, else defaults."""
    if explicit is not None:
        if not (explicit.exists() or explicit.is_symlink()):
            raise InputError.single(display_name(explicit), 1, 1, "configuration file not found")
        return load_config(explicit)
    if not use_file:
        return Config()
    found = find_config(start)
    return load_config(found) if found else Config()


def _load_yaml(path: Path) -> Document:
    name = display_name(path)
    raw = read_input(path, what="configuration file")
    if all(not line.strip() or line.lstrip().startswith(b"#") for line in raw.splitlines()):
        return Document(name, {})  # an empty configuration: all defaults
    doc = load_text(raw, name)
    if not isinstance(doc.data, dict):
        raise InputError.single(doc.file, 1, 1, "the configuration must be a mapping of keys (select, ignore, ...)")
    return doc


def _plain(value: Any) -> Any:
    """TOML dates become YYYY-MM-DD strings, as YAML 1.2 reads them."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class _Toml:
    name: str
    text: str
    section: Any  # the [tool.slscheck] value, None when the file has none
    tool_at: tuple[int, int] | None = None  # where a `tool` that is not a table is set


_TOML_CACHE: dict[tuple[str, int, int], _Toml] = {}


def _parsed_toml(path: Path) -> _Toml:
    """A pyproject.toml read and parsed once per run (discovery, then loading), or InputError."""
    name = display_name(path)
    raw = read_input(path, what="configuration file")
    stamp = (str(path), len(raw), hash(raw))
    if stamp in _TOML_CACHE:
        return _TOML_CACHE[stamp]
    if len(raw) > MAX_BYTES:
        raise InputError.single(name, 1, 1, f"file is larger than {MAX_BYTES // 2**20} MiB, too large to read")
    text = decode_text(raw, name)
    parsed = _Toml(name, text, *_toml_section(text, name))
    _TOML_CACHE.clear()  # one entry is enough: discovery and loading of the same file
    _TOML_CACHE[stamp] = parsed
    return parsed


def _toml_section(text: str, name: str) -> tuple[Any, tuple[int, int] | None]:
    import tomllib  # only when a pyproject.toml is found: every run would pay for a top-level import

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError.single(name, line, col, f"TOML syntax error: {message}") from None
    except ValueError:  # an integer literal past Python's 4,300-digit limit, anywhere in the file
        found = re.search(r"[0-9_]{4300,}", text)
        line, col = _line_col(text, found.start() if found else 0)
        raise InputError.single(
            name, line, col, "integer literal beyond the range of a number (over 4,300 digits)"
        ) from None
    except RecursionError:
        line, col = _deepest(text)
        raise InputError.single(
            name, line, col, f"arrays or inline tables nested deeper than {MAX_DEPTH} levels"
        ) from None
    tool = data.get("tool")
    if tool is None:
        return None, None
    if not isinstance(tool, dict):
        return None, _line_col(text, _key_offset(text, "tool"))
    return tool.get("slscheck"), None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _key_offset(text: str, key: str) -> int:
    found = re.search(rf"^[ \t]*({re.escape(key)})[ \t]*=", text, re.MULTILINE)
    return found.start(1) if found else 0


def _deepest(text: str) -> tuple[int, int]:
    """Where brackets first nest deeper than MAX_DEPTH (strings are not told apart: a position to look at)."""
    depth = 0
    for offset, ch in enumerate(text):
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_col(text, offset)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return 1, 1


def _load_toml(path: Path) -> Document:
    parsed = _parsed_toml(path)
    name = parsed.name
    if parsed.tool_at is not None:
        raise InputError.single(name, *parsed.tool_at, "`tool` must be a table ([tool.slscheck]), not a value")
    if parsed.section is None:
        raise InputError.single(name, 1, 1, "no [tool.slscheck] table")
    doc = Document(name, _plain(parsed.section))
    _toml_positions(parsed.text, doc)
    if not isinstance(doc.data, dict):
        where = doc.locate(())
        raise InputError.single(name, where.line, where.column, "[tool.slscheck] must be a table")
    bad = finite_numbers(doc.data)
    if bad:
        raise InputError([Problem(doc.locate(where), problem) for where, problem in bad])
    return doc


_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _key_parts(text: str, start: int) -> tuple[tuple[str, ...], int] | None:
    """A dotted TOML key at text[start:] (bare, "basic" or 'literal' parts): (parts, end), or None.
    One pass over the characters: linear in the line, whatever it holds."""
    parts: list[str] = []
    i, n = start, len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] in "\"'":
            close = text.find(text[i], i + 1)
            if close < 0:
                return None
            parts.append(text[i + 1 : close])
            i = close + 1
        else:
            j = i
            while j < n and text[j] in _BARE:
                j += 1
            if j == i:
                return None
            parts.append(text[i:j])
            i = j
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def _header(line: str) -> tuple[str, tuple[str, ...], int] | None:
    """`[a.b]` or `[[a.b]]` (with an optional comment): (bracket, key parts, column), or None."""
    stripped = line.lstrip(" \t")
    if not stripped.startswith("["):
        return None
    col = len(line) - len(stripped) + 1
    bracket = "[[" if stripped.startswith("[[") else "["
    found = _key_parts(stripped, len(bracket))
    if found is None:
        return None
    parts, end = found
    close = "]]" if bracket == "[[" else "]"
    if not stripped.startswith(close, end):
        return None
    rest = stripped[end + len(close) :].strip()
    if rest and not rest.startswith("#"):
        return None
    return bracket, parts, col


def _multiline_state(line: str, inside: str | None) -> str | None:
    """Whether a line ends inside a multi-line string (the delimiter) or not (None)."""
    i = 0
    while i < len(line):
        if inside is None:
            if line.startswith(('"""', "'''"), i):
                inside = line[i : i + 3]
                i += 3
                continue
            if line[i] == "#":
                return None
            if line[i] in "\"'":  # a one-line string: skip it
                close = line.find(line[i], i + 1)
                i = len(line) if close < 0 else close + 1
                continue
        elif line.startswith(inside, i):
            i += 3
            inside = None
            continue
        elif inside == '"""' and line[i] == "\\":
            i += 1
        i += 1
    return inside


def _toml_positions(text: str, doc: Document) -> None:
    """Line and column of the keys under [tool.slscheck] (and its sub-tables), by one linear scan of the
    lines that skips the insides of multi-line strings (a header-looking line in a string is text)."""
    table: tuple[Any, ...] | None = None
    arrays: dict[tuple[str, ...], int] = {}
    inside: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if inside is not None:
            inside = _multiline_state(line, inside)
            continue
        header = _header(line)
        if header:
            bracket, path, col = header
            if path[:2] != ("tool", "slscheck"):
                table = None
                continue
            rel: tuple[Any, ...] = path[2:]
            if bracket == "[[":
                arrays[path] = arrays.get(path, -1) + 1
                rel = (*rel, arrays[path])
            table = rel
            doc.key_positions.setdefault(rel, (lineno, col))
            doc.positions.setdefault(rel, (lineno, col))
            continue
        inside = _multiline_state(line, None)
        if table is None:
            continue
        key = _key_parts(line, 0)
        if key and line.startswith("=", key[1]):
            path_key = (*table, *key[0])
            col = len(line) - len(line.lstrip()) + 1
            doc.key_positions.setdefault(path_key, (lineno, col))
            value_col = key[1] + 2
            while value_col <= len(line) and line[value_col - 1] in " \t":
                value_col += 1
            doc.positions.setdefault(path_key, (lineno, value_col))


def _build(path: Path, doc: Document) -> Config:
    data: dict[str, Any] = doc.data
    pricing = data.get("pricing", {})
    free = pricing.get("free_tier")
    config = Config(
        path=path.resolve(),
        file=doc.file,
        doc=doc,
        select=list(data["select"]) if "select" in data else None,
        ignore=list(data.get("ignore", [])),
        severity={k: Severity.parse(v) for k, v in data.get("severity", {}).items()},
        fail_on=data.get("fail_on"),
        rules=[(path.resolve().parent / p) for p in data.get("rules", [])],
        region=pricing.get("region"),
        free_tier={True: "always", False: "none"}.get(free, free) if free is not None else None,
    )
    problems: list[Problem] = []
    for i, raw in enumerate(data.get("suppress", [])):
        until = raw.get("until")
        if until is not None:
            try:
                dt.date.fromisoformat(until)
            except ValueError:
                problems.append(Problem(doc.locate(("suppress", i, "until")), f"{until!r} is not a valid date"))
                continue
        config.suppress.append(
            Suppression(
                rule=raw["rule"],
                location=doc.locate(("suppress", i)),
                reason=str(raw.get("reason") or ""),
                until=until,
                service=raw.get("service"),
                file=raw.get("file"),
                index=i,
                scope="config",
                rule_at=doc.locate(("suppress", i, "rule")),
                until_at=doc.locate(("suppress", i, "until")),
                service_at=doc.locate(("suppress", i, "service")),
            )
        )
    for i, pack in enumerate(config.rules):
        if not pack.exists():
            problems.append(
                Problem(
                    doc.locate(("rules", i)),
                    f"rule pack {data['rules'][i]!r} not found (paths are relative to {doc.file})",
                )
            )
    if problems:
        raise InputError(problems)
    return config
