"""The configuration file: `.slscheck.yaml`, or `[tool.slscheck]` in pyproject.toml.

    find_config(start)         -> Path | None    the first one upwards from start
    load_config(path)          -> Config         validated (schemas/config.schema.json), InputError otherwise
    Config.enabled(ruleset)    -> rule id -> bool (select/ignore: the longest matching entry wins)
    Config.apply(results, ...) -> config suppressions and severity overrides, on the results of a run

Precedence is defaults < file < command line: the CLI passes None for an option that was not
given, and only then does the file's value count. Every problem is an InputError with the
file:line:col of the offending key (TOML positions come from a small scan of the file's
lines, since tomllib keeps none).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from sls_check.loader import Document, display_name, load_file
from sls_check.model import Finding, InputError, Location, Problem, Severity
from sls_check.paths import data_dir
from sls_check.schema_check import Validator, suggest

CONFIG_NAMES = (".slscheck.yaml", ".slscheck.yml")
PYPROJECT = "pyproject.toml"
# Engine rules that `select` never turns off: the findings about suppressions themselves, and
# internal errors (which no configuration can hide).
META_PREFIXES = ("SUP",)
ALWAYS_ON = frozenset({"SLS000"})
NAME_SCORE = 1_000  # a rule name is more specific than any id prefix


@dataclass(frozen=True)
class Suppression:
    rule: str
    location: Location
    reason: str = ""
    until: str | None = None
    service: str | None = None
    file: str | None = None  # a glob, relative to the configuration file's folder
    index: int = 0


@dataclass
class Config:
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

    # ---- selection ---------------------------------------------------------------------------

    def locate(self, path: tuple[Any, ...], *, key: bool = False) -> Location:
        if self.doc is None:
            return Location(self.file or "(config)", 1, 1)
        return self.doc.locate(path, key=key)

    def enabled(self, ruleset: Any) -> Any:
        """A predicate rule id -> bool over the ruleset's rules (unknown ids: True)."""
        names = {r.id: r.name for r in ruleset.rules}
        select, ignore = self.select, self.ignore

        def decide(rule_id: str) -> bool:
            if rule_id in ALWAYS_ON:
                return True
            name = names.get(rule_id, "")
            best_select = max((score(e, rule_id, name) for e in select or []), default=0)
            best_ignore = max((score(e, rule_id, name) for e in ignore), default=0)
            if best_ignore and best_ignore >= best_select:
                return False
            if best_select:
                return True
            return select is None or rule_id.startswith(META_PREFIXES)

        return cache(decide)

    def severity_for(self, finding: Finding, names: dict[str, str]) -> Severity:
        best, found = 0, finding.severity
        for key, sev in self.severity.items():
            s = score(key, finding.rule_id, names.get(finding.rule_id, finding.rule_name))
            if s > best:
                best, found = s, sev
        return found

    def problems(self, ruleset: Any) -> list[Problem]:
        """Entries of select, ignore and severity that match no rule (a typo would silently do nothing)."""
        ids = [r.id for r in ruleset.rules]
        names = [r.name for r in ruleset.rules]
        out: list[Problem] = []
        for key in ("select", "ignore"):
            for i, entry in enumerate(getattr(self, key) or []):
                if not any(score(entry, r.id, r.name) for r in ruleset.rules):
                    out.append(
                        Problem(self.locate((key, i)), f"{key}: {entry!r} matches no rule{suggest(entry, ids + names)}")
                    )
        for entry in self.severity:
            if not any(score(entry, r.id, r.name) for r in ruleset.rules):
                out.append(
                    Problem(
                        self.locate(("severity", entry), key=True),
                        f"severity: {entry!r} matches no rule{suggest(entry, ids + names)}",
                    )
                )
        return out

    def standing_in_for(self, file: str) -> Config:
        """This configuration for a spec read from elsewhere that stands in for `file`.

        `slscheck diff /tmp/base.arch.yaml infra/shop.arch.yaml`: the old version must get the
        suppressions whose `file` glob matches the new one's path, or every such suppressed
        finding would show up as "fixed".
        """
        base = self.path.parent if self.path else Path.cwd()
        rel = _relative_to(file, base)
        suppress = [replace(s, file=None) if s.file is not None and _file_matches(s, rel) else s for s in self.suppress]
        return replace(self, suppress=suppress)

    # ---- post-processing a report -----------------------------------------------------------

    def apply(
        self, results: list[Any], ruleset: Any, *, today: dt.date | None = None, enabled: Any = None
    ) -> list[Finding]:
        """Config suppressions, then severity overrides, in place on the FileResults of a run.

        Returns the findings about the configuration's own suppressions (SUP001-SUP004), located
        in the configuration file, with the overrides applied to them too.
        """
        from sls_check.rules_engine.runner import engine_finding

        today = today or dt.date.today()
        meta: list[Finding] = []
        if self.suppress:
            meta = self._suppress(results, ruleset, today, enabled, engine_finding)
        if self.severity:
            names = {r.id: r.name for r in ruleset.rules}
            for result in results:
                result.findings = sorted(
                    (_with(f, self.severity_for(f, names)) for f in result.findings), key=Finding.sort_key
                )
                result.suppressed = [_with(f, self.severity_for(f, names)) for f in result.suppressed]
            meta = [_with(f, self.severity_for(f, names)) for f in meta]
        return sorted(meta, key=Finding.sort_key)

    def _suppress(
        self, results: list[Any], ruleset: Any, today: dt.date, enabled: Any, engine_finding: Any
    ) -> list[Finding]:
        meta: list[Finding] = []
        active: list[tuple[Suppression, str]] = []
        for s in self.suppress:
            rule = ruleset.find(s.rule)
            if rule is None:
                meta.append(
                    engine_finding(ruleset, "SUP002", "", self.locate(("suppress", s.index, "rule")), rule=s.rule)
                )
            elif not s.reason.strip():
                meta.append(engine_finding(ruleset, "SUP001", s.service or "", s.location, rule=rule.id))
            elif s.until and dt.date.fromisoformat(s.until) < today:
                meta.append(
                    engine_finding(
                        ruleset,
                        "SUP004",
                        s.service or "",
                        self.locate(("suppress", s.index, "until")),
                        rule=rule.id,
                        until=s.until,
                    )
                )
            else:
                active.append((s, rule.id))
        uses = [0] * len(active)
        in_scope = [False] * len(active)
        base = self.path.parent if self.path else Path.cwd()
        for result in results:
            spec_file = _relative_to(result.file, base)
            services = set(result.graph.services) if result.graph is not None else set()
            for i, (s, _rule_id) in enumerate(active):
                if _file_matches(s, spec_file) and (
                    s.service is None or any(fnmatch.fnmatchcase(sid, s.service) for sid in services)
                ):
                    in_scope[i] = True
            kept: list[Finding] = []
            for f in result.findings:
                hit = None
                if not f.rule_id.startswith("SUP"):
                    for i, (s, rule_id) in enumerate(active):
                        if (
                            rule_id == f.rule_id
                            and _file_matches(s, spec_file)
                            and (s.service is None or fnmatch.fnmatchcase(f.service, s.service))
                        ):
                            hit = i
                            break
                if hit is None:
                    kept.append(f)
                else:
                    uses[hit] += 1
                    result.suppressed.append(replace(f, suppressed_by=active[hit][0].reason.strip()))
            result.findings = kept
            result.suppressed.sort(key=Finding.sort_key)
        for i, (s, rule_id) in enumerate(active):
            # Unused only when its scope was checked: a pre-commit run over some of the specs
            # must not call a suppression for another spec's service dead.
            if uses[i] == 0 and in_scope[i] and (enabled is None or enabled(rule_id)):
                meta.append(engine_finding(ruleset, "SUP003", s.service or "", s.location, rule=rule_id))
            elif (
                uses[i] == 0
                and s.service is not None
                and s.file is not None
                and not in_scope[i]
                and any(_file_matches(s, _relative_to(r.file, base)) for r in results)
            ):
                # the file was checked, but it has no such service: a typo or a renamed service
                meta.append(
                    engine_finding(
                        ruleset, "SUP003", s.service, self.locate(("suppress", s.index, "service")), rule=rule_id
                    )
                )
        if enabled is not None:
            meta = [f for f in meta if enabled(f.rule_id)]
        return meta


def _with(f: Finding, severity: Severity) -> Finding:
    return f if f.severity == severity else replace(f, severity=severity)


def score(entry: str, rule_id: str, rule_name: str) -> int:
    """How specifically entry names the rule: 0 not at all, the prefix length, or NAME_SCORE for its name."""
    if entry == rule_name:
        return NAME_SCORE
    e = entry.upper()
    return len(e) if rule_id.upper().startswith(e) else 0


def _relative_to(file: str, base: Path) -> str:
    path = Path(file)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _file_matches(s: Suppression, spec_file: str) -> bool:
    return (
        s.file is None
        or fnmatch.fnmatchcase(spec_file, s.file)
        or fnmatch.fnmatchcase(spec_file, s.file.removeprefix("./"))
    )


# ---- finding and loading ----------------------------------------------------------------------


def find_config(start: Path | None = None) -> Path | None:
    """`.slscheck.yaml` (or .yml), else a pyproject.toml with [tool.slscheck], in start or a parent."""
    folder = (start or Path.cwd()).resolve()
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return d / name
        pyproject = d / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\[?\s*tool\.slscheck\b", text, re.MULTILINE) is not None


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
        if not explicit.is_file():
            what = (
                "is a directory, not a configuration file"
                if explicit.is_dir()
                else "is not a regular file"
                if explicit.exists()
                else "configuration file not found"
            )
            raise InputError.single(display_name(explicit), 1, 1, what)
        return load_config(explicit)
    if not use_file:
        return Config()
    found = find_config(start)
    return load_config(found) if found else Config()


def _load_yaml(path: Path) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError.single(display_name(path), 1, 1, f"cannot read: {exc.strerror or exc}") from None
    if all(not line.strip() or line.lstrip().startswith(b"#") for line in raw.splitlines()):
        return Document(display_name(path), {})  # an empty configuration: all defaults
    doc = load_file(path)
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


def _load_toml(path: Path) -> Document:
    import tomllib  # only when a pyproject.toml holds [tool.slscheck]: every run pays for a top-level import

    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(name, 1, 1, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError.single(name, line, col, f"TOML syntax error: {message}") from None
    section = data.get("tool", {}).get("slscheck")
    if section is None:
        raise InputError.single(name, 1, 1, "no [tool.slscheck] table")
    doc = Document(name, _plain(section))
    _toml_positions(text, doc)
    if not isinstance(doc.data, dict):
        raise InputError.single(name, 1, 1, "[tool.slscheck] must be a table")
    return doc


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _toml_positions(text: str, doc: Document) -> None:
    """Line and column of the keys under [tool.slscheck] (and its sub-tables), by a scan of the lines."""
    table: tuple[Any, ...] | None = None
    arrays: dict[tuple[str, ...], int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            path = _split_key(header.group(2))
            if path[:2] != ("tool", "slscheck"):
                table = None
                continue
            rel: tuple[Any, ...] = path[2:]
            if header.group(1) == "[[":
                arrays[path] = arrays.get(path, -1) + 1
                rel = (*rel, arrays[path])
            table = rel
            col = line.index(header.group(1)) + 1
            doc.key_positions.setdefault(rel, (lineno, col))
            doc.positions.setdefault(rel, (lineno, col))
            continue
        if table is None:
            continue
        key = _KEY.match(line)
        if key:
            path_key = (*table, *_split_key(key.group(1)))
            col = len(line) - len(line.lstrip()) + 1
            doc.key_positions.setdefault(path_key, (lineno, col))
            value_col = line.index("=", key.end() - 1) + 2
            while value_col <= len(line) and line[value_col - 1] == " ":
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
