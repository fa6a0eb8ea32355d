"""Regular expressions and named checks from rule packs (review A6, B2, B3, C1): checked when the
pack loads, matched in linear time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sls_check.rules_engine.checks import CHECKS
from sls_check.rules_engine.packs import _schema
from sls_check.safe_regex import MAX_STATES, PatternError, compile_safe

from .hostile import cli, one_problem, pack, problems, spec

ARCH = spec('  fn: {type: lambda, runtime: python3.12, description: "' + "a" * 40 + '!"}\n')


def run_pack(capsys, monkeypatch, tmp_path: Path, violation: str, arch: str = ARCH) -> tuple[int, str, str]:
    (tmp_path / "arch.yaml").write_text(arch)
    (tmp_path / "team.yaml").write_text(pack(violation))
    return cli(capsys, monkeypatch, tmp_path, "validate", "arch.yaml", "--no-config", "--rules", "team.yaml")


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(a*)*b", "(.*a){20}"])
def test_c1_catastrophic_patterns_run_in_linear_time(capsys, monkeypatch, tmp_path: Path, pattern: str) -> None:
    """`(a+)+$` against 40 a's and a `!` ran for minutes under `re`; the automaton answers at once."""
    code, out, err = run_pack(capsys, monkeypatch, tmp_path, f'{{key: description, op: matches, value: "{pattern}"}}')
    assert (code, err) == (0, "")
    assert "0 errors, 0 warnings" in out


def test_c1_a_matching_pattern_still_finds(capsys, monkeypatch, tmp_path: Path) -> None:
    code, out, _ = run_pack(capsys, monkeypatch, tmp_path, '{key: description, op: matches, value: "(a+)+!"}')
    assert code == 0 and "1 warning" in out and "TST001" in out


def test_a6_repetition_count_too_large(capsys, monkeypatch, tmp_path: Path) -> None:
    code, _, err = run_pack(capsys, monkeypatch, tmp_path, '{key: runtime, op: matches, value: "a{4294967296}"}')
    assert one_problem(code, err) == (
        "team.yaml:3:5: rule TST001: `matches` needs a regular expression, not 'a{4294967296}' "
        "(the repetition number is too large)"
    )


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(unclosed", "missing ), unterminated subpattern at position 0"),
        ("(a)\\\\1", "backreferences are not supported (only regular patterns, matched in linear time)"),
        ("(?=a)a", "lookarounds are not supported (only regular patterns, matched in linear time)"),
        ("(?i)a", "inline flags such as (?i) are not supported"),
        ("(a{100}){200}", f"the pattern is too large (more than {MAX_STATES:,} automaton states)"),
    ],
)
def test_patterns_outside_the_subset_are_refused_at_load(capsys, monkeypatch, tmp_path, pattern, reason) -> None:
    code, _, err = run_pack(capsys, monkeypatch, tmp_path, f'{{key: runtime, op: matches, value: "{pattern}"}}')
    line = one_problem(code, err)
    assert line.startswith("team.yaml:3:5: rule TST001: `matches` needs a regular expression, not ")
    assert line.endswith(f"({reason})")


def test_b3_a_pattern_from_the_spec_is_refused(capsys, monkeypatch, tmp_path: Path) -> None:
    """`key2` made any spec value a pattern: `(unclosed` became SLS000 findings, and a ReDoS channel."""
    arch = spec('  fn: {type: lambda, runtime: python3.12, description: "(unclosed"}\n')
    code, out, err = run_pack(capsys, monkeypatch, tmp_path, "{key: runtime, op: matches, key2: description}", arch)
    assert one_problem(code, err) == (
        "team.yaml:3:5: rule TST001: `matches` takes its pattern from `value`, not from the spec (key2): "
        "a value of a spec is data, never a pattern"
    )
    assert "SLS000" not in out


def test_b2_check_arguments_are_validated_at_load(capsys, monkeypatch, tmp_path: Path) -> None:
    code, out, err = run_pack(capsys, monkeypatch, tmp_path, "{check: compare_scaled}")
    assert problems(code, err) == [
        "team.yaml:3:5: rule TST001: check compare_scaled: args: missing required key 'left'",
        "team.yaml:3:5: rule TST001: check compare_scaled: args: missing required key 'right'",
    ]
    assert "SLS000" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("{left: duration_ms, right: 1.0e+308, factor: nope}", "args.factor: expected number, got string 'nope'"),
        ("{keys: [min_acu], step: 0}", "args.step: 0 must be more than 0"),
        ("{keys: [min_acu], step: 0.5, extra: 1}", "unknown key 'extra' in args"),
        ("{left: duration_ms, right: 'limit:no_such_limit'}", "unknown limit 'no_such_limit'"),
    ],
)
def test_b2_wrong_check_arguments(capsys, monkeypatch, tmp_path: Path, args: str, message: str) -> None:
    check = "not_multiple_of" if "keys" in args else "compare_scaled"
    code, _, err = run_pack(capsys, monkeypatch, tmp_path, f"{{check: {check}, args: {args}}}")
    assert one_problem(code, err) == f"team.yaml:3:5: rule TST001: check {check}: {message}"


def test_every_named_check_has_an_argument_schema() -> None:
    assert sorted(_schema("rulepack.schema.json")["$defs"]["check_args"]["$defs"]) == sorted(CHECKS)


SAMPLES_OF_PATTERNS = [
    r"python3\.\d+",
    r"[a-z]+-[0-9]{2,4}",
    r"^arn:aws:.*$",
    r"a.b",
    r"(ab|c)*d?",
    r"\bfoo\b.*",
    r"[^x]*x",
    r"",
    r"a{2}b{0,3}",
    r"(?:x|y|)+z",
    r"\w+\s\S+",
    r"a$\n",
    r"[\d.]+-?",
    r"(a|b)*?c",
]
TEXTS = ["", "python3.12", "abc-123", "arn:aws:x\n", "a\nb", "ababcd", "foo bar", "yyyx", "aabbb", "ab cd", "a\n", "c"]


@pytest.mark.parametrize("pattern", SAMPLES_OF_PATTERNS)
def test_the_automaton_agrees_with_re(pattern: str) -> None:
    compiled = compile_safe(pattern)
    for text in TEXTS:
        assert compiled.fullmatch(text) is (re.fullmatch(pattern, text) is not None), (pattern, text)


def test_not_a_string() -> None:
    with pytest.raises(PatternError):
        compile_safe(5)  # type: ignore[arg-type]


def test_fuzz_schema_digits_are_ascii(capsys, monkeypatch, tmp_path: Path) -> None:
    """Found by tests/fuzz while tuning it: Python's `\\d` took any script's digits, so the date pattern
    `^\\d{4}-\\d{2}-\\d{2}$` accepted '᠔૬෮૩-০৫-০৬' (JSON Schema's ECMA-262 `\\d` is 0-9)."""
    arch = spec(
        "  fn:\n    type: lambda\n    runtime: python3.12\n"
        "    suppress: [{rule: LMB001, reason: r, until: '᠔૬෮૩-০৫-০৬'}]\n"
    )
    (tmp_path / "arch.yaml").write_text(arch, encoding="utf-8")
    code, _, err = cli(capsys, monkeypatch, tmp_path, "validate", "arch.yaml", "--no-config")
    line = one_problem(code, err)
    assert line == "arch.yaml:8:49: services.fn.suppress.0.until: '᠔૬෮૩-০৫-০৬' does not match a date YYYY-MM-DD"
