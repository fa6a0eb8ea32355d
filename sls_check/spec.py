"""From a loaded document to a checked spec: format version, schema, references, defaults."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from sls_check.graph import CERTIFICATE, DLQ, FUNCTION, USER_POOL
from sls_check.loader import Document
from sls_check.model import InputError, Location, Problem
from sls_check.paths import data_dir
from sls_check.runtimes import runtime_table
from sls_check.schema_check import Validator, _show, suggest

FORMAT_VERSION = 1


@cache
def arch_schema() -> dict[str, Any]:
    """The spec schema; the Lambda runtime enum comes from the runtime table (runtimes/lambda.yaml)."""
    with (data_dir("schemas") / "arch.schema.json").open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    runtime = schema["$defs"]["lambda"]["properties"].get("runtime")
    if isinstance(runtime, dict):
        runtime["enum"] = runtime_table().zip_ids()
    return schema


@dataclass(frozen=True)
class Reference:
    """A key that names another service: where it sits, the types it may name, the edge it makes.

    `path` is the key inside the service; "*" stands for every entry of a list. `edge` is the kind
    of graph edge the reference becomes (build.py), None for a reference the graph does not draw;
    `edge_at_entry`: the edge points at the list entry holding the key (a CloudFront function
    association, whose `event` the edge carries), not at the key itself.
    """

    service_type: str
    path: tuple[str, ...]
    allowed: tuple[str, ...]
    edge: str | None
    edge_at_entry: bool = False


# The one table of reference keys (besides `connects`): reference_problems checks each target,
# build._edges_of draws the edges, in this order per service type.
REFERENCES: tuple[Reference, ...] = (
    Reference("api_gateway", ("custom_domain", "certificate"), ("acm_certificate",), CERTIFICATE),
    Reference("api_gateway", ("user_pool",), ("cognito_user_pool",), USER_POOL),
    Reference("cloudfront", ("functions", "*", "function"), ("cloudfront_function", "lambda"), FUNCTION, True),
    Reference("cloudfront", ("certificate",), ("acm_certificate",), CERTIFICATE),
    Reference("s3", ("notifications", "*", "to"), ("lambda", "sqs", "sns"), None),
    Reference("sqs", ("dlq",), ("sqs",), DLQ),
    Reference("dynamodb", ("trigger_on_failure",), ("sqs", "sns"), None),
    Reference("lambda", ("dlq",), ("sqs", "sns"), DLQ),
    Reference("lambda", ("async_config", "on_success"), ("sqs", "sns", "lambda"), None),
    Reference("lambda", ("async_config", "on_failure"), ("sqs", "sns", "lambda"), None),
    Reference("cognito_identity_pool", ("user_pool",), ("cognito_user_pool",), USER_POOL),
)


def references(service: dict[str, Any]) -> list[tuple[Reference, tuple[Any, ...], str, dict[str, Any]]]:
    """(reference, path inside the service, target id, the map that holds the key) for every
    reference key the service sets, in table order."""
    out: list[tuple[Reference, tuple[Any, ...], str, dict[str, Any]]] = []

    def walk(ref: Reference, node: Any, rest: tuple[str, ...], path: tuple[Any, ...], holder: dict[str, Any]) -> None:
        if not rest:
            if isinstance(node, str):
                out.append((ref, path, node, holder))
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            for i, item in enumerate(node if isinstance(node, list) else []):
                walk(ref, item, tail, (*path, i), holder)
        elif isinstance(node, dict) and head in node:
            walk(ref, node[head], tail, (*path, head), node)

    for ref in REFERENCES:
        if ref.service_type == service["type"]:
            walk(ref, service, ref.path, (), service)
    return out


@dataclass
class Spec:
    doc: Document

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data  # type: ignore[no-any-return]

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        return self.data["services"]  # type: ignore[no-any-return]

    def locate(self, path: tuple[Any, ...], *, key: bool = False) -> Location:
        return self.doc.locate(path, key=key)


def _yaml11_hint(doc: Document, path: tuple[Any, ...]) -> str:
    if path in doc.yaml11_bools:
        return " (slscheck reads YAML 1.2, where yes/no/on/off are strings, not booleans: write true or false)"
    return ""


def check_version(doc: Document) -> None:
    data = doc.data
    if "slscheck" not in data:
        hint = ""
        if "Resources" in data or "AWSTemplateFormatVersion" in data:
            hint = "; this looks like a CloudFormation or SAM template, not an slscheck architecture spec"
        elif "provider" in data and "service" in data:
            hint = "; this looks like a Serverless Framework file, not an slscheck architecture spec"
        raise InputError(
            [Problem(doc.locate(()), f"missing `slscheck: 1` (the spec format version) at the top of the file{hint}")]
        )
    version = data["slscheck"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        if isinstance(version, str) and version.strip() == str(FORMAT_VERSION):  # said "'1' is not supported ... 1"
            message = f"slscheck: {version!r} is a string; write the number {FORMAT_VERSION}, without quotes"
        elif version is None:
            message = f"slscheck: has no value; write `slscheck: {FORMAT_VERSION}`"
        else:
            message = (
                f"spec format version {_show(version)} is not supported; this slscheck reads version {FORMAT_VERSION}"
            )
        raise InputError([Problem(doc.locate(("slscheck",)), message)])


def schema_problems(doc: Document) -> list[Problem]:
    validator = Validator(arch_schema())
    problems: dict[tuple[Location, str], Problem] = {}
    for err in validator.validate(doc.data):
        loc = doc.locate(err.path, key=err.at_key)
        message = err.message + _yaml11_hint(doc, err.path)
        problems.setdefault((loc, message), Problem(loc, message))
    return list(problems.values())


def connect_targets(service: dict[str, Any]) -> list[tuple[int, str]]:
    """(index in connects, target id) for every connects entry."""
    out = []
    for i, entry in enumerate(service.get("connects", [])):
        out.append((i, entry if isinstance(entry, str) else entry["to"]))
    return out


def reference_problems(spec: Spec) -> list[Problem]:
    services = spec.services
    ids = sorted(services)
    problems: list[Problem] = []

    def check(path: tuple[Any, ...], target: str, allowed: tuple[str, ...] | None) -> None:
        if target not in services:
            problems.append(Problem(spec.locate(path), f"unknown service {target!r}{suggest(target, ids)}"))
            return
        actual = services[target]["type"]
        if allowed and actual not in allowed:
            problems.append(Problem(spec.locate(path), f"{target!r} is a {actual}; expected {' or '.join(allowed)}"))

    for sid, svc in services.items():
        base = ("services", sid)
        for i, target in connect_targets(svc):
            entry = svc["connects"][i]
            if isinstance(entry, dict) and entry.get("authorizer") is True:
                if svc["type"] != "api_gateway":
                    problems.append(
                        Problem(
                            spec.locate((*base, "connects", i, "authorizer")),
                            f"services.{sid}.connects.{i}.authorizer: only an api_gateway has Lambda authorizers",
                        )
                    )
                check((*base, "connects", i, "to"), target, ("lambda",))
                continue
            if isinstance(entry, dict) and "rule" in entry and svc["type"] != "eventbridge":
                problems.append(
                    Problem(
                        spec.locate((*base, "connects", i, "rule")),
                        f"services.{sid}.connects.{i}.rule: only an eventbridge service has rules",
                    )
                )
            check((*base, "connects", i) if isinstance(entry, str) else (*base, "connects", i, "to"), target, None)
        for ref, path, target, _holder in references(svc):
            if ref.service_type == "sqs" and path == ("dlq",) and target == sid:
                # (MSG010 then compared the queue's retention with itself)
                problems.append(
                    Problem(
                        spec.locate((*base, "dlq")),
                        f"services.{sid}.dlq: {sid!r} is its own dead-letter queue; name another queue",
                    )
                )
            else:
                check((*base, *path), target, ref.allowed)
        for i, entry in enumerate(svc.get("suppress", [])):
            until = entry.get("until")
            try:  # the schema checks the YYYY-MM-DD shape, not the calendar (2026-02-30)
                if isinstance(until, str):
                    dt.date.fromisoformat(until)
            except ValueError:
                problems.append(
                    Problem(
                        spec.locate((*base, "suppress", i, "until")),
                        f"services.{sid}.suppress.{i}.until: {until!r} is not a valid date",
                    )
                )
    return problems


def traffic_problems(spec: Spec) -> list[Problem]:
    """A peak below the average (workload, or a service's pinned rate) was silently raised to it."""
    problems: list[Problem] = []
    blocks: list[tuple[tuple[str, ...], dict[str, Any]]] = [(("workload",), spec.data.get("workload") or {})]
    blocks += [(("services", sid), svc) for sid, svc in spec.services.items()]
    for path, block in blocks:
        if "peak_rps" not in block:
            continue
        if "rps" in block:
            average, what = float(block["rps"]), f"rps {block['rps']:g}"
        elif "monthly_requests" in block:
            average = float(block["monthly_requests"]) / (730 * 3600)
            what = f"monthly_requests {block['monthly_requests']:g} ({average:.4g} requests/s)"
        else:
            continue
        if float(block["peak_rps"]) < average:
            name = ".".join(str(p) for p in path)
            problems.append(
                Problem(
                    spec.locate((*path, "peak_rps")),
                    f"{name}.peak_rps: {block['peak_rps']:g} is "
                    f"lower than the average, {what}; a peak is at least the average",
                )
            )
    return problems


def check_spec(doc: Document) -> Spec:
    """Raise InputError listing every problem; return the spec when it can be checked."""
    check_version(doc)
    problems = schema_problems(doc)
    if problems:
        raise InputError(problems)
    spec = Spec(doc)
    problems = reference_problems(spec) + traffic_problems(spec)
    if problems:
        raise InputError(problems)
    return spec


@cache
def stated_defaults(service_type: str) -> dict[str, Any]:
    """Every `default` the schema states for a service type's keys ("edge": a `connects` entry's).

    The one source of the defaults the engines apply: code reads them here (`setting`), never
    from a literal of its own.
    """
    props = arch_schema()["$defs"][service_type]["properties"]
    return {k: v["default"] for k, v in props.items() if isinstance(v, dict) and "default" in v}


@cache
def _filled_defaults(service_type: str) -> dict[str, Any]:
    """The defaults `resolved_attrs` fills in: all but usage assumptions (`x-assumed`), which stay
    unset so that rules see the key as not given and the cost report can name the assumption."""
    props = arch_schema()["$defs"][service_type]["properties"]
    stated = stated_defaults(service_type)
    return {k: v for k, v in stated.items() if not props[k].get("x-assumed")}


class _HasSettings(Protocol):
    type: str

    def get(self, key: str, default: Any = None) -> Any: ...


def setting(service: _HasSettings, key: str) -> Any:
    """A service's value for key, or the schema's stated default for its type when unset (or null)."""
    value = service.get(key)
    return stated_defaults(service.type)[key] if value is None else value


def edge_setting(entry: dict[str, Any], key: str) -> Any:
    """A `connects` entry's value for key, or the schema's stated default for edges."""
    value = entry.get(key)
    return stated_defaults("edge")[key] if value is None else value


def resolved_attrs(service: dict[str, Any], spec_region: str) -> dict[str, Any]:
    """The service's keys with AWS defaults filled in and shapes normalised for the engines."""
    stype = service["type"]
    attrs = {**_filled_defaults(stype), **service}
    attrs["region"] = service.get("region", spec_region)
    if isinstance(attrs.get("vpc"), str):
        attrs["vpc"] = {"id": attrs["vpc"]}
    if stype == "api_gateway" and "endpoint" not in attrs and attrs.get("api") in ("rest", "http", "websocket"):
        # AWS's default follows the API type (REST: edge-optimized; HTTP and WebSocket: regional).
        # With `api` unset the endpoint is unknown too: a rule that needs it does not fire, rather
        # than judging the API as regional while the cost model prices it as REST (edge).
        attrs["endpoint"] = "edge" if attrs["api"] == "rest" else "regional"
    return attrs
