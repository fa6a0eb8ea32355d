"""The library entry points: validate, analyse. They return values; only the CLI prints or exits.

    load(path, rps=..)            -> Analysis (checked spec + service graph with traffic)
    limits(path, rps=.., ceiling=) -> LimitsResult (quota rows worst first, the ceiling)
    validate(paths, ...)          -> ValidationReport (findings per file, input problems)
    cost(path, rps=[..], ...)     -> CostRun (the bill per rps value; see sls_check.pricing.report.run_cost)

Every input problem is an InputError (file:line:col: message); these functions never
print and never exit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sls_check import ISSUES
from sls_check.build import build_graph
from sls_check.inputs import group_inputs, read_spec
from sls_check.model import Finding, InputError, Location, Problem, Severity, TooLarge
from sls_check.results import Analysis, CostRun, FileResult, LimitsResult, ValidationReport
from sls_check.rules_engine.packs import RuleSet, account_problems, load_rules
from sls_check.rules_engine.runner import INTERNAL, run_rules
from sls_check.spec import Spec

if TYPE_CHECKING:
    from sls_check.config import Config

# The result types live in sls_check.results (below the reporters); they stay importable from here.
__all__ = [
    "Analysis",
    "CostRun",
    "FileResult",
    "LimitsResult",
    "ValidationReport",
    "cost",
    "limits",
    "load",
    "validate",
]


def check(path: Path | list[Path], *, overlay: Path | None = None, parameters: dict[str, str] | None = None) -> Spec:
    """Load and check one architecture (the front of every pipeline): a spec, or one or several
    CloudFormation/SAM templates or serverless.yml files with their overlay; raises InputError."""
    spec = read_spec(path, overlay=overlay, parameters=parameters)
    problems = account_problems(spec, load_rules())
    if problems:
        raise InputError(problems)
    return spec


def load(
    path: Path | list[Path],
    *,
    rps: float | None = None,
    peak_rps: float | None = None,
    overlay: Path | None = None,
    parameters: dict[str, str] | None = None,
) -> Analysis:
    """Load, check and build one architecture; raises InputError."""
    spec = check(path, overlay=overlay, parameters=parameters)
    return Analysis(spec, build_graph(spec, rps=rps, peak_rps=peak_rps))


def _too_large(analysis: Analysis, exc: TooLarge) -> InputError:
    """The limits calculator's overflow (model.TooLarge) as an input problem."""
    service = exc.service
    spec = analysis.spec
    where = spec.locate(("services", service), key=True) if service in spec.services else Location(spec.file, 1, 1)
    return InputError([Problem(where, f"{f'service {service!r}: ' if service else ''}{exc}")])


def limit_findings(analysis: Analysis, ruleset: RuleSet | None = None) -> list[Finding]:
    """Quota findings at the spec's traffic (the gate of `validate --rps`)."""
    from sls_check.limits import findings_for  # only needed when there is traffic

    try:
        return findings_for(analysis.graph, locate=lambda path: analysis.spec.locate(path, key=True), ruleset=ruleset)
    except TooLarge as exc:
        raise _too_large(analysis, exc) from None


def limits(
    path: Path | list[Path],
    *,
    rps: float | None = None,
    peak_rps: float | None = None,
    ceiling: bool = False,
    overlay: Path | None = None,
) -> LimitsResult:
    """Headroom of every quota at the traffic; with `ceiling`, the entry rps of the first walls."""
    from sls_check.limits import find_ceiling, rows_for

    analysis = load(path, rps=rps, peak_rps=peak_rps, overlay=overlay)
    graph = analysis.graph
    found = None
    try:
        rows = rows_for(graph)
        if ceiling:
            shape = graph.entry_peak_rps / graph.entry_rps if graph.entry_rps > 0 else 1.0
            found = find_ceiling(
                lambda r: build_graph(analysis.spec, rps=r, peak_rps=r * shape),
                shape=shape,
                base_rps=graph.entry_rps or 1.0,
                account=graph.account,
            )
    except TooLarge as exc:
        raise _too_large(analysis, exc) from None
    return LimitsResult(analysis, rows, found)


def validate_one(
    path: Path | list[Path],
    *,
    ruleset: RuleSet,
    rps: float | None = None,
    peak_rps: float | None = None,
    today: dt.date | None = None,
    with_limits: bool = True,
    enabled: Callable[[str], bool] | None = None,
    overlay: Path | None = None,
    region_note: bool = True,
) -> FileResult:
    """Validate one architecture: load, check and build it, then the rule packs' findings plus,
    when it has traffic and `with_limits`, the LIM findings of the limits calculator (a failure
    there is one internal-error finding, never a lost run), spec suppressions applied; for a
    template, the importer's notes as well. Raises InputError when the input cannot be checked.

    `region_note=False`: leave out the note on an assumed Region and list the templates it applies to
    in the result's `region_assumed` (the run gives one note for all its inputs)."""
    analysis = load(path, rps=rps, peak_rps=peak_rps, overlay=overlay)
    extra: list[Finding] = []
    if with_limits and analysis.has_traffic:
        try:
            extra = limit_findings(analysis, ruleset)
        except InputError:
            raise
        except Exception as exc:  # a broken quota model must not hide the rule findings
            extra = [
                Finding(
                    INTERNAL,
                    "internal-error",
                    Severity.ERROR,
                    "",
                    f"the limits calculator failed: {type(exc).__name__}: {exc}",
                    "This is a bug in slscheck; please report it.",
                    ISSUES,
                    Location(analysis.spec.file, 1, 1),
                )
            ]
    result = run_rules(analysis.spec, analysis.graph, ruleset, today=today, extra_findings=extra, enabled=enabled)
    if getattr(analysis.spec.doc, "importer", None) is not None:  # a template: the importer's notes and unknowns
        from sls_check.importers.findings import apply_importer

        imported = analysis.spec.doc.importer  # type: ignore[attr-defined]
        apply_importer(analysis.spec, analysis.graph, ruleset, result, enabled=enabled, region_note=region_note)
        out = FileResult(analysis.spec.file, result.findings, result.suppressed, graph=analysis.graph)
        if not region_note:
            out.region_assumed = list(imported.region_assumed)
        return out
    return FileResult(analysis.spec.file, result.findings, result.suppressed, graph=analysis.graph)


def validate(
    paths: list[Path],
    *,
    rps: float | None = None,
    peak_rps: float | None = None,
    extra_rules: list[Path] | None = None,
    today: dt.date | None = None,
    with_limits: bool = True,
    config: Config | None = None,
    overlay: Path | None = None,
) -> ValidationReport:
    """Validate each file on its own; a file with input problems does not stop the others.

    A broken rule pack (ours or --rules) raises InputError: nothing can be checked without it;
    so does a configuration whose select/ignore/severity entries match no rule. `config` (see
    sls_check.config) selects rules, adds its suppressions and overrides severities; its pack
    list is the caller's to pass as extra_rules (the command line replaces it).
    """
    ruleset = load_rules(extra_rules)
    enabled = None
    if config is not None:
        problems = config.problems(ruleset)
        if problems:
            raise InputError(problems)
        enabled = config.enabled(ruleset)
    report = ValidationReport(ruleset=ruleset)
    # templates given with one overlay (or listed together in a discovered overlay's stacks) are one
    # architecture; every other file is checked on its own
    for group in group_inputs(list(paths), overlay):
        try:
            report.results.append(
                validate_one(
                    group if len(group) > 1 else group[0],
                    overlay=overlay,
                    ruleset=ruleset,
                    rps=rps,
                    peak_rps=peak_rps,
                    today=today,
                    with_limits=with_limits,
                    enabled=enabled,
                    region_note=False,
                )
            )
        except InputError as err:
            report.problems.extend(err.problems)
    # the Region a template does not give is assumed: one note for the run, naming the templates
    assumed = [(r, f) for r in report.results for f in r.region_assumed]
    if assumed and "IMP007" in ruleset.by_id and (enabled is None or enabled("IMP007")):
        from sls_check.importers.findings import region_finding

        first = assumed[0][0]
        first.findings.append(region_finding(ruleset, [f for _r, f in assumed]))
        first.findings.sort(key=Finding.sort_key)
    if config is not None:
        meta = config.apply(report.results, ruleset, today=today, enabled=enabled)
        if meta:  # findings about the configuration's own suppressions, at their lines in it
            report.results.append(FileResult(config.file, meta))
    return report


def cost(
    path: Path,
    *,
    rps: list[float] | None = None,
    region: str | None = None,
    free_tier: bool | str = False,
    fargate: Mapping[str, object] | None = None,
    overlay: Path | None = None,
) -> CostRun:
    """The monthly bill of one spec, once per rps value (or at its workload). Raises InputError, also
    for a price missing in a region (naming the service, the dimension and the region)."""
    from sls_check.pricing.report import run_cost

    return run_cost(check(path, overlay=overlay), rps=rps, region=region, free_tier=free_tier, fargate=fargate)
