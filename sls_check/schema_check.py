"""A small JSON Schema (2020-12) validator for our own schemas, with messages for people.

Why not the jsonschema package at run time: importing it costs about 0.15 s of a
0.25 s budget for a pre-commit run. The test suite checks every schema against
the official metaschema and checks this validator against jsonschema on the
samples and the error fixtures, and a meta-test fails if a schema uses a keyword
this module does not implement (SUPPORTED below).
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

SUPPORTED = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "required",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "$ref",
        "$defs",
        "allOf",
        "anyOf",
        "oneOf",
        "if",
        "then",
        "else",
        "minProperties",
        "propertyNames",
        "not",
        # annotations: no effect on validation
        "title",
        "description",
        "default",
        "examples",
        "$schema",
        "$id",
        "$comment",
        "markdownDescription",
        "deprecated",
        "x-unit",
    }
)

_TYPE_NAMES: dict[str, str] = {
    "object": "map",
    "array": "list",
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}


@dataclass(frozen=True)
class SchemaError:
    path: tuple[Any, ...]
    message: str
    at_key: bool = False  # point at the key rather than the value (unknown keys)


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        # beyond float range: every reader refuses it (loader.number_problem); data built in code is checked too
        return "integer" if -sys.float_info.max <= value <= sys.float_info.max else "non-finite number"
    if isinstance(value, float):
        if not math.isfinite(value):  # .inf, .nan, 1e309: no key takes them, and arithmetic breaks
            return "non-finite number"
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _equal(a: Any, b: Any) -> bool:
    """JSON equality, at every depth: true is not 1, but 1 is 1.0; {"a": true} is not {"a": 1}."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
        )
    return bool(a == b)


def _canonical(value: Any) -> Any:
    """A hashable form under JSON equality (true is not 1, 1 is 1.0, maps compare without order)."""
    if isinstance(value, bool) or value is None:
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("l", tuple(_canonical(v) for v in value))
    if isinstance(value, dict):
        return ("d", frozenset((k, _canonical(v)) for k, v in value.items()))
    return ("o", repr(value))


def _is_type(value: Any, expected: str) -> bool:
    actual = type_of(value)
    if expected == "number":
        return actual in ("integer", "number")
    return actual == expected


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, (dict, list)):
        return "a " + _TYPE_NAMES[type_of(value)]
    return str(value)


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern, with `$` read as the true end of the string (\\Z).

    JSON Schema patterns are ECMA-262, where `$` is the end of the input; Python's `$` also matches
    before a final line break, so `^[a-z]+$` would accept "fn\\n" (a service id with a newline).
    """
    out: list[str] = []
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = "\\Z"
        out.append(ch)
    # ASCII: in ECMA-262 (JSON Schema's dialect) \\d and \\w are ASCII; Python's \\d takes any script's digits
    return re.compile("".join(out), re.ASCII)


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) if path else "the top level"


def suggest(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


class Validator:
    def __init__(self, root: dict[str, Any]):
        self.root = root
        # > 0 while trying the branches of anyOf/oneOf: messages of failed branches are
        # thrown away, so the costly "did you mean" is skipped until the chosen one is re-run
        self._probing = 0
        self._dispatch: dict[int, tuple[str, dict[Any, Any]] | None] = {}

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, not {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node  # type: ignore[no-any-return]

    def validate(self, value: Any, schema: Any = None, path: tuple[Any, ...] = ()) -> list[SchemaError]:
        return self._check(value, self.root if schema is None else schema, path)

    def _check(self, value: Any, schema: Any, path: tuple[Any, ...]) -> list[SchemaError]:
        if schema is True or schema == {}:
            return []
        if schema is False:
            return [SchemaError(path, f"{_name(path)} is not allowed")]
        errors: list[SchemaError] = []
        if "$ref" in schema:
            errors += self._check(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, t) for t in types):
                want = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
                got = (
                    "nothing (an empty value)"
                    if value is None
                    else _show(value)
                    if isinstance(value, (dict, list))
                    else f"{_TYPE_NAMES.get(type_of(value), type_of(value))} {_show(value)}"
                )
                if type_of(value) == "non-finite number":
                    got = (
                        f"an integer of {len(str(abs(value)))} digits, beyond the range of a number (about 1.8e308)"
                        if isinstance(value, int)
                        else f"{_show(value)} (not a number)"
                        if math.isnan(value)
                        else f"{_show(value)}, an infinite number (.inf, or a literal beyond about 1.8e308)"
                    )
                return [*errors, SchemaError(path, f"{_name(path)}: expected {want}, got {got}")]
        if "const" in schema and not _equal(value, schema["const"]):
            errors.append(SchemaError(path, f"{_name(path)}: must be {_show(schema['const'])}, not {_show(value)}"))
        if "enum" in schema and not any(_equal(value, v) for v in schema["enum"]):
            options = ", ".join(_show(v) for v in schema["enum"])
            hint = (
                suggest(value, [str(v) for v in schema["enum"]]) if isinstance(value, str) and not self._probing else ""
            )
            errors.append(SchemaError(path, f"{_name(path)}: {_show(value)} is not one of {options}{hint}"))
        errors += self._numbers(value, schema, path)
        errors += self._strings(value, schema, path)
        if isinstance(value, dict):
            errors += self._object(value, schema, path)
        if isinstance(value, list):
            errors += self._array(value, schema, path)
        all_of = schema.get("allOf", [])
        table = self._discriminator(all_of) if all_of and isinstance(value, dict) else None
        if table is not None:
            # allOf of {if: {K: const V}, then: S} with no else: only the branch of value[K] applies
            key, branches = table
            chosen = branches.get(value.get(key), ()) if key in value and isinstance(value.get(key), str) else ()
            for sub in chosen:
                errors += self._check(value, sub["then"], path)
        else:
            for sub in all_of:
                errors += self._check(value, sub, path)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                errors += self._alternatives(value, schema[key], path, exactly_one=key == "oneOf")
        if "not" in schema and not self._check(value, schema["not"], path):
            errors.append(SchemaError(path, f"{_name(path)}: {_show(value)} is not allowed here"))
        if "if" in schema and self._holds(value, schema["if"], path):
            if "then" in schema:
                errors += self._check(value, schema["then"], path)
        elif "if" in schema and "else" in schema:
            errors += self._check(value, schema["else"], path)
        return errors

    def _discriminator(self, all_of: list[Any]) -> tuple[str, dict[Any, Any]] | None:
        """(K, {V: [branches]}) when every entry is `{if: {properties: {K: {const: V}}, required: [K]}, then}`
        on one key K with string constants; None otherwise. Computed once per allOf list."""
        cached = self._dispatch.get(id(all_of), False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        found: tuple[str, dict[Any, Any]] | None = None
        branches: dict[Any, list[Any]] = {}
        key = None
        for sub in all_of:
            cond = sub.get("if") if isinstance(sub, dict) else None
            if not (
                isinstance(cond, dict)
                and set(sub) == {"if", "then"}
                and cond.keys() == {"properties", "required"}
                and len(cond["properties"]) == 1
                and cond["required"] == list(cond["properties"])
            ):
                break
            ((k, const),) = cond["properties"].items()
            if not (isinstance(const, dict) and const.keys() == {"const"} and isinstance(const["const"], str)):
                break
            if key not in (None, k):
                break
            key = k
            branches.setdefault(const["const"], []).append(sub)
        else:
            found = (key, branches) if key is not None else None
        self._dispatch[id(all_of)] = found
        return found

    def _holds(self, value: Any, condition: Any, path: tuple[Any, ...]) -> bool:
        """Whether an `if` schema holds. The discriminator form {properties: {K: {const: V}}, required: [K]}
        (one per service type) is answered directly: it is checked 17 times per service."""
        if isinstance(condition, dict) and isinstance(value, dict) and condition.keys() == {"properties", "required"}:
            props, required = condition["properties"], condition["required"]
            if len(props) == 1 and required == list(props):
                ((key, sub),) = props.items()
                if isinstance(sub, dict) and sub.keys() == {"const"}:
                    return key in value and _equal(value[key], sub["const"])
        self._probing += 1
        try:
            return not self._check(value, condition, path)
        finally:
            self._probing -= 1

    def _numbers(self, value: Any, schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        if type_of(value) not in ("integer", "number"):
            return []
        checks: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
            ("minimum", lambda lim: value >= lim, "at least"),
            ("maximum", lambda lim: value <= lim, "at most"),
            ("exclusiveMinimum", lambda lim: value > lim, "more than"),
            ("exclusiveMaximum", lambda lim: value < lim, "less than"),
        )
        return [
            SchemaError(path, f"{_name(path)}: {_show(value)} must be {words} {schema[key]}")
            for key, ok, words in checks
            if key in schema and not ok(schema[key])
        ]

    def _strings(self, value: Any, schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        if not isinstance(value, str):
            return []
        errors = []
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(SchemaError(path, f"{_name(path)}: must have at least {schema['minLength']} character(s)"))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(SchemaError(path, f"{_name(path)}: longer than {schema['maxLength']} characters"))
        if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
            errors.append(
                SchemaError(
                    path,
                    f"{_name(path)}: {_show(value)} does not match {schema.get('x-pattern-name', schema['pattern'])}",
                )
            )
        return errors

    def _object(self, value: dict[str, Any], schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        errors: list[SchemaError] = []
        props: dict[str, Any] = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append(SchemaError(path, f"{_name(path)}: missing required key {key!r}"))
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            least = schema["minProperties"]
            errors.append(
                SchemaError(path, f"{_name(path)}: must have at least {least} entr{'y' if least == 1 else 'ies'}")
            )
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub_path = (*path, key)
            if "propertyNames" in schema:
                for err in self._check(key, schema["propertyNames"], sub_path):
                    errors.append(SchemaError(sub_path, f"key {key!r}: {err.message.split(': ', 1)[-1]}", at_key=True))
            if key in props:
                errors += self._check(item, props[key], sub_path)
            elif extra is False:
                hint = "" if self._probing else suggest(key, sorted(props))
                errors.append(SchemaError(sub_path, f"unknown key {key!r} in {_name(path)}{hint}", at_key=True))
            elif isinstance(extra, dict):
                errors += self._check(item, extra, sub_path)
        return errors

    def _array(self, value: list[Any], schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        errors: list[SchemaError] = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(SchemaError(path, f"{_name(path)}: needs at least {schema['minItems']} item(s)"))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(SchemaError(path, f"{_name(path)}: at most {schema['maxItems']} item(s)"))
        if schema.get("uniqueItems"):
            seen: set[Any] = set()  # a set of canonical forms: linear, where `in` over a list was quadratic
            for i, item in enumerate(value):
                key = _canonical(item)
                if key in seen:
                    errors.append(SchemaError((*path, i), f"{_name(path)}: {_show(item)} is listed twice"))
                seen.add(key)
        if "items" in schema:
            for i, item in enumerate(value):
                errors += self._check(item, schema["items"], (*path, i))
        return errors

    def _alternatives(
        self, value: Any, options: list[Any], path: tuple[Any, ...], exactly_one: bool
    ) -> list[SchemaError]:
        self._probing += 1
        try:
            results: list[list[SchemaError]] = []
            for option in options:
                results.append(self._check(value, option, path))
                if not results[-1] and not exactly_one:
                    return []  # anyOf: the first passing branch settles it
        finally:
            self._probing -= 1
        passing = sum(1 for r in results if not r)
        if passing == 1:
            return []
        if passing > 1:
            return [SchemaError(path, f"{_name(path)}: matches more than one allowed form")]
        # Report the branch that fits the value's type best, so the message is concrete.
        indexes = range(len(options))
        typed = [i for i in indexes if self._type_fits(value, options[i])]
        best = min(typed or indexes, key=lambda i: len(results[i]))
        return results[best] if self._probing else self._check(value, options[best], path)

    def _type_fits(self, value: Any, option: Any) -> bool:
        if not isinstance(option, dict):
            return False
        if "$ref" in option:
            option = self.resolve(option["$ref"])
        want = option.get("type")
        if want is None:
            return False
        types = want if isinstance(want, list) else [want]
        return any(_is_type(value, t) for t in types)


def unsupported_keywords(schema: Any, path: str = "#") -> list[str]:
    """Keywords in a schema that this validator would silently ignore (for a meta-test)."""
    found: list[str] = []
    if isinstance(schema, dict):
        for key, sub in schema.items():
            if key not in SUPPORTED and not key.startswith("x-"):
                found.append(f"{path}/{key}")
            if key in ("properties", "$defs"):
                for name, s in sub.items():
                    found += unsupported_keywords(s, f"{path}/{key}/{name}")
            elif key in ("allOf", "anyOf", "oneOf"):
                for i, s in enumerate(sub):
                    found += unsupported_keywords(s, f"{path}/{key}/{i}")
            elif key in ("items", "additionalProperties", "if", "then", "else", "not", "propertyNames"):
                found += unsupported_keywords(sub, f"{path}/{key}")
    return found
