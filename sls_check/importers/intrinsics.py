"""Static evaluation of CloudFormation intrinsic functions.

`evaluate` returns the value a template expression has at deploy time when the answer is known
(parameter values or defaults, pseudo parameters, mappings, conditions), a `ResourceRef` when it
names a resource of the template (its value is only known after deployment), or an `Unknown`
carrying the reason. Unknown is never absent: the mapper omits the key *and* records why, so the
rules that would need it do not fire.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unknown:
    reason: str

    def __bool__(self) -> bool:  # an unknown is never mistaken for a present truthy value
        return False


@dataclass(frozen=True)
class ResourceRef:
    """`!Ref X` or `!GetAtt X.Attr` on a resource of the template."""

    logical_id: str
    attribute: str | None = None


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()

PSEUDO_FIXED = {
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NotificationARNs": [],
}

_SUB = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass
class Context:
    """What the evaluator knows about one stack."""

    parameters: dict[str, Any] = field(default_factory=dict)  # resolved values (override, else Default)
    parameter_types: dict[str, str] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)  # logical id -> type
    mappings: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    region: str | None = None
    stack_name: str = "stack"
    _condition_cache: dict[str, Any] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)

    def condition(self, name: str) -> Any:
        """True, False or Unknown."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        if name not in self.conditions or name in self._evaluating:
            return Unknown(f"condition {name} is not defined")
        self._evaluating.add(name)
        try:
            value = evaluate(self.conditions[name], self)
        finally:
            self._evaluating.discard(name)
        result = value if isinstance(value, (bool, Unknown)) else Unknown(f"condition {name} is not a boolean")
        self._condition_cache[name] = result
        return result


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def _ref(name: Any, ctx: Context) -> Any:
    if not isinstance(name, str):
        return Unknown("Ref of a non-string")
    if name in ctx.parameters:
        value = ctx.parameters[name]
        if isinstance(value, Unknown):
            return value
        kind = ctx.parameter_types.get(name, "")
        if (kind.startswith("List<") or kind == "CommaDelimitedList") and isinstance(value, str):
            return [part.strip() for part in value.split(",")] if value else []
        return value
    if name == "AWS::Region":
        return ctx.region if ctx.region else Unknown("the stack's Region (AWS::Region) is not given")
    if name == "AWS::StackName":
        return ctx.stack_name
    if name == "AWS::StackId":
        return f"arn:aws:cloudformation:{ctx.region or 'us-east-1'}:123456789012:stack/{ctx.stack_name}/id"
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in PSEUDO_FIXED:
        return PSEUDO_FIXED[name]
    if name in ctx.resources:
        return ResourceRef(name)
    return Unknown(f"Ref {name} names no parameter or resource")


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, str):
        return value
    return None


def _sub(args: Any, ctx: Context) -> Any:
    if isinstance(args, list) and len(args) == 2 and isinstance(args[1], dict):
        text, variables = args[0], {k: evaluate(v, ctx) for k, v in args[1].items()}
    else:
        text, variables = args, {}
    if not isinstance(text, str):
        return Unknown("Fn::Sub of a non-string")
    unknown: list[Unknown] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name in variables:
            value = variables[name]
        elif "." in name and name.split(".", 1)[0] in ctx.resources:
            head, attr = name.split(".", 1)
            value = ResourceRef(head, attr)
        else:
            value = _ref(name, ctx)
        if isinstance(value, ResourceRef):
            unknown.append(Unknown(f"${{{name}}} is only known after deployment"))
            return ""
        if isinstance(value, Unknown):
            unknown.append(value)
            return ""
        shown = _scalar_text(value)
        if shown is None:
            unknown.append(Unknown(f"${{{name}}} is not a string"))
            return ""
        return shown

    result = _SUB.sub(one, text).replace("${!", "${")
    return unknown[0] if unknown else result


def _find_in_map(args: Any, ctx: Context) -> Any:
    if not isinstance(args, list) or len(args) < 3:
        return Unknown("Fn::FindInMap needs three arguments")
    keys = [evaluate(a, ctx) for a in args[:3]]
    for k in keys:
        if isinstance(k, (Unknown, ResourceRef)):
            return Unknown("Fn::FindInMap with an unknown key")
    node: Any = ctx.mappings
    for k in keys:
        if not isinstance(node, dict) or str(k) not in node:
            if len(args) > 3 and isinstance(args[3], dict) and "DefaultValue" in args[3]:
                return evaluate(args[3]["DefaultValue"], ctx)
            return Unknown(f"Fn::FindInMap: no entry {k!r}")
        node = node[str(k)]
    return evaluate(node, ctx)


def _fn(name: str, args: Any, ctx: Context) -> Any:
    if name == "Fn::GetAtt":
        if isinstance(args, str):
            args = args.split(".", 1)
        if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
            attr = evaluate(args[1], ctx)
            if args[0] in ctx.resources:
                return ResourceRef(args[0], attr if isinstance(attr, str) else None)
            return Unknown(f"Fn::GetAtt names no resource {args[0]!r}")
        return Unknown("malformed Fn::GetAtt")
    if name == "Fn::Sub":
        return _sub(args, ctx)
    if name == "Fn::Join":
        if not isinstance(args, list) or len(args) != 2:
            return Unknown("malformed Fn::Join")
        sep, items = evaluate(args[0], ctx), evaluate(args[1], ctx)
        if not isinstance(sep, str) or not isinstance(items, list):
            return items if isinstance(items, Unknown) else Unknown("malformed Fn::Join")
        parts = []
        for item in items:
            text = _scalar_text(item)
            if text is None:
                return (
                    item if isinstance(item, Unknown) else Unknown("Fn::Join over a value only known after deployment")
                )
            parts.append(text)
        return sep.join(parts)
    if name == "Fn::Select":
        if not isinstance(args, list) or len(args) != 2:
            return Unknown("malformed Fn::Select")
        index, items = evaluate(args[0], ctx), evaluate(args[1], ctx)
        try:
            index = int(index)
        except (TypeError, ValueError):
            return Unknown("Fn::Select with an unknown index")
        if isinstance(items, list) and 0 <= index < len(items):
            return items[index]
        return items if isinstance(items, Unknown) else Unknown("Fn::Select out of range or over an unknown list")
    if name == "Fn::Split":
        if not isinstance(args, list) or len(args) != 2:
            return Unknown("malformed Fn::Split")
        sep, text = evaluate(args[0], ctx), evaluate(args[1], ctx)
        if isinstance(sep, str) and sep and isinstance(text, str):
            return text.split(sep)
        return text if isinstance(text, Unknown) else Unknown("Fn::Split of a value only known after deployment")
    if name == "Fn::FindInMap":
        return _find_in_map(args, ctx)
    if name == "Fn::If":
        if not isinstance(args, list) or len(args) != 3:
            return Unknown("malformed Fn::If")
        cond = ctx.condition(str(args[0]))
        if isinstance(cond, Unknown):
            return cond
        return evaluate(args[1] if cond else args[2], ctx)
    if name in ("Fn::Equals",):
        if not isinstance(args, list) or len(args) != 2:
            return Unknown("malformed Fn::Equals")
        a, b = evaluate(args[0], ctx), evaluate(args[1], ctx)
        if isinstance(a, (Unknown, ResourceRef)) or isinstance(b, (Unknown, ResourceRef)):
            return Unknown("Fn::Equals over an unknown value")
        return _scalar_text(a) == _scalar_text(b) if _scalar_text(a) is not None else a == b
    if name in ("Fn::And", "Fn::Or"):
        values = [evaluate(a, ctx) for a in args] if isinstance(args, list) else []
        known = [v for v in values if isinstance(v, bool)]
        if name == "Fn::And" and False in known:
            return False
        if name == "Fn::Or" and True in known:
            return True
        if len(known) != len(values):
            return Unknown(f"{name} over an unknown condition")
        return all(known) if name == "Fn::And" else any(known)
    if name == "Fn::Not":
        value = evaluate(args[0] if isinstance(args, list) and args else args, ctx)
        return (not value) if isinstance(value, bool) else Unknown("Fn::Not over an unknown condition")
    if name == "Fn::GetAZs":
        region = evaluate(args, ctx) if args not in ("", None) else ctx.region
        if not isinstance(region, str) or not region:
            region = ctx.region or "region"
        return [f"{region}a", f"{region}b", f"{region}c"]
    if name == "Fn::Base64":
        return evaluate(args, ctx)
    if name == "Fn::ToJsonString":
        value = evaluate(args, ctx)
        if _contains_unknown(value):
            return Unknown("Fn::ToJsonString over a value only known after deployment")
        return json.dumps(value, separators=(",", ":"))
    if name == "Fn::Length":
        value = evaluate(args, ctx)
        return len(value) if isinstance(value, list) else Unknown("Fn::Length of an unknown list")
    if name == "Fn::ImportValue":
        return Unknown("Fn::ImportValue: an output of another stack (give it in the overlay)")
    if name == "Fn::Transform":
        return Unknown("Fn::Transform (a macro such as AWS::Include) runs at deploy time")
    if name == "Fn::Unresolved":  # a serverless.yml variable the importer could not resolve
        return Unknown(f"{args} is only known when the Serverless Framework resolves it")
    if name == "Fn::Cidr":
        return Unknown("Fn::Cidr is not evaluated")
    return Unknown(f"{name} is not evaluated")


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, (Unknown, ResourceRef)):
        return True
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def evaluate(value: Any, ctx: Context, depth: int = 0) -> Any:
    """The static value of a template expression (see the module docstring)."""
    if depth > 64:
        return Unknown("expression nested too deeply")
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, args),) = value.items()
            if key == "Ref":
                return _ref(args, ctx)
            if key == "Condition" and isinstance(args, str):
                return ctx.condition(args)
            if key.startswith("Fn::"):
                return _fn(key, args, ctx)
        out = {}
        for k, v in value.items():
            item = evaluate(v, ctx, depth + 1)
            if item is not NO_VALUE:
                out[k] = item
        return out
    if isinstance(value, list):
        return [item for item in (evaluate(v, ctx, depth + 1) for v in value) if item is not NO_VALUE]
    if isinstance(value, str) and "{{resolve:" in value:
        return Unknown("a dynamic reference ({{resolve:...}}) is read at deploy time")
    return value


def references(value: Any, resources: dict[str, str] | set[str], depth: int = 0) -> list[tuple[str, str | None]]:
    """Every (logical id, attribute) the expression names through Ref, GetAtt or ${X} in a Sub."""
    found: list[tuple[str, str | None]] = []
    if depth > 64:
        return found
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, args),) = value.items()
            if key == "Ref" and isinstance(args, str) and args in resources:
                return [(args, None)]
            if key == "Fn::GetAtt":
                parts = args.split(".", 1) if isinstance(args, str) else args
                if isinstance(parts, list) and parts and isinstance(parts[0], str) and parts[0] in resources:
                    attr = parts[1] if len(parts) > 1 and isinstance(parts[1], str) else None
                    return [(parts[0], attr)]
            if key == "Fn::Sub":
                text = args[0] if isinstance(args, list) and args else args
                local = (
                    set(args[1]) if isinstance(args, list) and len(args) > 1 and isinstance(args[1], dict) else set()
                )
                if isinstance(text, str):
                    for m in _SUB.finditer(text):
                        name = m.group(1).strip()
                        head, _, attr = name.partition(".")
                        if name not in local and head in resources:
                            found.append((head, attr or None))
                if isinstance(args, list) and len(args) > 1:
                    found.extend(references(args[1], resources, depth + 1))
                return found
        for v in value.values():
            found.extend(references(v, resources, depth + 1))
    elif isinstance(value, list):
        for v in value:
            found.extend(references(v, resources, depth + 1))
    return found
