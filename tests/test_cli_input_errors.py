"""The CLI on bad input: every problem one `file:line:col: message` line, exit 2, never a traceback;
usage errors, output files, hostile names. (Was test_review_cli.py.)

Hostile input to every command: never a traceback, exit 2, one `file:line:col: message` line per problem.

Regression tests of the CLI review (each case broke before its fix).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sls_check.cli import main
from sls_check.loader import load_text
from sls_check.model import InputError

from .conftest import ROOT, SAMPLES, run_cli

LINE = re.compile(r"^[^\n]+:\d+:\d+: \S[^\n]*$")
WEB_API = (SAMPLES / "web-api.yaml").read_text()


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("NO_COLOR", "1")
    return run_cli(capsys, monkeypatch, ROOT, *args)


def assert_input_problem(code: int, err: str, *, starts: str | None = None) -> list[str]:
    """Exit 2 and every stderr line `file:line:col: message`, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert lines, "no message on stderr"
    for line in lines:
        assert LINE.match(line), f"not one `file:line:col: message` line: {line!r}"
    if starts is not None:
        assert lines[0].startswith(starts), lines[0]
    return lines


def problem(raw: bytes) -> str:
    with pytest.raises(InputError) as exc:
        load_text(raw, "arch.yaml")
    (only,) = exc.value.problems
    text = str(only)
    assert LINE.match(text), text
    return text


# ---- loader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        # an alias inside the collection its anchor names: expanding it never ends (hung for ever)
        (b"slscheck: 1\na: &a [*a]\n", "arch.yaml:2:4: an alias is used inside the collection"),
        (b"slscheck: 1\na: &a {b: *a}\n", "arch.yaml:2:4: an alias is used inside the collection"),
        (b"slscheck: 1\na: &a {<<: *a}\n", "arch.yaml:2:4: an alias is used inside the collection"),
        (b"slscheck: 1\na: &a [1, [2, *a]]\n", "arch.yaml:2:4: an alias is used inside the collection"),
        # a control character: was a two-line message at 1:1
        (b"slscheck: 1\nname: a\x07b\n", "arch.yaml:2:8: YAML error: character U+0007 is not allowed"),
        # UTF-16 was called a binary file
        ("slscheck: 1\n".encode("utf-16"), "arch.yaml:1:1: UTF-16 text; slscheck reads UTF-8"),
        # Python type names leaked ("not a str")
        (b"hello\n", "arch.yaml:1:1: the top level must be a map of keys, not a string"),
        (b"42\n", "arch.yaml:1:1: the top level must be a map of keys, not a number"),
    ],
)
def test_loader_problem_is_one_positioned_line(raw: bytes, expected: str) -> None:
    assert problem(raw).startswith(expected)


def test_very_deep_flow_nesting_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    """30,000 `[` crashed the interpreter in the C composer (segmentation fault, exit 139)."""
    path = tmp_path / "deep.yaml"
    path.write_text("slscheck: 1\nx: " + "[" * 30000 + "]" * 30000 + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", str(path), "--no-config"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    # our pre-scan says it, or (PyYAML >= 6.0.4) the parser's own depth limit does, still positioned
    assert re.match(
        r"^.+deep\.yaml:2:\d+: (nesting deeper than 64 levels|.*maximum nesting depth)$", proc.stderr.strip()
    ), proc.stderr


# ---- numbers: .inf, .nan, 1e309, and finite numbers too large to compute with ---------------


NON_FINITE = ["1e309", "-1e309", ".inf", "-.inf", ".nan", ".NaN", "+.Inf"]


@pytest.mark.parametrize("command", ["validate", "cost", "limits", "graph"])
@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_number_is_a_schema_error(capsys, monkeypatch, tmp_path: Path, command: str, value: str) -> None:
    """1e309 loads as infinity: cost and limits failed on it with OverflowError / InvalidOperation."""
    spec = tmp_path / "arch.yaml"
    spec.write_text(WEB_API.replace("item_kb: 1.5", f"item_kb: {value}"))
    code, _, err = cli(capsys, monkeypatch, command, str(spec), *(["--no-config"] if command != "limits" else []))
    (line,) = assert_input_problem(code, err)
    assert ":45:14: services.orders.item_kb: expected number, got " in line
    assert ("infinite" in line) or ("not a number" in line)


@pytest.mark.parametrize("command", ["validate", "cost", "limits", "graph"])
def test_non_finite_workload_is_a_schema_error(capsys, monkeypatch, tmp_path: Path, command: str) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(WEB_API.replace("workload: {rps: 50, peak_rps: 400}", "workload: {rps: 1e309}"))
    code, _, err = cli(capsys, monkeypatch, command, str(spec))
    (line,) = assert_input_problem(code, err)
    assert ":6:17: workload.rps: expected number, got .inf" in line


@pytest.mark.parametrize(
    "command", [["validate"], ["cost"], ["limits"], ["limits", "--max"], ["graph"], ["validate", "-f", "markdown"]]
)
def test_traffic_that_overflows_is_an_input_error(capsys, monkeypatch, tmp_path: Path, command: list[str]) -> None:
    """Finite numbers whose product is infinite: limits failed formatting `inf`, cost in Decimal."""
    spec = tmp_path / "arch.yaml"
    spec.write_text(
        WEB_API.replace("rps: 50, peak_rps: 400", "rps: 1e300, peak_rps: 1e301").replace("calls: 0.7", "calls: 1e300")
    )
    code, _, err = cli(capsys, monkeypatch, *command, str(spec))
    (line,) = assert_input_problem(code, err)
    assert ":20:3: traffic into 'list_orders' overflows to infinity" in line


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_cost_of_an_absurd_quantity_is_an_input_error(capsys, monkeypatch, tmp_path: Path, fmt: str) -> None:
    """mau: 1e30 is finite, but rounding its bill to cents overflowed Decimal's 28 digits."""
    spec = tmp_path / "arch.yaml"
    spec.write_text(WEB_API.replace("mau: 20000", "mau: 1e30"))
    code, out, err = cli(capsys, monkeypatch, "cost", str(spec), "--no-config", "-f", fmt)
    (line,) = assert_input_problem(code, err)
    assert ":19:3: service 'users': " in line and "too large to price" in line
    assert out == ""


@pytest.mark.parametrize("command", [["validate", "-f", "markdown"], ["diff", "samples/web-api.yaml"]])
def test_absurd_quantity_elsewhere_never_crashes(capsys, monkeypatch, tmp_path: Path, command: list[str]) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(WEB_API.replace("mau: 20000", "mau: 1e30"))
    code, _, err = cli(capsys, monkeypatch, *command, str(spec), "--no-config")
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize(
    "option, value",
    [
        ("--fargate-cpu", "inf"),
        ("--fargate-memory-gb", "1e400"),
        ("--fargate-task-rps", "1e-320"),
        ("--fargate-cpu", "nan"),
        ("--fargate-task-rps", "0"),
        ("--fargate-cpu", "-1"),
    ],
)
def test_cost_fargate_options_are_bounded(capsys, monkeypatch, option: str, value: str) -> None:
    """inf was accepted (a break-even with `inf`); 1e-320 ended in decimal.InvalidOperation."""
    code, _, err = cli(capsys, monkeypatch, "cost", "samples/web-api.yaml", "--no-config", option, value)
    (line,) = assert_input_problem(code, err, starts="<command line>:1:1: ")
    assert option in line


# ---- usage errors: one line too -------------------------------------------------------------


S = "samples/web-api.yaml"
USAGE = [
    (["validate", S, "--rps", "abc"], "Invalid value for --rps: 'abc' is not a number"),
    (["validate", S, "--rps", "1,,2"], "Invalid value for --rps: '' is not a number"),
    (["validate", S, "--rps", "-1"], "--rps"),
    (["validate", S, "--rps", "1e400"], "must be a finite number"),
    (["validate", S, "--peak-rps", "nan"], "--peak-rps"),
    (["validate", S, "--format", "nope"], "Invalid value for --format: 'nope' is not one of"),
    (["validate", S, "--fail-on", "maybe"], "Invalid value for --fail-on: 'maybe' is not one of"),
    (["validate", S, "--bogus"], "No such option: --bogus"),
    (["validate"], "Missing argument"),
    (["cost", S, "--rps", "1,1"], "the same value is given twice"),
    (["cost", S, "--region", "xx"], "'xx' is not an AWS region code"),
    (["cost", S, "--format", "sarif"], "--format"),
    (["limits", S, "--rps", "1,2"], "takes one value here"),
    (["limits", S, "--fail-on", ""], "--fail-on"),
    (["graph", S, "--format", "png"], "--format"),
    (["diff", S], "Missing argument 'new'"),
    (["diff", S, S, "--free-tier", "maybe"], "--free-tier"),
    (["explain"], "Missing argument"),
    (["explain", "LMB001", "LMB002"], "unexpected extra argument"),
    (["rules", "--format", "nope"], "--format"),
    (["schema", "--name", "nope"], "Invalid value for --name"),  # said --format
    (["init", "--region", "xx"], "--region"),
    (["nope"], "No such command 'nope'"),
    (["--bogus"], "No such option: --bogus"),
]


@pytest.mark.parametrize("args, expected", USAGE, ids=lambda a: " ".join(a) if isinstance(a, list) else None)
def test_usage_error_is_one_line(capsys, monkeypatch, args: list[str], expected: str) -> None:
    """click printed a `Usage: ... Try ... Error: ...` block of five lines."""
    code, out, err = cli(capsys, monkeypatch, *args)
    (line,) = assert_input_problem(code, err, starts="<command line>:1:1: ")
    assert expected in line
    assert "--help`)" in line
    assert out == ""


def test_help_version_and_no_arguments_still_work(capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "--version")
    assert code == 0 and out.startswith("slscheck ")
    code, out, _ = cli(capsys, monkeypatch, "validate", "--help")
    assert code == 0 and "--fail-on" in out
    code, out, err = cli(capsys, monkeypatch)
    assert code == 2 and "validate" in out + err


def test_exit_codes_still_pass_through(capsys, monkeypatch) -> None:
    assert cli(capsys, monkeypatch, "validate", "samples/web-api.yaml", "--no-config")[0] == 0
    assert cli(capsys, monkeypatch, "validate", "samples/broken/lambda-env.yaml", "--no-config")[0] == 1
    assert (
        cli(capsys, monkeypatch, "validate", "samples/broken/lambda-env.yaml", "--no-config", "--fail-on", "never")[0]
        == 0
    )


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m sls_check rules | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


# ---- graph: the spec's name cannot inject Mermaid -------------------------------------------


def test_mermaid_comment_cannot_break_out(capsys, monkeypatch, tmp_path: Path) -> None:
    """The name went into a `%%` comment as is: a newline started Mermaid statements of its own."""
    spec = tmp_path / "arch.yaml"
    name = '"x\\"]\\nend\\n%%{init: {theme: dark}}%%\\nclick api \\"javascript:alert(1)\\"\\n```"'
    spec.write_text(WEB_API.replace("name: shop-api", f"name: {name}"))
    for fmt in ("mermaid", "markdown"):
        code, out, err = cli(capsys, monkeypatch, "graph", str(spec), "--no-config", "-f", fmt)
        assert code == 0, err
        body = out.removeprefix("```mermaid\n").removesuffix("```\n")
        assert "```" not in body and "%%{" not in body
        lines = body.splitlines()
        assert lines[1].startswith("    %% x") and "end" in lines[1] and "click" in lines[1]
        assert not any(line.strip().startswith(("end", "click", "%%{")) for line in lines)


# ---- suppressions: a date the calendar does not have ------------------------------------------


@pytest.mark.parametrize("command", ["validate", "cost", "limits", "graph"])
def test_suppression_until_impossible_date(capsys, monkeypatch, tmp_path: Path, command: str) -> None:
    """`until: 2026-02-30` matched the schema's pattern and then failed in date.fromisoformat (internal error)."""
    spec = tmp_path / "arch.yaml"
    spec.write_text(
        WEB_API.replace(
            "    pitr: true", "    pitr: true\n    suppress: [{rule: DDB001, reason: x, until: 2026-02-30}]"
        )
    )
    code, _, err = cli(capsys, monkeypatch, command, str(spec), *(["--no-config"] if command != "limits" else []))
    (line,) = assert_input_problem(code, err)
    assert line.endswith(":48:49: services.orders.suppress.0.until: '2026-02-30' is not a valid date")


# ---- messages -------------------------------------------------------------------------------


def test_wrong_collection_type_message_reads_well(capsys, monkeypatch, tmp_path: Path) -> None:
    """Said `expected map, got list a list`."""
    spec = tmp_path / "arch.yaml"
    spec.write_text("slscheck: 1\nname: [a]\nregion: us-east-1\nservices: []\n")
    code, _, err = cli(capsys, monkeypatch, "validate", str(spec), "--no-config")
    lines = assert_input_problem(code, err)
    assert lines[0].endswith(":2:7: name: expected string, got a list")
    assert lines[1].endswith(":4:11: services: expected map, got a list")


@pytest.mark.parametrize("command", [["rules"], ["explain", "LMB001"], ["validate", "samples/web-api.yaml"]])
def test_rules_option_with_an_empty_folder(capsys, monkeypatch, tmp_path: Path, command: list[str]) -> None:
    """--rules FOLDER without any *.yaml added nothing and said nothing."""
    extra = ["--no-config"] if command[0] == "validate" else []
    code, _, err = cli(capsys, monkeypatch, *command, "--rules", str(tmp_path), *extra)
    (line,) = assert_input_problem(code, err)
    assert line.endswith(":1:1: is a folder without rule packs (*.yaml files)")


# ---- files that cannot be read or written ---------------------------------------------------


def test_unreadable_spec_is_the_loaders_problem_and_others_are_checked(capsys, monkeypatch, tmp_path: Path) -> None:
    """click's own `Path 'x' is not readable` usage error stopped every file (and named no position)."""
    import os

    bad = tmp_path / "noread.yaml"
    bad.write_text(WEB_API)
    bad.chmod(0)
    if os.access(bad, os.R_OK):  # root reads anything; the stand-in below checks the same path
        monkeypatch.setattr("sls_check.loader.Path.open", _denied(bad))
    code, out, err = cli(capsys, monkeypatch, "validate", str(bad), "samples/web-api.yaml", "--no-config", "-f", "json")
    (line,) = assert_input_problem(code, err)
    assert line.endswith("noread.yaml:1:1: cannot read: Permission denied")
    import json

    assert json.loads(out)["summary"]["checked"] == 1


def _denied(path: Path):  # type: ignore[no-untyped-def]
    real = Path.open

    def fake(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.resolve() == path.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    return fake


def test_click_does_not_pre_check_readability() -> None:
    from sls_check.cli import command

    group = command()
    for sub in group.commands.values():
        for param in sub.params:
            assert getattr(param.type, "readable", False) is False, (sub.name, param.name)


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "samples/web-api.yaml", "-f", "json"],
        ["cost", S],
        ["limits", S],
        ["graph", S],
        ["rules"],
        ["diff", S, S],
    ],
)
def test_output_into_a_directory_leaves_nothing_behind(capsys, monkeypatch, tmp_path: Path, command: list[str]) -> None:
    """The temporary file stayed next to the target when the rename failed."""
    target = tmp_path / "out"
    target.mkdir()
    code, _, err = cli(capsys, monkeypatch, *command, "-o", str(target))
    (line,) = assert_input_problem(code, err)
    assert line.endswith("out:1:1: cannot write the output: is a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and not any(target.iterdir())


def test_failed_rename_removes_the_temporary_file(monkeypatch, tmp_path: Path) -> None:
    import os

    from sls_check.commands.common import write_output

    def fail(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(InputError) as exc:
        write_output("report\n", tmp_path / "r.txt")
    assert str(exc.value).endswith("r.txt:1:1: cannot write the output: No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_output_file_gets_ordinary_permissions(capsys, monkeypatch, tmp_path: Path) -> None:
    """mkstemp's 0600 survived the rename: a report the CI's other users could not read."""
    import os

    out = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        code, _, err = cli(
            capsys, monkeypatch, "validate", "samples/web-api.yaml", "--no-config", "-f", "json", "-o", str(out)
        )
    finally:
        os.umask(old)
    assert code == 0, err
    assert out.stat().st_mode & 0o777 == 0o644


def test_stdin_dash_reads_the_spec_from_standard_input(capsys, monkeypatch) -> None:
    """`-` is standard input (it was refused before; before that, looked up as a file)."""
    import io

    data = (SAMPLES / "broken" / "lambda-memory.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = cli(capsys, monkeypatch, "validate", "-", "--no-config")
    assert (code, err) == (1, "")
    assert "<stdin>:10:16: error LMB001 lambda-memory-range" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"slscheck: 1\nname: [\n")))
    code, _, err = cli(capsys, monkeypatch, "validate", "-", "--no-config")
    (line,) = assert_input_problem(code, err)
    assert line.startswith("<stdin>:")


@pytest.mark.parametrize("name", ["a\nb.yaml", "\u202eevil.yaml", "a\x1b[31mred.yaml"])
def test_file_name_with_a_line_break_stays_on_one_line(capsys, monkeypatch, name: str) -> None:
    code, _, err = cli(capsys, monkeypatch, "validate", name, "--no-config")
    (line,) = assert_input_problem(code, err)
    assert line.endswith(":1:1: cannot read: No such file or directory")


# ---- init -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, option",
    [
        (["a\nb"], "NAME"),  # wrote a starter whose comment line broke: it did not parse
        (["x\ny.yaml"], "NAME"),
        (["evil\u202e.yaml"], "NAME"),
        (["ok", "--schema", "x\ny"], "--schema"),
        ([""], "NAME"),  # wrote .arch.yaml
        ([".."], "NAME"),  # wrote ...arch.yaml
    ],
)
def test_init_refuses_names_that_make_a_broken_or_hidden_file(
    capsys, monkeypatch, tmp_path: Path, args: list[str], option: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["slscheck", "init", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    _, err = capsys.readouterr()
    (line,) = assert_input_problem(exit_.value.code, err, starts="<command line>:1:1: ")
    assert f"Invalid value for {option}" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["shop", "we ird", "éü", 'a"b', "infra/x.yml"])
def test_init_starters_validate(capsys, monkeypatch, tmp_path: Path, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["slscheck", "init", name])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code in (0, None)
    (written,) = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "arch.schema.json"]
    assert (written.parent / "arch.schema.json").is_file()  # the schema its modeline names
    monkeypatch.setattr(sys, "argv", ["slscheck", "validate", str(written), "--no-config"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 0, capsys.readouterr()


@pytest.mark.parametrize("region", ["xx", "EU-WEST-1", "", "eu-west-1; rm"])
def test_diff_checks_the_region_like_cost(capsys, monkeypatch, region: str) -> None:
    """diff took any --region and printed `monthly estimate: not available` with exit 0."""
    code, out, err = cli(capsys, monkeypatch, "diff", S, S, "--no-config", "--region", region)
    (line,) = assert_input_problem(code, err, starts="<command line>:1:1: ")
    assert "Invalid value for --region" in line and out == ""


# ---- explain ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("LMB", "rules start with it (LMB001 to LMB"),  # said "did you mean LMB023?"
        ("", "unknown rule ''; `slscheck rules` lists them"),
        ("LMB0044", "did you mean LMB004?"),
        ("a\nb", "unknown rule 'a\\nb'"),
        ("\u202eLMB001", "unknown rule '\\u202eLMB001'"),
        ("../../etc/passwd", "unknown rule '../../etc/passwd'"),
    ],
)
def test_explain_unknown_rule(capsys, monkeypatch, ref: str, expected: str) -> None:
    code, out, err = cli(capsys, monkeypatch, "explain", ref)
    (line,) = assert_input_problem(code, err, starts="<command line>:1:1: ")
    assert expected in line
    assert out == ""


@pytest.mark.parametrize("ref", ["LMB004", "lmb004", " LMB004 ", "lambda-environment-size", "LAMBDA-ENVIRONMENT-SIZE"])
def test_explain_finds_a_rule_by_id_or_name_in_any_case(capsys, monkeypatch, ref: str) -> None:
    code, out, _ = cli(capsys, monkeypatch, "explain", ref)
    assert code == 0 and out.startswith("LMB004 lambda-environment-size")


# ---- references -------------------------------------------------------------------------------


def test_queue_that_is_its_own_dlq(capsys, monkeypatch, tmp_path: Path) -> None:
    """Was accepted, and MSG010 compared the queue's retention with its own."""
    spec = tmp_path / "arch.yaml"
    spec.write_text(
        "slscheck: 1\nname: t\nregion: us-east-1\nworkload: {rps: 1}\nservices:\n  q: {type: sqs, dlq: q}\n"
    )
    code, _, err = cli(capsys, monkeypatch, "validate", str(spec), "--no-config")
    (line,) = assert_input_problem(code, err)
    assert line.endswith(":6:23: services.q.dlq: 'q' is its own dead-letter queue; name another queue")


@pytest.mark.parametrize(
    "services, expected",
    [
        ("  a: {type: lambda, connects: [a]}\n", "traffic cycle a → a"),
        ("  a: {type: lambda, connects: [b]}\n  b: {type: lambda, connects: [a]}\n", "traffic cycle "),
        ("  f: {type: lambda, dlq: f}\n", "'f' is a lambda; expected sqs or sns"),
        ("  c: {type: cloudfront, certificate: c}\n", "'c' is a cloudfront; expected acm_certificate"),
        (
            "  c: {type: cloudfront, functions: [{function: c, event: viewer-request}]}\n",
            "'c' is a cloudfront; expected cloudfront_function or lambda",
        ),
        ("  a: {type: lambda, connects: [nope]}\n", "unknown service 'nope'"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "cost", "limits", "graph"])
def test_self_references_and_cycles(
    capsys, monkeypatch, tmp_path: Path, services: str, expected: str, command: str
) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(f"slscheck: 1\nname: t\nregion: us-east-1\nworkload: {{rps: 1}}\nservices:\n{services}")
    code, _, err = cli(capsys, monkeypatch, command, str(spec), *(["--no-config"] if command != "limits" else []))
    lines = assert_input_problem(code, err)
    assert any(expected in line for line in lines), lines


# ---- a peak below the average was silently raised to it ----------------------------------------


@pytest.mark.parametrize("command", ["validate", "limits"])
@pytest.mark.parametrize(
    "options, expected",
    [
        (
            ["--rps", "100", "--peak-rps", "10"],
            "--peak-rps 10 is lower than the average entry rate 100 requests/s (--rps)",
        ),
        (["--peak-rps", "10"], "--peak-rps 10 is lower than the average entry rate 50 requests/s (the workload)"),
    ],
)
def test_peak_rps_option_below_the_average(
    capsys, monkeypatch, command: str, options: list[str], expected: str
) -> None:
    extra = ["--no-config"] if command == "validate" else []
    code, _, err = cli(capsys, monkeypatch, command, "samples/web-api.yaml", *options, *extra)
    (line,) = assert_input_problem(code, err, starts="<command line>:1:1: ")
    assert expected in line


def test_peak_rps_option_at_or_above_the_average_is_fine(capsys, monkeypatch) -> None:
    code, out, err = cli(capsys, monkeypatch, "limits", "samples/web-api.yaml", "--peak-rps", "50")
    assert code in (0, 1), err
    assert "Demand at peak: 50 requests/s" in out


@pytest.mark.parametrize(
    "block, expected",
    [
        ("workload: {rps: 100, peak_rps: 10}\n", ":4:32: workload.peak_rps: 10 is lower than the average, rps 100"),
        (
            "workload: {monthly_requests: 3e9, peak_rps: 5}\n",
            ":4:45: workload.peak_rps: 5 is lower than the average, monthly_requests 3e+09 (1142 requests/s)",
        ),
    ],
)
@pytest.mark.parametrize("command", ["validate", "cost", "limits", "graph"])
def test_spec_peak_below_the_average(
    capsys, monkeypatch, tmp_path: Path, block: str, expected: str, command: str
) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(
        f"slscheck: 1\nname: t\nregion: us-east-1\n{block}services:\n  a: {{type: lambda, runtime: python3.12}}\n"
    )
    code, _, err = cli(capsys, monkeypatch, command, str(spec), *(["--no-config"] if command != "limits" else []))
    (line,) = assert_input_problem(code, err)
    assert expected in line


def test_pinned_peak_below_the_pinned_rate(capsys, monkeypatch, tmp_path: Path) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(
        "slscheck: 1\nname: t\nregion: us-east-1\nservices:\n"
        "  a: {type: lambda, runtime: python3.12, rps: 5, peak_rps: 1}\n"
    )
    code, _, err = cli(capsys, monkeypatch, "validate", str(spec), "--no-config")
    (line,) = assert_input_problem(code, err)
    assert line.endswith(
        ":5:60: services.a.peak_rps: 1 is lower than the average, rps 5; a peak is at least the average"
    )


def test_the_same_problem_for_several_files_is_printed_once(capsys, monkeypatch) -> None:
    code, _, err = cli(
        capsys,
        monkeypatch,
        "validate",
        "samples/web-api.yaml",
        "samples/web-api.yaml",
        "--no-config",
        "--peak-rps",
        "1",
    )
    assert len(assert_input_problem(code, err)) == 1


@pytest.mark.parametrize(
    "value, expected",
    [
        ('"1"', "slscheck: '1' is a string; write the number 1, without quotes"),  # said "'1' is not supported ... 1"
        ("null", "slscheck: has no value; write `slscheck: 1`"),  # said "version None"
        ("[1]", "spec format version a list is not supported"),
        ("2", "spec format version 2 is not supported; this slscheck reads version 1"),
    ],
)
def test_format_version_messages(value: str, expected: str) -> None:
    from sls_check.spec import check_spec

    doc = load_text(
        f"slscheck: {value}\nname: t\nregion: us-east-1\nservices:\n  a: {{type: s3}}\n".encode(), "arch.yaml"
    )
    with pytest.raises(InputError) as exc:
        check_spec(doc)
    (only,) = exc.value.problems
    assert str(only) == f"arch.yaml:1:11: {expected}" or str(only).startswith(f"arch.yaml:1:11: {expected}")


# ---- a redirect that is not UTF-8 (Windows: cp1252) ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "samples/broken/lambda-env.yaml", "-f", "markdown"],
        ["diff", "samples/web-api.yaml", "samples/static-site.yaml", "-f", "markdown"],
        ["cost", "UNI"],
        ["graph", "UNI"],
        ["validate", "UNI", "-f", "json"],
    ],
)
def test_reports_survive_a_cp1252_redirect(tmp_path: Path, args: list[str]) -> None:
    """`-f markdown > comment.md` on Windows: UnicodeEncodeError on ✅ (internal error, exit 2)."""
    import os

    uni = tmp_path / "uni.yaml"
    uni.write_text(WEB_API.replace("name: shop-api", 'name: "שם 日本 ✅"'), encoding="utf-8")
    args = [str(uni) if a == "UNI" else a for a in args]
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "sls_check", *args, "--no-config"],
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    assert b"internal error" not in proc.stderr
    proc.stdout.decode("utf-8")  # the report is UTF-8


def test_internal_error_is_one_line(capsys, monkeypatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr("sls_check.api.validate", boom)
    code, _, err = cli(capsys, monkeypatch, "validate", "samples/web-api.yaml", "--no-config")
    assert code == 2
    assert err.count("\n") == 1 and "internal error: RuntimeError: first line second line" in err


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b'slscheck: 1\nname: "x\\e[2J\\e]0;pwned\\a"\n', "arch.yaml:2:7: control character U+001B in a string"),
        (b'slscheck: 1\nname: "\\x00"\n', "arch.yaml:2:7: control character U+0000 in a string"),
        (b'slscheck: 1\nname: "\\x85"\n', "arch.yaml:2:7: control character U+0085 in a string"),
        (b'slscheck: 1\n"a\\eb": 1\n', "arch.yaml:2:1: control character U+001B in a string"),
    ],
)
def test_escaped_control_characters_are_refused(raw: bytes, expected: str) -> None:
    """A name like "\\e[2J" reached the terminal through `limits` and `cost` (terminal escape injection)."""
    assert problem(raw).startswith(expected)


def test_tabs_and_line_breaks_in_strings_are_fine() -> None:
    doc = load_text(b'slscheck: 1\nname: "tab\\there\\nnl"\ndescription: |\n  multi\n  line\n', "arch.yaml")
    assert doc.data["name"] == "tab\there\nnl" and doc.data["description"] == "multi\nline\n"


# ---- a user's rule pack -------------------------------------------------------------------------


@pytest.mark.parametrize("value, detail", [('"(["', "'([' (unterminated character set"), ("5", "not 5 (not a string)")])
@pytest.mark.parametrize("command", [["rules"], ["validate", "samples/web-api.yaml", "--no-config"]])
def test_pack_with_a_broken_regular_expression(
    capsys, monkeypatch, tmp_path: Path, value: str, detail: str, command: list[str]
) -> None:
    """Was accepted; validate then reported an SLS000 internal error on every service (exit 1)."""
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "pack: mine\ndescription: t\nrules:\n  - id: USR001\n    name: user-regex\n    severity: warning\n"
        "    summary: s\n    rationale: r\n    docs: https://example.com\n    checked: 2026-11-26\n"
        "    message: m\n    fix: f\n    applies_to: [lambda]\n"
        f"    violation: {{key: runtime, op: matches, value: {value}}}\n"
    )
    code, _, err = cli(capsys, monkeypatch, *command, "--rules", str(pack))
    (line,) = assert_input_problem(code, err)
    assert "mine.yaml:4:5: rule USR001: `matches` needs a regular expression" in line and detail in line


@pytest.mark.parametrize("command", ["validate", "cost", "graph"])
def test_config_option_naming_a_directory(capsys, monkeypatch, tmp_path: Path, command: str) -> None:
    """Said `configuration file not found` for a folder that exists."""
    code, _, err = cli(capsys, monkeypatch, command, "samples/web-api.yaml", "--config", str(tmp_path))
    (line,) = assert_input_problem(code, err)
    assert line.endswith(":1:1: is a directory, not a configuration file")


@pytest.mark.parametrize(
    "command",
    [
        ["limits"],
        ["limits", "--max"],
        ["validate", "--no-config"],
        ["validate", "--no-config", "-f", "markdown"],
        ["graph", "--no-config"],
    ],
)
def test_quota_demand_that_overflows(capsys, monkeypatch, tmp_path: Path, command: list[str]) -> None:
    """Finite inputs (item_kb 1e300 at a peak of 1e300) overflowed in the limits calculator: OverflowError
    formatting `inf` (limits), or an SLS000 'limits calculator failed' finding (validate)."""
    spec = tmp_path / "arch.yaml"
    spec.write_text(
        "slscheck: 1\nname: t\nregion: us-east-1\nworkload: {rps: 3000, peak_rps: 1e300}\nservices:\n"
        "  t: {type: dynamodb, item_kb: 1e300}\n"
    )
    code, _, err = cli(capsys, monkeypatch, command[0], str(spec), *command[1:])
    (line,) = assert_input_problem(code, err)
    assert ":6:3: service 't': the demand on " in line and "overflows" in line


def test_huge_acu_is_no_internal_error(capsys, monkeypatch, tmp_path: Path) -> None:
    """min_acu: 1.7e308 made DAT005 divide into infinity and fail (an SLS000 internal-error finding)."""
    spec = tmp_path / "arch.yaml"
    spec.write_text((SAMPLES / "vpc-database.yaml").read_text().replace("min_acu: 0.5", "min_acu: 1.7e308"))
    assert "1.7e308" in spec.read_text()
    code, out, err = cli(capsys, monkeypatch, "validate", str(spec), "--no-config", "-f", "json")
    assert code in (0, 1), err
    import json

    assert "SLS000" not in {f["rule_id"] for f in json.loads(out)["findings"]}
