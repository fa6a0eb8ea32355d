"""The loader: positions, YAML 1.2 scalars, and every hostile input as one clear InputError."""

from __future__ import annotations

import pytest

from sls_check.loader import MAX_BYTES, load_file, load_text
from sls_check.model import InputError


def problem(raw: bytes | str) -> str:
    data = raw.encode() if isinstance(raw, str) else raw
    with pytest.raises(InputError) as err:
        load_text(data, "bad.yaml")
    assert len(err.value.problems) == 1
    return str(err.value.problems[0])


def test_positions_of_keys_and_values_by_path() -> None:
    doc = load_text(b"slscheck: 1\nservices:\n  fn:\n    memory_mb: 512\n    env: {A: x}\n", "a.yaml")
    assert doc.data == {"slscheck": 1, "services": {"fn": {"memory_mb": 512, "env": {"A": "x"}}}}
    assert doc.positions[("services", "fn", "memory_mb")] == (4, 16)
    assert doc.key_positions[("services", "fn", "memory_mb")] == (4, 5)
    assert doc.positions[("services", "fn", "env", "A")] == (5, 14)
    assert str(doc.locate(("services", "fn", "memory_mb"))) == "a.yaml:4:16"


def test_yaml_1_2_scalars() -> None:
    doc = load_text(b"a: yes\nb: on\nc: true\nd: 0o17\ne: 1_000\nf: .5\ng: ~\nh: 0x1F\ni: 1e3\n", "a.yaml")
    assert doc.data == {
        "a": "yes",
        "b": "on",
        "c": True,
        "d": 15,
        "e": "1_000",
        "f": 0.5,
        "g": None,
        "h": 31,
        "i": 1000.0,
    }
    assert ("a",) in doc.yaml11_bools and ("b",) in doc.yaml11_bools and ("c",) not in doc.yaml11_bools


def test_quoted_scalars_stay_strings() -> None:
    assert load_text(b"a: \"1\"\nb: 'true'\n", "a.yaml").data == {"a": "1", "b": "true"}


def test_syntax_error_has_line_and_column() -> None:
    assert problem("a: [1, 2\nb: 3\n").startswith("bad.yaml:2:")


def test_duplicate_key_names_both_lines() -> None:
    text = problem("services:\n  fn: {type: lambda}\n  fn: {type: sqs}\n")
    assert text.startswith("bad.yaml:3:3: ") and "duplicate key 'fn'" in text and "line 2" in text


def test_billion_laughs_fails_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert "expand to" in problem("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b"", "empty"),
        (b"# only a comment\n", "empty"),
        (b"a: 1\n---\nb: 2\n", "several YAML documents"),
        (b"- a\n- b\n", "top level must be a map"),
        (b"just text\n", "top level must be a map"),
        (b"a: !!python/object/apply:os.system ['echo hi']\n", "tag"),
        (b"a: !Ref Foo\n", "tag"),
        (b"a: \xff\xfe\n", "UTF-8"),
        (b"a: 1\x00\n", "binary"),
    ],
)
def test_hostile_inputs(raw: bytes, fragment: str) -> None:
    text = problem(raw)
    assert text.startswith("bad.yaml:")
    assert fragment.lower() in text.lower()


def test_too_deep() -> None:
    assert "deep" in problem("a: " + "[" * 200 + "]" * 200 + "\n")


def test_size_cap(tmp_path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10) + b"\n")
    with pytest.raises(InputError) as err:
        load_file(big)
    assert "larger than 4 MiB" in str(err.value)


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="directory"):
        load_file(tmp_path)


def test_merge_keys_work() -> None:
    doc = load_text(b"base: &b {memory_mb: 512, timeout_s: 3}\nfn:\n  <<: *b\n  timeout_s: 10\n", "a.yaml")
    assert doc.data["fn"] == {"memory_mb": 512, "timeout_s": 10}


def test_cloudformation_template_gets_a_hint() -> None:
    assert "CloudFormation intrinsic function" in problem("Resources:\n  Fn:\n    Role: !GetAtt Role.Arn\n")


def test_duplicate_key_after_a_merge_key_is_still_an_error() -> None:
    msg = problem("base: &b {memory_mb: 512}\nfn:\n  <<: *b\n  timeout_s: 3\n  timeout_s: 10\n")
    assert msg.startswith("bad.yaml:5:3:") and "duplicate key 'timeout_s' (first defined on line 4)" in msg
